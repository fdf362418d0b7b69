// Package tenants is the tenants pane: the home (parent) tenant and its Flight Control
// children, each with host, stale, contained and new-alert counts that load concurrently.
package tenants

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/vtable"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Scope is what listing children needs; without it only the home tenant is listed.
const Scope = "mssp:read"

// parallel is how many tenant summaries are counted at once.
const parallel = 4

// summary is a tenant's counts as far as they have arrived.
type summary struct {
	falcon.TenantSummary
	done bool
	err  error
	at   time.Time // when the counts arrived: they are a snapshot, shown with their age
}

// Model is the tenants pane.
type Model struct {
	client *falcon.Client
	store  *store.Store         // nil: none (stored.go)
	synced map[string]time.Time // by lower-case CID: when its stored host rows were synced
	st     *theme.Styles
	keys   KeyMap
	ctx    context.Context

	current string // the tenant the other panes show
	gen     int
	cancel  context.CancelFunc
	loadCtx context.Context
	loading bool
	err     error
	tenants []falcon.Tenant
	sums    map[string]summary
	rates   map[string]falcon.RateState // by lower-case CID, as the client publishes them
	now     func() time.Time
	view    []int // indexes of tenants passing the filter

	table  vtable.Model
	filter string // the applied local filter
	prompt widget.Prompt

	width, height int
	focused       bool
}

// New returns the pane; Start loads it.
func New(d pane.Deps) Model {
	d = d.WithDefaults()
	m := Model{client: d.Client, st: d.Styles, keys: DefaultKeyMap(), ctx: d.Context, now: d.Now,
		sums: map[string]summary{}, rates: map[string]falcon.RateState{}, prompt: widget.NewPrompt(d.Styles)}
	m.store, m.synced = d.Store, map[string]time.Time{}
	cols := columns
	if m.store != nil {
		cols = append(slices.Clone(columns), syncedColumn)
	}
	m.table = vtable.New(cols, false)
	return m
}

var columns = []vtable.Column{
	{Title: "", Width: 1},
	{Title: "NAME", Min: 20, Flex: 1},
	{Title: "CID", Width: 32, Drop: 4},
	{Title: "HOSTS", Width: 8, Right: true},
	{Title: "STALE", Width: 7, Right: true, Drop: 2},
	{Title: "CONTAINED", Width: 9, Right: true, Drop: 3},
	{Title: "NEW ALERTS", Width: 10, Right: true},
	{Title: "COUNTED", Width: 8, Right: true, Drop: 5},
	{Title: "API REMAINING", Width: 18, Right: true, Drop: 1},
}

// infoRows is the line above the table: the kept filter and the counts' age.
const infoRows = 1

// SetRate records a tenant's rate-limit state (from the client's subscription), for the
// API column. The state's CID is "" while the home CID is unknown: it then belongs to the
// home tenant.
func (m *Model) SetRate(s falcon.RateState) {
	m.rates[strings.ToLower(s.CID)] = s
}

// Rate is the last rate-limit state recorded for a tenant.
func (m Model) Rate(cid string) (falcon.RateState, bool) {
	s, ok := m.rates[strings.ToLower(cid)]
	return s, ok
}

// Start loads the list once connected, marking the current tenant.
func (m *Model) Start(s pane.Session) tea.Cmd {
	cmd := m.Load()
	m.SetCurrent(s.CID)
	return tea.Batch(cmd, m.readStored())
}

// SetTenant marks the tenant the other panes now show; the list stays as it is.
func (m *Model) SetTenant(cid string) tea.Cmd {
	m.SetCurrent(cid)
	return nil
}

// Adopt marks the start tenant once the list has named it.
func (m *Model) Adopt(cid string) { m.SetCurrent(cid) }

// Load (re)loads the tenant list, then every tenant's summary.
func (m *Model) Load() tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	m.gen = generation.Next()
	m.loading, m.err = true, nil
	if m.client == nil {
		m.loading = false
		return nil
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel, m.loadCtx = cancel, ctx
	return listTenants(ctx, m.client, m.gen)
}

// SetCurrent marks the tenant the other panes show and moves the cursor to it.
func (m *Model) SetCurrent(cid string) {
	m.current = cid
	for i, t := range m.view {
		if m.tenants[t].CID == cid {
			m.table.SetCursor(i)
		}
	}
}

// Tenants is the list as loaded.
func (m Model) Tenants() []falcon.Tenant { return m.tenants }

// Summary is a tenant's counts, if they have arrived.
func (m Model) Summary(cid string) (falcon.TenantSummary, bool) {
	s, ok := m.sums[cid]
	return s.TenantSummary, ok && s.done && s.err == nil
}

// Loading reports summaries still being counted.
func (m Model) Loading() (done, total int, ok bool) {
	for _, t := range m.tenants {
		if m.sums[t.CID].done {
			done++
		}
	}
	return done, len(m.tenants), m.loading || done < len(m.tenants)
}

