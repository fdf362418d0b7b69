package widget

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestScroll(t *testing.T) {
	k := DefaultScrollKeyMap()
	for _, tc := range []struct {
		msg  tea.Msg
		want int
		ok   bool
	}{
		{tea.KeyPressMsg{Code: 'j', Text: "j"}, 11, true},
		{tea.KeyPressMsg{Code: tea.KeyUp}, 9, true},
		{tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}, 30, true},
		{tea.KeyPressMsg{Code: tea.KeyPgUp}, -10, true},
		{tea.KeyPressMsg{Code: 'g', Text: "g"}, 0, true},
		{tea.KeyPressMsg{Code: tea.KeyEnd}, 1 << 30, true},
		{tea.MouseWheelMsg{Button: tea.MouseWheelDown}, 13, true},
		{tea.MouseWheelMsg{Button: tea.MouseWheelUp}, 7, true},
		{tea.KeyPressMsg{Code: 'x', Text: "x"}, 10, false},
	} {
		if got, ok := Scroll(tc.msg, k, 10, 20); got != tc.want || ok != tc.ok {
			t.Errorf("%v: %d %v, want %d %v", tc.msg, got, ok, tc.want, tc.ok)
		}
	}
}
