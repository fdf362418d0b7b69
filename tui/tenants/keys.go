package tenants

import (
	"charm.land/bubbles/v2/key"

	"github.com/falcon-tui/falcon-tui/tui/vtable"
)

// KeyMap is the tenants pane's keys.
type KeyMap struct {
	vtable.NavKeyMap              // no half-page moves
	Switch, Filter, Clear, Reload key.Binding
}

// DefaultKeyMap returns the tenants pane's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NavKeyMap: vtable.DefaultNavKeyMap().WithoutHalfPage(),
		Switch:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "switch to tenant")),
		Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Clear:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Reload:    key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "reload")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Switch, k.Filter, k.Reload} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		k.NavKeyMap.Bindings(),
		{k.Switch, k.Filter, k.Clear, k.Reload},
	}
}
