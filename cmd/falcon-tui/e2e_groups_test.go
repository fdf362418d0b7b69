package main

import (
	"regexp"
	"testing"
)

// TestGroupEditEndToEnd runs `falcon-tui --demo` in tmux through a membership edit: mark two
// hosts, add them to a static group picked from the overlay, see them among the group's
// members, undo, and see them gone. The tmux harness (startExplorer, tmuxSession) is in
// e2e_tmux_test.go.
func TestGroupEditEndToEnd(t *testing.T) {
	s := startExplorer(t, "e2e-groups", "--demo")

	// The first two hosts of the list.
	scr := s.waitFor("start", "Hosts(", "HOSTNAME", "hosts in")
	rows := regexp.MustCompile(`(?m)^│\s+(\S+)\s+(?:Windows|Linux|Mac)\s`).FindAllStringSubmatch(scr, 2)
	if len(rows) < 2 {
		t.Fatalf("fewer than two host rows on screen:\n%s", scr)
	}
	host1, host2 := rows[0][1], rows[1][1]

	// Mark them and ask to add them to a group: the picker lists the tenant's groups.
	s.keys("Space", "Space")
	s.waitFor("marks", "● 2 marked")
	s.keys("a")
	scr = s.waitFor("picker", "Add 2 hosts to a group", "dynamic", "its rule decides")
	static := regexp.MustCompile(`│ [› ] (\S(?:.*?\S)?)\s{2,}static\s`).FindStringSubmatch(scr)
	if static == nil {
		t.Fatalf("no static group in the picker:\n%s", scr)
	}
	group := static[1]

	// Filter down to the group, choose it, confirm.
	s.keys("/")
	s.text(group)
	s.keys("Enter")
	s.waitFor("picker filtered", "/ "+group)
	s.keys("Enter")
	s.waitFor("confirmation", "Add 2 hosts to “"+group+"”?", host1, host2, "enter/y send")
	s.keys("Enter")
	s.waitFor("report", "Added to “"+group+"”", "✓ 2 added", host1, host2, "u undo")
	s.keys("Enter")
	s.waitGone("report closed", "Added to “"+group+"”")

	// The group's members, on screen, include both hosts.
	s.keys(":")
	s.text("groups")
	s.keys("Enter")
	s.waitFor("groups", "Host groups(", "MEMBERS", group)
	s.keys("/")
	s.text(group)
	s.keys("Enter")
	s.waitFor("group filtered", "/"+group)
	s.keys("Enter")
	s.waitFor("members", group+" (static)", "HOSTNAME", "members")
	for _, h := range []string{host1, host2} {
		s.memberFilter(h)
		s.waitFor("member "+h, h, "1 of ")
		s.clearFilter()
	}

	// Undo (the global u): a write, confirmed first; then the overlay reports the two hosts
	// removed and the list reloads.
	s.keys("u")
	s.waitFor("undo confirmation", "Undo: remove 2 hosts from “"+group+"”?", "This reverts the last group edit", "enter/y send")
	s.keys("Enter")
	s.waitFor("undo", "Undo: removed from “"+group+"”", "✓ 2 removed", host1, host2)
	s.keys("Enter")
	s.waitGone("undo report closed", "Undo: removed from")
	for _, h := range []string{host1, host2} {
		s.memberFilter(h)
		s.waitFor("member "+h+" gone", "no member matches the filter", "0 of ")
		s.clearFilter()
	}

	// Quit cleanly.
	s.quit()
}

// memberFilter narrows the member list to one host name.
func (s *tmuxSession) memberFilter(name string) {
	s.t.Helper()
	s.keys("/")
	s.waitFor("member filter open", "/ filter by hostname")
	s.text(name)
	s.keys("Enter")
}

// clearFilter drops the member filter and waits until the full list is back, so that the next
// key does not follow Escape closely enough to read as alt+key.
func (s *tmuxSession) clearFilter() {
	s.t.Helper()
	s.keys("/")
	s.keys("Escape")
	s.waitGone("filter cleared", "1 of ")
	s.waitGone("filter cleared", "0 of ")
}
