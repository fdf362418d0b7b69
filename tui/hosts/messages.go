package hosts

import (
	"context"
	"iter"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/hostrows"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
)

// The pane sends pane.NavigateMsg (enter on a host), pane.EditMembershipMsg (a, x) and
// pane.UndoMsg (u) up to the root.

// Results of the pane's own commands. Each carries the generation of the load that asked for
// it; a result from an older load (the tenant or the FQL filter changed since) is dropped.

// hostsLoadedMsg is one batch of a streaming load (or its end); the item carries the stream
// on to the next read. batch is the item's hosts prepared for the list, off the UI
// goroutine (none when the message was built by hand: Update prepares them then).
type hostsLoadedMsg struct {
	gen  int
	item stream.Item[[]falcon.Host]
	// batches are the item's hosts prepared in slices of at most appendChunk rows: Update
	// appends one and hands itself the rest as the next message, so that appending a
	// 10,000-host page never holds the UI goroutine for the whole page (the 16 ms budget
	// at a million rows, README "Benchmarks").
	batches []*hostrows.Batch
}

// appendChunk is the most rows one Update appends.
const appendChunk = 5000

// prepare prepares hosts for the list in slices of at most appendChunk rows.
func prepare(in *hostrows.Ingest, hosts []falcon.Host) []*hostrows.Batch {
	var out []*hostrows.Batch
	for part := range slices.Chunk(hosts, appendChunk) {
		out = append(out, in.Prepare(part))
	}
	return out
}

// rowsJobMsg is a sort, filter or compaction of the list computed off the UI goroutine.
// The table installs it only if it is still the latest of its kind (its own generations);
// rows says which table asked, so that a pane rebuilt since drops it.
type rowsJobMsg struct {
	rows *hostrows.Table
	res  *hostrows.Result
}

// hostsCountedMsg is the server's total for one tenant of a load, for the progress bar.
type hostsCountedMsg struct {
	gen   int
	cid   string
	total int
	err   error
}

// startLoad returns the command that opens the client's host stream and reads its first
// batch. Each batch is prepared for the list (in) by the command that read it: the costly
// half of appending, kept off the UI goroutine.
func startLoad(ctx context.Context, client *falcon.Client, cids []string, q falcon.HostQuery, gen int, in *hostrows.Ingest) tea.Cmd {
	return stream.Pull(func() iter.Seq2[[]falcon.Host, error] {
		if len(cids) == 1 {
			return client.Hosts.Stream(ctx, cids[0], q)
		}
		return client.Hosts.StreamTenants(ctx, cids, q)
	}, func(it stream.Item[[]falcon.Host]) tea.Msg {
		msg := hostsLoadedMsg{gen: gen, item: it}
		if len(it.Value) > 0 && ctx.Err() == nil {
			msg.batches = prepare(in, it.Value)
		}
		return msg
	})
}

// runJob returns the command that computes a job of the list.
func runJob(ctx context.Context, rows *hostrows.Table, job *hostrows.Job) tea.Cmd {
	return func() tea.Msg { return rowsJobMsg{rows: rows, res: job.Run(ctx)} }
}

// countHosts returns the command that counts a tenant's hosts matching filter.
func countHosts(ctx context.Context, client *falcon.Client, cid, filter string, gen int) tea.Cmd {
	return func() tea.Msg {
		n, err := client.Hosts.Count(ctx, cid, filter)
		return hostsCountedMsg{gen: gen, cid: cid, total: n, err: err}
	}
}
