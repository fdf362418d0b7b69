package hostgroups

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/vtable"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Member list columns.
const (
	mcolHostname = iota
	mcolPlatform
	mcolOS
	mcolLastSeen
	mcolStatus
	mcolDeviceID
)

func memberColumns() []vtable.Column {
	return []vtable.Column{
		{Title: "HOSTNAME", Min: 16, Flex: 2},
		{Title: "PLATFORM", Width: 8, Drop: 3},
		{Title: "OS", Min: 12, Flex: 1, Drop: 2},
		{Title: "LAST SEEN", Width: 9, Right: true, Drop: 4},
		{Title: "STATE", Width: 9},
		{Title: "DEVICE ID", Width: 32, Drop: 1},
	}
}

// members is the member list of one group. Marks are keyed by device id, so they survive
// filtering, scrolling and reloads (a reload keeps the marks of hosts still in the group).
type members struct {
	group   falcon.HostGroup
	gen     int
	cancel  context.CancelFunc
	hosts   []falcon.Host
	loading bool
	err     error
	marks   map[string]struct{}
	filter  widget.Prompt // the input holds the filter
	visible []int
	table   vtable.Model
	started bool // the current load has delivered its first batch
}

func (m Model) newMembers() members {
	return members{
		marks:  map[string]struct{}{},
		filter: widget.NewPrompt(m.st),
		table:  vtable.New(memberColumns(), true),
	}
}

// stop abandons a member stream in flight.
func (ms *members) stop() {
	if ms.cancel != nil {
		ms.cancel()
		ms.cancel = nil
	}
}

// marked returns the marked hosts in list order.
func (ms members) marked() []falcon.Host {
	var out []falcon.Host
	for _, h := range ms.hosts {
		if _, ok := ms.marks[h.DeviceID]; ok {
			out = append(out, h)
		}
	}
	return out
}

// pruneMarks drops the marks of hosts no longer in the group (after a complete load).
func (ms *members) pruneMarks() {
	in := make(map[string]bool, len(ms.hosts))
	for _, h := range ms.hosts {
		in[h.DeviceID] = true
	}
	for id := range ms.marks {
		if !in[id] {
			delete(ms.marks, id)
		}
	}
}

func (ms *members) refilter() {
	words := strings.Fields(strings.ToLower(ms.filter.Value()))
	ms.visible = ms.visible[:0]
	for i, h := range ms.hosts {
		if matches(words, h.Hostname, h.Platform, h.OSVersion, h.DeviceID, h.LocalIP) {
			ms.visible = append(ms.visible, i)
		}
	}
	ms.table.SetRows(len(ms.visible))
}

func (ms members) current() (falcon.Host, bool) {
	c := ms.table.Cursor()
	if c < 0 || c >= len(ms.visible) {
		return falcon.Host{}, false
	}
	return ms.hosts[ms.visible[c]], true
}

// openMembers switches to group g's members and starts streaming them.
func (m *Model) openMembers(g falcon.HostGroup) tea.Cmd {
	m.members.stop()
	ms := m.newMembers()
	ms.group = g
	if m.focused {
		ms.table.Focus()
	}
	m.members = ms
	m.view = viewMembers
	m.notice = ""
	m.layout()
	return m.reloadMembers()
}

// reloadMembers fetches the member list again, keeping marks and the cursor's host.
func (m *Model) reloadMembers() tea.Cmd {
	ms := &m.members
	ms.stop()
	ms.gen = generation.Next()
	ctx, cancel := context.WithCancel(m.ctx)
	ms.cancel = cancel
	ms.loading, ms.err, ms.started = true, nil, false
	return loadMembers(m.client, ctx, ms.gen, m.cid, ms.group.ID)
}

func (m Model) membersBatch(msg membersBatchMsg) (Model, tea.Cmd) {
	ms := &m.members
	if m.view != viewMembers || msg.gen != ms.gen {
		return m, msg.next.Stop()
	}
	keep := ""
	if h, ok := ms.current(); ok {
		keep = h.DeviceID
	}
	if !ms.started {
		// The first batch of a reload replaces the rows shown until now.
		ms.hosts, ms.started = nil, true
	}
	ms.hosts = append(ms.hosts, msg.hosts...)
	if msg.err != nil {
		ms.err = msg.err
	}
	var record tea.Cmd
	if msg.done {
		ms.loading = false
		if msg.err == nil {
			ms.pruneMarks()
			ids := make([]string, len(ms.hosts))
			for i, h := range ms.hosts {
				ids[i] = h.DeviceID
			}
			record = storeMembers(m.ctx, m.store, m.storeCID(), ms.group.ID, ids, m.now())
		}
	}
	ms.refilter()
	if keep != "" {
		for row, i := range ms.visible {
			if ms.hosts[i].DeviceID == keep {
				ms.table.SetCursor(row)
				break
			}
		}
	}
	return m, tea.Batch(msg.next.Next(), record)
}

