package tenants

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// The pane sends pane.SwitchTenantMsg (enter on a row) and pane.TenantsListedMsg (the list
// loaded) up to the root.

type tenantsLoadedMsg struct {
	gen     int
	tenants []falcon.Tenant
	err     error
}

type summaryLoadedMsg struct {
	gen int
	sum falcon.TenantSummary
	cid string
	err error
}

func listTenants(ctx context.Context, client *falcon.Client, gen int) tea.Cmd {
	return func() tea.Msg {
		ts, err := client.Tenants.List(ctx)
		return tenantsLoadedMsg{gen: gen, tenants: ts, err: err}
	}
}

// summarize counts one tenant. sem bounds how many tenants are counted at once, so that a
// parent with 200 children does not open 200 connections (each summary is several calls).
func summarize(ctx context.Context, client *falcon.Client, cid string, gen int, sem chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return summaryLoadedMsg{gen: gen, cid: cid, err: ctx.Err()}
		}
		defer func() { <-sem }()
		s, err := client.Tenants.Summary(backgroundPriority(ctx), cid)
		return summaryLoadedMsg{gen: gen, cid: cid, sum: s, err: err}
	}
}

// backgroundPriority marks the health counts' calls as background work: with a thousand
// tenants, the client's token pacing serves the tenants the hosts view is loading first and
// these counts after (docs/API.md §3).
func backgroundPriority(ctx context.Context) context.Context {
	return falcon.WithPriority(ctx, falcon.Background)
}
