package hostgroups

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

const (
	paneW = 120
	paneH = 35
	cidA  = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
)

var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func styles() *theme.Styles { return theme.New(true, theme.WithNoColor(false)) }

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
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

func typeText(m Model, s string) Model {
	for _, r := range s {
		m, _ = m.Update(press(string(r)))
	}
	return m
}

func testGroups() []falcon.HostGroup {
	return []falcon.HostGroup{
		{ID: "g-dyn", CID: cidA, Name: "Linux servers", Type: falcon.GroupDynamic, AssignmentRule: "platform_name:'Linux'+product_type_desc:'Server'", Description: "every Linux server"},
		{ID: "g-quar", CID: cidA, Name: "Quarantine", Type: falcon.GroupStatic, Description: "hosts under investigation"},
		{ID: "g-roll", CID: cidA, Name: "Rollout wave 1", Type: falcon.GroupStaticByID, Description: "sensor 7.20 canary"},
		{ID: "g-win", CID: cidA, Name: "Windows desktops", Type: falcon.GroupDynamic, AssignmentRule: "platform_name:'Windows'"},
	}
}

func makeHosts(n int) []falcon.Host {
	hs := make([]falcon.Host, n)
	for i := range hs {
		hs[i] = falcon.Host{
			DeviceID:  fmt.Sprintf("%s%08x", cidA[:24], i+1),
			CID:       cidA,
			Hostname:  fmt.Sprintf("web-%03d", i+1),
			Platform:  "Linux",
			OSVersion: "Ubuntu 24.04",
			LastSeen:  testNow.Add(-time.Duration(i*7) * time.Minute),
		}
	}
	if n > 2 {
		hs[2].Containment = "contained"
	}
	return hs
}

// loaded returns the pane for cidA with groups and counts delivered, write access granted.
func loaded(t *testing.T) Model {
	t.Helper()
	m := New(pane.Deps{Styles: styles(), Now: func() time.Time { return testNow }})
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
	m, _ = m.Update(press("down")) // Quarantine
	m, _ = m.Update(press("enter"))
	if m.view != viewMembers {
		t.Fatal("enter did not open the members")
	}
	m, _ = m.Update(membersBatchMsg{gen: m.members.gen, hosts: makeHosts(n), done: true})
	return m
}

func requireGolden(t *testing.T, m Model) {
	t.Helper()
	out := m.View()
	plain := ansi.Strip(out)
	lines := strings.Split(plain, "\n")
	if len(lines) != paneH {
		t.Fatalf("view has %d lines, want %d", len(lines), paneH)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != paneW {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, w, paneW, l)
		}
	}
	golden.RequireEqual(t, plain)
}

func statusOf(t *testing.T, cmd tea.Cmd) status.Msg {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command, want a status message")
	}
	msg, ok := cmd().(status.Msg)
	if !ok {
		t.Fatalf("command gave %T, want status.Msg", msg)
	}
	return msg
}
