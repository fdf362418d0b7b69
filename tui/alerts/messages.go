package alerts

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// The pane sends pane.NavigateMsg (enter on an alert) up to the root.

type alertsLoadedMsg struct {
	gen    int
	alerts []falcon.Alert
	err    error
}

type alertsCountedMsg struct {
	gen   int
	total int
	err   error
}

// listAlerts loads a tenant's newest alerts, or a host's when deviceID is set.
func listAlerts(ctx context.Context, c *falcon.Client, cid, deviceID, filter string, limit, gen int) tea.Cmd {
	return func() tea.Msg {
		var as []falcon.Alert
		var err error
		if deviceID != "" && filter == "" {
			as, err = c.Alerts.ForHost(ctx, cid, deviceID, limit)
		} else {
			as, err = c.Alerts.List(ctx, cid, falcon.AlertQuery{Filter: scoped(deviceID, filter), Limit: limit})
		}
		return alertsLoadedMsg{gen: gen, alerts: as, err: err}
	}
}

func countAlerts(ctx context.Context, c *falcon.Client, cid, deviceID, filter string, gen int) tea.Cmd {
	return func() tea.Msg {
		n, err := c.Alerts.Count(ctx, cid, scoped(deviceID, filter))
		return alertsCountedMsg{gen: gen, total: n, err: err}
	}
}

// scoped adds the host restriction to an FQL filter.
func scoped(deviceID, filter string) string {
	if deviceID == "" {
		return filter
	}
	f := "device.device_id:'" + deviceID + "'"
	if filter != "" {
		f += "+(" + filter + ")"
	}
	return f
}
