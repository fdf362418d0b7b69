// Package alerts is the alerts pane: a tenant's (or one host's) newest alerts, coloured by
// severity, with local and server-side filters.
package alerts

import (
	"context"
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
	"github.com/falcon-tui/falcon-tui/tui/triage"
	"github.com/falcon-tui/falcon-tui/tui/vtable"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Scope is what the pane reads with.
const Scope = "alerts:read"

// Model is the alerts pane.
type Model struct {
	client *falcon.Client
	store  *store.Store // nil: no local store
	st     *theme.Styles
	keys   KeyMap
	ctx    context.Context
	now    func() time.Time

	cid      string
	deviceID string // host mode: only this host's alerts
	hostname string

	gen     int
	cancel  context.CancelFunc
	loading bool
	err     error // the load failed before its first page: nothing of it is shown
	cut     error // the load failed after some pages: the rows shown are not all
	total   int   // how many alerts the query matches, as the server last said
	alerts  []falcon.Alert
	hay     []string
	view    []int
	sort    sortKey

	// started: the current load delivered its first page, which replaced the rows. A load
	// that has not started leaves the rows of the one before (a rejected filter keeps them).
	started bool
	// complete: every page of the rows shown arrived; prevComplete is what it was when the
	// current load began (a rejected filter puts it back with the rows).
	complete, prevComplete bool

	tenantName func(cid string) string

	// marks are the marked alerts by composite id: triage acts on them (else on the alert
	// under the cursor). They survive filtering, sorting and reloads of the same list.
	marks map[string]bool
	tri   triage.Model // the triage box: status, assignee, comment

	table  vtable.Model
	filter string        // the applied local filter
	prompt widget.Prompt // the local filter and the FQL filter

	width, height int
	focused       bool
}

// New returns the pane: a tenant's alerts once SetTenant, or a host's once Open or SetHost.
func New(d pane.Deps) Model {
	d = d.WithDefaults()
	m := Model{client: d.Client, store: d.Store, st: d.Styles, keys: DefaultKeyMap(), ctx: d.Context, now: d.Now,
		prompt: widget.NewPrompt(d.Styles), marks: map[string]bool{},
		tri: triage.New(triage.Options{Context: d.Context, Client: d.Client, Store: d.Store, Styles: d.Styles, ReadOnly: d.ReadOnly, Me: d.Me})}
	m.table = vtable.New(tenantColumns, true)
	m.showSort()
	return m
}

// Columns, in the order Cell numbers them. STATUS never gives way: it is what an analyst
// triages by (80 columns hold the first five). Wide screens gain TECHNIQUE and ASSIGNED
// rather than padding HOST and ALERT.
const (
	colCreated = iota
	colSeverity
	colStatus
	colHost
	colAlert
	colTactic
	colProduct
	colTechnique
	colAssigned
)

var tenantColumns = []vtable.Column{
	colCreated:   {Title: "CREATED", Width: 16},
	colSeverity:  {Title: "SEVERITY", Width: 12},
	colStatus:    {Title: "STATUS", Width: 11},
	colHost:      {Title: "HOST", Min: 13, Flex: 1},
	colAlert:     {Title: "ALERT", Min: 22, Flex: 2},
	colTactic:    {Title: "TACTIC", Min: 12, Flex: 1, Drop: 3},
	colProduct:   {Title: "PRODUCT", Width: 9, Drop: 4},
	colTechnique: {Title: "TECHNIQUE", Min: 40, Flex: 1, Drop: 5}, // only where HOST and ALERT keep room
	colAssigned:  {Title: "ASSIGNED", Min: 16, Flex: 1, Drop: 6},
}

// Columns without HOST for host mode.
var hostColumns = append(append([]vtable.Column{}, tenantColumns[:colHost]...), tenantColumns[colHost+1:]...)

// SetTenant shows a tenant's alerts. The local filter (and its prompt, if open) carries
// over, as in the hosts pane: it is about what the user is looking for, not about the old
// tenant. The FQL filter is dropped, also as in the hosts pane.
func (m *Model) SetTenant(cid string) tea.Cmd {
	m.cid, m.deviceID, m.hostname = cid, "", ""
	m.table.SetColumns(tenantColumns)
	m.showSort()
	return m.reset(true)
}

// Open shows the alerts of the host a NavigateMsg names (a falcon.Host).
func (m *Model) Open(target any) tea.Cmd {
	h, ok := target.(falcon.Host)
	if !ok {
		return nil
	}
	return m.SetHost(h.CID, h.DeviceID, h.Hostname)
}

// SetHost shows one host's alerts, with every filter cleared.
func (m *Model) SetHost(cid, deviceID, hostname string) tea.Cmd {
	m.cid, m.deviceID, m.hostname = cid, deviceID, hostname
	m.table.SetColumns(hostColumns)
	if m.sort == sortHost {
		m.sort = sortCreated // one host: every row has the same
	}
	m.showSort()
	return m.reset(false)
}

// reset drops the rows and the FQL filter and starts a load; keepFilter keeps the local
// filter and leaves its prompt open if it was.
func (m *Model) reset(keepFilter bool) tea.Cmd {
	m.alerts, m.hay, m.view = nil, nil, nil
	m.total, m.cut = 0, nil
	clear(m.marks)
	m.prompt.ResetFQL()
	if !keepFilter {
		m.filter = ""
		m.prompt.Close()
	}
	m.table.SetRows(0)
	m.table.Top()
	m.resize()
	return m.load()
}

// Reload loads the alerts again.
func (m *Model) Reload() tea.Cmd { return m.load() }

func (m *Model) load() tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	m.gen = generation.Next()
	m.loading, m.err = true, nil
	m.started, m.prevComplete, m.complete = false, m.complete, false
	if m.client == nil {
		m.loading = false
		return nil
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	return streamAlerts(ctx, m.client, m.cid, m.deviceID, m.prompt.FQL(), m.gen)
}

// SetSize implements the pane contract.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.resize()
}

