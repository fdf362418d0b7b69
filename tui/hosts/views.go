package hosts

import (
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// ViewState implements pane.Viewer: the FQL filter, the local filter, the sort, the
// tenant scope and the columns (only when chosen: a view saved with the default columns
// keeps following the terminal's width).
func (m Model) ViewState() pane.ViewState {
	v := pane.ViewState{
		FQL:        m.prompt.FQL(),
		Filter:     m.filter(),
		AllTenants: m.all,
		Desc:       m.sortDesc,
	}
	if m.sortBy != colHostname || m.sortDesc {
		v.Sort = columnDefs[m.sortBy].id
	}
	if m.chosen != nil {
		v.Columns = columnIDs(m.chosen)
	}
	return v
}

// RestoreView implements pane.Viewer.
func (m *Model) RestoreView(v pane.ViewState, load bool) tea.Cmd {
	m.chooser = chooser{}
	m.prompt.Close()
	m.prompt.SetFQL(v.FQL)
	m.all = v.AllTenants
	m.chosen = parseColumns(v.Columns)
	m.setColumns()
	m.resize()
	by := colHostname
	if c, ok := columnByID(v.Sort); ok {
		by = c
	}
	var cmds []tea.Cmd
	if by != m.sortBy || v.Desc != m.sortDesc {
		cmds = append(cmds, m.sortTo(by, v.Desc))
	}
	if v.Filter != m.rows.Filter() {
		cmds = append(cmds, m.setFilter(v.Filter))
	}
	if load {
		m.replace = true
		cmds = append(cmds, m.load())
	}
	return tea.Batch(cmds...)
}
