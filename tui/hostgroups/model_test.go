package hostgroups

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// Update tests with fabricated results; sim_test.go runs the commands against falcontest.

func editMsg(t *testing.T, cmd tea.Cmd) pane.EditMembershipMsg {
	t.Helper()
	return tuitest.MsgOf[pane.EditMembershipMsg](t, cmd)
}

func ids(hs []falcon.Host) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.DeviceID
	}
	return out
}

func TestMarksSurviveFilterAndScroll(t *testing.T) {
	m := withMembers(t, 40)
	hs := makeHosts(40)
	m, _ = m.Update(tuitest.Key("space")) // web-001, cursor moves on
	m, _ = m.Update(tuitest.Key("G"))
	m, _ = m.Update(tuitest.Key("space")) // web-040
	m, _ = m.Update(tuitest.Key("/"))
	m = tuitest.Typed(m, "web-02")
	if got := len(m.members.visible); got != 10 {
		t.Fatalf("filter shows %d, want 10", got)
	}
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(tuitest.Key("space")) // web-020 (first visible)
	m, _ = m.Update(tuitest.Key("x"))
	want := []string{hs[0].DeviceID, hs[19].DeviceID, hs[39].DeviceID}
	_, cmd := m.Update(tuitest.Key("x"))
	msg := editMsg(t, cmd)
	if !slices.Equal(ids(msg.Hosts), want) {
		t.Fatalf("x sends %v, want %v", ids(msg.Hosts), want)
	}
	if msg.Action != falcon.RemoveHosts || msg.Group == nil || msg.Group.ID != "g-quar" {
		t.Fatalf("x: %+v", msg)
	}
	// Clearing the filter keeps the marks.
	m, _ = m.Update(tuitest.Key("/"))
	m, _ = m.Update(tuitest.Key("esc"))
	if len(m.members.visible) != 40 || len(m.Marked()) != 3 {
		t.Fatalf("after clearing the filter: %d shown, %d marked", len(m.members.visible), len(m.Marked()))
	}
}

func TestMarkAllShownAndClear(t *testing.T) {
	m := withMembers(t, 40)
	m, _ = m.Update(tuitest.Key("/"))
	m = tuitest.Typed(m, "web-01")
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(tuitest.Key("ctrl+a"))
	if n := len(m.Marked()); n != 10 {
		t.Fatalf("ctrl+a marked %d, want the 10 shown", n)
	}
	m, _ = m.Update(tuitest.Key("ctrl+x"))
	if n := len(m.Marked()); n != 0 {
		t.Fatalf("ctrl+x left %d marks", n)
	}
}

func TestRemoveWithoutMarksTakesCursorHost(t *testing.T) {
	m := withMembers(t, 5)
	m, _ = m.Update(tuitest.Key("down"))
	_, cmd := m.Update(tuitest.Key("x"))
	msg := editMsg(t, cmd)
	if len(msg.Hosts) != 1 || msg.Hosts[0].Hostname != "web-002" {
		t.Fatalf("x without marks sends %v", ids(msg.Hosts))
	}
}

func TestAddFromMembersPicksAGroup(t *testing.T) {
	m := withMembers(t, 5)
	m, _ = m.Update(tuitest.Key("space"))
	_, cmd := m.Update(tuitest.Key("a"))
	msg := editMsg(t, cmd)
	if msg.Action != falcon.AddHosts || msg.Group != nil || len(msg.Hosts) != 1 {
		t.Fatalf("a: %+v", msg)
	}
}

func TestRemoveRefusedUpFront(t *testing.T) {
	t.Run("dynamic", func(t *testing.T) {
		m := loaded(t)
		m, _ = m.Update(tuitest.Key("enter")) // Linux servers
		m, _ = m.Update(membersBatchMsg{gen: m.members.gen, hosts: makeHosts(3), done: true})
		_, cmd := m.Update(tuitest.Key("x"))
		if got := tuitest.StatusOf(t, cmd).Text; !strings.Contains(got, groupedit.DynamicReason) {
			t.Fatalf("x on a dynamic group: %q", got)
		}
	})
	t.Run("no scope", func(t *testing.T) {
		m := withMembers(t, 3)
		m, _ = m.Update(groupedit.WriteProbedMsg{CID: cidA, Access: groupedit.AccessDenied})
		for _, k := range []string{"x", "a"} {
			_, cmd := m.Update(tuitest.Key(k))
			if got := tuitest.StatusOf(t, cmd).Text; got != groupedit.ScopeReason {
				t.Fatalf("%s without host-group:write: %q", k, got)
			}
		}
		if d := m.keys.Remove.Help().Desc; !strings.Contains(d, "needs host-group:write") {
			t.Fatalf("x help does not say why: %q", d)
		}
		m2, cmd := loaded(t).Update(groupedit.WriteProbedMsg{CID: cidA, Access: groupedit.AccessDenied})
		for _, k := range []string{"n", "R", "E", "e", "d"} {
			m3, cmd2 := m2.Update(tuitest.Key(k))
			if m3.form.kind != formNone || tuitest.StatusOf(t, cmd2).Text != groupedit.ScopeReason {
				t.Fatalf("%s opened a form without host-group:write", k)
			}
		}
		_ = cmd
	})
}