func (m *Model) resize() {
	m.table.SetSize(m.width, max(1, m.height-m.prompt.Lines()))
	m.prompt.Input.SetWidth(max(1, m.width-8))
}

// Focus and Blur implement the pane contract.
func (m *Model) Focus() { m.focused = true; m.table.Focus() }
func (m *Model) Blur()  { m.focused = false; m.table.Blur() }

// Capturing reports whether a prompt or the triage box has the keyboard.
func (m Model) Capturing() bool { return m.prompt.Open() || m.tri.Active() }

// KeyMap implements the pane contract.
func (m Model) KeyMap() help.KeyMap { return m.keys }

// Task names a running load for the status bar.
func (m Model) Task() string {
	switch {
	case !m.loading:
		return ""
	case m.deviceID != "":
		return "host alerts"
	}
	return "alerts"
}

// Selected is the alert under the cursor.
func (m Model) Selected() (falcon.Alert, bool) {
	if len(m.view) == 0 {
		return falcon.Alert{}, false
	}
	return m.alerts[m.view[m.table.Cursor()]], true
}

// Update implements the pane contract.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case alertsPageMsg:
		return m.loaded(msg)
	case domain.AlertsUpdatedMsg:
		m.replace(msg.Alerts)
		return m, nil
	case tea.BackgroundColorMsg:
		m.prompt.Restyle() // the root rebuilt the shared styles
		return m, nil
	case tea.KeyPressMsg:
		if m.tri.Active() {
			var cmd tea.Cmd
			m.tri, cmd = m.tri.Update(msg)
			return m, cmd
		}
		if m.prompt.Open() {
			return m.promptKey(msg)
		}
		return m.key(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		if m.tri.Active() {
			return m, nil
		}
		if m.table.Mouse(msg) {
			return m, m.open()
		}
	default:
		// The triage box's own results (users, outcomes, the alerts:write probe).
		var cmd tea.Cmd
		m.tri, cmd = m.tri.Update(msg)
		return m, cmd
	}
	return m, nil
}

// replace puts the alerts a triage changed (as re-read) in place of the rows they were, so
// that the list shows their new status and assignee; the cursor stays on its alert.
func (m *Model) replace(as []falcon.Alert) {
	byID := make(map[string]*falcon.Alert, len(as))
	for i := range as {
		byID[as[i].CompositeID] = &as[i]
	}
	changed := false
	for i := range m.alerts {
		if a := byID[m.alerts[i].CompositeID]; a != nil {
			m.alerts[i] = *a
			m.hay[i] = haystack(*a)
			changed = true
		}
	}
	if !changed {
		return
	}
	keep := ""
	if a, ok := m.Selected(); ok {
		keep = a.CompositeID
	}
	m.refilter()
	m.cursorTo(keep)
}

func (m *Model) cursorTo(id string) {
	for row, i := range m.view {
		if m.alerts[i].CompositeID == id {
			m.table.SetCursor(row)
			return
		}
	}
}

