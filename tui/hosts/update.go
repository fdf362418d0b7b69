package hosts

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/refresh"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/hostrows"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Update implements the pane contract.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	queued := m.startQueued()
	m, cmd := m.update(msg)
	// The ZTA scores of rows that came on screen (a scroll, a load, a sort): a command,
	// and only for what is shown and never asked for.
	if scores := m.fetchScores(); scores != nil {
		cmd = tea.Batch(cmd, scores)
	}
	if m.reloadNext {
		m.reloadNext = false
		cmd = tea.Batch(cmd, m.Reload())
	}
	if queued == nil {
		return m, cmd
	}
	return m, tea.Batch(queued, cmd)
}

// startQueued starts the jobs SetTenants asked for.
func (m *Model) startQueued() tea.Cmd {
	if len(m.queued) == 0 {
		return nil
	}
	cmds := make([]tea.Cmd, len(m.queued))
	for i, job := range m.queued {
		cmds[i] = m.runJob(job)
	}
	m.queued = nil
	return tea.Batch(cmds...)
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case rowsJobMsg:
		return m.installed(msg)
	case ztaScoresMsg:
		return m.scored(msg)
	case hostsLoadedMsg:
		return m.loaded(msg)
	case storedRowsMsg:
		return m.storedRows(msg)
	case syncMsg:
		return m.synced(msg)
	case refreshTickMsg:
		if msg.tick != m.sync.tick || m.refreshing() {
			return m, nil
		}
		return m, m.startRound(refresh.Auto)
	case hostsCountedMsg:
		if msg.gen == m.gen && msg.err == nil {
			m.counts[msg.cid] = msg.total
		}
		return m, nil
	case domain.EditedMsg:
		// Group counts changed.
		return m.edited(msg)
	case reReadMsg:
		return m.reReadDone(msg)
	case bgRefreshedMsg:
		return m.bgRefreshed(msg)
	case tea.KeyPressMsg:
		if m.chooser.open {
			return m.chooserKey(msg)
		}
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
		m.keepCursor(m.rows.Reset)
	}
	if err := msg.item.Err; err != nil {
		m.loading, m.err = false, err
		m.follow = ""
		return m, nil
	}
	var compact tea.Cmd
	if hosts := msg.item.Value; len(hosts) > 0 {
		if msg.batches == nil {
			msg.batches = prepare(m.rows.Ingest(), hosts)
		}
		var job *hostrows.Job
		m.keepCursor(func() { job = m.rows.Append(msg.batches[0]) })
		compact = m.runJob(job)
		if rest := msg.batches[1:]; len(rest) > 0 {
			// The rest of the page in the next Update: keys and frames go in between.
			msg.batches = rest
			return m, tea.Batch(compact, func() tea.Msg { return msg })
		}
	}
	if msg.item.Done {
		m.loading, m.complete = false, true
		m.follow = ""
		m.took = m.now().Sub(m.started)
		return m, compact
	}
	return m, tea.Batch(compact, msg.item.Next())
}

// runJob computes a job of the list: at once for a small list, else as a command whose
// result comes back as a rowsJobMsg (meanwhile the view keeps the order and filter in
// force, and the info line says what is being computed).
func (m *Model) runJob(job *hostrows.Job) tea.Cmd {
	if job == nil {
		return nil
	}
	if m.rows.Len() < m.inline {
		m.keepCursor(func() { m.rows.Do(m.ctx, job) })
		return m.runJob(m.rows.Maintain())
	}
	return runJob(m.ctx, m.rows, job)
}

// installed puts a job's result in force (unless a newer sort, filter or load made it
// stale), keeping the cursor on its host.
func (m Model) installed(msg rowsJobMsg) (Model, tea.Cmd) {
	if msg.rows != m.rows {
		return m, nil
	}
	m.keepCursor(func() { m.rows.Install(msg.res) })
	// Rows that arrived while a sort ran may have outgrown the room it left them.
	return m, m.runJob(m.rows.Maintain())
}