func (m Model) membersKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	ms := &m.members
	if ms.filter.Open() {
		if ev, cmd, ok := filterKey(&ms.filter, msg); ok {
			switch ev {
			case widget.PromptCleared:
				ms.refilter()
				m.layout()
			case widget.PromptEdited:
				ms.refilter()
				ms.table.Top() // a new filter starts from its first match
			}
			return m, cmd
		}
	}
	m.notice = ""
	k := m.keys
	if ms.table.Navigate(msg, k.NavKeyMap) {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Back):
		ms.stop()
		m.view = viewGroups
		m.layout()
	case key.Matches(msg, k.Filter):
		cmd := ms.filter.OpenFilter(membersFilterHint, ms.filter.Value())
		m.layout()
		return m, cmd
	case key.Matches(msg, k.Reload):
		return m, m.reloadMembers()
	case key.Matches(msg, k.Mark):
		if h, ok := ms.current(); ok {
			if _, on := ms.marks[h.DeviceID]; on {
				delete(ms.marks, h.DeviceID)
			} else {
				ms.marks[h.DeviceID] = struct{}{}
			}
			ms.table.Down(1)
		}
	case key.Matches(msg, k.MarkAll):
		for _, i := range ms.visible {
			ms.marks[ms.hosts[i].DeviceID] = struct{}{}
		}
	case key.Matches(msg, k.ClearMark):
		clear(ms.marks)
	case key.Matches(msg, k.Open):
		if h, ok := ms.current(); ok {
			return m, pane.Navigate(pane.Host, h)
		}
	case key.Matches(msg, k.Remove):
		return m, m.requestEdit(falcon.RemoveHosts)
	case key.Matches(msg, k.Add):
		return m, m.requestEdit(falcon.AddHosts)
	case key.Matches(msg, k.Rule):
		return m.startForm(formRule, ms.group)
	case key.Matches(msg, k.Rename):
		return m.startForm(formRename, ms.group)
	case key.Matches(msg, k.Description):
		return m.startForm(formDescription, ms.group)
	default:
		if why, ok := membersNotHere[msg.String()]; ok {
			return m, status.Info("%s", why)
		}
	}
	return m, nil
}

// requestEdit asks the root for the overlay with the marked members (or the cursor's host
// when none is marked). Reasons that block the edit are told here, before any overlay opens.
func (m *Model) requestEdit(action falcon.MembershipAction) tea.Cmd {
	ms := m.members
	if r := m.writeBlocked(); r != "" {
		return status.Warn("%s", r)
	}
	if action == falcon.RemoveHosts && !ms.group.Type.Manual() {
		return status.Warn("%s", groupedit.DynamicReason)
	}
	hosts := ms.marked()
	if len(hosts) == 0 {
		h, ok := ms.current()
		if !ok {
			return status.Warn("no host to %s: the list is empty", map[falcon.MembershipAction]string{
				falcon.AddHosts: "add", falcon.RemoveHosts: "remove"}[action])
		}
		hosts = []falcon.Host{h}
	}
	msg := pane.EditMembershipMsg{Action: action, Hosts: hosts}
	if action == falcon.RemoveHosts {
		g := ms.group
		msg.Group = &g
	}
	return func() tea.Msg { return msg }
}

// memberCells feeds the member table.
type memberCells struct{ m *Model }

func (c memberCells) Cell(row, col int) (string, *lipgloss.Style) {
	m := c.m
	h := &m.members.hosts[m.members.visible[row]]
	switch col {
	case mcolHostname:
		return h.Hostname, nil
	case mcolPlatform:
		return h.Platform, &m.st.Muted
	case mcolOS:
		return h.OSVersion, &m.st.Muted
	case mcolLastSeen:
		// The hosts pane's wording, so that one host reads the same in both lists.
		return domain.Ago(m.now(), h.LastSeen), &m.st.Muted
	case mcolStatus:
		s := h.State(m.now()).String()
		st := m.st.HostState(s)
		return s, &st
	case mcolDeviceID:
		return h.DeviceID, &m.st.Subtle
	}
	return "", nil
}

func (c memberCells) Marked(row int) bool {
	ms := &c.m.members
	_, ok := ms.marks[ms.hosts[ms.visible[row]].DeviceID]
	return ok
}
