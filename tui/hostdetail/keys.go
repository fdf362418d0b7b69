package hostdetail

import (
	"charm.land/bubbles/v2/key"

	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// KeyMap is the host detail's keys.
type KeyMap struct {
	widget.ScrollKeyMap
	Alerts, Add, Remove, Reload key.Binding
}

// DefaultKeyMap returns the host detail's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		ScrollKeyMap: widget.DefaultScrollKeyMap(),
		Alerts:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "the host's alerts")),
		Add:          key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add host to a group")),
		Remove:       key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "remove host from a group")),
		Reload:       key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "reload")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Alerts, k.Add, k.Remove, k.Reload} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		k.ScrollKeyMap.Bindings(),
		{k.Alerts, k.Add, k.Remove, k.Reload},
	}
}
