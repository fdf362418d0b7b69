package hosts

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// chooser is the column chooser (C): every column the list can show, those shown first in
// their order; space shows or hides one, K/J (shift+↑/↓) move it, enter applies, esc
// cancels.
type chooser struct {
	open   bool
	order  []column
	shown  map[column]bool
	cursor int
}

// ChooserKeyMap is the chooser's keys (in ? help while it is open, and in docs/KEYS.md).
type ChooserKeyMap struct {
	Up, Down, Toggle, MoveUp, MoveDown, Apply, Cancel, Reset key.Binding
}

// DefaultChooserKeyMap returns the chooser's keys.
func DefaultChooserKeyMap() ChooserKeyMap {
	return ChooserKeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "columns: up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "columns: down")),
		Toggle:   key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "columns: show / hide")),
		MoveUp:   key.NewBinding(key.WithKeys("shift+up", "K"), key.WithHelp("K", "columns: move left")),
		MoveDown: key.NewBinding(key.WithKeys("shift+down", "J"), key.WithHelp("J", "columns: move right")),
		Apply:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "columns: apply")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "columns: cancel")),
		Reset:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "columns: default")),
	}
}

// ShortHelp implements help.KeyMap.
func (k ChooserKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Toggle, k.MoveUp, k.MoveDown, k.Apply, k.Cancel}
}

// FullHelp implements help.KeyMap.
func (k ChooserKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Toggle, k.MoveUp, k.MoveDown, k.Apply, k.Reset, k.Cancel}}
}

// openChooser starts the chooser on the columns in force.
func (m *Model) openChooser() {
	// The tenant column is not chosen: all-tenants mode (t) brings it.
	c := chooser{open: true, shown: map[column]bool{colTenant: true}}
	for _, col := range m.cols {
		if col != colTenant {
			c.order = append(c.order, col)
			c.shown[col] = true
		}
	}
	for col := range numColumns {
		if !c.shown[col] {
			c.order = append(c.order, col)
		}
	}
	delete(c.shown, colTenant)
	m.chooser = c
}

// chooserKey handles a key while the chooser is open.
func (m Model) chooserKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	c, k := &m.chooser, m.keys.Chooser
	switch {
	case key.Matches(msg, k.Up):
		c.cursor = max(0, c.cursor-1)
	case key.Matches(msg, k.Down):
		c.cursor = min(len(c.order)-1, c.cursor+1)
	case key.Matches(msg, k.Toggle):
		col := c.order[c.cursor]
		c.shown[col] = !c.shown[col]
	case key.Matches(msg, k.MoveUp):
		if c.cursor > 0 {
			c.order[c.cursor], c.order[c.cursor-1] = c.order[c.cursor-1], c.order[c.cursor]
			c.cursor--
		}
	case key.Matches(msg, k.MoveDown):
		if c.cursor < len(c.order)-1 {
			c.order[c.cursor], c.order[c.cursor+1] = c.order[c.cursor+1], c.order[c.cursor]
			c.cursor++
		}
	case key.Matches(msg, k.Cancel):
		m.chooser = chooser{}
	case key.Matches(msg, k.Reset):
		m.chooser = chooser{}
		cmd := m.chooseColumns(nil)
		return m, tea.Batch(cmd, chosenCmd(nil), status.Info("default columns"))
	case key.Matches(msg, k.Apply):
		var cols []column
		for _, col := range c.order {
			if c.shown[col] {
				cols = append(cols, col)
			}
		}
		m.chooser = chooser{}
		if len(cols) == 0 {
			return m, status.Warn("no column chosen: the columns stay as they were")
		}
		cmd := m.chooseColumns(cols)
		return m, tea.Batch(cmd, chosenCmd(columnIDs(cols)), status.Info("%d columns", len(cols)))
	}
	return m, nil
}

// chooseColumns puts a choice of columns in force (nil: the default), reloading when a
// column needs host fields the rows were not loaded with.
func (m *Model) chooseColumns(cols []column) tea.Cmd {
	m.chosen = cols
	m.setColumns()
	m.resize()
	for _, f := range loadFields(m.fieldColumns()) {
		if !slices.Contains(m.fields, f) && m.fields != nil {
			return m.Reload()
		}
	}
	return nil
}

// chosenCmd tells the root the new choice, which it keeps in the profile's settings.
func chosenCmd(ids []string) tea.Cmd {
	return func() tea.Msg { return pane.ColumnsChosenMsg{Kind: pane.Hosts, Columns: ids} }
}

func columnIDs(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = columnDefs[c].id
	}
	return out
}

// parseColumns reads column IDs (unknown ones are skipped: a newer version's column);
// nil when none is known.
func parseColumns(ids []string) []column {
	var out []column
	for _, id := range ids {
		if c, ok := columnByID(strings.TrimSpace(id)); ok && c != colTenant && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// SetColumnChoice implements pane.ColumnChooser: the choice kept for the profile (nil or
// empty: the default for the width). Nothing is reloaded: it is called before the first
// load.
func (m *Model) SetColumnChoice(ids []string) {
	m.chosen = parseColumns(ids)
	m.setColumns()
	m.resize()
}

// chooserView draws the chooser in the table's place.
func (m Model) chooserView(h int) string {
	c := m.chooser
	lines := []string{" " + m.st.Accent.Render("Columns") + m.st.Muted.Render("  space show/hide · K/J move · enter apply · d default · esc cancel")}
	start := max(0, min(c.cursor-(h-2)/2, len(c.order)-(h-1)))
	for i := start; i < len(c.order) && len(lines) < h; i++ {
		col := c.order[i]
		box := "[ ] "
		if c.shown[col] {
			box = "[x] "
		}
		line := box + col.String()
		if i == c.cursor {
			line = m.st.Selected.Render(widget.FitLine(line, max(1, min(m.width, 40))))
		}
		lines = append(lines, " "+line)
	}
	return strings.Join(lines, "\n")
}
