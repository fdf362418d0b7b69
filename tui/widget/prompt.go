package widget

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// OpenPrompt readies a pane's one-line prompt (the `/` filter, the `f` FQL filter): prompt
// and placeholder text, the current value with the cursor at its end, the current theme's
// styles (the theme may have changed since the input was built), and focus.
func OpenPrompt(in *textinput.Model, st *theme.Styles, prompt, placeholder, value string) tea.Cmd {
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.SetValue(value)
	in.CursorEnd()
	in.SetStyles(st.TextInput())
	return in.Focus()
}
