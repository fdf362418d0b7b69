package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// focusTop focuses the view on top of the stack.
func (m *Model) focusTop() { m.setPaneFocus(m.top(), true) }

// push drills down into k.
func (m *Model) push(k pane.Kind) tea.Cmd {
	m.setPaneFocus(m.top(), false)
	m.stack = append(m.stack, k)
	m.focusTop()
	return nil
}

// pop goes back one level.
func (m *Model) pop() tea.Cmd {
	if len(m.stack) < 2 {
		return nil
	}
	m.setPaneFocus(m.top(), false)
	m.stack = m.stack[:len(m.stack)-1]
	m.focusTop()
	return nil
}

// goTab shows a top-level pane, dropping any drill-down.
func (m *Model) goTab(k pane.Kind) tea.Cmd {
	m.setPaneFocus(m.top(), false)
	m.stack = []pane.Kind{k}
	m.focusTop()
	return m.showLazy(k)
}

// cycle moves to the next (+1) or previous (-1) tab.
func (m *Model) cycle(dir int) tea.Cmd {
	tabs := m.reg.Tabs()
	i := 0
	for j, t := range tabs {
		if t == m.tab() {
			i = j
		}
	}
	return m.goTab(tabs[(i+dir+len(tabs))%len(tabs)])
}

// showLazy starts the first load of a lazy pane when it is first shown, so that a session
// that never opens alerts or scopes spends no requests on them.
func (m *Model) showLazy(k pane.Kind) tea.Cmd {
	if !m.connected || m.shown[k] || !m.spec(k).Lazy {
		return nil
	}
	return m.start(k)
}

// mouse routes a click or wheel: tabs on the tab bar switch panes, anything inside the
// frame goes to the pane with coordinates relative to its content.
func (m Model) mouse(msg tea.MouseMsg) (Model, tea.Cmd) {
	if m.edit.Active() || m.overlay != overlayNone || !m.connected {
		return m, nil
	}
	mouse := msg.Mouse()
	if _, ok := msg.(tea.MouseClickMsg); ok && mouse.Y == 1 && mouse.Button == tea.MouseLeft {
		if k, ok := m.tabAt(mouse.X); ok {
			return m, m.goTab(k)
		}
		return m, nil
	}
	top := headerRows + 1 // first content row inside the frame
	w, h := m.paneSize()
	x, y := mouse.X-1, mouse.Y-top
	if x < 0 || y < 0 || x >= w || y >= h {
		return m, nil
	}
	mouse.X, mouse.Y = x, y
	var local tea.Msg
	switch msg.(type) {
	case tea.MouseClickMsg:
		local = tea.MouseClickMsg(mouse)
	case tea.MouseWheelMsg:
		local = tea.MouseWheelMsg(mouse)
	}
	return m, m.pane(m.top()).Update(local)
}

// navigate shows the pane a NavigateMsg names, opened on its target: a drill-down on top of
// the current view, a tab in place of it.
func (m Model) navigate(msg pane.NavigateMsg) (Model, tea.Cmd) {
	i, ok := m.index[msg.To]
	if !ok {
		return m, nil
	}
	open := func() tea.Cmd {
		if o, ok := pane.As[pane.Opener](m.panes[i]); ok {
			return o.Open(msg.Target)
		}
		return nil
	}
	if m.reg.Panes[i].Drill {
		cmd := open()
		return m, tea.Batch(cmd, m.push(msg.To))
	}
	cmd := m.goTab(msg.To)
	return m, tea.Batch(cmd, open())
}
