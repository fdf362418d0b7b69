package scopes

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/scopehealth"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

const (
	parentCID = "1f0e2d3c4b5a69788796a5b4c3d2e1f0"
	childA    = "aa11bb22cc33dd44ee55ff6600112233"
	childB    = "bb22cc33dd44ee55ff660011223344aa"
)

// fabricated is a report shaped like the simulator's "partial" client: no host-group:write,
// no mssp:read, no api-clients:read; child B lacks Zero Trust Assessment; the GraphQL
// writes have no probe. It is built by hand so the golden files do not depend on timing.
func fabricated() *scopehealth.Report {
	denied := map[string]bool{"host-group:write": true, "mssp:read": true, "api-clients:read": true}
	tenants := []scopehealth.ProbedTenant{
		{CID: parentCID, Name: "Acme Holdings (parent)"},
		{CID: childA, Name: "Acme EU", Child: true},
		{CID: childB, Name: "Acme \x1b[31mLabs\x1b[0m", Child: true}, // hostile name: must be sanitised
	}
	rep := &scopehealth.Report{
		ClientID: "0123456789abcdef0123456789abcdef",
		HomeCID:  parentCID,
		Started:  time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC),
		Duration: scopehealth.ProbeDuration(420 * time.Millisecond),
		Listing:  scopehealth.Listing{State: falcon.ScopeDenied, Status: 403, Detail: "access denied, authorization failed"},
	}
	for i, t := range tenants {
		col := scopehealth.TenantScopes{Tenant: t, Requests: 33}
		for _, d := range scopehealth.Catalogue() {
			for _, p := range d.Permissions() {
				res := scopehealth.ProbeResult{Permission: p, State: falcon.ScopeGranted, Probe: falcon.ScopeGranted, Status: 200}
				switch {
				case d.Access(p.Access).Probe == nil:
					res.State, res.Probe, res.Status, res.Detail = falcon.ScopeUnknown, falcon.ScopeUnknown, 0, "no side-effect-free probe exists"
				case denied[p.String()]:
					res.State, res.Probe, res.Status, res.Detail = falcon.ScopeDenied, falcon.ScopeDenied, 403, "access denied, scope not permitted"
				case i == 2 && d.ID == "zero-trust-assessment":
					res.State, res.Probe, res.Status = falcon.ScopeNotProvisioned, falcon.ScopeNotProvisioned, 404
				}
				col.Results = append(col.Results, res)
			}
		}
		rep.Tenants = append(rep.Tenants, col)
	}
	return rep
}

func newPane(t *testing.T, w, h int, noColor bool) Model {
	t.Helper()
	m := New(pane.Deps{Styles: theme.New(true, theme.WithNoColor(noColor))})
	m.SetSize(w, h)
	m.Focus()
	m.SetReport(fabricated())
	return m
}

func press(m Model, keys ...string) Model {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		case "up":
			msg = tea.KeyPressMsg{Code: tea.KeyUp}
		case "right":
			msg = tea.KeyPressMsg{Code: tea.KeyRight}
		default:
			msg = tea.KeyPressMsg{Code: rune(k[0]), Text: k}
		}
		m, _ = m.Update(msg)
	}
	return m
}

// checkSize asserts the pane contract: exactly width × height cells.
func checkSize(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, got, w, ansi.Strip(l))
		}
	}
}

func TestGoldenPartialClient120x35(t *testing.T) {
	m := newPane(t, 120, 35, true)
	m = press(m, "n") // first gap: Host groups (write denied)
	v := m.View()
	checkSize(t, v, 120, 35)
	golden.RequireEqual(t, []byte(v))
}

func TestGoldenColour120x35(t *testing.T) {
	m := newPane(t, 120, 35, false)
	m = press(m, "n", "n") // Flight Control
	v := m.View()
	checkSize(t, v, 120, 35)
	golden.RequireEqual(t, []byte(v))
}

func TestGoldenNarrow80x24(t *testing.T) {
	m := newPane(t, 80, 24, true)
	m = press(m, "G") // last row, scrolled
	v := m.View()
	checkSize(t, v, 80, 24)
	golden.RequireEqual(t, []byte(v))
}

func TestViewSaysWhatAGapBlocksAndHowToFixIt(t *testing.T) {
	m := newPane(t, 120, 35, true)
	m = press(m, "n")
	v := ansi.Strip(m.View())
	for _, want := range []string{
		"Host groups (host-group)",
		"write  ✗ denied in all 3 tenants",
		"blocks  group membership edits (a, x, u)",
		`tick "Host groups: Write" (host-group:write)`,
		"✗ falcon-tui",
		"not ready: 1 permission missing across 3 tenants",
		"✓ NetBird EDR", // not: ZTA is only not provisioned in one child...
	} {
		if want == "✓ NetBird EDR" {
			continue // checked below with the right verdict
		}
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q", want)
		}
	}
	// Issue 11 item 23: a product that is not provisioned is said so, not "1 permission missing".
	if !strings.Contains(v, "✗ NetBird EDR (Falcon)     not ready: Zero Trust Assessment not provisioned · first in Acme Labs") {
		t.Errorf("NetBird readiness should name the unprovisioned ZTA in Acme Labs:\n%s", v)
	}
	if strings.Contains(m.View(), "\x1b[31m") {
		t.Error("a tenant name's escape sequence reached the view")
	}
	// Not provisioned is explained as a subscription problem, not a scope.
	m = press(m, "n", "n") // Flight Control, then ZTA
	v = ansi.Strip(m.View())
	if !strings.Contains(v, "Zero Trust Assessment (zero-trust-assessment)") || !strings.Contains(v, "not provisioned in Acme Labs") ||
		!strings.Contains(v, "a subscription, not a scope, is missing") {
		t.Errorf("ZTA detail wrong:\n%s", v)
	}
}

