// Package tui is the explorer's root model: it owns focus, layout, the header and status
// bar, the command bar, the help and group-edit overlays and the global keys. The panes are
// packages of their own, listed in one table (DefaultRegistry) and held through the contract
// of package pane; messages go up from them, method calls go down. The root never asks which
// pane it holds (docs/TUI.md).
package tui

import (
	"context"
	"fmt"
	"maps"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/savedview"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// Options configure the explorer.
type Options struct {
	Client   *falcon.Client
	Profile  string // shown in the header
	Source   string // where the credentials came from: environment, keyring, demo
	ReadOnly bool
	// StartCID is the tenant to start in ("" = the client's start tenant).
	StartCID string
	// Context is the parent of every API call; nil = Background.
	Context context.Context
	// Now is the clock (relative times, states, countdowns); nil = time.Now. Golden tests
	// fix it.
	Now func() time.Time
	// OpenProfile builds (without connecting) a client for another profile, for
	// `:profile NAME`; nil disables the command.
	OpenProfile func(ctx context.Context, name string) (*falcon.Client, error)
	// Profiles lists profile names for `:profile` completion; nil = none.
	Profiles func() []string
	// Connected says the client has already connected (tests), so no Connect is sent.
	Connected bool
	// NoColor forces colour off; otherwise NO_COLOR decides.
	NoColor bool
	// Me is the analyst's console login (or UUID) for "assign to me" in alert triage;
	// "" = not configured (the triage box says how to set it).
	Me string
	// MeOf gives the "me" of another profile after `:profile NAME` (nil: Me stays).
	MeOf func(profile string) string
	// Registry is the panes; the zero value is DefaultRegistry(). New panics on a table
	// that fails Registry.Check (a programming error, as a bad regexp.MustCompile is).
	Registry pane.Registry
	// ZTAThreshold marks the hosts scoring below it (--zta-threshold; 0 = none).
	ZTAThreshold int
	// HostColumns is the hosts list's column choice kept per profile name (none = the
	// default), read before the session starts; SaveHostColumns keeps a new one for a
	// profile (nil: the choice lasts the session). :profile switches to the other
	// profile's choice.
	HostColumns     map[string][]string
	SaveHostColumns func(profile string, cols []string) error
	// Views is the saved views file (nil: :save, :view and :views are off); StartView is
	// the view to start in (--view), already read.
	Views     *savedview.Store
	StartView *savedview.View
	// Store is the profile's encrypted local store (docs/STORE.md): the explorer starts
	// from what it holds and refreshes it in the background; nil = none.
	Store *store.Store
	// StoreOf is the local store of a client OpenProfile opened (nil, or a nil result: none),
	// which replaces Store after `:profile`.
	StoreOf func(*falcon.Client) *store.Store
	// Notice is said once in the status bar when the first connect succeeds (e.g. the
	// local store is off for this run); "" = nothing to say.
	Notice string
}

// overlay is what is drawn over the panes and has the keyboard.
type overlay int

const (
	overlayNone overlay = iota
	overlayHelp
	overlayCommand
)

// Model is the root model.
type Model struct {
	opts   Options
	client *falcon.Client
	st     *theme.Styles
	keys   KeyMap
	ctx    context.Context // the program's: parent of everything
	now    func() time.Time

	// clientCtx is the parent of every call of the current client, with everything that
	// runs on its behalf (streams, probes, the rate subscription). `:profile` cancels it
	// before the panes are rebuilt for the new client, so nothing of the old one goes on.
	clientCtx    context.Context
	cancelClient context.CancelFunc
	prober       *groupedit.Prober // host-group:write probes of the current client
	rateGen      int               // generation of the current client's rate subscription

	width, height int

	connecting bool
	connErr    error
	connected  bool
	// stored says the panes show the local store's rows while connecting (a warm start).
	stored bool

	cid     string // current tenant ("" until known: the client's start tenant)
	tenants []falcon.Tenant

	reg   pane.Registry
	index map[pane.Kind]int // registry row of each kind
	panes []pane.Model      // one per registry row
	stack []pane.Kind       // navigation: stack[0] is a tab, the rest drill-downs
	shown map[pane.Kind]bool
	edit  groupedit.Model // the group-edit overlay

	overlay overlay
	cmd     commandBar
	helpOff int
	status  status.Model
	rate    falcon.RateState
	// tokens is the token endpoint's budget as the client spends it (docs/API.md §3), read
	// on each spinner tick: the status bar says how many token calls wait for it.
	tokens   falcon.TokenProgress
	spin     int  // spinner frame
	ticking  bool // the 1 s clock is armed
	spinning bool // the spinner tick is armed
	quitting bool
	// quitArmed: the last key asked to quit while a group edit ran and was told what that
	// would lose; the next q or ctrl+c quits.
	quitArmed bool

	// ztaThreshold, hostColumns and viewNames are the settings :zta, the column chooser
	// and :save/:views change (tui/views.go).
	ztaThreshold int
	hostColumns  map[string][]string
	viewNames    []string

	// noTimers turns off the clock, the spinner, message expiry and the rate-limit
	// subscription, for tests that run every command to completion.
	noTimers bool
}

// New builds the explorer. It sends nothing until Init.
func New(opts Options) Model {
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Client != nil && opts.Client.ReadOnly() {
		opts.ReadOnly = true
	}
	if opts.Registry.Panes == nil {
		opts.Registry = DefaultRegistry()
	}
	if err := opts.Registry.Check(builtinVerbs()...); err != nil {
		panic(fmt.Sprintf("tui: %v", err)) // a table the explorer ships with: a programming error
	}
	st := theme.New(true, themeOpts(opts)...)
	m := Model{
		opts:   opts,
		client: opts.Client,
		st:     st,
		keys:   DefaultKeyMap(),
		ctx:    opts.Context,
		now:    opts.Now,
		cid:    opts.StartCID,
		reg:    opts.Registry,
		index:  map[pane.Kind]int{},
		stack:  []pane.Kind{opts.Registry.Start},
		shown:  map[pane.Kind]bool{},
		cmd:    newCommandBar(st, opts.Registry),

		ztaThreshold: opts.ZTAThreshold,
		hostColumns:  maps.Clone(opts.HostColumns),
		viewNames:    loadViewNames(opts.Views),
	}
	for i, s := range m.reg.Panes {
		m.index[s.Kind] = i
	}
	if opts.ReadOnly {
		m.keys.Undo.SetHelp("u", "undo last group edit (off: read-only)")
	}
	m.connecting = opts.Client != nil && !opts.Connected
	m.buildPanes()
	m.applyStartView(opts.StartView)
	m.focusTop()
	return m
}

func themeOpts(opts Options) []theme.Option {
	if opts.NoColor {
		return []theme.Option{theme.WithNoColor(true)}
	}
	return nil
}

// buildPanes makes every pane for the current client (again after :profile). Whatever the
// previous panes had running ends first: their calls all descend from the old clientCtx.
func (m *Model) buildPanes() {
	if m.cancelClient != nil {
		m.cancelClient()
	}
	m.clientCtx, m.cancelClient = context.WithCancel(m.ctx)
	m.rateGen = 0
	c, st, ctx := m.client, m.st, m.clientCtx
	m.prober = groupedit.NewProber(ctx, c, m.opts.ReadOnly)
	deps := pane.Deps{Client: c, Styles: st, Context: ctx, Now: m.now, ReadOnly: m.opts.ReadOnly, Prober: m.prober,
		Static: m.noTimers, Me: m.opts.Me, Store: m.opts.Store}
	m.panes = make([]pane.Model, len(m.reg.Panes))
	for i, s := range m.reg.Panes {
		m.panes[i] = s.New(deps)
	}
	m.edit = groupedit.New(c, st, groupedit.Options{Context: ctx, TenantName: m.tenantNamer(), Prober: m.prober, Store: m.opts.Store})
	m.shown = map[pane.Kind]bool{}
	m.applyPaneSettings()
	m.layout()
}

// tenantNamer gives the overlay tenant names from a snapshot of the list (not the model).
func (m Model) tenantNamer() func(string) string { return domain.TenantNames(m.tenants) }

// Init starts the session: ask the terminal for its background, connect, start the clock.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if m.client == nil {
		return tea.Batch(cmds...)
	}
	c := m.client
	if m.opts.Store != nil && !m.opts.Connected {
		cmds = append(cmds, readStoredTenants(m.clientCtx, m.opts.Store, c))
	}
	if m.opts.Connected {
		cmds = append(cmds, func() tea.Msg { return connectedMsg{client: c} })
	} else {
		cmds = append(cmds, connect(m.clientCtx, c))
	}
	return tea.Batch(cmds...)
}

func (m Model) top() pane.Kind { return m.stack[len(m.stack)-1] }

// tab is the top-level pane the current view belongs to.
func (m Model) tab() pane.Kind { return m.stack[0] }

// timer returns c unless timers are off (tests).
func (m Model) timer(c tea.Cmd) tea.Cmd {
	if m.noTimers {
		return nil
	}
	return c
}
