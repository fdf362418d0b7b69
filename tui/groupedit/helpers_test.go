package groupedit

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
)

const (
	screenW = 120
	screenH = 35
	cidA    = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	cidB    = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

func testGroups(cid string) []falcon.HostGroup {
	return []falcon.HostGroup{
		{ID: "g-dyn", CID: cid, Name: "Linux servers", Type: falcon.GroupDynamic, AssignmentRule: "platform_name:'Linux'"},
		{ID: "g-quar", CID: cid, Name: "Quarantine", Type: falcon.GroupStatic, Description: "hosts under investigation"},
		{ID: "g-roll", CID: cid, Name: "Rollout wave 1", Type: falcon.GroupStaticByID, Description: "sensor 7.20 canary"},
		{ID: "g-win", CID: cid, Name: "Windows desktops", Type: falcon.GroupDynamic, AssignmentRule: "platform_name:'Windows'+product_type_desc:'Workstation'"},
	}
}

// ready returns an overlay sized to the screen, with host-group:write known for the tenants.
func ready(cids ...string) Model {
	m := New(nil, tuitest.Styles(), Options{TenantName: func(cid string) string {
		switch cid {
		case cidA:
			return "Acme Corp"
		case cidB:
			return "Beta Ltd"
		}
		return ""
	}})
	m.SetSize(screenW, screenH)
	for _, c := range cids {
		m.access[c] = AccessGranted
	}
	return m
}

// toPicker starts a flow and feeds the group list as if loaded.
func toPicker(t *testing.T, m Model, action falcon.MembershipAction, hosts []falcon.Host, groups []falcon.HostGroup) Model {
	t.Helper()
	m.Start(action, hosts, nil)
	if m.step != stepLoad {
		t.Fatalf("after Start: step %d, want load", m.step)
	}
	m, _ = m.Update(groupsLoadedMsg{gen: m.gen, groups: groups, errs: map[string]error{}})
	if m.step != stepPick {
		t.Fatalf("after groups: step %d, want pick", m.step)
	}
	return m
}

// screen composites the overlay over an empty screen, as the root does.
func screen(m Model) string {
	bg := strings.TrimSuffix(strings.Repeat(strings.Repeat(".", screenW)+"\n", screenH), "\n")
	l := m.Layer()
	if l == nil {
		return bg
	}
	return lipgloss.NewCompositor(lipgloss.NewLayer(bg), l).Render()
}

// requireGolden compares the screen with the overlay on it with the golden file.
func requireGolden(t *testing.T, m Model) {
	t.Helper()
	tuitest.RequireGolden(t, screen(m), screenW, screenH)
}

// outcomes fabricates a result: the first changed hosts changed, the next unchanged, the rest failed.
func outcomes(action falcon.MembershipAction, gid string, hosts []falcon.Host, changed, unchanged int, reason error) falcon.MembershipResult {
	res := falcon.MembershipResult{GroupID: gid, Action: action}
	for i, h := range hosts {
		o := falcon.HostOutcome{DeviceID: h.DeviceID}
		switch {
		case i < changed:
			o.Outcome = falcon.OutcomeChanged
		case i < changed+unchanged:
			o.Outcome = falcon.OutcomeUnchanged
		default:
			o.Outcome, o.Err = falcon.OutcomeFailed, reason
		}
		res.Hosts = append(res.Hosts, o)
	}
	return res
}
