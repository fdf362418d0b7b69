// Package hosts is the hosts pane: the current tenant's hosts (or every tenant's), streamed
// in as they arrive, in a virtualised table with local and server-side filters, sorting and
// marks for group edits.
package hosts

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/refresh"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/internal/hostrows"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/vtable"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Scope is the API scope the pane reads with.
const Scope = "devices:read"

// Model is the hosts pane.
type Model struct {
	client   *falcon.Client
	st       *theme.Styles
	keys     KeyMap
	ctx      context.Context
	now      func() time.Time
	readOnly bool
	static   bool // no timers (tests run every command to its end)

	cid     string            // current tenant
	tenants []falcon.Tenant   // known tenants, for all-tenants mode
	names   map[string]string // CID → tenant name
	all     bool              // every tenant instead of the current one

	gen    int
	cancel context.CancelFunc
	// loadContext is the running load's context (the refreshes of store mode run under it).
	loadContext context.Context
	loading     bool
	started     time.Time
	took        time.Duration
	counts      map[string]int // per tenant, for the progress bar
	err         error
	complete    bool   // the last load finished without error
	replace     bool   // a reload is running: its first reply replaces the rows
	follow      string // device ID the cursor should land on once it arrives

	prevComplete bool // whether the load an FQL filter replaced had finished

	// rows is the list: the loaded hosts, their order, the filtered view and the marks
	// (tui/internal/hostrows). Sorting and filtering a big list are jobs run as commands;
	// until one is installed the view keeps the order and filter in force.
	rows     *hostrows.Table
	sortBy   column // the sort asked for last (in force once its job is installed)
	sortDesc bool
	// inline is the row count below which a sort or filter is computed on Update: a
	// job over so few rows takes less than a frame, and the result shows at once.
	inline int
	// queued are jobs asked for outside Update (SetTenants): started on the next one.
	queued []*hostrows.Job

	cols  []column
	table vtable.Model
	// chosen is the user's choice of columns (nil: the default for the width), kept per
	// profile by the root (pane.ColumnChooser); chooser is the overlay that edits it.
	chosen  []column
	chooser chooser
	// fields are the host fields the running load asked for (fields=): a column needing
	// others reloads when chosen.
	fields []string

	// spanned says the running load covers every tenant; reloadNext asks the next Update
	// for a reload (all-tenants mode restored before the tenant list was known).
	spanned, reloadNext bool

	// sync is the list's side of the local store and its refresh (stored.go).
	sync syncState

	// zta is the ZTA state: the threshold, the scores asked for, the error that stops
	// asking (zta.go).
	zta ztaState

	prompt widget.Prompt // the local filter and the FQL filter

	width, height int
	focused       bool
}

// New returns the pane. It loads nothing until SetTenant.
func New(d pane.Deps) Model {
	d = d.WithDefaults()
	m := Model{
		client:   d.Client,
		st:       d.Styles,
		keys:     DefaultKeyMap(),
		ctx:      d.Context,
		now:      d.Now,
		readOnly: d.ReadOnly,
		static:   d.Static,
		names:    map[string]string{},
		counts:   map[string]int{},
		rows:     hostrows.New(),
		inline:   inlineRows,
		prompt:   widget.NewPrompt(d.Styles),
		zta:      newZTAState(),
	}
	m.sync.store = d.Store
	m.setColumns()
	return m
}

// inlineRows is where sorting and filtering move off the UI goroutine: below it, a sort
// from scratch takes a few milliseconds (tui/internal/hostrows doc.go, Measured).
const inlineRows = 20_000

// SetTenant shows tenant cid's hosts (or keeps showing every tenant in all-tenants mode) and
// returns the load. Marks are dropped: they belonged to another tenant's hosts.
func (m *Model) SetTenant(cid string) tea.Cmd {
	m.sync.connected = m.client != nil // the root calls it once connected
	if m.sync.on && cid == m.cid && m.storeMode() && slices.Equal(m.sync.scope, m.scopeCIDs()) {
		// The stored rows ShowStored put on screen are this tenant's: refresh them rather
		// than read them again (a no-op until the read is done, which then starts it).
		return m.startRound(refresh.Auto)
	}
	if cid != m.cid {
		m.rows.Clear()
		m.resetScores()
	} else {
		m.rows.Reset()
	}
	m.cid = cid
	if m.gen != 0 {
		// Another tenant, or this one afresh: the filter was about the list shown. (Before
		// the first load the FQL in force is a saved view's, restored for this load.)
		m.prompt.ResetFQL()
	}
	m.resize()
	m.replace, m.follow = false, ""
	m.table.SetRows(0)
	m.table.Top()
	return m.load()
}

