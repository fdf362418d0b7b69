package hosts

import (
	"charm.land/bubbles/v2/key"

	"github.com/falcon-tui/falcon-tui/tui/vtable"
)

// KeyMap is the hosts pane's keys.
type KeyMap struct {
	vtable.NavKeyMap

	Open       key.Binding
	Filter     key.Binding
	FQL        key.Binding
	Sort       key.Binding
	Reverse    key.Binding
	AllTenants key.Binding
	Reload     key.Binding
	// FullRefresh reloads every row of the shown tenants into the local store (without a
	// store: a reload).
	FullRefresh key.Binding
	Mark        key.Binding
	MarkAll     key.Binding
	ClearMarks  key.Binding
	Add         key.Binding
	Remove      key.Binding
	Undo        key.Binding
	Clear       key.Binding // esc: drop the local filter
	Columns     key.Binding // C: the column chooser

	// Chooser is the column chooser's keys, while it is open.
	Chooser ChooserKeyMap
}

// DefaultKeyMap returns the hosts pane's default keys (those of docs/CLI.md §10, plus navigation).
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NavKeyMap:   vtable.DefaultNavKeyMap(),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "host detail")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter (local)")),
		FQL:         key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "FQL filter (server)")),
		Sort:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort by next column")),
		Reverse:     key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		AllTenants:  key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "this / all tenants")),
		Reload:      key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "reload / refresh")),
		FullRefresh: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "full refresh")),
		Mark:        key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark / unmark")),
		MarkAll:     key.NewBinding(key.WithKeys("ctrl+a"), key.WithHelp("ctrl+a", "mark all shown")),
		ClearMarks:  key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "clear marks")),
		Add:         key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add to group")),
		Remove:      key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "remove from group")),
		Undo:        key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo group edit")),
		Clear:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Columns:     key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "choose columns")),
		Chooser:     DefaultChooserKeyMap(),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Filter, k.FQL, k.Mark, k.Add, k.Remove, k.Sort}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		k.NavKeyMap.Bindings(),
		{k.Open, k.Filter, k.FQL, k.Clear, k.Sort, k.Reverse, k.AllTenants, k.Reload, k.FullRefresh, k.Columns},
		{k.Mark, k.MarkAll, k.ClearMarks, k.Add, k.Remove, k.Undo},
	}
}
