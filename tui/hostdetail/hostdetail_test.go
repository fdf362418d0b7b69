package hostdetail

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
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

func setup(t *testing.T, client string, readOnly, dark bool, w, h int, opts ...falcontest.Option) (*Model, *tuitest.Runner, tuitest.Cloud) {
	t.Helper()
	opts = append([]falcontest.Option{falcontest.WithTenants(1), falcontest.WithHosts(80), falcontest.WithAlerts(200)}, opts...)
	cloud := tuitest.StartAs(t, client, readOnly, opts...)
	m := New(pane.Deps{Client: cloud.Client, Styles: theme.New(dark, theme.WithNoColor(false)), Now: tuitest.Clock, ReadOnly: readOnly})
	m.SetSize(w, h)
	m.Focus()
	return &m, tuitest.Drive(t, &m), cloud
}

// hostWithAlerts finds a host of the tenant that has alerts and groups, for a full view.
func hostWithAlerts(t *testing.T, c *falcon.Client, cid string) falcon.Host {
	t.Helper()
	ctx := context.Background()
	as, err := c.Alerts.List(ctx, cid, falcon.AlertQuery{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		hs, err := c.Hosts.Get(ctx, cid, []string{a.DeviceID})
		if err == nil && len(hs) == 1 && len(hs[0].Groups) > 0 {
			return hs[0]
		}
	}
	t.Fatal("no host with alerts and groups in the simulated tenant")
	return falcon.Host{}
}

func TestShowsEverySection(t *testing.T) {
	m, r, cloud := setup(t, "full", false, true, 140, 60)
	h := hostWithAlerts(t, cloud.Client, cloud.Server.ParentCID())
	r.Run(m.SetHost(h))
	if m.Loading() {
		t.Fatal("still loading")
	}
	view := ansi.Strip(strings.Join(m.lines(), "\n"))
	for _, want := range []string{"IDENTITY", "STATUS", "OPERATING SYSTEM", "SENSOR AND POLICIES", "NETWORK",
		"GROUPS", "TAGS", "ZERO TRUST ASSESSMENT", "RECENT ALERTS", h.DeviceID, h.LocalIP} {
		if !strings.Contains(view, want) {
			t.Errorf("detail lacks %q", want)
		}
	}
	// Group IDs are shown by name.
	groups, _ := cloud.Client.HostGroups.List(context.Background(), h.CID, "")
	for _, g := range groups {
		if g.ID == h.Groups[0] && !strings.Contains(view, g.Name) {
			t.Errorf("group %s not shown by name", g.Name)
		}
	}
	if len(m.alerts) == 0 {
		t.Error("no recent alerts loaded for a host that has some")
	}
}

func TestKeysAskTheRoot(t *testing.T) {
	m, r, cloud := setup(t, "full", false, true, 100, 20)
	h := hostWithAlerts(t, cloud.Client, cloud.Server.ParentCID())
	r.Run(m.SetHost(h))
	r.Press("enter")
	if got := tuitest.Sent[pane.NavigateMsg](r); len(got) != 1 || got[0].To != pane.HostAlerts || got[0].Target.(falcon.Host).DeviceID != h.DeviceID {
		t.Fatalf("enter sent %+v", got)
	}
	r.Press("x")
	if got := tuitest.Sent[pane.EditMembershipMsg](r); len(got) != 1 || got[0].Action != falcon.RemoveHosts || got[0].Hosts[0].DeviceID != h.DeviceID {
		t.Fatalf("x sent %+v", got)
	}
	r.Press("G")
	if m.offset == 0 {
		t.Fatal("G did not scroll to the bottom")
	}
	r.Press("g")
	if m.offset != 0 {
		t.Fatal("g did not scroll to the top")
	}
}

func TestReadOnlyRefusesEdits(t *testing.T) {
	m, r, cloud := setup(t, "full", true, true, 100, 20)
	h := hostWithAlerts(t, cloud.Client, cloud.Server.ParentCID())
	r.Run(m.SetHost(h))
	r.Press("a")
	if len(tuitest.Sent[pane.EditMembershipMsg](r)) != 0 {
		t.Fatal("edit requested in read-only mode")
	}
	r.Press("a")
	if got := tuitest.Sent[status.Msg](r); len(got) != 1 || got[0].Text != domain.ReadOnlyReason {
		t.Fatalf("status %+v", got)
	}
}

func TestMissingScopesNamedPerSection(t *testing.T) {
	m, r, cloud := setup(t, "hostsonly", false, true, 140, 60, falcontest.WithClient("hostsonly", "devices:read"))
	full := tuitest.Start(t, falcontest.WithTenants(1), falcontest.WithHosts(80), falcontest.WithAlerts(200))
	h := hostWithAlerts(t, full.Client, full.Server.ParentCID())
	_ = cloud
	r.Run(m.SetHost(h))
	view := ansi.Strip(strings.Join(m.lines(), "\n"))
	for _, want := range []string{"needs `zero-trust-assessment:read`", "needs `alerts:read`", "names need `host-group:read`"} {
		if !strings.Contains(view, want) {
			t.Errorf("detail lacks %q:\n%s", want, view)
		}
	}
}

func TestGolden(t *testing.T) {
	for _, sz := range tuitest.Sizes {
		for _, th := range tuitest.Themes {
			t.Run(fmt.Sprintf("%dx%d/%s", sz.W, sz.H, th.Name), func(t *testing.T) {
				m, r, cloud := setup(t, "full", false, th.Dark, sz.W, sz.H)
				h := hostWithAlerts(t, cloud.Client, cloud.Server.ParentCID())
				r.Run(m.SetHost(h))
				out := m.View()
				tuitest.AssertSize(t, out, sz.W, sz.H)
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
}