// Task names the load for the status bar: the list, then the tenants counted so far.
func (m Model) Task() string {
	done, total, ok := m.Loading()
	switch {
	case !ok:
		return ""
	case total == 0:
		return "tenants" // the list itself is on its way
	}
	return fmt.Sprintf("tenants %d/%d", done, total)
}

// SetSize implements the pane contract.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.table.SetSize(width, max(1, height-infoRows-m.prompt.Lines()))
	m.prompt.Input.SetWidth(max(1, width-4))
}

// Focus and Blur implement the pane contract.
func (m *Model) Focus() { m.focused = true; m.table.Focus() }
func (m *Model) Blur()  { m.focused = false; m.table.Blur() }

// Capturing reports whether the filter prompt has the keyboard.
func (m Model) Capturing() bool { return m.prompt.Open() }

// KeyMap implements the pane contract.
func (m Model) KeyMap() help.KeyMap { return m.keys }

// Update implements the pane contract.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tenantsLoadedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.loading, m.err = false, msg.err
		if msg.err != nil {
			if len(m.tenants) == 0 {
				return m, nil // the pane shows the error in place of the list
			}
			// A reload failed: the list on screen stays, and the counts the earlier load
			// had not finished will not come (their generation is gone). Say so rather
			// than spin on them.
			for _, t := range m.tenants {
				if !m.sums[t.CID].done {
					m.sums[t.CID] = summary{done: true, err: msg.err}
				}
			}
			return m, status.Errorf("tenants not reloaded: %s", widget.ErrorText(msg.err))
		}
		m.tenants = msg.tenants
		clear(m.sums)
		m.refilter()
		m.SetCurrent(m.current)
		sem := make(chan struct{}, parallel)
		ctx := m.loadCtx
		cmds := []tea.Cmd{func() tea.Msg { return pane.TenantsListedMsg{Tenants: msg.tenants} }}
		for _, t := range msg.tenants {
			cmds = append(cmds, summarize(ctx, m.client, t.CID, m.gen, sem))
		}
		return m, tea.Batch(cmds...)
	case summaryLoadedMsg:
		if msg.gen == m.gen {
			m.sums[msg.cid] = summary{TenantSummary: msg.sum, done: true, err: msg.err, at: m.now()}
			if msg.err == nil {
				if t, ok := m.tenant(msg.cid); ok {
					return m, keepCounts(m.ctx, m.store, t, msg.sum, m.now())
				}
			}
		}
		return m, nil
	case storedListMsg:
		return m.storedList(msg)
	case domain.TenantSyncedMsg:
		m.tenantSynced(msg)
		return m, nil
	case tea.KeyPressMsg:
		if m.prompt.Open() {
			return m.filterKey(msg)
		}
		return m.key(msg)
	case tea.BackgroundColorMsg:
		m.prompt.Restyle() // the root rebuilt the shared styles
		return m, nil
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		if click, ok := msg.(tea.MouseClickMsg); ok {
			click.Y -= infoRows // the table starts under the info line
			msg = click
		}
		if m.table.Mouse(msg) {
			return m, m.selectCmd()
		}
	}
	return m, nil
}

func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	if m.table.Navigate(msg, k.NavKeyMap) {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Switch):
		return m, m.selectCmd()
	case key.Matches(msg, k.Reload):
		return m, m.Load()
	case key.Matches(msg, k.Filter):
		cmd := m.prompt.OpenFilter("", m.filter)
		m.SetSize(m.width, m.height)
		return m, cmd
	case key.Matches(msg, k.Clear):
		if m.filter != "" {
			m.filter = ""
			m.refilter()
		}
	}
	return m, nil
}

func (m Model) filterKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	ev, cmd := m.prompt.Key(msg)
	switch ev {
	case widget.PromptCleared:
		m.filter = ""
		m.refilter()
		m.SetSize(m.width, m.height)
	case widget.PromptKept:
		m.SetSize(m.width, m.height)
	case widget.PromptEdited:
		m.filter = m.prompt.Value()
		m.refilter()
	}
	return m, cmd
}

func (m Model) selectCmd() tea.Cmd {
	t, ok := m.Selected()
	if !ok {
		return nil
	}
	return func() tea.Msg { return pane.SwitchTenantMsg{CID: t.CID, Name: t.Name} }
}

// tenant is the listed tenant cid.
func (m Model) tenant(cid string) (falcon.Tenant, bool) {
	for _, t := range m.tenants {
		if t.CID == cid {
			return t, true
		}
	}
	return falcon.Tenant{}, false
}

// Selected is the tenant under the cursor.
func (m Model) Selected() (falcon.Tenant, bool) {
	if len(m.view) == 0 {
		return falcon.Tenant{}, false
	}
	return m.tenants[m.view[m.table.Cursor()]], true
}

func (m *Model) refilter() {
	f := strings.ToLower(strings.TrimSpace(m.filter))
	m.view = m.view[:0]
	for i, t := range m.tenants {
		if f == "" || strings.Contains(strings.ToLower(t.Name+" "+t.CID), f) {
			m.view = append(m.view, i)
		}
	}
	m.table.SetRows(len(m.view))
}
