package hostdetail

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// The pane sends pane.NavigateMsg (a: the host's alerts) and pane.EditMembershipMsg up to
// the root.

type hostFetchedMsg struct {
	gen  int
	host falcon.Host
	ok   bool
	err  error
}

type groupsFetchedMsg struct {
	client *falcon.Client // whose names they are: a pane rebuilt for another profile drops them
	cid    string
	groups []falcon.HostGroup
	err    error
}

type ztaFetchedMsg struct {
	gen int
	zta falcon.ZTAAssessment
	ok  bool
	err error
}

type alertsFetchedMsg struct {
	gen    int
	alerts []falcon.Alert
	err    error
}

func fetchHost(ctx context.Context, c *falcon.Client, cid, id string, gen int) tea.Cmd {
	return func() tea.Msg {
		hs, err := c.Hosts.Get(ctx, cid, []string{id})
		if err != nil || len(hs) == 0 {
			return hostFetchedMsg{gen: gen, err: err}
		}
		return hostFetchedMsg{gen: gen, host: hs[0], ok: true}
	}
}

// fetchGroups is cached per tenant by the model, so it carries the tenant, not a generation.
func fetchGroups(ctx context.Context, c *falcon.Client, cid string) tea.Cmd {
	return func() tea.Msg {
		gs, err := c.HostGroups.List(ctx, cid, "")
		return groupsFetchedMsg{client: c, cid: cid, groups: gs, err: err}
	}
}

func fetchZTA(ctx context.Context, c *falcon.Client, cid, id string, gen int) tea.Cmd {
	return func() tea.Msg {
		zs, err := c.ZTA.Get(ctx, cid, id)
		if err != nil || len(zs) == 0 {
			return ztaFetchedMsg{gen: gen, err: err}
		}
		return ztaFetchedMsg{gen: gen, zta: zs[0], ok: true}
	}
}

func fetchAlerts(ctx context.Context, c *falcon.Client, cid, id string, gen int) tea.Cmd {
	return func() tea.Msg {
		as, err := c.Alerts.ForHost(ctx, cid, id, recentAlerts)
		return alertsFetchedMsg{gen: gen, alerts: as, err: err}
	}
}