// SetTenants records the tenants the client can see: their names label the tenant column,
// and all-tenants mode streams from all of them.
func (m *Model) SetTenants(ts []falcon.Tenant) {
	m.tenants = ts
	names := make(map[string]string, len(ts))
	for _, t := range ts {
		names[t.CID] = domain.TenantLabel(t)
	}
	if maps.Equal(names, m.names) {
		return // a refresh of the same list: nothing to sort or filter again
	}
	// A new map, never the old one written: the list engine's jobs and an export in
	// progress read the labels they were given off the UI goroutine.
	m.names = names
	m.setColumns()
	if m.all && !m.spanned && len(ts) > 1 && m.gen != 0 {
		m.reloadNext = true
	}
	if m.sync.on && m.all && len(ts) > 1 && m.gen != 0 && !slices.Equal(m.sync.scope, m.scopeCIDs()) {
		// Children came or went since the stored list was read: read the new scope.
		m.reloadNext = true
	}
	// The tenant column sorts by these names and the filter searches them: bring the order
	// and the view up to date, now for a small list, on the next Update for a big one (this
	// call cannot return a command).
	for _, job := range m.rows.SetTenants(m.names) {
		if m.rows.Len() < m.inline {
			m.rows.Do(m.ctx, job)
		} else {
			m.queued = append(m.queued, job)
		}
	}
	m.table.SetRows(m.rows.Shown())
}

// Adopt names the tenant the pane already shows: the client's start tenant was loaded as ""
// before its CID was known. Nothing is reloaded.
func (m *Model) Adopt(cid string) {
	if m.cid == "" {
		m.cid = cid
	}
}

// Tenant is the current tenant.
func (m Model) Tenant() string { return m.cid }

// AllTenants reports whether the pane shows every tenant's hosts.
func (m Model) AllTenants() bool { return m.all }

// Reload starts the current load again, keeping the rows until the new ones arrive and the
// cursor on the same host. Rows from the store are refreshed instead (refresh.Auto).
func (m *Model) Reload() tea.Cmd {
	return m.reload(refresh.Auto)
}

// reload is Reload with the refresh mode store mode uses (refresh.Full: every row again).
func (m *Model) reload(mode refresh.Mode) tea.Cmd {
	if m.sync.on && m.sync.read && m.storeMode() && slices.Equal(m.sync.scope, m.scopeCIDs()) {
		if m.refreshing() && mode != refresh.Full {
			return nil // the round running is that refresh
		}
		return m.startRound(mode)
	}
	m.replace = true
	return m.load()
}

// load starts a new generation: the stored rows (store mode), else the API's.
func (m *Model) load() tea.Cmd {
	if m.storeMode() {
		return m.loadStored()
	}
	m.sync.on = false
	return m.loadAPI()
}

// loadAPI cancels any running load and starts a new generation that streams from the API.
func (m *Model) loadAPI() tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	m.gen = generation.Next()
	// A reload asks again for the scores a failure left unknown (r, after a scope was
	// granted or a rate limit passed).
	m.zta.scanned, m.zta.err = 0, nil
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel, m.loadContext = cancel, ctx
	m.loading, m.err, m.complete = true, nil, false
	m.started = m.now()
	m.took = 0
	clear(m.counts)
	if m.client == nil {
		m.loading = false
		return nil
	}
	cids := m.scopeCIDs()
	m.spanned = len(cids) > 1
	fql := m.prompt.FQL()
	// The list fetches the fields it shows, filters, sorts and marks by; the host detail
	// fetches the full record when opened.
	m.fields = loadFields(m.fieldColumns())
	q := falcon.HostQuery{Filter: fql, Fields: m.fields}
	cmds := []tea.Cmd{startLoad(ctx, m.client, cids, q, m.gen, m.rows.Ingest())}
	for _, cid := range cids {
		cmds = append(cmds, countHosts(ctx, m.client, cid, fql, m.gen))
	}
	return tea.Batch(cmds...)
}

// scopeCIDs are the tenants the current load covers.
func (m Model) scopeCIDs() []string {
	if m.all && len(m.tenants) > 1 {
		out := make([]string, len(m.tenants))
		for i, t := range m.tenants {
			out[i] = t.CID
		}
		return out
	}
	return []string{m.cid}
}

