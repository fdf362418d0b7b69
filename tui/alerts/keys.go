package alerts

import (
	"charm.land/bubbles/v2/key"

	"github.com/falcon-tui/falcon-tui/tui/vtable"
)

// KeyMap is the alerts pane's keys.
type KeyMap struct {
	vtable.NavKeyMap                       // no half-page moves
	Open, Filter, FQL, Clear, Reload, Sort key.Binding
	// Triage (docs/KEYS.md, "Alerts").
	Mark, MarkAll, ClearMarks, Status, Assign, Comment key.Binding
}

// DefaultKeyMap returns the alerts pane's keys.
func DefaultKeyMap() KeyMap {
	nav := vtable.DefaultNavKeyMap().WithoutHalfPage()
	nav.Top.SetHelp("g/home", "newest")
	nav.Bottom.SetHelp("G/end", "oldest")
	return KeyMap{
		NavKeyMap: nav,
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "alert detail")),
		Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter (local)")),
		FQL:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "FQL filter (server)")),
		Clear:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Reload:    key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "reload")),
		Sort:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort: time/severity/status/host")),

		Mark:       key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark / unmark")),
		MarkAll:    key.NewBinding(key.WithKeys("ctrl+a"), key.WithHelp("ctrl+a", "mark all shown")),
		ClearMarks: key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "clear marks")),
		Status:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "set status")),
		Assign:     key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "assign (a user, me, nobody)")),
		Comment:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "add a comment")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Filter, k.FQL, k.Sort, k.Status, k.Assign, k.Comment}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		k.NavKeyMap.Bindings(),
		{k.Open, k.Filter, k.FQL, k.Clear, k.Sort, k.Reload},
		{k.Mark, k.MarkAll, k.ClearMarks, k.Status, k.Assign, k.Comment},
	}
}
