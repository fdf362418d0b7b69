// Package pane is the contract between the explorer's root and its panes: the interface the
// root holds every pane by, the one constructor signature (New(Deps)), the table entry that
// registers a pane (Spec), the optional interfaces a pane implements to follow the session
// (tenant, tenant list, rate limits, being opened on something), and the messages panes send
// up. The root (package tui) reads the registry and never switches on which pane it holds;
// docs/TUI.md says how to add a pane.
package pane

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// Kind names a pane: its registry entry, its place on the navigation stack, and the target
// of a NavigateMsg.
type Kind string

// The kinds of the built-in panes. A pane that others navigate to needs its kind here; any
// other pane may declare its kind in its own package.
const (
	Tenants    Kind = "tenants"
	Hosts      Kind = "hosts"
	Groups     Kind = "groups"
	Alerts     Kind = "alerts"
	Scopes     Kind = "scopes"
	Host       Kind = "host"       // one host in full (drill-down)
	HostAlerts Kind = "hostalerts" // one host's alerts (drill-down)
	Alert      Kind = "alert"      // one alert in full (drill-down)
	Log        Kind = "log"        // the request log (a tab the global L key shows)
)

// Model is what the root holds a pane by. Build one with Make from a pane's own value
// model (see Pane); Update changes the pane in place.
type Model interface {
	Update(tea.Msg) tea.Cmd
	View() string // exactly the size given by SetSize
	Title() string
	SetSize(width, height int)
	Focus()
	Blur()
	// Capturing reports that a text input has the keyboard: the root must not take q, :,
	// tab or ? as global keys.
	Capturing() bool
	// KeyMap is the pane's keys for the root's ? help (global keys + the focused pane's).
	KeyMap() help.KeyMap
	// Task names what the pane is loading for the status bar ("" when idle).
	Task() string
}

// Pane is what every pane package's Model implements, with value receivers as Bubble Tea
// models have (M is the Model itself), plus SetSize, Focus and Blur on its pointer.
type Pane[M any] interface {
	Update(tea.Msg) (M, tea.Cmd)
	View() string
	Title() string
	Capturing() bool
	KeyMap() help.KeyMap
	Task() string
}

// ptr is the pointer half of the contract.
type ptr[M any] interface {
	*M
	SetSize(width, height int)
	Focus()
	Blur()
}

// Make turns a pane package's constructor into the registry's: Make(hosts.New).
func Make[M Pane[M], P ptr[M]](newPane func(Deps) M) func(Deps) Model {
	return func(d Deps) Model { return &box[M, P]{m: newPane(d)} }
}

// box holds a pane's value model for the root.
type box[M Pane[M], P ptr[M]] struct{ m M }

func (b *box[M, P]) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	b.m, cmd = b.m.Update(msg)
	return cmd
}

func (b *box[M, P]) View() string              { return b.m.View() }
func (b *box[M, P]) Title() string             { return b.m.Title() }
func (b *box[M, P]) SetSize(width, height int) { P(&b.m).SetSize(width, height) }
func (b *box[M, P]) Focus()                    { P(&b.m).Focus() }
func (b *box[M, P]) Blur()                     { P(&b.m).Blur() }
func (b *box[M, P]) Capturing() bool           { return b.m.Capturing() }
func (b *box[M, P]) KeyMap() help.KeyMap       { return b.m.KeyMap() }
func (b *box[M, P]) Task() string              { return b.m.Task() }

// unwrap is the pane's own model, by pointer, for As.
func (b *box[M, P]) unwrap() any { return P(&b.m) }

// As finds an optional interface (or the concrete *Model, in tests) behind a pane: the
// pane's own model when it was built with Make, else the pane itself.
func As[I any](p Model) (I, bool) {
	if b, ok := p.(interface{ unwrap() any }); ok {
		i, ok := b.unwrap().(I)
		return i, ok
	}
	i, ok := p.(I)
	return i, ok
}

// Deps is what every pane is built with: New(Deps) is the one constructor signature.
type Deps struct {
	Client *falcon.Client
	Styles *theme.Styles // shared: the root restyles them all on a background change
	// Context is the parent of every call the pane makes: the current client's, which a
	// profile switch cancels. nil = Background.
	Context context.Context
	// Now is the clock (relative times, states, countdowns); nil = time.Now.
	Now      func() time.Time
	ReadOnly bool
	// Me is the analyst's console login (or UUID) for "assign to me" in alert triage, from
	// the profile (docs/API.md §20); "" = not configured.
	Me string
	// Prober sends the host-group:write probe, one per client shared by every pane and the
	// group-edit overlay; nil = the pane makes its own.
	Prober *groupedit.Prober
	// Store is the profile's encrypted local store (docs/STORE.md); nil = none (--no-store,
	// --demo, no keyring). A pane reads it and writes to it only in commands, never on
	// Update, and records only what the server confirmed.
	Store *store.Store
	// Static: the pane does not wait on live sources (the request log's new records), for
	// tests that run every command to the end.
	Static bool
}

// WithDefaults fills in the Context and the clock.
func (d Deps) WithDefaults() Deps {
	if d.Context == nil {
		d.Context = context.Background()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return d
}
