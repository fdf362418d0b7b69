package hostgroups

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/vtable"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Group list columns.
const (
	colName = iota
	colType
	colMembers
	colRule
	colDescription
)

func groupColumns() []vtable.Column {
	return []vtable.Column{
		{Title: "NAME", Min: 16, Flex: 2},
		{Title: "TYPE", Width: 10},
		{Title: "MEMBERS", Width: 8, Right: true},
		{Title: "RULE", Min: 16, Flex: 3, Drop: 1},
		{Title: "DESCRIPTION", Min: 12, Flex: 2, Drop: 2},
	}
}

func (m Model) groupsLoaded(msg groupsLoadedMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	m.loading, m.err = false, msg.err
	if msg.err != nil {
		return m, nil
	}
	keep := m.pendingCursor
	if g, ok := m.current(); ok && keep == "" {
		keep = g.ID
	}
	m.pendingCursor = ""
	m.groups, m.storedAt = msg.groups, time.Time{}
	m.refilter()
	if i := m.visibleIndex(keep); i >= 0 {
		m.table.SetCursor(i)
	}
	ids := make([]string, len(m.groups))
	for i, g := range m.groups {
		ids[i] = g.ID
	}
	return m, tea.Batch(loadCounts(m.loadCtx, m.client, m.gen, m.cid, ids), storeGroups(m.ctx, m.store, m.storeCID(), msg.groups, m.now()))
}

// visibleIndex is the row of group id, -1 when it is not shown.
func (m Model) visibleIndex(id string) int {
	if id == "" {
		return -1
	}
	for row, gi := range m.visible {
		if m.groups[gi].ID == id {
			return row
		}
	}
	return -1
}

// refilter keeps the groups matching every word of the filter (name, type, rule, description).
func (m *Model) refilter() {
	words := strings.Fields(strings.ToLower(m.filter.Value()))
	m.visible = m.visible[:0]
	for i, g := range m.groups {
		if matches(words, g.Name, string(g.Type), g.AssignmentRule, g.Description) {
			m.visible = append(m.visible, i)
		}
	}
	m.table.SetRows(len(m.visible))
}

func matches(words []string, fields ...string) bool {
	if len(words) == 0 {
		return true
	}
	hay := strings.ToLower(strings.Join(fields, "\x00"))
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

func (m Model) groupsKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	if m.filter.Open() {
		if ev, cmd, ok := filterKey(&m.filter, msg); ok {
			switch ev {
			case widget.PromptCleared:
				m.refilter()
			case widget.PromptEdited:
				m.refilter()
				m.table.Top()
			}
			return m, cmd
		}
	}
	m.notice = ""
	k := m.keys
	if m.table.Navigate(msg, k.NavKeyMap) {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Clear) && m.filter.Value() != "":
		m.filter.Input.SetValue("")
		m.refilter()
		m.layout()
	case key.Matches(msg, k.Filter):
		cmd := m.filter.OpenFilter(groupsFilterHint, m.filter.Value())
		m.layout()
		return m, cmd
	case key.Matches(msg, k.Reload):
		return m, m.reload()
	case key.Matches(msg, k.Open):
		if g, ok := m.current(); ok {
			return m, m.openMembers(g)
		}
	case key.Matches(msg, k.New):
		return m.startForm(formCreate, falcon.HostGroup{})
	case key.Matches(msg, k.Rename):
		if g, ok := m.current(); ok {
			return m.startForm(formRename, g)
		}
	case key.Matches(msg, k.Description):
		if g, ok := m.current(); ok {
			return m.startForm(formDescription, g)
		}
	case key.Matches(msg, k.Rule):
		if g, ok := m.current(); ok {
			return m.startForm(formRule, g)
		}
	case key.Matches(msg, k.Delete):
		if g, ok := m.current(); ok {
			return m.startForm(formDelete, g)
		}
	case key.Matches(msg, k.Add), key.Matches(msg, k.Remove):
		m.notice = "open a group (enter) and mark its members, or mark hosts in the Hosts pane"
	default:
		if why, ok := groupsNotHere[msg.String()]; ok {
			return m, status.Info("%s", why)
		}
	}
	return m, nil
}

// groupsNotHere and membersNotHere answer the keys other lists have and these have not, so
// that none of them seems to do nothing (docs/KEYS.md).
var (
	groupsNotHere = map[string]string{
		"s": "groups are listed by name: / filters them",
		"t": "groups are one tenant's at a time: :ctx NAME (or enter in Tenants) shows another tenant's",
	}
	membersNotHere = map[string]string{
		"s": "members are listed by hostname: / filters them",
		"t": "a group holds one tenant's hosts: :ctx NAME (or enter in Tenants) shows another tenant's groups",
		"n": "n makes a new group in the group list (esc goes back to it)",
		"d": "d deletes a group from the group list (esc goes back to it); x removes the marked hosts from this one",
	}
)

// edited refreshes what an edit changed: the group's count, and its members when shown.
func (m Model) edited(msg domain.EditedMsg) (Model, tea.Cmd) {
	if msg.CID != m.cid {
		return m, nil
	}
	var cmds []tea.Cmd
	if m.groupIndex(msg.GroupID) >= 0 {
		m.counts[msg.GroupID] = count{}
		cmds = append(cmds, loadCounts(m.loadCtx, m.client, m.gen, m.cid, []string{msg.GroupID}))
	}
	if m.view == viewMembers && m.members.group.ID == msg.GroupID {
		// The hosts that left the group no longer carry a mark; the rest keep theirs.
		for _, id := range msg.Result.Changed() {
			delete(m.members.marks, id)
		}
		cmds = append(cmds, m.reloadMembers())
	}
	return m, tea.Batch(cmds...)
}

// groupUpdated takes a group changed elsewhere (its rule, from the overlay).
func (m Model) groupUpdated(msg domain.GroupUpdatedMsg) (Model, tea.Cmd) {
	if msg.CID != m.cid {
		return m, nil
	}
	if i := m.groupIndex(msg.Group.ID); i >= 0 {
		m.groups[i] = msg.Group
	}
	if m.view == viewMembers && m.members.group.ID == msg.Group.ID {
		m.members.group = msg.Group
		return m, m.reloadMembers()
	}
	return m, nil
}

// groupCells feeds the group table.
type groupCells struct{ m *Model }

func (c groupCells) Cell(row, col int) (string, *lipgloss.Style) {
	m := c.m
	g := m.groups[m.visible[row]]
	switch col {
	case colName:
		return g.Name, nil
	case colType:
		if g.Type == falcon.GroupDynamic {
			return string(g.Type), &m.st.Accent
		}
		return string(g.Type), nil
	case colMembers:
		cnt, ok := m.counts[g.ID]
		switch {
		case !ok || !cnt.done:
			return "…", &m.st.Muted
		case cnt.err != nil:
			if errors.Is(cnt.err, falcon.ErrScopeDenied) {
				return "no scope", &m.st.Warn
			}
			return "error", &m.st.Error
		}
		return strconv.Itoa(cnt.n), nil
	case colRule:
		if g.Type != falcon.GroupDynamic {
			return "—", &m.st.Subtle
		}
		return g.AssignmentRule, &m.st.Muted
	case colDescription:
		return g.Description, &m.st.Muted
	}
	return "", nil
}

func (c groupCells) Marked(int) bool { return false }
