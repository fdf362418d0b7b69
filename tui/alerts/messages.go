package alerts

import (
	"context"
	"iter"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
)

// The pane sends pane.NavigateMsg (enter on an alert) up to the root.

// alertsPageMsg is one page of a load (or its end, or its error); next reads the page after
// it. The first page of a load replaces the rows shown, the others add to them.
type alertsPageMsg struct {
	gen  int
	page falcon.AlertPage
	err  error
	done bool
	next stream.Item[falcon.AlertPage]
}

// streamAlerts loads every alert of a tenant, or of a host when deviceID is set (the client
// quotes it into the query's FQL), newest first, page after page.
func streamAlerts(ctx context.Context, c *falcon.Client, cid, deviceID, filter string, gen int) tea.Cmd {
	return stream.Pull(func() iter.Seq2[falcon.AlertPage, error] {
		return c.Alerts.Stream(ctx, cid, falcon.AlertQuery{DeviceID: deviceID, Filter: filter})
	}, func(it stream.Item[falcon.AlertPage]) tea.Msg {
		return alertsPageMsg{gen: gen, page: it.Value, err: it.Err, done: it.Done, next: it}
	})
}
