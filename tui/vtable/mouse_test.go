package vtable

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// The wheel scrolls, a click selects a row, a second click on it asks the pane to open it;
// clicks on the header, below the rows or with another button do nothing.
func TestMouse(t *testing.T) {
	m := New([]Column{{Title: "A"}}, false)
	m.SetSize(20, 11) // header + 10 rows
	m.SetRows(100)
	click := func(y int, b tea.MouseButton) tea.MouseClickMsg {
		return tea.MouseClickMsg{X: 1, Y: y, Button: b}
	}
	if m.Mouse(click(3, tea.MouseLeft)) || m.Cursor() != 2 {
		t.Fatalf("click on the third row: cursor %d", m.Cursor())
	}
	if !m.Mouse(click(3, tea.MouseLeft)) {
		t.Fatal("a second click on the selected row should activate it")
	}
	if m.Mouse(click(0, tea.MouseLeft)) || m.Mouse(click(5, tea.MouseRight)) || m.Cursor() != 2 {
		t.Fatalf("header or right click moved the cursor to %d", m.Cursor())
	}
	m.Mouse(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if row, _, _ := m.RowAt(1); row != wheelRows {
		t.Fatalf("after one wheel notch down the first visible row is %d, want %d", row, wheelRows)
	}
	m.Mouse(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if row, _, _ := m.RowAt(1); row != 0 {
		t.Fatalf("after scrolling back up the first visible row is %d", row)
	}
	if m.Mouse(tea.KeyPressMsg{Code: 'j'}) {
		t.Fatal("a key is not a mouse event")
	}
}
