package hosts

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Update implements the pane contract.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case hostsLoadedMsg:
		return m.loaded(msg)
	case hostsCountedMsg:
		if msg.gen == m.gen && msg.err == nil {
			m.counts[msg.cid] = msg.total
		}
		return m, nil
	case domain.EditedMsg:
		// Group counts changed: reload, keeping the rows and the cursor meanwhile.
		return m, m.Reload()
	case tea.KeyPressMsg:
		if m.prompt.Open() {
			return m.promptKey(msg)
		}
		return m.key(msg)
	case tea.MouseClickMsg:
		return m.click(msg.Mouse())
	case tea.BackgroundColorMsg:
		m.prompt.Restyle() // the root rebuilt the shared styles
		return m, nil
	case tea.MouseWheelMsg:
		m.table.Mouse(msg)
		return m, nil
	}
	return m, m.prompt.Update(msg)
}

// loaded takes one batch of a stream.
func (m Model) loaded(msg hostsLoadedMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, msg.item.Stop()
	}
	if m.prompt.Pending() {
		rejected, cmd := m.prompt.Answer(msg.item.Err)
		m.resize()
		if rejected {
			// The server rejected the filter: say why under the prompt, keep the rows of the
			// filter before it, and let the user fix the text.
			// The rows are still the previous filter's, and so is their completeness: a
			// second rejection must not take them for a load cut short.
			m.loading, m.replace, m.complete = false, false, m.prevComplete
			cmds := []tea.Cmd{cmd}
			if !m.complete {
				// The earlier load was cut short: load it again, replacing the partial rows
				// when the first reply arrives rather than appending to them.
				cmds = append(cmds, m.Reload())
			}
			return m, tea.Batch(cmds...)
		}
	}
	if m.replace {
		// The first reply of a reload: only now do the old rows go, so the table never
		// flashes empty.
		m.replace = false
		m.keepCursor(m.d.reset)
	}
	if err := msg.item.Err; err != nil {
		m.loading, m.err = false, err
		m.follow = ""
		return m, nil
	}
	if batch := msg.item.Value; len(batch) > 0 {
		m.keepCursor(func() { m.d.add(batch) })
	}
	if msg.item.Done {
		m.loading, m.complete = false, true
		m.follow = ""
		m.took = m.now().Sub(m.started)
		return m, nil
	}
	return m, msg.item.Next()
}

// keepCursor runs f (which changes the rows) and puts the cursor back on the host it was on.
// A cursor still on the first row stays there: while rows stream in, the user who has not
// moved wants the top of the list, not the host that happened to arrive first.
func (m *Model) keepCursor(f func()) {
	id := m.follow
	if id == "" && m.table.Cursor() > 0 {
		if h, ok := m.Selected(); ok {
			id = h.DeviceID
		}
	}
	f()
	m.table.SetRows(len(m.d.view))
	if id == "" {
		return
	}
	if pos := m.d.position(id); pos >= 0 {
		m.table.SetCursor(pos)
		m.follow = ""
	} else if m.loading {
		m.follow = id // it may yet arrive
	}
}

// key handles a key in normal mode.
func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	if m.table.Navigate(msg, k.NavKeyMap) {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Open):
		if h, ok := m.Selected(); ok {
			return m, pane.Navigate(pane.Host, h)
		}
	case key.Matches(msg, k.Filter):
		cmd := m.prompt.OpenFilter("hostname, IP, OS, tag… (all words must match)", m.d.typed)
		m.resize()
		return m, cmd
	case key.Matches(msg, k.FQL):
		cmd := m.prompt.OpenFQL("platform_name:'Windows'+last_seen:>'now-7d'")
		m.resize()
		return m, cmd
	case key.Matches(msg, k.Sort):
		m.sortBy(m.nextSortColumn(), false)
	case key.Matches(msg, k.Reverse):
		m.sortBy(m.d.sortBy, !m.d.sortDesc)
	case key.Matches(msg, k.AllTenants):
		return m.toggleAll()
	case key.Matches(msg, k.Reload):
		m.replace = true
		return m, m.load()
	case key.Matches(msg, k.Mark):
		if h, ok := m.Selected(); ok {
			if _, on := m.marks[h.DeviceID]; on {
				delete(m.marks, h.DeviceID)
			} else {
				m.marks[h.DeviceID] = struct{}{}
			}
			m.table.Down(1)
		}
	case key.Matches(msg, k.MarkAll):
		for _, r := range m.d.view {
			m.marks[m.d.hosts[r].DeviceID] = struct{}{}
		}
		return m, status.Info("%s hosts marked", widget.Int(len(m.marks)))
	case key.Matches(msg, k.ClearMarks):
		n := len(m.marks)
		clear(m.marks)
		if n > 0 {
			return m, status.Info("%s marks cleared", widget.Int(n))
		}
	case key.Matches(msg, k.Add):
		return m, m.edit(falcon.AddHosts)
	case key.Matches(msg, k.Remove):
		return m, m.edit(falcon.RemoveHosts)
	case key.Matches(msg, k.Undo):
		if m.readOnly {
			return m, status.Warn(domain.ReadOnlyReason)
		}
		return m, func() tea.Msg { return pane.UndoMsg{} }
	case key.Matches(msg, k.Clear):
		if m.d.filter != "" {
			m.keepCursor(func() { m.d.setFilter("") })
		}
	}
	return m, nil
}

