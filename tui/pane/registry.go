package pane

import (
	"fmt"
	"slices"
)

// Spec registers a pane with the root: one row of the registry.
type Spec struct {
	Kind Kind
	// Name labels the pane: its tab, its column of the ? help, "no filter in NAME".
	Name string
	// Drill marks a drill-down: not a tab; shown on top of the current view by a
	// NavigateMsg naming it, and left with esc.
	Drill bool
	// Lazy panes start (Starter, else TenantSetter) when first shown, so that a session
	// that never opens them spends no requests on them; the others start at connect.
	Lazy bool
	// PicksTenant: the pane is where tenants are chosen; once the tenant switches, the
	// start pane is shown instead.
	PicksTenant bool
	// Commands are the pane's `:` commands, the name first, then aliases.
	Commands []string
	// Desc says what the command shows, for the command bar's completion.
	Desc string
	// Crumb is the drill-down's part of the path on the tab bar ("" = Name); a pane with a
	// Crumber says more.
	Crumb string
	// New builds the pane (Make(pkg.New)).
	New func(Deps) Model
}

// Registry is the table of panes the root reads: which exist, their tab order (the order
// of the rows that are not drill-downs), their commands, and which one the explorer starts
// on. Rows are also the order the root gives messages to the panes and lists their tasks.
type Registry struct {
	Start Kind
	Panes []Spec
}

// Index is the row of kind k, -1 when there is none.
func (r Registry) Index(k Kind) int {
	return slices.IndexFunc(r.Panes, func(s Spec) bool { return s.Kind == k })
}

// StartFirst is every row with the start pane's first: the order of the command bar's
// completions and of the status bar's tasks (the start pane's load is what the user waits
// for first).
func (r Registry) StartFirst() []Spec {
	out := make([]Spec, 0, len(r.Panes))
	if i := r.Index(r.Start); i >= 0 {
		out = append(out, r.Panes[i])
	}
	for _, s := range r.Panes {
		if s.Kind != r.Start {
			out = append(out, s)
		}
	}
	return out
}

// Tabs are the kinds of the top-level panes, in tab order.
func (r Registry) Tabs() []Kind {
	var out []Kind
	for _, s := range r.Panes {
		if !s.Drill {
			out = append(out, s.Kind)
		}
	}
	return out
}

// With returns a copy of r with more panes after its own.
func (r Registry) With(specs ...Spec) Registry {
	r.Panes = append(slices.Clip(r.Panes), specs...)
	return r
}

// Check reports a table the root cannot use: no constructor, a kind twice, a command two
// panes (or a built-in) claim, a start pane that is missing or a drill-down.
func (r Registry) Check(builtins ...string) error {
	kinds := map[Kind]bool{}
	commands := map[string]Kind{}
	for _, b := range builtins {
		commands[b] = "the root"
	}
	for _, s := range r.Panes {
		switch {
		case s.Kind == "" || s.Name == "" || s.New == nil:
			return fmt.Errorf("pane %q: a kind, a name and a constructor are required", s.Kind)
		case kinds[s.Kind]:
			return fmt.Errorf("pane %q registered twice", s.Kind)
		}
		kinds[s.Kind] = true
		for _, c := range s.Commands {
			if other, ok := commands[c]; ok {
				return fmt.Errorf("command :%s of pane %q is %s's already", c, s.Kind, other)
			}
			commands[c] = s.Kind
		}
	}
	if i := r.Index(r.Start); i < 0 || r.Panes[i].Drill {
		return fmt.Errorf("start pane %q is not a registered tab", r.Start)
	}
	return nil
}
