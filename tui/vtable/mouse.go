package vtable

import tea "charm.land/bubbletea/v2"

// wheelRows is how far one wheel notch scrolls a list.
const wheelRows = 3

// Mouse applies a wheel or left-click message the way every list pane treats it: the wheel
// scrolls wheelRows rows, a click on a row selects it. It reports whether the click landed on
// the row that was already selected, which the panes take as "open it"; any other message is
// ignored.
func (m *Model) Mouse(msg tea.Msg) (activate bool) {
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			m.Scroll(-wheelRows)
		case tea.MouseWheelDown:
			m.Scroll(wheelRows)
		}
	case tea.MouseClickMsg:
		mouse := msg.Mouse()
		row, header, ok := m.RowAt(mouse.Y)
		if !ok || header || mouse.Button != tea.MouseLeft {
			return false
		}
		if row == m.Cursor() {
			return true
		}
		m.SetCursor(row)
	}
	return false
}
