package pane

import (
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// counter is a pane in the shape of the explorer's: a value model with pointer setters.
type counter struct {
	n       int
	w, h    int
	focused bool
	tenant  string
}

func newCounter(Deps) counter { return counter{} }

func (c counter) Update(msg tea.Msg) (counter, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		c.n++
	}
	return c, nil
}

func (c counter) View() string                  { return "" }
func (c counter) Title() string                 { return "Counter" }
func (c counter) Capturing() bool               { return false }
func (c counter) KeyMap() help.KeyMap           { return keys{} }
func (c counter) Task() string                  { return "" }
func (c *counter) SetSize(w, h int)             { c.w, c.h = w, h }
func (c *counter) Focus()                       { c.focused = true }
func (c *counter) Blur()                        { c.focused = false }
func (c *counter) SetTenant(cid string) tea.Cmd { c.tenant = cid; return nil }

type keys struct{}

func (keys) ShortHelp() []key.Binding  { return nil }
func (keys) FullHelp() [][]key.Binding { return nil }

func TestMakeKeepsTheValueModelInPlace(t *testing.T) {
	p := Make(newCounter)(Deps{})
	p.Update(tea.KeyPressMsg{Code: 'x'})
	p.Update(tea.KeyPressMsg{Code: 'x'})
	p.SetSize(10, 4)
	p.Focus()
	c, ok := As[*counter](p)
	if !ok || c.n != 2 || c.w != 10 || !c.focused {
		t.Fatalf("the pane's own model: %+v (found %v)", c, ok)
	}
	s, ok := As[TenantSetter](p)
	if !ok {
		t.Fatal("an optional interface of the pane's model was not found")
	}
	s.SetTenant("abc")
	if c.tenant != "abc" {
		t.Fatal("the optional interface did not reach the held model")
	}
	if _, ok := As[Opener](p); ok {
		t.Fatal("found an interface the pane does not implement")
	}
}

// direct is a pane that implements Model itself.
type direct struct{ Model }

func (direct) Crumb() string { return "here" }

func TestAsOnAPaneThatIsItsOwnModel(t *testing.T) {
	c, ok := As[Crumber](direct{})
	if !ok || c.Crumb() != "here" {
		t.Fatal("As did not find the interface on the pane itself")
	}
}

func TestRegistryOrder(t *testing.T) {
	r := Registry{Start: "b", Panes: []Spec{{Kind: "a"}, {Kind: "b"}, {Kind: "d", Drill: true}, {Kind: "c"}}}
	if got := r.Tabs(); len(got) != 3 || got[0] != "a" || got[2] != "c" {
		t.Fatalf("tabs %v", got)
	}
	var order []Kind
	for _, s := range r.StartFirst() {
		order = append(order, s.Kind)
	}
	if len(order) != 4 || order[0] != "b" || order[1] != "a" || order[2] != "d" {
		t.Fatalf("start first %v", order)
	}
	if r2 := r.With(Spec{Kind: "e"}); len(r.Panes) != 4 || len(r2.Panes) != 5 {
		t.Fatal("With changed the registry it was called on")
	}
}