// edit asks for a group edit of the marked hosts, or of the one under the cursor.
func (m Model) edit(action falcon.MembershipAction) tea.Cmd {
	if m.readOnly {
		return status.Warn(domain.ReadOnlyReason)
	}
	hosts := m.Marked()
	if len(hosts) == 0 {
		h, ok := m.Selected()
		if !ok {
			return status.Warn("no host to edit: mark some with space")
		}
		hosts = []falcon.Host{h}
	}
	return func() tea.Msg { return pane.EditMembershipMsg{Action: action, Hosts: hosts} }
}

// toggleAll switches between the current tenant and every tenant.
func (m Model) toggleAll() (Model, tea.Cmd) {
	if len(m.tenants) < 2 {
		return m, status.Info("%s", domain.OneTenant(m.tenants))
	}
	m.all = !m.all
	m.setColumns()
	m.replace = true
	return m, m.load()
}

// sortBy sorts the rows, keeping the cursor on its host.
func (m *Model) sortBy(c column, desc bool) {
	m.d.sortBy, m.d.sortDesc = c, desc
	m.d.now = m.now()
	m.table.SetSort(m.colIndex(c), desc)
	m.keepCursor(m.d.resort)
}

// nextSortColumn cycles through the columns on screen.
func (m Model) nextSortColumn() column {
	i := m.colIndex(m.d.sortBy)
	for step := 1; step <= len(m.cols); step++ {
		c := m.cols[(i+step)%len(m.cols)]
		if m.table.ColumnWidth(m.colIndex(c)) > 0 {
			return c
		}
	}
	return colHostname
}

// promptKey handles a key while the filter or FQL prompt is open. Esc on the local filter
// clears it; on the FQL prompt it keeps the filter in force.
func (m Model) promptKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	ev, cmd := m.prompt.Key(msg)
	switch ev {
	case widget.PromptEdited:
		// Instant: the filter is applied on every keystroke that changes it.
		if v := m.prompt.Value(); m.prompt.Mode() == widget.PromptFilter && v != m.d.typed {
			m.keepCursor(func() { m.d.setFilter(v) })
		}
	case widget.PromptCleared:
		m.keepCursor(func() { m.d.setFilter("") })
		m.resize()
	case widget.PromptKept, widget.PromptDismissed:
		m.resize()
	case widget.PromptQuery:
		m.prevComplete = m.complete
		m.replace = true
		m.resize()
		return m, m.load()
	}
	return m, cmd
}

// click selects the row under the mouse; a click on the selected row opens it, a click on
// a heading sorts by that column (again: reverses).
func (m Model) click(mouse tea.Mouse) (Model, tea.Cmd) {
	if mouse.Button != tea.MouseLeft {
		return m, nil
	}
	row, header, ok := m.table.RowAt(mouse.Y - 1) // line 0 is the info line
	switch {
	case !ok:
	case header:
		if i := m.table.ColumnAt(mouse.X); i >= 0 {
			c := m.cols[i]
			m.sortBy(c, c == m.d.sortBy && !m.d.sortDesc)
		}
	case row == m.table.Cursor():
		if h, ok := m.Selected(); ok {
			return m, pane.Navigate(pane.Host, h)
		}
	default:
		m.table.SetCursor(row)
	}
	return m, nil
}