func TestEditedReloadsMembersAndCount(t *testing.T) {
	m := withMembers(t, 5)
	hs := makeHosts(5)
	m, _ = m.Update(tuitest.Key("space"))
	m, _ = m.Update(tuitest.Key("space"))
	gen := m.members.gen
	res := falcon.MembershipResult{GroupID: "g-quar", Action: falcon.RemoveHosts,
		Hosts: []falcon.HostOutcome{{DeviceID: hs[0].DeviceID, Outcome: falcon.OutcomeChanged}}}
	m, cmd := m.Update(domain.EditedMsg{CID: cidA, GroupID: "g-quar", Result: res})
	if cmd == nil || m.members.gen == gen || !m.members.loading {
		t.Fatal("EditedMsg did not reload the members")
	}
	if c := m.counts["g-quar"]; c.done {
		t.Fatal("the count of the edited group was not reloaded")
	}
	if marked := ids(m.Marked()); !slices.Equal(marked, []string{hs[1].DeviceID}) {
		t.Fatalf("marks after the edit: %v", marked)
	}
	// The reload's first batch replaces the list; the stale batch of the old load is dropped.
	m, _ = m.Update(membersBatchMsg{gen: gen, hosts: makeHosts(5), done: true})
	if len(m.members.hosts) != 5 || !m.members.loading {
		t.Fatal("a stale batch was applied")
	}
	m, _ = m.Update(membersBatchMsg{gen: m.members.gen, hosts: hs[1:], done: true})
	if len(m.members.hosts) != 4 || m.members.loading {
		t.Fatalf("reload: %d hosts, loading %v", len(m.members.hosts), m.members.loading)
	}
}

func TestEditedOtherTenantIgnored(t *testing.T) {
	m := withMembers(t, 5)
	gen := m.members.gen
	m, cmd := m.Update(domain.EditedMsg{CID: "other", GroupID: "g-quar"})
	if cmd != nil || m.members.gen != gen {
		t.Fatal("an edit in another tenant reloaded this one")
	}
}

func TestStaleGroupListDropped(t *testing.T) {
	m := loaded(t)
	old := m.gen
	m.SetTenant(cidA) // a reload
	m, _ = m.Update(groupsLoadedMsg{gen: old, groups: testGroups()[:1]})
	if len(m.groups) != 0 {
		t.Fatal("a stale group list was applied")
	}
}

func TestFormsValidateLocally(t *testing.T) {
	m := loaded(t)
	m, _ = m.Update(tuitest.Key("n"))
	m, cmd := m.Update(tuitest.Key("enter"))
	if cmd != nil || !strings.Contains(m.form.err, "name") {
		t.Fatalf("create without a name: err %q", m.form.err)
	}
	m = tuitest.Typed(m, "Web")
	m, cmd = m.Update(tuitest.Key("enter"))
	if cmd == nil || !m.form.saving {
		t.Fatal("create with a name did not send")
	}
	// Keys are ignored while the save is in flight.
	m, _ = m.Update(tuitest.Key("x"))
	if got := m.form.inputs[fieldName].Value(); got != "Web" {
		t.Fatalf("typing during the save changed the field: %q", got)
	}
}

func TestRuleOnlyForDynamic(t *testing.T) {
	m := loaded(t)
	m, _ = m.Update(tuitest.Key("down")) // Quarantine, static
	m, _ = m.Update(tuitest.Key("e"))
	if m.form.kind != formNone || !strings.Contains(m.notice, "only dynamic groups") {
		t.Fatalf("e on a static group: form %d notice %q", m.form.kind, m.notice)
	}
}

func TestDeleteNeedsExactName(t *testing.T) {
	m := loaded(t)
	m, _ = m.Update(tuitest.Key("down"))
	m, _ = m.Update(tuitest.Key("d"))
	m = tuitest.Typed(m, "Quarantine")
	m, cmd := m.Update(tuitest.Key("enter"))
	if cmd == nil || !m.form.saving {
		t.Fatal("the exact name did not delete")
	}
	m, cmd = m.Update(groupDeletedMsg{gen: m.gen, group: testGroups()[1]})
	if m.form.kind != formNone || cmd == nil || !m.loading {
		t.Fatal("after delete: form still open or list not reloaded")
	}
}

func TestCapturingWhileTyping(t *testing.T) {
	m := loaded(t)
	if m.Capturing() {
		t.Fatal("capturing at rest")
	}
	m, _ = m.Update(tuitest.Key("/"))
	if !m.Capturing() {
		t.Fatal("filter does not capture")
	}
	m, _ = m.Update(tuitest.Key("esc"))
	m, _ = m.Update(tuitest.Key("R"))
	if !m.Capturing() {
		t.Fatal("rename form does not capture")
	}
}

func TestTitle(t *testing.T) {
	m := loaded(t)
	m.SetTenantName(func(cid string) string { return map[string]string{cidA: "Acme"}[cid] })
	if got := m.Title(); got != "Host groups(Acme)[4]" {
		t.Fatalf("Title %q", got)
	}
	m, _ = m.Update(tuitest.Key("/"))
	m = tuitest.Typed(m, "dyn")
	if got := m.Title(); got != "Host groups(Acme)[2/4]" {
		t.Fatalf("filtered Title %q", got)
	}
	m = withMembers(t, 12)
	m.SetTenantName(func(string) string { return "Acme" })
	if got := m.Title(); got != "Host groups(Acme) › Quarantine[12]" {
		t.Fatalf("members Title %q", got)
	}
}

// A tenant whose name is unknown is labelled by its short CID, never "current tenant"
// (issue 11 item 17).
func TestTitleOfAnUnnamedTenant(t *testing.T) {
	m := loaded(t)
	m.SetTenantName(func(string) string { return "" })
	want := "Host groups(" + domain.ShortID(strings.ToLower(cidA)) + ")[4]"
	if got := m.Title(); got != want {
		t.Fatalf("Title %q, want %q", got, want)
	}
}
