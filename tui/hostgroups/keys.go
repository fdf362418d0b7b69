package hostgroups

import (
	"charm.land/bubbles/v2/key"

	"github.com/falcon-tui/falcon-tui/tui/vtable"
)

// KeyMap is the pane's keys: moving, the group list's edits and the member list's marks.
type KeyMap struct {
	vtable.NavKeyMap // movement in both lists; no half-page moves

	Open   key.Binding // group list: show members
	Back   key.Binding // member list: back to the groups
	Filter key.Binding
	Clear  key.Binding // group list: clear the kept filter
	Reload key.Binding

	// Group edits.
	New         key.Binding
	Rename      key.Binding
	Description key.Binding
	Rule        key.Binding
	Delete      key.Binding

	// Member list.
	Mark      key.Binding
	MarkAll   key.Binding
	ClearMark key.Binding
	Add       key.Binding // add the marked members to another group
	Remove    key.Binding // remove the marked members from this group
}

// DefaultKeyMap returns the pane's default keys.
func DefaultKeyMap() KeyMap {
	nav := vtable.DefaultNavKeyMap().WithoutHalfPage()
	nav.Top.SetHelp("g", "first")
	nav.Bottom.SetHelp("G", "last")
	return KeyMap{
		NavKeyMap: nav,
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "members")),
		Back:      key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "back")),
		Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Clear:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Reload:    key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "reload")),

		New:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new group")),
		Rename:      key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "rename")),
		Description: key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "edit description")),
		Rule:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit rule")),
		Delete:      key.NewBinding(key.WithKeys("d", "delete"), key.WithHelp("d", "delete group")),

		Mark:      key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark")),
		MarkAll:   key.NewBinding(key.WithKeys("ctrl+a"), key.WithHelp("ctrl+a", "mark all shown")),
		ClearMark: key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "clear marks")),
		Add:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add to group")),
		Remove:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "remove from group")),
	}
}

// writeKeys are the bindings that send writes.
func (k *KeyMap) writeKeys() []*key.Binding {
	return []*key.Binding{&k.New, &k.Rename, &k.Description, &k.Rule, &k.Delete, &k.Add, &k.Remove}
}

// explain rewrites the help of the write keys so that they say why they are off before the
// user tries (read-only, or no host-group:write). The keys stay enabled: pressing one shows
// the same reason in the status bar instead of doing nothing.
func (k *KeyMap) explain(reason string) {
	d := DefaultKeyMap()
	base := d.writeKeys()
	for i, b := range k.writeKeys() {
		desc := base[i].Help().Desc
		if reason != "" {
			desc += " (" + reason + ")"
		}
		b.SetHelp(base[i].Help().Key, desc)
	}
}

// ShortHelp implements help.KeyMap (the group list's keys).
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Filter, k.New, k.Rename, k.Rule, k.Delete}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		append(k.NavKeyMap.Bindings(), k.Open, k.Filter, k.Clear, k.Reload),
		{k.New, k.Rename, k.Description, k.Rule, k.Delete},
	}
}

// membersHelp is the help while a group's members are shown.
type membersHelp struct{ k KeyMap }

func (h membersHelp) ShortHelp() []key.Binding {
	return []key.Binding{h.k.Mark, h.k.MarkAll, h.k.Remove, h.k.Add, h.k.Back}
}

func (h membersHelp) FullHelp() [][]key.Binding {
	k := h.k
	return [][]key.Binding{
		append(k.NavKeyMap.Bindings(), k.Filter, k.Reload, k.Back),
		{k.Mark, k.MarkAll, k.ClearMark, k.Remove, k.Add, k.Rule},
	}
}
