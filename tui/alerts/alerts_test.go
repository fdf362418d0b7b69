package alerts

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

func setup(t *testing.T, dark bool, w, h int, opts ...falcontest.Option) (*Model, *tuitest.Runner, tuitest.Cloud) {
	t.Helper()
	opts = append([]falcontest.Option{falcontest.WithTenants(1), falcontest.WithHosts(80), falcontest.WithAlerts(120)}, opts...)
	cloud := tuitest.Start(t, opts...)
	m := New(pane.Deps{Client: cloud.Client, Styles: theme.New(dark, theme.WithNoColor(false)), Now: tuitest.Clock})
	m.SetSize(w, h)
	m.Focus()
	return &m, tuitest.Drive(t, &m), cloud
}

func TestNewestFirstAndCounted(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30)
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	if m.err != nil {
		t.Fatal(m.err)
	}
	n, _ := cloud.Client.Alerts.Count(context.Background(), cloud.Server.ParentCID(), "")
	if len(m.alerts) != n || m.total != n {
		t.Fatalf("loaded %d of %d (total %d)", len(m.alerts), n, m.total)
	}
	for i := 1; i < len(m.alerts); i++ {
		if m.alerts[i].Created.After(m.alerts[i-1].Created) {
			t.Fatalf("alert %d is newer than alert %d", i, i-1)
		}
	}
	r.Press("down", "enter")
	got := tuitest.Sent[pane.NavigateMsg](r)
	if len(got) != 1 || got[0].To != pane.Alert || got[0].Target.(falcon.Alert).CompositeID != m.alerts[1].CompositeID {
		t.Fatalf("enter opened %+v", got)
	}
}

func TestFiltersLocalAndServer(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30)
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	r.Press("/")
	r.TypeText("critical")
	r.Press("enter")
	for _, i := range m.view {
		if !strings.EqualFold(domain.SeverityName(m.alerts[i]), "critical") && !strings.Contains(m.hay[i], "critical") {
			t.Fatalf("row %q does not match", m.alerts[i].Name)
		}
	}
	r.Press("esc")
	if len(m.view) != len(m.alerts) {
		t.Fatal("esc did not clear the local filter")
	}
	r.Press("f")
	r.TypeText("severity:>=70")
	r.Press("enter")
	if m.Capturing() || len(m.alerts) == 0 {
		t.Fatalf("FQL not applied: %q", m.prompt.Err())
	}
	for _, a := range m.alerts {
		if a.Severity < 70 {
			t.Fatalf("alert with severity %d under severity:>=70", a.Severity)
		}
	}
	r.Press("f", "ctrl+u")
	r.TypeText("severity:>>")
	r.Press("enter")
	if !m.Capturing() || !strings.Contains(ansi.Strip(m.View()), "✗ 400") {
		t.Fatalf("rejected FQL not shown inline:\n%s", ansi.Strip(m.View()))
	}
}

func TestHostMode(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30)
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	a := m.alerts[0]
	r.Run(m.SetHost(a.CID, a.DeviceID, a.Hostname))
	if len(m.alerts) == 0 {
		t.Fatal("no alerts for a host that has one")
	}
	for _, x := range m.alerts {
		if x.DeviceID != a.DeviceID {
			t.Fatalf("alert of %s in %s's list", x.DeviceID, a.DeviceID)
		}
	}
	if strings.Contains(ansi.Strip(m.View()), "HOST ") {
		t.Fatal("host mode still shows the HOST column")
	}
}

func TestMissingScope(t *testing.T) {
	cloud := tuitest.StartAs(t, "hostsonly", false, falcontest.WithTenants(1), falcontest.WithHosts(10),
		falcontest.WithClient("hostsonly", "devices:read"))
	m := New(pane.Deps{Client: cloud.Client, Styles: theme.New(true), Now: tuitest.Clock})
	m.SetSize(100, 12)
	r := tuitest.Drive(t, &m)
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	if !strings.Contains(ansi.Strip(m.View()), "needs `alerts:read`") {
		t.Fatalf("view:\n%s", ansi.Strip(m.View()))
	}
}

