package widget

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// ScrollKeyMap is the keys of a pane that scrolls a page of text (the detail views).
type ScrollKeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

// DefaultScrollKeyMap returns the scrolling keys.
func DefaultScrollKeyMap() ScrollKeyMap {
	return ScrollKeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", "ctrl+d", "space"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),
	}
}

// Bindings lists the keys in help order.
func (k ScrollKeyMap) Bindings() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
}

// wheelLines is how far one notch of the mouse wheel scrolls.
const wheelLines = 3

// Scroll is where the first line shown goes for msg: a scroll key (page lines for a page)
// or the wheel. ok is false when msg does not scroll; the caller clamps the result to its
// text.
func Scroll(msg tea.Msg, k ScrollKeyMap, offset, page int) (to int, ok bool) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Up):
			return offset - 1, true
		case key.Matches(msg, k.Down):
			return offset + 1, true
		case key.Matches(msg, k.PageUp):
			return offset - page, true
		case key.Matches(msg, k.PageDown):
			return offset + page, true
		case key.Matches(msg, k.Top):
			return 0, true
		case key.Matches(msg, k.Bottom):
			return 1 << 30, true
		}
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			return offset - wheelLines, true
		case tea.MouseWheelDown:
			return offset + wheelLines, true
		}
	}
	return offset, false
}
