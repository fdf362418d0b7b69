// Package viewlist is the saved views pane (`:views`): every view kept in the views file,
// with what it restores; enter opens one, d deletes it. The root reads and writes the file
// (tui/savedview) and gives the pane the list as its Open target.
package viewlist

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/savedview"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Kind is the pane's registry kind.
const Kind pane.Kind = "views"

// KeyMap is the pane's keys.
type KeyMap struct {
	Up, Down, Open, Delete key.Binding
}

// DefaultKeyMap returns the pane's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open the view")),
		Delete: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete the view")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Open, k.Delete} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Up, k.Down, k.Open, k.Delete}} }

// Model is the pane.
type Model struct {
	st            *theme.Styles
	keys          KeyMap
	views         []savedview.View
	cursor        int
	width, height int
}

// New returns the pane, empty until opened.
func New(d pane.Deps) Model { return Model{st: d.Styles, keys: DefaultKeyMap()} }

// Open implements pane.Opener: the target is the list of views.
func (m *Model) Open(target any) tea.Cmd {
	if vs, ok := target.([]savedview.View); ok {
		m.views = vs
		m.cursor = min(m.cursor, max(0, len(vs)-1))
	}
	return nil
}

// Update implements the pane contract.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	switch {
	case key.Matches(k, m.keys.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(k, m.keys.Down):
		m.cursor = min(max(0, len(m.views)-1), m.cursor+1)
	case key.Matches(k, m.keys.Open):
		if v, ok := m.selected(); ok {
			name := v.Name
			return m, func() tea.Msg { return pane.OpenViewMsg{Name: name} }
		}
	case key.Matches(k, m.keys.Delete):
		if v, ok := m.selected(); ok {
			name := v.Name
			return m, func() tea.Msg { return pane.DeleteViewMsg{Name: name} }
		}
	}
	return m, nil
}

func (m Model) selected() (savedview.View, bool) {
	if m.cursor < len(m.views) {
		return m.views[m.cursor], true
	}
	return savedview.View{}, false
}

// Title implements the pane contract.
func (m Model) Title() string { return fmt.Sprintf("Views[%d]", len(m.views)) }

// View implements the pane contract.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if len(m.views) == 0 {
		return widget.Message(m.st, m.width, m.height, m.st.Muted, "no saved views", ":save NAME keeps what is on screen")
	}
	lines := []string{m.st.Muted.Render(widget.FitLine(" NAME                 PANE     TENANT          WHAT", m.width))}
	start := max(0, m.cursor-(m.height-2))
	for i := start; i < len(m.views) && len(lines) < m.height; i++ {
		v := m.views[i]
		tenant := "start tenant"
		if v.State.AllTenants {
			tenant = "all tenants"
		} else if v.Tenant != "" {
			tenant = domain.ShortID(v.Tenant)
		}
		line := fmt.Sprintf(" %-20s %-8s %-15s %s", sanitize.Line(v.Name, 20), v.Pane, tenant, sanitize.Text(Describe(v.State)))
		line = widget.FitLine(line, m.width)
		if i == m.cursor {
			line = m.st.Selected.Render(line)
		}
		lines = append(lines, line)
	}
	return widget.Fit(strings.Join(lines, "\n"), m.width, m.height)
}

// Describe says in a few words what a view's state restores.
func Describe(s pane.ViewState) string {
	var parts []string
	if s.FQL != "" {
		parts = append(parts, "fql "+s.FQL)
	}
	if s.Filter != "" {
		parts = append(parts, "/"+s.Filter)
	}
	if s.Sort != "" {
		dir := "▲"
		if s.Desc {
			dir = "▼"
		}
		parts = append(parts, "sort "+s.Sort+" "+dir)
	}
	if len(s.Columns) > 0 {
		parts = append(parts, fmt.Sprintf("%d columns", len(s.Columns)))
	}
	return strings.Join(parts, "  ")
}

// SetSize, Focus and Blur implement the pane contract.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }
func (m *Model) Focus()           {}
func (m *Model) Blur()            {}

// Capturing implements the pane contract: the pane has no text input.
func (m Model) Capturing() bool { return false }

// KeyMap implements the pane contract.
func (m Model) KeyMap() help.KeyMap { return m.keys }

// Task implements the pane contract.
func (m Model) Task() string { return "" }
