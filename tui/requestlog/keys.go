package requestlog

import (
	"charm.land/bubbles/v2/key"

	"github.com/falcon-tui/falcon-tui/tui/vtable"
)

// KeyMap is the request log's keys.
type KeyMap struct {
	vtable.NavKeyMap
	Open, Filter, Clear, Back key.Binding
}

// DefaultKeyMap returns the request log's keys.
func DefaultKeyMap() KeyMap {
	nav := vtable.DefaultNavKeyMap()
	nav.Top.SetHelp("g/home", "newest")
	nav.Bottom.SetHelp("G/end", "oldest")
	return KeyMap{
		NavKeyMap: nav,
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "the call in full")),
		Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter (local)")),
		Clear:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Back:      key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "back to the list")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Open, k.Filter} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.NavKeyMap.Bindings(), {k.Open, k.Filter, k.Clear, k.Back}}
}
