package hostgroups

import (
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

const (
	paneW = 120
	paneH = 35
	cidA  = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
)

var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func testGroups() []falcon.HostGroup {
	return []falcon.HostGroup{
		{ID: "g-dyn", CID: cidA, Name: "Linux servers", Type: falcon.GroupDynamic, AssignmentRule: "platform_name:'Linux'+product_type_desc:'Server'", Description: "every Linux server"},
		{ID: "g-quar", CID: cidA, Name: "Quarantine", Type: falcon.GroupStatic, Description: "hosts under investigation"},
		{ID: "g-roll", CID: cidA, Name: "Rollout wave 1", Type: falcon.GroupStaticByID, Description: "sensor 7.20 canary"},
		{ID: "g-win", CID: cidA, Name: "Windows desktops", Type: falcon.GroupDynamic, AssignmentRule: "platform_name:'Windows'"},
	}
}

// makeHosts fabricates n members of cidA, seen a few minutes apart, the third contained.
func makeHosts(n int) []falcon.Host {
	hs := tuitest.FakeHosts(cidA, "web", n)
	for i := range hs {
		hs[i].OSVersion = "Ubuntu 24.04"
		hs[i].LastSeen = testNow.Add(-time.Duration(i*7) * time.Minute)
	}
	if n > 2 {
		hs[2].Containment = "contained"
	}
	return hs
}

// loaded returns the pane for cidA with groups and counts delivered, write access granted.
func loaded(t *testing.T) Model {
	t.Helper()
	m := New(pane.Deps{Styles: tuitest.Styles(), Now: func() time.Time { return testNow }})
	m.SetSize(paneW, paneH)
	m.Focus()
	m.access[cidA] = groupedit.AccessGranted
	m.SetTenant(cidA)
	m, _ = m.Update(groupsLoadedMsg{gen: m.gen, groups: testGroups()})
	for i, g := range testGroups() {
		m, _ = m.Update(countLoadedMsg{gen: m.gen, groupID: g.ID, n: []int{412, 17, 0, 1203}[i]})
	}
	return m
}

// withMembers opens Quarantine and delivers n members.
func withMembers(t *testing.T, n int) Model {
	t.Helper()
	m := loaded(t)
	m, _ = m.Update(tuitest.Key("down")) // Quarantine
	m, _ = m.Update(tuitest.Key("enter"))
	if m.view != viewMembers {
		t.Fatal("enter did not open the members")
	}
	m, _ = m.Update(membersBatchMsg{gen: m.members.gen, hosts: makeHosts(n), done: true})
	return m
}

// requireGolden compares the pane's view with the golden file.
func requireGolden(t *testing.T, m Model) {
	t.Helper()
	tuitest.RequireGolden(t, m.View(), paneW, paneH)
}
