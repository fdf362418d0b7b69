package vtable

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// NavKeyMap is the cursor movement every list pane shares. A pane embeds it in its own
// KeyMap so that the keys, their help and their handling live in one place; a pane may
// change a binding's help (alerts calls Top "newest") or drop one by leaving it zero.
type NavKeyMap struct {
	Up, Down, PageUp, PageDown, HalfUp, HalfDown, Top, Bottom key.Binding
}

// DefaultNavKeyMap returns the shared movement keys, half-page moves included.
func DefaultNavKeyMap() NavKeyMap {
	return NavKeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		HalfUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "half page up")),
		HalfDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "half page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "first")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "last")),
	}
}

// WithoutHalfPage drops the half-page moves, for panes that never bound ctrl+u / ctrl+d.
func (k NavKeyMap) WithoutHalfPage() NavKeyMap {
	k.HalfUp, k.HalfDown = key.Binding{}, key.Binding{}
	return k
}

// Bindings lists the enabled bindings in help order; a zero (dropped) binding is left out so
// that it neither shows in help nor counts as a documented key.
func (k NavKeyMap) Bindings() []key.Binding {
	var out []key.Binding
	for _, b := range []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom} {
		if b.Enabled() {
			out = append(out, b)
		}
	}
	return out
}

// Navigate moves the cursor when msg is one of km's keys and reports whether it was, so
// that a pane handles movement first and its own keys only when this returns false.
func (m *Model) Navigate(msg tea.KeyPressMsg, km NavKeyMap) bool {
	switch {
	case key.Matches(msg, km.Up):
		m.Up(1)
	case key.Matches(msg, km.Down):
		m.Down(1)
	case key.Matches(msg, km.PageUp):
		m.PageUp()
	case key.Matches(msg, km.PageDown):
		m.PageDown()
	case key.Matches(msg, km.HalfUp):
		m.HalfPageUp()
	case key.Matches(msg, km.HalfDown):
		m.HalfPageDown()
	case key.Matches(msg, km.Top):
		m.Top()
	case key.Matches(msg, km.Bottom):
		m.Bottom()
	default:
		return false
	}
	return true
}