func TestGolden(t *testing.T) {
	for _, sz := range tuitest.Sizes {
		for _, th := range tuitest.Themes {
			t.Run(fmt.Sprintf("%dx%d/%s", sz.W, sz.H, th.Name), func(t *testing.T) {
				m, r, cloud := setup(t, th.Dark, sz.W, sz.H)
				r.Run(m.SetTenant(cloud.Server.ParentCID()))
				r.Press("down", "down")
				out := m.View()
				tuitest.AssertSize(t, out, sz.W, sz.H)
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
}

// childCID is the first child tenant of a cloud started with WithTenants(2) or more.
func childCID(t *testing.T, cloud tuitest.Cloud) string {
	t.Helper()
	for _, tn := range cloud.Server.Tenants() {
		if tn.Parent != "" {
			return tn.CID
		}
	}
	t.Fatal("the simulated cloud has no child tenant")
	return ""
}

// A tenant switch keeps the local filter, as the hosts pane does, and drops the FQL filter.
func TestTenantSwitchKeepsLocalFilter(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30, falcontest.WithTenants(2))
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	r.Press("f")
	r.TypeText("severity:>=50")
	r.Press("enter")
	r.Press("/")
	r.TypeText("high")
	r.Press("enter")
	if m.prompt.FQL() == "" || m.filter != "high" {
		t.Fatalf("filters not applied: fql %q, filter %q", m.prompt.FQL(), m.filter)
	}

	child := childCID(t, cloud)
	r.Run(m.SetTenant(child))
	if m.err != nil {
		t.Fatal(m.err)
	}
	if m.filter != "high" {
		t.Fatalf("local filter after the switch: %q", m.filter)
	}
	if m.prompt.FQL() != "" {
		t.Fatalf("FQL filter %q survived the switch (the hosts pane drops it)", m.prompt.FQL())
	}
	if len(m.alerts) == 0 || len(m.view) == 0 || len(m.view) == len(m.alerts) {
		t.Fatalf("filter not applied to the new tenant's alerts: %d of %d shown", len(m.view), len(m.alerts))
	}
	for _, i := range m.view {
		if m.alerts[i].CID != child {
			t.Fatalf("alert of %s in %s's list", m.alerts[i].CID, child)
		}
		if !strings.Contains(m.hay[i], "high") {
			t.Fatalf("row %q does not match /high", m.alerts[i].Name)
		}
	}
	if title := m.Title(); !strings.Contains(title, "/high") || strings.Contains(title, "fql") {
		t.Fatalf("title %q", title)
	}
	r.Press("esc")
	if len(m.view) != len(m.alerts) {
		t.Fatal("esc did not clear the carried-over filter")
	}
}

// An open filter prompt stays open with its text across a switch; an open FQL prompt closes.
func TestTenantSwitchPrompts(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30, falcontest.WithTenants(2))
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	r.Press("/")
	r.TypeText("crit")
	r.Run(m.SetTenant(childCID(t, cloud)))
	if !m.Capturing() || m.prompt.Value() != "crit" || m.filter != "crit" {
		t.Fatalf("filter prompt after the switch: capturing %v, value %q, filter %q", m.Capturing(), m.prompt.Value(), m.filter)
	}
	r.TypeText("ical")
	if m.filter != "critical" {
		t.Fatalf("typing after the switch gave filter %q", m.filter)
	}
	r.Press("enter")

	r.Press("f")
	r.TypeText("status:'new'")
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	if m.Capturing() || m.prompt.FQL() != "" || m.filter != "critical" {
		t.Fatalf("after switching with the FQL prompt open: capturing %v, fql %q, filter %q", m.Capturing(), m.prompt.FQL(), m.filter)
	}
}

// Host mode starts unfiltered: a host's few alerts are not hidden by the tenant's filter.
func TestSetHostClearsFilter(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30)
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	a := m.alerts[0]
	r.Press("/")
	r.TypeText("zzz-no-match")
	r.Press("enter")
	r.Run(m.SetHost(a.CID, a.DeviceID, a.Hostname))
	if m.filter != "" || len(m.view) != len(m.alerts) {
		t.Fatalf("host mode kept filter %q", m.filter)
	}
}

func TestGoldenAfterTenantSwitch(t *testing.T) {
	m, r, cloud := setup(t, true, 100, 30, falcontest.WithTenants(2))
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	r.Press("/")
	r.TypeText("high")
	r.Run(m.SetTenant(childCID(t, cloud)))
	out := m.View()
	tuitest.AssertSize(t, out, 100, 30)
	golden.RequireEqual(t, []byte(out))
}
