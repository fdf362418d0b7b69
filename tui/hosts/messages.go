package hosts

import (
	"context"
	"iter"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
)

// The pane sends pane.NavigateMsg (enter on a host), pane.EditMembershipMsg (a, x) and
// pane.UndoMsg (u) up to the root.

// Results of the pane's own commands. Each carries the generation of the load that asked for
// it; a result from an older load (the tenant or the FQL filter changed since) is dropped.

// hostsLoadedMsg is one batch of a streaming load (or its end); the item carries the stream
// on to the next read.
type hostsLoadedMsg struct {
	gen  int
	item stream.Item[[]falcon.Host]
}

// hostsCountedMsg is the server's total for one tenant of a load, for the progress bar.
type hostsCountedMsg struct {
	gen   int
	cid   string
	total int
	err   error
}

// startLoad returns the command that opens the client's host stream and reads its first
// batch.
func startLoad(ctx context.Context, client *falcon.Client, cids []string, q falcon.HostQuery, gen int) tea.Cmd {
	return stream.Pull(func() iter.Seq2[[]falcon.Host, error] {
		if len(cids) == 1 {
			return client.Hosts.Stream(ctx, cids[0], q)
		}
		return client.Hosts.StreamTenants(ctx, cids, q)
	}, func(it stream.Item[[]falcon.Host]) tea.Msg { return hostsLoadedMsg{gen: gen, item: it} })
}

// countHosts returns the command that counts a tenant's hosts matching filter.
func countHosts(ctx context.Context, client *falcon.Client, cid, filter string, gen int) tea.Cmd {
	return func() tea.Msg {
		n, err := client.Hosts.Count(ctx, cid, filter)
		return hostsCountedMsg{gen: gen, cid: cid, total: n, err: err}
	}
}