func haystack(a falcon.Alert) string {
	return strings.ToLower(strings.Join([]string{a.Hostname, a.Name, a.DisplayName, a.SeverityName,
		a.Status, a.Tactic, a.Technique, a.Product, a.Filename, a.UserName, a.TechniqueID, a.AssignedTo}, "\x00"))
}

// targets are what triage acts on: the marked alerts (in list order), else the alert under
// the cursor.
func (m Model) targets() []falcon.Alert {
	var out []falcon.Alert
	if len(m.marks) > 0 {
		for _, a := range m.alerts {
			if m.marks[a.CompositeID] {
				out = append(out, m.withTenant(a))
			}
		}
		return out
	}
	if a, ok := m.Selected(); ok {
		out = append(out, m.withTenant(a))
	}
	return out
}

// withTenant fills in an alert's tenant from the list's when the record had none.
func (m Model) withTenant(a falcon.Alert) falcon.Alert {
	if a.CID == "" {
		a.CID = m.cid
	}
	return a
}

// triage opens the triage box on the targets, or says why it cannot (the box checks
// read-only mode and the alerts' own tenants; the list's tenant may be known as "" still).
func (m *Model) triage(a triage.Action) tea.Cmd {
	if m.tri.Denied(m.cid) {
		return status.Warn("%s", triage.ScopeReason)
	}
	return m.tri.Open(a, m.targets())
}

// pruneMarks forgets the marks of alerts a finished load no longer lists (a reload after
// triage, another FQL filter): the count in the title is what triage would act on.
func (m *Model) pruneMarks() {
	if len(m.marks) == 0 {
		return
	}
	listed := make(map[string]bool, len(m.alerts))
	for _, a := range m.alerts {
		listed[a.CompositeID] = true
	}
	for id := range m.marks {
		if !listed[id] {
			delete(m.marks, id)
		}
	}
}

// Marked is how many alerts are marked.
func (m Model) Marked() int { return len(m.marks) }

// loaded takes a page of the current load. The first page replaces the rows (never adds to
// them: a reload, a tenant switch and a new filter each start a list of their own); the
// following pages add to them until the stream ends.
func (m Model) loaded(msg alertsPageMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, msg.next.Stop()
	}
	if !m.started && m.prompt.Pending() {
		rejected, cmd := m.prompt.Answer(msg.err)
		m.resize()
		if rejected {
			// The server refused the filter: the rows on screen are still the previous
			// filter's, and so is their completeness. A list that load left unfinished is
			// loaded again (replacing it, as every load does).
			m.loading, m.complete = false, m.prevComplete
			if !m.complete {
				return m, tea.Batch(cmd, m.load())
			}
			return m, cmd
		}
	}
	first := !m.started
	m.started = true
	if msg.err != nil {
		m.loading = false
		if first {
			m.err = msg.err
			m.alerts, m.hay, m.view, m.total = nil, nil, nil, 0
			m.refilter()
			return m, nil
		}
		m.cut = msg.err
		return m, status.Warn("alerts: only %s of %s loaded: %s", widget.Int(len(m.alerts)), widget.Int(m.total), widget.ErrorText(msg.err))
	}
	if first {
		m.alerts, m.hay, m.cut = nil, nil, nil
	}
	if msg.done {
		m.loading, m.complete = false, true
		if first {
			m.total = 0
			m.refilter()
		}
		m.pruneMarks()
		return m, pruneAlerts(m.ctx, m.store, m.storeCID(), m.now())
	}
	m.total = max(msg.page.Total, len(m.alerts)+len(msg.page.Alerts))
	m.alerts = append(m.alerts, msg.page.Alerts...)
	for _, a := range msg.page.Alerts {
		m.hay = append(m.hay, haystack(a))
	}
	record := storeAlerts(m.ctx, m.store, m.storeCID(), msg.page.Alerts, m.now())
	// The cursor stays on its alert while pages arrive (a sort may move it).
	keep := ""
	if a, ok := m.Selected(); ok && !first {
		keep = a.CompositeID
	}
	m.refilter()
	if keep != "" {
		m.cursorTo(keep)
	}
	if first {
		// Whether triage keys will work here, asked once per tenant with the first rows so
		// that the keys can say so before the user tries (docs/API.md §9).
		return m, tea.Batch(msg.next.Next(), m.tri.ProbeAccess(m.cid), record)
	}
	return m, tea.Batch(msg.next.Next(), record)
}