// keepCursor runs f (which changes the rows) and puts the cursor back on the host it was on.
// A cursor still on the first row stays there: while rows stream in, the user who has not
// moved wants the top of the list, not the host that happened to arrive first.
func (m *Model) keepCursor(f func()) {
	id := m.follow
	if id == "" && m.table.Cursor() > 0 {
		if row, ok := m.selectedRow(); ok {
			id = m.rows.DeviceID(row)
		}
	}
	f()
	m.table.SetRows(m.rows.Shown())
	if id == "" {
		return
	}
	if pos := m.position(id); pos >= 0 {
		m.table.SetCursor(pos)
		m.follow = ""
	} else if m.loading {
		m.follow = id // it may yet arrive
	}
}

// position is a device's row in the view (-1 if it is filtered out or not loaded): two
// binary searches, whatever the number of rows.
func (m Model) position(deviceID string) int {
	row, ok := m.rows.Find(deviceID)
	if !ok {
		return -1
	}
	return m.rows.Position(row)
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
		cmd := m.prompt.OpenFilter("hostname, IP, OS, tag… (all words must match)", m.rows.Filter())
		m.resize()
		return m, cmd
	case key.Matches(msg, k.FQL):
		cmd := m.prompt.OpenFQL("platform_name:'Windows'+last_seen:>'now-7d'")
		m.resize()
		return m, cmd
	case key.Matches(msg, k.Sort):
		return m, m.sortTo(m.nextSortColumn(), false)
	case key.Matches(msg, k.Reverse):
		return m, m.sortTo(m.sortBy, !m.sortDesc)
	case key.Matches(msg, k.AllTenants):
		return m.toggleAll()
	case key.Matches(msg, k.Columns):
		m.openChooser()
		return m, nil
	case key.Matches(msg, k.Reload):
		return m, m.reload(refresh.Reconcile)
	case key.Matches(msg, k.FullRefresh):
		if !m.sync.on {
			return m, m.reload(refresh.Full)
		}
		if !m.sync.connected {
			return m, status.Warn("not connected yet: the stored rows refresh once it is")
		}
		return m, tea.Batch(m.reload(refresh.Full), status.Info("full refresh of %d tenant(s): every row again", len(m.sync.scope)))
	case key.Matches(msg, k.Mark):
		if row, ok := m.selectedRow(); ok {
			m.rows.ToggleMark(row)
			m.table.Down(1)
		}
	case key.Matches(msg, k.MarkAll):
		// A bit per device over the view's rows: a couple of milliseconds at a million.
		n := m.rows.MarkAll()
		return m, status.Info("%s hosts marked", widget.Int(n))
	case key.Matches(msg, k.ClearMarks):
		if n := m.rows.ClearMarks(); n > 0 {
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
		if m.filter() != "" {
			return m, m.setFilter("")
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

// sortTo sorts the rows, keeping the cursor on its host. The heading shows the new order
// at once; a big list shows "sorting…" until the job's result is installed.
func (m *Model) sortTo(c column, desc bool) tea.Cmd {
	m.sortBy, m.sortDesc = c, desc
	m.table.SetSort(m.colIndex(c), desc)
	return m.runJob(m.rows.SetSort(hostrows.Sort{By: hostrows.Column(c), Desc: desc, Now: m.now()}))
}

// setFilter changes the local filter, keeping the cursor on its host. Clearing it (or a
// change that leaves the same words) takes effect at once; other changes are a job.
func (m *Model) setFilter(text string) tea.Cmd {
	var job *hostrows.Job
	m.keepCursor(func() { job = m.rows.SetFilter(text) })
	return m.runJob(job)
}

// nextSortColumn cycles through the columns on screen.
func (m Model) nextSortColumn() column {
	i := m.colIndex(m.sortBy)
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
		if v := m.prompt.Value(); m.prompt.Mode() == widget.PromptFilter && v != m.rows.Filter() {
			return m, tea.Batch(cmd, m.setFilter(v))
		}
	case widget.PromptCleared:
		clearCmd := m.setFilter("")
		m.resize()
		return m, tea.Batch(cmd, clearCmd)
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
			return m, m.sortTo(c, c == m.sortBy && !m.sortDesc)
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
