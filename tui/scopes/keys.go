package scopes

import "charm.land/bubbles/v2/key"

// KeyMap is the Scopes pane's keys.
type KeyMap struct {
	Up      key.Binding
	Down    key.Binding
	PageUp  key.Binding
	PageDn  key.Binding
	Home    key.Binding
	End     key.Binding
	Left    key.Binding // earlier tenant columns when they do not all fit
	Right   key.Binding
	NextGap key.Binding // the next scope that is denied or not provisioned somewhere
	PrevGap key.Binding
	Reprobe key.Binding
	Detail  key.Binding // the selected scope and the integration sets, in full
	Close   key.Binding // back from the full detail to the matrix
}

// DefaultKeyMap returns the pane's default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:  key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDn:  key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Home:    key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first")),
		End:     key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last")),
		Left:    key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "earlier tenants")),
		Right:   key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "more tenants")),
		NextGap: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next gap")),
		PrevGap: key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous gap")),
		Reprobe: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-probe")),
		Detail:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "full detail (again: back)")),
		Close:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back from the full detail")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.NextGap, k.Reprobe}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDn, k.Home, k.End},
		{k.Left, k.Right, k.NextGap, k.PrevGap, k.Reprobe, k.Detail, k.Close},
	}
}
