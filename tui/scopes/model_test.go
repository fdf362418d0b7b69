package scopes

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/scopehealth"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// simPane starts a simulated cloud (parent + 3 children, the second without Zero Trust
// Assessment) and a pane whose client acts as the named simulator client.
func simPane(t *testing.T, client string) (Model, *falcontest.Server) {
	t.Helper()
	srv := falcontest.NewServer(falcontest.WithHosts(20), falcontest.WithTenants(3),
		falcontest.WithUnprovisioned(2, "zero-trust-assessment"))
	t.Cleanup(srv.Close)
	c := srv.Client(client)
	fc, err := falcon.New(falcon.Config{ClientID: c.ID, ClientSecret: c.Secret, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fc.Close(context.Background()) })
	if err := fc.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	m := New(pane.Deps{Client: fc, Styles: theme.New(true, theme.WithNoColor(true))})
	m.SetSize(120, 35)
	m.Focus()
	return m, srv
}

// runProbe runs the pane's command (as the Bubble Tea runtime would) and feeds its
// message back; the clock-dependent duration is pinned for golden files.
func runProbe(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	if cmd == nil {
		t.Fatal("no probe command")
	}
	msg, ok := cmd().(ReportProbedMsg)
	if !ok {
		t.Fatal("the command did not return a ReportProbedMsg")
	}
	if msg.Err != nil {
		t.Fatal(msg.Err)
	}
	msg.Report.Duration = scopehealth.ProbeDuration(250 * time.Millisecond)
	m, _ = m.Update(msg)
	return m
}

func cell(t *testing.T, rep *scopehealth.Report, tenant int, perm string) falcon.ScopeState {
	t.Helper()
	p, _ := scopehealth.ParsePermission(perm)
	res, ok := rep.Tenants[tenant].Result(p)
	if !ok {
		t.Fatalf("no %s in tenant %d", perm, tenant)
	}
	return res.State
}

func TestPanePartialClientAgainstSimulator(t *testing.T) {
	m, srv := simPane(t, "partial")
	if m.Report() != nil {
		t.Fatal("the pane probed before it was asked to")
	}
	m = runProbe(t, m, m.EnsureProbed())
	rep := m.Report()
	// partial lacks mssp:read, so only the home tenant can be listed and probed.
	if len(rep.Tenants) != 1 || len(rep.Notes) != 1 {
		t.Fatalf("tenants %d, notes %v", len(rep.Tenants), rep.Notes)
	}
	for perm, want := range map[string]falcon.ScopeState{
		"devices:read": falcon.ScopeGranted, "devices:write": falcon.ScopeGranted,
		"host-group:read": falcon.ScopeGranted, "host-group:write": falcon.ScopeDenied,
		"mssp:read": falcon.ScopeDenied, "api-clients:read": falcon.ScopeDenied,
		"identity-protection-detections:write": falcon.ScopeUnknown,
	} {
		if got := cell(t, rep, 0, perm); got != want {
			t.Errorf("%s = %v, want %v", perm, got, want)
		}
	}
	m = press(m, "n")
	v := m.View()
	checkSize(t, v, 120, 35)
	golden.RequireEqual(t, []byte(v))
	if st := srv.Stats(); st.Writes != 0 {
		t.Errorf("probes applied %d writes", st.Writes)
	}
}

func TestPaneFullClientAllTenantsAndReprobe(t *testing.T) {
	m, srv := simPane(t, "full")
	m = runProbe(t, m, m.Probe())
	rep := m.Report()
	if len(rep.Tenants) != 4 || !rep.Listing.Read() {
		t.Fatalf("tenants %d, listing %v", len(rep.Tenants), rep.Listing.State)
	}
	missing := 0
	for i := range rep.Tenants {
		if cell(t, rep, i, "zero-trust-assessment:read") == falcon.ScopeNotProvisioned {
			missing++
		}
		if got := cell(t, rep, i, "host-group:write"); got != falcon.ScopeGranted {
			t.Errorf("host-group:write in tenant %d = %v", i, got)
		}
	}
	if missing != 1 {
		t.Errorf("%d tenants without ZTA, want 1", missing)
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "✓ falcon-tui") || !strings.Contains(v, "✗ NetBird EDR (Falcon)") {
		t.Errorf("readiness lines:\n%s", v)
	}
	// r re-probes; a second r while the first run is under way sends nothing more.
	before := srv.Stats().RequestsTotal
	m, cmd := m.Update(tea.KeyPressMsg{Code: 'r', Text: "r"})
	if !m.Probing() || cmd == nil {
		t.Fatal("r did not start a probe")
	}
	if !strings.Contains(m.View(), "re-probing") {
		t.Error("the title does not say a re-probe is running")
	}
	if _, again := m.Update(tea.KeyPressMsg{Code: 'r', Text: "r"}); again == nil {
		t.Error("a second r said nothing")
	} else if _, isStatus := again().(status.Msg); !isStatus {
		t.Error("a second r started another run")
	}
	m = runProbe(t, m, cmd)
	if m.Probing() || srv.Stats().RequestsTotal <= before {
		t.Error("the re-probe did not run")
	}
	if st := srv.Stats(); st.Writes != 0 {
		t.Errorf("probes applied %d writes", st.Writes)
	}
}