// fieldColumns are the columns whose fields a load asks for: those shown (the default
// columns of any width need none beyond falcon.ListFields).
func (m Model) fieldColumns() []column { return m.cols }

// setColumns lays the table out for the columns in force (the choice, or the default for
// the width), keeping the sort heading on its column.
func (m *Model) setColumns() {
	cols := layoutFor(m.all && len(m.tenants) > 1, m.chosen, m.width)
	if slices.Equal(cols, m.cols) && m.table.Columns() != nil {
		return
	}
	m.cols = cols
	if m.table.Columns() == nil {
		m.table = vtable.New(specs(m.cols), true)
	} else {
		m.table.SetColumns(specs(m.cols))
	}
	m.table.SetSort(m.colIndex(m.sortBy), m.sortDesc)
	m.resize()
}

func (m Model) colIndex(c column) int {
	for i, x := range m.cols {
		if x == c {
			return i
		}
	}
	return -1
}

// SetSize implements the pane contract.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.setColumns()
	m.resize()
}

// resize gives the table what the info line and the prompt leave.
func (m *Model) resize() {
	m.table.SetSize(m.width, max(1, m.height-1-m.prompt.Lines()))
	m.prompt.Input.SetWidth(max(1, m.width-8))
}

// Focus and Blur implement the pane contract.
func (m *Model) Focus() { m.focused = true; m.table.Focus() }
func (m *Model) Blur()  { m.focused = false; m.table.Blur() }

// Capturing reports whether a prompt or the column chooser has the keyboard.
func (m Model) Capturing() bool { return m.prompt.Open() || m.chooser.open }

// KeyMap implements the pane contract.
// While the column chooser is open, its keys are the ones that apply.
func (m Model) KeyMap() help.KeyMap {
	if m.chooser.open {
		return m.keys.Chooser
	}
	return m.keys
}

// Loading reports a running load's progress: rows so far and the server's total (0 while
// unknown).
func (m Model) Loading() (done, total int, ok bool) {
	if m.sync.on && !m.loading {
		if !m.refreshing() && m.backgroundRunning() {
			return m.sync.bgDone, m.sync.bgTotal, true
		}
		return m.sync.done, m.sync.total, m.refreshing()
	}
	return m.rows.Len(), m.total(), m.loading
}

// Task is the load's progress for the status bar.
func (m Model) Task() string {
	done, total, ok := m.Loading()
	switch {
	case !ok:
		return ""
	case m.sync.on && !m.loading && !m.refreshing():
		return fmt.Sprintf("store %d/%d", m.sync.bgDone, m.sync.bgTotal) // the tenants outside the view
	case m.sync.on && !m.loading:
		return fmt.Sprintf("refresh %d/%d", done, total)
	case total > 0:
		return fmt.Sprintf("hosts %d%%", min(100, done*100/total))
	}
	return "hosts " + widget.Int(done)
}

// Count is the number of rows shown and loaded.
func (m Model) Count() (shown, loaded int) { return m.rows.Shown(), m.rows.Len() }

// selectedRow is the row under the cursor.
func (m Model) selectedRow() (hostrows.Row, bool) {
	if m.rows.Shown() == 0 {
		return 0, false
	}
	return m.rows.At(min(m.table.Cursor(), m.rows.Shown()-1)), true
}

// Selected is the host under the cursor, with the list's fields (the host detail fetches
// the full record).
func (m Model) Selected() (falcon.Host, bool) {
	row, ok := m.selectedRow()
	if !ok {
		return falcon.Host{}, false
	}
	return m.rows.Host(row), true
}

// Marked returns the marked hosts in table order.
func (m Model) Marked() []falcon.Host {
	rows := m.rows.MarkedRows()
	if len(rows) == 0 {
		return nil
	}
	out := make([]falcon.Host, len(rows))
	for i, r := range rows {
		out[i] = m.rows.Host(r)
	}
	return out
}

// filter is the local filter as typed, trimmed ("" when none).
func (m Model) filter() string { return strings.TrimSpace(m.rows.Filter()) }

// Err is the last load's error (nil while it runs or after success).
func (m Model) Err() error { return m.err }

// FQL is the applied server-side filter.
func (m Model) FQL() string { return m.prompt.FQL() }

func (m Model) total() int {
	t := 0
	for _, n := range m.counts {
		t += n
	}
	return t
}

// Cursor is the row index of the cursor in the shown rows.
func (m Model) Cursor() int { return m.table.Cursor() }
