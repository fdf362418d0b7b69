package theme

import (
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// HostState maps a host state's name (falcon.HostState.String: online, offline, stale,
// contained) to its style. It takes the name so that the theme does not depend on the client.
func (s *Styles) HostState(name string) lipgloss.Style {
	switch name {
	case "online":
		return s.Online
	case "offline":
		return s.Offline
	case "stale":
		return s.Stale
	case "contained":
		return s.Contained
	}
	return s.Muted
}

// TextInput styles a bubbles text input (filter and command prompts) with the theme. The
// cursor does not blink: a blinking cursor is a timer firing forever for nothing.
func (s *Styles) TextInput() textinput.Styles {
	st := textinput.DefaultStyles(s.IsDark)
	st.Focused.Prompt = s.Accent
	st.Blurred.Prompt = s.Muted
	st.Focused.Text = s.Surface
	st.Blurred.Text = s.Muted
	st.Focused.Placeholder = s.Subtle
	st.Blurred.Placeholder = s.Subtle
	st.Focused.Suggestion = s.Muted
	st.Blurred.Suggestion = s.Muted
	st.Cursor.Blink = false
	if s.NoColor {
		st.Cursor.Color = nil
	} else {
		st.Cursor.Color = s.FocusedColor
	}
	return st
}
