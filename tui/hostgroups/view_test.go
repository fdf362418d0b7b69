package hostgroups

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// Golden views of the pane at 120×35 (colours stripped; one coloured for the styles).

func TestGoldenGroups(t *testing.T) { requireGolden(t, loaded(t)) }

func TestGoldenGroupsColour(t *testing.T) { golden.RequireEqual(t, loaded(t).View()) }

func TestGoldenGroupsLoading(t *testing.T) {
	m := New(pane.Deps{Styles: tuitest.Styles()})
	m.SetSize(paneW, paneH)
	m.SetTenant(cidA)
	requireGolden(t, m)
}

func TestGoldenGroupsCountsPending(t *testing.T) {
	m := New(pane.Deps{Styles: tuitest.Styles()})
	m.SetSize(paneW, paneH)
	m.access[cidA] = groupedit.AccessGranted
	m.SetTenant(cidA)
	m, _ = m.Update(groupsLoadedMsg{gen: m.gen, groups: testGroups()})
	m, _ = m.Update(countLoadedMsg{gen: m.gen, groupID: "g-quar", n: 17})
	m, _ = m.Update(countLoadedMsg{gen: m.gen, groupID: "g-roll", err: errors.New("boom")})
	requireGolden(t, m)
}

func TestGoldenGroupsScopeDenied(t *testing.T) {
	m := New(pane.Deps{Styles: tuitest.Styles()})
	m.SetSize(paneW, paneH)
	m.SetTenant(cidA)
	m, _ = m.Update(groupsLoadedMsg{gen: m.gen, err: fmt.Errorf("list host groups: %w", falcon.ErrScopeDenied)})
	requireGolden(t, m)
}

func TestGoldenGroupsNoWriteScope(t *testing.T) {
	m := loaded(t)
	m, _ = m.Update(groupedit.WriteProbedMsg{CID: cidA, Access: groupedit.AccessDenied})
	requireGolden(t, m)
}

func TestGoldenGroupsFiltered(t *testing.T) {
	m := loaded(t)
	m, _ = m.Update(tuitest.Key("/"))
	m = tuitest.Typed(m, "dyn")
	requireGolden(t, m)
}

func TestGoldenMembers(t *testing.T) {
	m := withMembers(t, 40)
	m, _ = m.Update(tuitest.Key("space"))
	m, _ = m.Update(tuitest.Key("down"))
	m, _ = m.Update(tuitest.Key("space"))
	requireGolden(t, m)
}

func TestGoldenMembersEmpty(t *testing.T) { requireGolden(t, withMembers(t, 0)) }

func TestGoldenMembersDynamic(t *testing.T) {
	m := loaded(t)
	m, _ = m.Update(tuitest.Key("enter")) // Linux servers (dynamic)
	m, _ = m.Update(membersBatchMsg{gen: m.members.gen, hosts: makeHosts(5), done: true})
	requireGolden(t, m)
}

func TestGoldenCreateForm(t *testing.T) {
	m := loaded(t)
	m, _ = m.Update(tuitest.Key("n"))
	m = tuitest.Typed(m, "Web canaries")
	m, _ = m.Update(tuitest.Key("tab"))
	m = tuitest.Typed(m, "first wave")
	m, _ = m.Update(tuitest.Key("tab"))
	m, _ = m.Update(tuitest.Key("right"))
	m, _ = m.Update(tuitest.Key("right")) // dynamic
	requireGolden(t, m)
}

func TestGoldenRuleFormError(t *testing.T) {
	m := loaded(t)
	m, _ = m.Update(tuitest.Key("e")) // Linux servers
	if m.form.kind != formRule {
		t.Fatalf("e did not open the rule form")
	}
	m = tuitest.Typed(m, "+hostname:'web")
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(groupSavedMsg{gen: m.gen, kind: formRule, err: fmt.Errorf("%w: invalid filter: unterminated string", falcon.ErrInvalidRequest)})
	requireGolden(t, m)
}

func TestGoldenDeleteConfirm(t *testing.T) {
	m := loaded(t)
	m, _ = m.Update(tuitest.Key("down"))
	m, _ = m.Update(tuitest.Key("d"))
	m = tuitest.Typed(m, "Quarant")
	m, _ = m.Update(tuitest.Key("enter"))
	if !strings.Contains(m.form.err, "exactly") {
		t.Fatalf("a partial name was accepted: %q", m.form.err)
	}
	requireGolden(t, m)
}
