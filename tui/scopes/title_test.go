package scopes

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon/scopehealth"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// Bug: the root framed this pane as plain "Scopes"; the pane now names what it shows.
func TestTitle(t *testing.T) {
	m := New(pane.Deps{Styles: theme.New(true)})
	m.SetSize(120, 35)
	if got := m.Title(); got != "Scopes" {
		t.Fatalf("before probing: %q", got)
	}
	m.probing = true
	if got := m.Title(); got != "Scopes(probing…)" {
		t.Fatalf("while probing: %q", got)
	}
	m.probing = false
	m.SetReport(fabricated())
	// host-group, mssp, api-clients denied everywhere; ZTA not provisioned in one child.
	if got := m.Title(); got != "Scopes(3 tenants)[4 gaps]" {
		t.Fatalf("with a report: %q", got)
	}
	m.probing = true
	if got := m.Title(); got != "Scopes(3 tenants)[4 gaps] re-probing…" {
		t.Fatalf("re-probing: %q", got)
	}
}

// Bug: the home tenant without a name was labelled "home" here and "Home tenant" in every
// other pane; and at 200 columns tenant names were cut at 17 cells beside empty space.
func TestHomeTenantLabelAndWideColumns(t *testing.T) {
	rep := fabricated()
	rep.Tenants[0].Tenant = scopehealth.ProbedTenant{CID: parentCID}
	rep.Tenants[1].Tenant.Name = "Umbrella Logistics EMEA"
	m := New(pane.Deps{Styles: theme.New(true)})
	m.SetSize(198, 48)
	m.SetReport(rep)
	view := ansi.Strip(m.View())
	if !strings.Contains(view, "Home tenant") || strings.Contains(view, " home ") {
		t.Fatalf("home tenant label:\n%s", view)
	}
	if !strings.Contains(view, "Umbrella Logistics EMEA") {
		t.Fatalf("a 23-cell name is cut on a 198-cell pane:\n%s", view)
	}
}

// Bug: r while a probe ran did nothing and said nothing.
func TestReprobeWhileProbingSaysSo(t *testing.T) {
	m := New(pane.Deps{Styles: theme.New(true)})
	m.probing = true
	_, cmd := m.Update(tea.KeyPressMsg{Code: 'r', Text: "r"})
	if cmd == nil {
		t.Fatal("r while probing gave no answer")
	}
	if msg, ok := cmd().(status.Msg); !ok || msg.Text != "a probe is already running" {
		t.Fatalf("r while probing: %+v", msg)
	}
}
