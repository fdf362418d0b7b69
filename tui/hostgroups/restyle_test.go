package hostgroups

import (
	"fmt"
	"image/color"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// Bug: the filters and the edit form keep a copy of their styles, so after a light/dark
// switch (tea.BackgroundColorMsg, the root rebuilds the shared styles) they stayed in the
// old theme's colours.
func TestInputsFollowTheBackground(t *testing.T) {
	m := withMembers(t, 3)
	m, _ = m.Update(tuitest.Key("esc")) // back to the groups
	m, _ = m.Update(tuitest.Key("R"))   // a form with an input
	if len(m.form.inputs) == 0 {
		t.Fatal("R did not open the rename form")
	}
	darkAccent := fmt.Sprint(m.st.Accent.GetForeground())
	*m.st = *theme.New(false, theme.WithNoColor(false))
	lightAccent := fmt.Sprint(m.st.Accent.GetForeground())
	if darkAccent == lightAccent {
		t.Fatal("the themes share their accent: the test cannot tell them apart")
	}
	m, _ = m.Update(tea.BackgroundColorMsg{Color: color.White})
	for name, got := range map[string]string{
		"groups filter":  fmt.Sprint(m.filter.Input.Styles().Focused.Prompt.GetForeground()),
		"members filter": fmt.Sprint(m.members.filter.Input.Styles().Focused.Prompt.GetForeground()),
		"form input":     fmt.Sprint(m.form.inputs[0].Styles().Focused.Prompt.GetForeground()),
	} {
		if got != lightAccent {
			t.Errorf("%s prompt colour %s after the switch, want the light accent %s", name, got, lightAccent)
		}
	}
}
