package groupedit

import (
	"fmt"
	"image/color"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// Bug: the overlay's picker, rule and count inputs keep a copy of their styles and did not
// follow a light/dark switch.
func TestInputsFollowTheBackground(t *testing.T) {
	st := tuitest.Styles()
	m := New(nil, st, Options{})
	*st = *theme.New(false, theme.WithNoColor(false))
	want := fmt.Sprint(st.Accent.GetForeground())
	m, _ = m.Update(tea.BackgroundColorMsg{Color: color.White})
	for name, got := range map[string]string{
		"picker":  fmt.Sprint(m.picker.input.Styles().Focused.Prompt.GetForeground()),
		"rule":    fmt.Sprint(m.rule.input.Styles().Focused.Prompt.GetForeground()),
		"confirm": fmt.Sprint(m.confirm.input.Styles().Focused.Prompt.GetForeground()),
	} {
		if got != want {
			t.Errorf("%s prompt colour %s after the switch, want %s", name, got, want)
		}
	}
}