func TestKeysMoveAndWrap(t *testing.T) {
	m := newPane(t, 120, 35, true)
	if m.cursor != 0 {
		t.Fatal("cursor does not start at the top")
	}
	m = press(m, "n", "n", "n", "n", "n") // host-group, mssp, zta, api-clients, then wraps
	if got := m.defs[m.cursor].ID; got != "host-group" {
		t.Errorf("fifth n lands on %s, want host-group (wrapped)", got)
	}
	m = press(m, "N")
	if got := m.defs[m.cursor].ID; got != "api-clients" {
		t.Errorf("N lands on %s, want api-clients", got)
	}
	m = press(m, "G", "down")
	if m.cursor != len(m.defs)-1 {
		t.Errorf("cursor %d past the end", m.cursor)
	}
	if m.offset == 0 {
		t.Error("G did not scroll")
	}
	m = press(m, "g", "up")
	if m.cursor != 0 || m.offset != 0 {
		t.Errorf("g: cursor %d offset %d", m.cursor, m.offset)
	}
	// Three tenants fit at 120 columns: right does nothing.
	m = press(m, "right")
	if m.col != 0 {
		t.Errorf("col = %d with every tenant on screen", m.col)
	}
	if m.Capturing() {
		t.Error("the pane never captures the keyboard")
	}
}

func TestTenantColumnsScroll(t *testing.T) {
	m := newPane(t, 40, 30, true) // narrow: the identifier column hides, two tenants fit
	if m.idW() != 0 || m.tenantCols() >= 3 {
		t.Fatalf("idW %d, tenantCols %d", m.idW(), m.tenantCols())
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "more ›") {
		t.Errorf("no hint that tenants are off screen:\n%s", v)
	}
	m = press(m, "right", "right", "right")
	if m.col != 3-m.tenantCols() {
		t.Errorf("col = %d", m.col)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Acme Labs") || !strings.Contains(v, "‹") {
		t.Errorf("scrolled header wrong:\n%s", v)
	}
	checkSize(t, m.View(), 40, 30)
}

func TestStatesBeforeAReport(t *testing.T) {
	m := New(pane.Deps{Styles: theme.New(true, theme.WithNoColor(true))})
	m.SetSize(60, 10)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Scopes not probed yet") {
		t.Errorf("empty state:\n%s", v)
	}
	if cmd := m.Probe(); cmd != nil || m.Probing() {
		t.Error("a pane without a client must not probe")
	}
	m.probing, m.gen = true, 2
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Probing") {
		t.Errorf("probing state:\n%s", v)
	}
	// A stale run is dropped; the current one's error is shown and sent to the status bar.
	m, _ = m.Update(ReportProbedMsg{Gen: 1, Report: fabricated()})
	if m.Report() != nil || !m.Probing() {
		t.Fatal("stale generation was applied")
	}
	m, cmd := m.Update(ReportProbedMsg{Gen: 2, Err: errors.New("falcon: cloud unreachable")})
	if cmd == nil || m.Probing() {
		t.Error("an error must end probing and reach the status bar")
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "cloud unreachable") || !strings.Contains(v, "r retries") {
		t.Errorf("error state:\n%s", v)
	}
	checkSize(t, m.View(), 60, 10)
}

// Issue 11 item 23: the detail area cuts long lines ("host actions (contain, lift
// containment,…"); enter shows the selected scope and every integration set in full,
// wrapped, and enter or esc goes back.
func TestEnterShowsTheDetailInFull(t *testing.T) {
	m := newPane(t, 80, 24, true)
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "…") {
		t.Fatalf("expected a cut line at 80 columns:\n%s", v)
	}
	m = press(m, "enter")
	full := ansi.Strip(m.View())
	checkSize(t, m.View(), 80, 24)
	if !strings.Contains(full, "scroll") {
		t.Fatalf("the full detail does not fit 24 rows yet says nothing of scrolling:\n%s", full)
	}
	for range 5 {
		m = press(m, "pgdown")
		full += "\n" + ansi.Strip(m.View())
	}
	flat := strings.Join(strings.Fields(full), " ")
	for _, want := range []string{"full detail", "Hosts (devices)", "unlocks", "probes", "Integrations", "NetBird EDR"} {
		if !strings.Contains(flat, want) {
			t.Errorf("full detail lacks %q:\n%s", want, full)
		}
	}
	for _, l := range strings.Split(full, "\n") {
		if strings.Contains(l, "…") {
			t.Errorf("a line is still cut in the full detail: %q", l)
		}
	}
	m = press(m, "esc")
	if got := ansi.Strip(m.View()); got != v {
		t.Errorf("esc did not go back to the matrix:\n%s", got)
	}
	m = press(m, "enter", "enter")
	if got := ansi.Strip(m.View()); got != v {
		t.Errorf("enter twice did not go back to the matrix:\n%s", got)
	}
}
