package hostgroups

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"

	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
)

// Esc on the group list clears its kept filter, as in Hosts, Tenants and Alerts
// (docs/KEYS.md, "Lists"); the kept filter is shown once, not as a line and a prompt.
func TestEscClearsTheGroupFilter(t *testing.T) {
	m := loaded(t)
	m, _ = m.Update(tuitest.Key("/"))
	m = tuitest.Typed(m, "quar")
	m, _ = m.Update(tuitest.Key("enter"))
	if len(m.visible) != 1 {
		t.Fatalf("filter shows %d groups, want 1", len(m.visible))
	}
	screen := ansi.Strip(m.View())
	if n := strings.Count(screen, "quar"); n != 1 {
		t.Fatalf("the kept filter shows %d times (want one /quar line):\n%s", n, screen)
	}
	m, _ = m.Update(tuitest.Key("esc"))
	if m.filter.Value() != "" || len(m.visible) != len(m.groups) {
		t.Fatalf("esc left filter %q, %d of %d shown", m.filter.Value(), len(m.visible), len(m.groups))
	}
	if title := m.Title(); strings.Contains(title, "/") {
		t.Fatalf("title after esc: %q", title)
	}
	if screen := ansi.Strip(m.View()); strings.Contains(screen, "quar") {
		t.Fatalf("filter line left after esc:\n%s", screen)
	}
}

// The group filter is about one tenant's groups: a tenant switch drops it.
func TestTenantSwitchDropsTheGroupFilter(t *testing.T) {
	m := loaded(t)
	m, _ = m.Update(tuitest.Key("/"))
	m = tuitest.Typed(m, "quar")
	m, _ = m.Update(tuitest.Key("enter"))
	m.SetTenant("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
	m, _ = m.Update(groupsLoadedMsg{gen: m.gen, groups: testGroups()})
	if m.filter.Value() != "" || m.filter.Open() || len(m.visible) != len(m.groups) {
		t.Fatalf("after :ctx: filter %q (open %v), %d of %d shown", m.filter.Value(), m.filter.Open(), len(m.visible), len(m.groups))
	}
}

// The members' kept filter is shown once too.
func TestMembersFilterShownOnce(t *testing.T) {
	m := withMembers(t, 20)
	m, _ = m.Update(tuitest.Key("/"))
	m = tuitest.Typed(m, "web-01")
	m, _ = m.Update(tuitest.Key("enter"))
	screen := ansi.Strip(m.View())
	if n := strings.Count(screen, "/web-01"); n != 1 || strings.Contains(screen, "/ web-01") {
		t.Fatalf("the members' kept filter is not shown exactly once:\n%s", screen)
	}
}

// A rejected rule's long explanation is wrapped in the form, not cut at the pane's width.
func TestFormErrorWrapped(t *testing.T) {
	m := loaded(t)
	m.SetSize(80, 30)
	m, _ = m.Update(tuitest.Key("e")) // Linux servers, dynamic
	if m.form.kind != formRule {
		t.Fatalf("form %v, want the rule form", m.form.kind)
	}
	m, _ = m.Update(tuitest.Key("x"))
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(groupSavedMsg{gen: m.gen, kind: formRule, err: falcon.ErrInvalidRule})
	out := m.View()
	tuitest.AssertSize(t, out, 80, 30)
	joined := strings.Join(strings.Fields(ansi.Strip(out)), " ")
	if !strings.Contains(joined, "check quotes, field names and operators") {
		t.Fatalf("the rule error is cut:\n%s", ansi.Strip(out))
	}
}

// Keys other lists have and Groups has not say why instead of doing nothing (issue 11 item 16).
func TestKeysOfOtherListsSayWhy(t *testing.T) {
	m := loaded(t)
	for _, k := range []string{"s", "t"} {
		if _, cmd := m.Update(tuitest.Key(k)); cmd == nil || tuitest.StatusOf(t, cmd).Text == "" {
			t.Errorf("group list: %s says nothing", k)
		}
	}
	m = withMembers(t, 3)
	for _, k := range []string{"s", "t", "n", "d"} {
		if _, cmd := m.Update(tuitest.Key(k)); cmd == nil || tuitest.StatusOf(t, cmd).Text == "" {
			t.Errorf("members: %s says nothing", k)
		}
	}
}
