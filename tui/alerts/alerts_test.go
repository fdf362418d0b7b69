package alerts

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

func setup(t *testing.T, dark bool, w, h int, opts ...falcontest.Option) (*Model, *tuitest.Runner, tuitest.Cloud) {
	t.Helper()
	opts = append([]falcontest.Option{falcontest.WithTenants(1), falcontest.WithHosts(80), falcontest.WithAlerts(120)}, opts...)
	cloud := tuitest.Start(t, opts...)
	m := New(cloud.Client, theme.New(dark, theme.WithNoColor(false)), nil, tuitest.Clock)
	m.SetSize(w, h)
	m.Focus()
	r := &tuitest.Runner{TB: t, Update: func(msg tea.Msg) tea.Cmd {
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		return cmd
	}}
	return &m, r, cloud
}

func TestNewestFirstAndCounted(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30)
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	if m.err != nil {
		t.Fatal(m.err)
	}
	n, _ := cloud.Client.Alerts.Count(context.Background(), cloud.Server.ParentCID(), "")
	if len(m.alerts) != min(n, Limit) || m.total != n {
		t.Fatalf("loaded %d of %d (total %d)", len(m.alerts), n, m.total)
	}
	for i := 1; i < len(m.alerts); i++ {
		if m.alerts[i].Created.After(m.alerts[i-1].Created) {
			t.Fatalf("alert %d is newer than alert %d", i, i-1)
		}
	}
	r.Press("down", "enter")
	got := tuitest.Sent[OpenAlertMsg](r)
	if len(got) != 1 || got[0].Alert.CompositeID != m.alerts[1].CompositeID {
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
		if !strings.EqualFold(SeverityName(m.alerts[i]), "critical") && !strings.Contains(m.hay[i], "critical") {
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
		t.Fatalf("FQL not applied: %q", m.fqlErr)
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
	m := New(cloud.Client, theme.New(true), nil, tuitest.Clock)
	m.SetSize(100, 12)
	r := &tuitest.Runner{TB: t, Update: func(msg tea.Msg) tea.Cmd {
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		return cmd
	}}
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
