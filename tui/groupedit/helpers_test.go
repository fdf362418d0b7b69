package groupedit

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

const (
	screenW = 120
	screenH = 35
	cidA    = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	cidB    = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

func styles() *theme.Styles { return theme.New(true, theme.WithNoColor(false)) }

// press builds the key message a terminal sends for s ("enter", "esc", "ctrl+a", "x").
func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// typeText sends one key per rune.
func typeText(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m, _ = m.Update(press(string(r)))
	}
	return m
}

// makeHosts fabricates n hosts of tenant cid named prefix-NNN.
func makeHosts(cid, prefix string, n int) []falcon.Host {
	hs := make([]falcon.Host, n)
	for i := range hs {
		hs[i] = falcon.Host{
			DeviceID: fmt.Sprintf("%s%08x", cid[:24], i+1),
			CID:      cid,
			Hostname: fmt.Sprintf("%s-%03d", prefix, i+1),
			Platform: "Linux",
			LastSeen: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC),
		}
	}
	return hs
}

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
	m := New(nil, styles(), Options{TenantName: func(cid string) string {
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

// requireGolden compares the screen without colours (readable diffs) and checks its size.
func requireGolden(t *testing.T, m Model) {
	t.Helper()
	out := screen(m)
	plain := ansi.Strip(out)
	lines := strings.Split(plain, "\n")
	if len(lines) != screenH {
		t.Fatalf("screen has %d lines, want %d", len(lines), screenH)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != screenW {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, w, screenW, l)
		}
	}
	golden.RequireEqual(t, plain)
}

// statusOf runs a command known to be a plain status message and returns it.
func statusOf(t *testing.T, cmd tea.Cmd) status.Msg {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command, want a status message")
	}
	msg, ok := cmd().(status.Msg)
	if !ok {
		t.Fatalf("command gave %T, want status.Msg", cmd())
	}
	return msg
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
