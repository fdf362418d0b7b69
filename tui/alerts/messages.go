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

// listAlerts loads a tenant's newest alerts, or a host's when deviceID is set (the client
// quotes it into the query's FQL).
func listAlerts(ctx context.Context, c *falcon.Client, cid, deviceID, filter string, limit, gen int) tea.Cmd {
	return func() tea.Msg {
		as, err := c.Alerts.List(ctx, cid, falcon.AlertQuery{DeviceID: deviceID, Filter: filter, Limit: limit})
		return alertsLoadedMsg{gen: gen, alerts: as, err: err}
	}
}

func countAlerts(ctx context.Context, c *falcon.Client, cid, deviceID, filter string, gen int) tea.Cmd {
	return func() tea.Msg {
		n, err := c.Alerts.Total(ctx, cid, falcon.AlertQuery{DeviceID: deviceID, Filter: filter})
		return alertsCountedMsg{gen: gen, total: n, err: err}
	}
}
