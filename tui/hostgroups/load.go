package hostgroups

import (
	"context"
	"iter"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
)

// countWorkers bounds the member-count calls in flight: enough to fill a screen of counts in
// one or two round trips without spending a tenant's rate limit in a burst.
const countWorkers = 8

type groupsLoadedMsg struct {
	gen    int
	groups []falcon.HostGroup
	err    error
}

// countLoadedMsg is one group's member count; next reads the count after it.
type countLoadedMsg struct {
	gen     int
	groupID string
	n       int
	err     error
	next    stream.Item[counted]
}

// counted is one answer of the count workers.
type counted struct {
	groupID string
	n       int
	err     error
}

// membersBatchMsg is one batch of a group's members (or the end of the list); next reads
// the batch after it.
type membersBatchMsg struct {
	gen   int
	hosts []falcon.Host
	err   error
	done  bool
	next  stream.Item[[]falcon.Host]
}

func listGroups(ctx context.Context, client *falcon.Client, gen int, cid string) tea.Cmd {
	return func() tea.Msg {
		gs, err := client.HostGroups.List(ctx, cid, "")
		for i := range gs {
			if gs[i].CID == "" {
				gs[i].CID = cid
			}
		}
		return groupsLoadedMsg{gen: gen, groups: gs, err: err}
	}
}

// loadCounts counts the members of every group with a few workers and streams the answers
// back one message each, so the column fills in as they land.
func loadCounts(ctx context.Context, client *falcon.Client, gen int, cid string, ids []string) tea.Cmd {
	if len(ids) == 0 {
		return nil
	}
	return stream.Go(func(send func(counted)) {
		jobs := make(chan string)
		var wg sync.WaitGroup
		for range min(countWorkers, len(ids)) {
			wg.Go(func() {
				for id := range jobs {
					n, err := client.HostGroups.MemberCount(ctx, cid, id)
					send(counted{groupID: id, n: n, err: err})
				}
			})
		}
		for _, id := range ids {
			jobs <- id
		}
		close(jobs)
		wg.Wait()
	}, func(it stream.Item[counted]) tea.Msg {
		if it.Done {
			return nil // every count is in
		}
		c := it.Value
		return countLoadedMsg{gen: gen, groupID: c.groupID, n: c.n, err: c.err, next: it}
	})
}

// loadMembers streams a group's members in the batches the client yields. The stream stops
// when ctx is cancelled (the user left the member list).
func loadMembers(client *falcon.Client, ctx context.Context, gen int, cid, groupID string) tea.Cmd {
	return stream.Pull(func() iter.Seq2[[]falcon.Host, error] {
		return client.HostGroups.Members(ctx, cid, groupID, falcon.HostQuery{Sort: "hostname.asc"})
	}, func(it stream.Item[[]falcon.Host]) tea.Msg {
		return membersBatchMsg{gen: gen, hosts: it.Value, err: it.Err, done: it.Done, next: it}
	})
}
