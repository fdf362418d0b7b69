package groupedit

import "charm.land/bubbles/v2/key"

// KeyMap is the overlay's keys. Which of them apply depends on the step the overlay is in;
// ShortHelp and FullHelp list them all, the box's own hint line lists the current step's.
type KeyMap struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Home     key.Binding
	End      key.Binding
	Filter   key.Binding // picker: type to narrow the groups
	Choose   key.Binding // picker: take the group; confirm: send the edit; report: close
	EditRule key.Binding // picker: edit the rule of a dynamic group
	Yes      key.Binding // confirm without typed count
	Retry    key.Binding // report: resend the failed hosts
	Undo     key.Binding // report: undo the edit just made
	Failed   key.Binding // report: show only failed hosts
	Hide     key.Binding // running: keep the edit going in the background
	Cancel   key.Binding
}

// DefaultKeyMap returns the overlay's default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k", "ctrl+p"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j", "ctrl+n"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Home:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first")),
		End:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter groups")),
		Choose:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		EditRule: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit rule")),
		Yes:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		Retry:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry failed")),
		Undo:     key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo")),
		Failed:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "failed only")),
		Hide:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "run in background")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Choose, k.Filter, k.EditRule, k.Retry, k.Undo, k.Cancel}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Filter, k.Choose, k.EditRule, k.Yes},
		{k.Retry, k.Undo, k.Failed, k.Hide, k.Cancel},
	}
}
