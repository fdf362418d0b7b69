package hosts

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// Messages the pane sends up to the root.

// OpenHostMsg asks the root to show a host's detail.
type OpenHostMsg struct{ Host falcon.Host }

// EditMembershipMsg asks the root to open the group-edit overlay for these hosts: the marked
// ones, or the one under the cursor when none is marked.
type EditMembershipMsg struct {
	Action falcon.MembershipAction
	Hosts  []falcon.Host
}

// UndoMsg asks the root to undo the last group edit.
type UndoMsg struct{}

// Results of the pane's own commands. Each carries the generation of the load that asked for
// it; a result from an older load (the tenant or the FQL filter changed since) is dropped.

// hostsLoadedMsg is one batch of a streaming load. The stream travels with the message so
// the next read can be issued without the model keeping a handle the command could race on.
type hostsLoadedMsg struct {
	gen   int
	batch []falcon.Host
	done  bool
	err   error
	s     *stream
}

// hostsCountedMsg is the server's total for one tenant of a load, for the progress bar.
type hostsCountedMsg struct {
	gen   int
	cid   string
	total int
	err   error
}

// stream is a running load: a pull iterator over the client's batches.
type stream struct {
	next func() ([]falcon.Host, error, bool)
	stop func()
}

// startLoad returns the command that opens the stream and reads its first batch.
func startLoad(ctx context.Context, client *falcon.Client, cids []string, q falcon.HostQuery, gen int) tea.Cmd {
	return func() tea.Msg {
		var seq func(func([]falcon.Host, error) bool)
		if len(cids) == 1 {
			seq = client.Hosts.Stream(ctx, cids[0], q)
		} else {
			seq = client.Hosts.StreamTenants(ctx, cids, q)
		}
		s := &stream{}
		s.next, s.stop = pull2(seq)
		return readBatch(s, gen)
	}
}

// nextBatch returns the command that reads the stream's next batch.
func nextBatch(s *stream, gen int) tea.Cmd {
	return func() tea.Msg { return readBatch(s, gen) }
}

// stopStream releases a stream whose load was superseded. Its context is already cancelled,
// so this returns quickly; it runs as a command all the same to keep Update free of waits.
func stopStream(s *stream) tea.Cmd {
	if s == nil {
		return nil
	}
	return func() tea.Msg { s.stop(); return nil }
}

func readBatch(s *stream, gen int) tea.Msg {
	batch, err, ok := s.next()
	switch {
	case !ok:
		s.stop()
		return hostsLoadedMsg{gen: gen, done: true}
	case err != nil:
		s.stop()
		return hostsLoadedMsg{gen: gen, done: true, err: err}
	}
	return hostsLoadedMsg{gen: gen, batch: batch, s: s}
}

// countHosts returns the command that counts a tenant's hosts matching filter.
func countHosts(ctx context.Context, client *falcon.Client, cid, filter string, gen int) tea.Cmd {
	return func() tea.Msg {
		n, err := client.Hosts.Count(ctx, cid, filter)
		return hostsCountedMsg{gen: gen, cid: cid, total: n, err: err}
	}
}
