// Package tui is the explorer's root model: it owns focus, layout, the header and status
// bar, the command bar, the help and group-edit overlays and the global keys. Each pane is a
// package of its own (tenants, hosts, hostdetail, hostgroups, alerts, alertdetail, scopes);
// messages go up from them, method calls go down.
package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/alertdetail"
	"github.com/falcon-tui/falcon-tui/tui/alerts"
	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/hostdetail"
	"github.com/falcon-tui/falcon-tui/tui/hostgroups"
	"github.com/falcon-tui/falcon-tui/tui/hosts"
	"github.com/falcon-tui/falcon-tui/tui/scopes"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/tenants"
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
}

// focus is what the main area shows.
type focus int

const (
	focusTenants focus = iota
	focusHosts
	focusGroups
	focusAlerts
	focusScopes
	focusHostDetail
	focusHostAlerts
	focusAlertDetail
)

// tabs are the top-level panes tab cycles through, in order.
var tabs = []focus{focusTenants, focusHosts, focusGroups, focusAlerts, focusScopes}

var focusNames = map[focus]string{
	focusTenants: "Tenants", focusHosts: "Hosts", focusGroups: "Groups", focusAlerts: "Alerts",
	focusScopes: "Scopes", focusHostDetail: "Host", focusHostAlerts: "Host alerts", focusAlertDetail: "Alert",
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
	prober       *groupedit.Prober       // host-group:write probes of the current client
	rateCh       <-chan falcon.RateState // the current client's rate subscription

	width, height int

	connecting bool
	connErr    error
	connected  bool

	cid     string // current tenant ("" until known: the client's start tenant)
	tenants []falcon.Tenant

	stack []focus // navigation: stack[0] is a tab, the rest drill-downs

	tenantsPane tenants.Model
	hostsPane   hosts.Model
	detail      hostdetail.Model
	groups      hostgroups.Model
	alertsPane  alerts.Model
	hostAlerts  alerts.Model
	alertView   alertdetail.Model
	scopesPane  scopes.Model
	edit        groupedit.Model

	shown map[focus]bool // panes that have loaded once (the lazy ones load on first show)

	overlay  overlay
	cmd      commandBar
	helpOff  int
	status   status.Model
	rate     falcon.RateState
	rateSub  bool
	spin     int  // spinner frame
	ticking  bool // the 1 s clock is armed
	spinning bool // the spinner tick is armed
	quitting bool
	// quitArmed: the last key asked to quit while a group edit ran and was told what that
	// would lose; the next q or ctrl+c quits.
	quitArmed bool

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
	st := theme.New(true, themeOpts(opts)...)
	m := Model{
		opts:   opts,
		client: opts.Client,
		st:     st,
		keys:   DefaultKeyMap(),
		ctx:    opts.Context,
		now:    opts.Now,
		cid:    opts.StartCID,
		stack:  []focus{focusHosts},
		shown:  map[focus]bool{},
		cmd:    newCommandBar(st),
	}
	if opts.ReadOnly {
		m.keys.Undo.SetHelp("u", "undo last group edit (off: read-only)")
	}
	m.connecting = opts.Client != nil && !opts.Connected
	m.buildPanes()
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
	m.rateCh = nil
	c, st, ctx := m.client, m.st, m.clientCtx
	m.prober = groupedit.NewProber(ctx, c, m.opts.ReadOnly)
	ho := hosts.Options{Context: ctx, Now: m.now, ReadOnly: m.opts.ReadOnly}
	m.tenantsPane = tenants.New(c, st, ctx)
	m.tenantsPane.SetClock(m.now)
	m.hostsPane = hosts.New(c, st, ho)
	m.detail = hostdetail.New(c, st, ho)
	m.groups = hostgroups.New(c, st, hostgroups.Options{Context: ctx, Now: m.now, TenantName: m.tenantNamer(),
		Prober: m.prober, ReadOnly: m.opts.ReadOnly})
	m.alertsPane = alerts.New(c, st, ctx, m.now)
	m.hostAlerts = alerts.New(c, st, ctx, m.now)
	m.alertView = alertdetail.New(c, st, m.now)
	m.scopesPane = scopes.New(c, st, scopes.Options{Context: ctx})
	m.edit = groupedit.New(c, st, groupedit.Options{Context: ctx, TenantName: m.tenantNamer(), Prober: m.prober})
	m.shown = map[focus]bool{}
	m.layout()
}

// tenantNamer gives the overlay tenant names from a snapshot of the list (not the model).
func (m Model) tenantNamer() func(string) string {
	names := map[string]string{}
	for _, t := range m.tenants {
		names[t.CID] = tenantLabel(t)
	}
	return func(cid string) string { return names[cid] }
}

// Init starts the session: ask the terminal for its background, connect, start the clock.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if m.client == nil {
		return tea.Batch(cmds...)
	}
	c := m.client
	if m.opts.Connected {
		cmds = append(cmds, func() tea.Msg { return connectedMsg{client: c} })
	} else {
		cmds = append(cmds, connect(m.clientCtx, c))
	}
	return tea.Batch(cmds...)
}

func (m Model) top() focus { return m.stack[len(m.stack)-1] }

// tab is the top-level pane the current view belongs to.
func (m Model) tab() focus { return m.stack[0] }

// timer returns c unless timers are off (tests).
func (m Model) timer(c tea.Cmd) tea.Cmd {
	if m.noTimers {
		return nil
	}
	return c
}
