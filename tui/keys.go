package tui

import "charm.land/bubbles/v2/key"

// KeyMap is the keys the root handles whatever pane is focused (unless a text input has
// the keyboard).
type KeyMap struct {
	Command key.Binding
	Next    key.Binding
	Prev    key.Binding
	Back    key.Binding
	Help    key.Binding
	Quit    key.Binding
	Undo    key.Binding
	// Copy and CopyFull copy the row under the cursor (copy.go), Export saves the view
	// (export.go): on every pane that has them (pane.Copier, pane.Exporter).
	Copy     key.Binding
	CopyFull key.Binding
	Export   key.Binding
	// Log shows the request log (the pane tui/requestlog).
	Log key.Binding
}

// DefaultKeyMap returns the global keys of docs/CLI.md §10.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Command: key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command (:ctx :zta :views …)")),
		Next:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		Prev:    key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q/ctrl+c", "quit")),
		Undo:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo last group edit")),

		Copy:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy the id under the cursor")),
		CopyFull: key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy it with name and tenant")),
		Export:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "export the view (:export)")),
		Log:      key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "request log (:log)")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Help, k.Command, k.Next, k.Quit} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Command, k.Next, k.Prev, k.Back, k.Undo, k.Log, k.Copy, k.CopyFull, k.Export, k.Help, k.Quit}}
}
