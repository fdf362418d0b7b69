package hostgroups

import (
	"testing"

	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
)

// A member list reloaded (r, or an edit of the group) replaces its rows on the reload's first
// batch, never adds to them — also when a reload supersedes another that had delivered part
// of the list (the hosts pane once doubled its rows that way: issue 11 item 1).
func TestMemberReloadsReplaceTheRows(t *testing.T) {
	m := withMembers(t, 20)
	hs := makeHosts(20)
	m, _ = m.Update(tuitest.Key("r"))
	first := m.members.gen
	m, _ = m.Update(membersBatchMsg{gen: first, hosts: hs[:10]})
	if len(m.members.hosts) != 10 {
		t.Fatalf("first batch of the reload: %d rows, want 10 (replaced)", len(m.members.hosts))
	}
	m, _ = m.Update(tuitest.Key("r")) // reload again before the first one ended
	m, _ = m.Update(membersBatchMsg{gen: first, hosts: hs[10:], done: true})
	m, _ = m.Update(membersBatchMsg{gen: m.members.gen, hosts: hs[:15]})
	m, _ = m.Update(membersBatchMsg{gen: m.members.gen, hosts: hs[15:], done: true})
	seen := map[string]bool{}
	for _, h := range m.members.hosts {
		if seen[h.DeviceID] {
			t.Fatalf("member %s twice", h.DeviceID)
		}
		seen[h.DeviceID] = true
	}
	if len(m.members.hosts) != 20 || len(m.members.visible) != 20 || m.members.loading {
		t.Fatalf("after two reloads: %d rows (%d shown, loading %v), want 20", len(m.members.hosts), len(m.members.visible), m.members.loading)
	}
}

// A group list reloaded replaces the groups.
func TestGroupReloadReplacesTheGroups(t *testing.T) {
	m := loaded(t)
	for range 2 {
		m, _ = m.Update(tuitest.Key("r"))
		m, _ = m.Update(groupsLoadedMsg{gen: m.gen, groups: testGroups()})
	}
	if len(m.groups) != len(testGroups()) || len(m.visible) != len(testGroups()) {
		t.Fatalf("after two reloads: %d groups, %d shown", len(m.groups), len(m.visible))
	}
}
