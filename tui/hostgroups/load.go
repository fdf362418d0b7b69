package hostgroups

import (
	"context"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// countWorkers bounds the member-count calls in flight: enough to fill a screen of counts in
// one or two round trips without spending a tenant's rate limit in a burst.
const countWorkers = 8

type groupsLoadedMsg struct {
	gen    int
	groups []falcon.HostGroup
	err    error
}

type countLoadedMsg struct {
	gen     int
	groupID string
	n       int
	err     error
	ch      <-chan tea.Msg
}

// countsDoneMsg ends a count stream.
type countsDoneMsg struct{ gen int }

type membersBatchMsg struct {
	gen   int
	hosts []falcon.Host
	err   error
	done  bool
	ch    <-chan tea.Msg
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
	return func() tea.Msg {
		ch := make(chan tea.Msg, len(ids)+1)
		var out <-chan tea.Msg = ch
		jobs := make(chan string)
		var wg sync.WaitGroup
		for range min(countWorkers, len(ids)) {
			wg.Go(func() {
				for id := range jobs {
					n, err := client.HostGroups.MemberCount(ctx, cid, id)
					ch <- countLoadedMsg{gen: gen, groupID: id, n: n, err: err, ch: out}
				}
			})
		}
		go func() {
			for _, id := range ids {
				jobs <- id
			}
			close(jobs)
			wg.Wait()
			ch <- countsDoneMsg{gen: gen}
		}()
		return <-out
	}
}

// waitCounts reads the next count.
func waitCounts(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg { return <-ch }
}

// loadMembers streams a group's members in the batches the client yields. The stream stops
// when ctx is cancelled (the user left the member list).
func loadMembers(client *falcon.Client, ctx context.Context, gen int, cid, groupID string) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan tea.Msg, 2)
		var out <-chan tea.Msg = ch
		go func() {
			send := func(m membersBatchMsg) bool {
				m.gen, m.ch = gen, out
				select {
				case ch <- m:
					return true
				case <-ctx.Done():
					return false
				}
			}
			for hosts, err := range client.HostGroups.Members(ctx, cid, groupID, falcon.HostQuery{Sort: "hostname.asc"}) {
				if err != nil {
					send(membersBatchMsg{err: err, done: true})
					return
				}
				if !send(membersBatchMsg{hosts: hosts}) {
					return
				}
			}
			send(membersBatchMsg{done: true})
		}()
		select {
		case msg := <-out:
			return msg
		case <-ctx.Done():
			return nil
		}
	}
}

// waitMembers reads the next batch; nil once the stream was abandoned.
func waitMembers(ctx context.Context, ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		select {
		case msg := <-ch:
			return msg
		case <-ctx.Done():
			return nil
		}
	}
}
