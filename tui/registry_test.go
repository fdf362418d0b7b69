package tui

import (
	"go/build"
	"go/parser"
	"go/token"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// probe is a pane that exists only in this test: it implements the contract and nothing of
// the root knows it, so that the test below shows what adding a pane takes.
type probe struct {
	started []pane.Session
	got     []tea.Msg
	focused bool
	w, h    int
	keys    probeKeys
}

type probeKeys struct{ Ping key.Binding }

func (k probeKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Ping} }
func (k probeKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Ping}} }

func newProbe() *probe {
	return &probe{keys: probeKeys{Ping: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "ping the probe"))}}
}

func (p *probe) Update(msg tea.Msg) tea.Cmd {
	p.got = append(p.got, msg)
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, p.keys.Ping) {
		return status.Info("pong")
	}
	return nil
}

func (p *probe) View() string              { return widget.Fit("probe pane", p.w, p.h) }
func (p *probe) Title() string             { return "Probe[" + strconv.Itoa(len(p.got)) + "]" }
func (p *probe) SetSize(width, height int) { p.w, p.h = width, height }
func (p *probe) Focus()                    { p.focused = true }
func (p *probe) Blur()                     { p.focused = false }
func (p *probe) Capturing() bool           { return false }
func (p *probe) KeyMap() help.KeyMap       { return p.keys }
func (p *probe) Task() string              { return "" }

// Start makes the probe a Starter: a lazy pane starts when first shown.
func (p *probe) Start(s pane.Session) tea.Cmd { p.started = append(p.started, s); return nil }

// pingMsg stands for a result or announcement every pane is given.
type pingMsg struct{}

func received[T any](p *probe) int {
	n := 0
	for _, m := range p.got {
		if _, ok := m.(T); ok {
			n++
		}
	}
	return n
}

// Adding a pane is one package and one registry row: the probe is routed messages, has a
// tab, answers its command and alias, completes in the command bar, shows its keys in the
// help and starts lazily, with no other change to the root.
func TestAPaneIsOnePackageAndOneRegistryRow(t *testing.T) {
	p := newProbe()
	reg := DefaultRegistry().With(pane.Spec{Kind: "probe", Name: "Probe", Lazy: true,
		Commands: []string{"probe", "pr"}, Desc: "a pane only this test has",
		New: func(pane.Deps) pane.Model { return p }})
	a := start(t, 120, 35, true, Options{Registry: reg})

	if !strings.Contains(a.line(1), " Probe ") {
		t.Fatalf("no Probe tab: %q", a.line(1))
	}
	if len(p.started) != 0 {
		t.Fatal("a lazy pane started before it was shown")
	}
	a.r.Send(pingMsg{})
	if received[pingMsg](p) != 1 {
		t.Fatal("the probe was not given a message every pane gets")
	}
	if received[tea.WindowSizeMsg](p) != 0 || p.w != 118 {
		t.Fatalf("the probe was not sized with the others (width %d)", p.w)
	}

	a.press(":")
	a.r.TypeText("pro")
	a.mustShow("probe", "a pane only this test has")
	a.press("esc")

	a.command("probe")
	if a.m.top() != "probe" || !p.focused {
		t.Fatalf(":probe shows %s (focused %v)", a.m.top(), p.focused)
	}
	if len(p.started) != 1 || p.started[0].CID != a.m.cid || len(p.started[0].Tenants) == 0 {
		t.Fatalf("first show started the probe with %+v", p.started)
	}
	a.mustShow("Probe[", "probe pane")
	a.press("p")
	if got := a.lastStatus().Text; got != "pong" {
		t.Fatalf("p on the probe: status %q", got)
	}
	a.press("?")
	a.mustShow("Global", "Probe", "ping the probe")
	a.press("esc")

	a.command("hosts")
	if p.focused {
		t.Fatal("the probe kept the focus")
	}
	a.command("pr")
	if a.m.top() != "probe" || len(p.started) != 1 {
		t.Fatalf(":pr shows %s, started %d times", a.m.top(), len(p.started))
	}
	a.press("tab") // the probe is the last tab: tab goes round to the first
	if a.m.tab() != pane.Tenants {
		t.Fatalf("tab from the last tab went to %s", a.m.tab())
	}
	a.press("shift+tab")
	if a.m.tab() != "probe" {
		t.Fatalf("shift+tab went to %s", a.m.tab())
	}
}

func TestRegistryCheck(t *testing.T) {
	if err := DefaultRegistry().Check(builtinVerbs()...); err != nil {
		t.Fatal(err)
	}
	noop := func(pane.Deps) pane.Model { return newProbe() }
	for name, reg := range map[string]pane.Registry{
		"kind twice":    DefaultRegistry().With(pane.Spec{Kind: pane.Hosts, Name: "Again", New: noop}),
		"command twice": DefaultRegistry().With(pane.Spec{Kind: "x", Name: "X", Commands: []string{"h"}, New: noop}),
		"built-in":      DefaultRegistry().With(pane.Spec{Kind: "x", Name: "X", Commands: []string{"ctx"}, New: noop}),
		"drill start":   {Start: pane.Host, Panes: DefaultRegistry().Panes},
		"no New":        DefaultRegistry().With(pane.Spec{Kind: "x", Name: "X"}),
	} {
		if reg.Check(builtinVerbs()...) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// No pane package imports another: what panes share lives in tui/pane (the contract and the
// messages to the root), tui/domain, tui/widget and the other small shared packages. The pane
// packages are the ones the registry imports.
func TestPanesDoNotImportEachOther(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "registry.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	const module = "github.com/falcon-tui/falcon-tui/"
	var panes []string
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if strings.HasPrefix(p, module+"tui/") && p != module+"tui/pane" {
			panes = append(panes, p)
		}
	}
	if len(panes) < 7 {
		t.Fatalf("found only %v behind the registry", panes)
	}
	for _, p := range panes {
		pkg, err := build.ImportDir(path.Join("..", strings.TrimPrefix(p, module)), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range slices.Concat(pkg.Imports, pkg.TestImports, pkg.XTestImports) {
			if imp != p && slices.Contains(panes, imp) {
				t.Errorf("pane %s imports pane %s", p, imp)
			}
		}
	}
}