func (m *Model) refilter() {
	words := strings.Fields(strings.ToLower(m.filter))
	m.view = m.view[:0]
	for i := range m.alerts {
		ok := true
		for _, w := range words {
			if !strings.Contains(m.hay[i], w) {
				ok = false
				break
			}
		}
		if ok {
			m.view = append(m.view, i)
		}
	}
	m.sortView()
	m.table.SetRows(len(m.view))
}

func (m Model) open() tea.Cmd {
	a, ok := m.Selected()
	if !ok {
		return nil
	}
	return pane.Navigate(pane.Alert, a)
}

func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	if m.table.Navigate(msg, k.NavKeyMap) {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Open):
		return m, m.open()
	case key.Matches(msg, k.Reload):
		return m, m.load()
	case key.Matches(msg, k.Sort):
		m.sort = m.sort.next(m.deviceID != "")
		m.refilter()
		m.table.Top()
		m.showSort()
		return m, status.Info("alerts sorted by %s", m.sort)
	case key.Matches(msg, k.Clear):
		if m.filter != "" {
			m.filter = ""
			m.refilter()
		}
	case key.Matches(msg, k.Filter):
		cmd := m.prompt.OpenFilter("host, name, tactic, status…", m.filter)
		m.resize()
		return m, cmd
	case key.Matches(msg, k.FQL):
		cmd := m.prompt.OpenFQL("status:'new'+severity:>=70")
		m.resize()
		return m, cmd
	case key.Matches(msg, k.Mark):
		if a, ok := m.Selected(); ok {
			if m.marks[a.CompositeID] {
				delete(m.marks, a.CompositeID)
			} else {
				m.marks[a.CompositeID] = true
			}
			m.table.Down(1)
		}
	case key.Matches(msg, k.MarkAll):
		for _, i := range m.view {
			m.marks[m.alerts[i].CompositeID] = true
		}
		return m, status.Info("%s alerts marked", widget.Int(len(m.marks)))
	case key.Matches(msg, k.ClearMarks):
		n := len(m.marks)
		clear(m.marks)
		if n > 0 {
			return m, status.Info("marks cleared")
		}
	case key.Matches(msg, k.Status):
		return m, m.triage(triage.SetStatus)
	case key.Matches(msg, k.Assign):
		return m, m.triage(triage.Assign)
	case key.Matches(msg, k.Comment):
		return m, m.triage(triage.Comment)
	}
	if why, ok := notHere[msg.String()]; ok {
		return m, status.Info("%s", why)
	}
	return m, nil
}

// notHere answers the keys other lists have and this one has not, so that none of them
// seems to do nothing (docs/KEYS.md, "Alerts").
var notHere = map[string]string{
	"t": "alerts are one tenant's at a time: :ctx NAME (or enter in Tenants) shows another tenant's",
	"n": "nothing to create in Alerts: the sensors raise alerts (n makes a host group in Groups)",
	"d": "alerts are not deleted: e sets the status (closed) of the alert or the marked ones",
	"S": "s cycles the order: newest, severity, status, host",
	// Half-page moves are the hosts list's.
	"ctrl+u": "no half-page moves in Alerts: pgup/pgdn page, g/G go to the newest/oldest",
	"ctrl+d": "no half-page moves in Alerts: pgup/pgdn page, g/G go to the newest/oldest",
}

// promptKey handles a key while the filter or FQL prompt is open. Esc on the local filter
// clears it; on the FQL prompt it keeps the filter in force.
func (m Model) promptKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	ev, cmd := m.prompt.Key(msg)
	switch ev {
	case widget.PromptEdited:
		if m.prompt.Mode() == widget.PromptFilter && m.prompt.Value() != m.filter {
			m.filter = m.prompt.Value()
			m.refilter()
		}
	case widget.PromptCleared:
		m.filter = ""
		m.refilter()
		m.resize()
	case widget.PromptKept, widget.PromptDismissed:
		m.resize()
	case widget.PromptQuery:
		m.resize()
		return m, m.load()
	}
	return m, cmd
}

// SetTenantName sets how Title and the triage box label tenants (nil: "current tenant").
func (m *Model) SetTenantName(f func(cid string) string) { m.tenantName = f; m.tri.SetTenantName(f) }

// SetTenants labels tenants in Title from the tenant list (the root learns it after start).
func (m *Model) SetTenants(ts []falcon.Tenant) { m.SetTenantName(domain.TenantNames(ts)) }

// Alerts is the alerts loaded, newest first (before the local filter).
func (m Model) Alerts() []falcon.Alert { return m.alerts }
