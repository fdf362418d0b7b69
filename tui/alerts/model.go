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
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/vtable"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Scope is what the pane reads with.
const Scope = "alerts:read"

// Limit is how many of the newest alerts are loaded.
const Limit = 500

// Model is the alerts pane.
type Model struct {
	client *falcon.Client
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
	err     error
	total   int
	alerts  []falcon.Alert
	hay     []string
	view    []int

	table  vtable.Model
	filter string        // the applied local filter
	prompt widget.Prompt // the local filter and the FQL filter

	width, height int
	focused       bool
}

// New returns the pane: a tenant's alerts once SetTenant, or a host's once Open or SetHost.
func New(d pane.Deps) Model {
	d = d.WithDefaults()
	m := Model{client: d.Client, st: d.Styles, keys: DefaultKeyMap(), ctx: d.Context, now: d.Now,
		prompt: widget.NewPrompt(d.Styles)}
	m.table = vtable.New(tenantColumns, false)
	return m
}

var tenantColumns = []vtable.Column{
	{Title: "CREATED", Width: 16},
	{Title: "SEVERITY", Width: 12},
	{Title: "STATUS", Width: 11, Drop: 3},
	{Title: "HOST", Min: 14, Flex: 1},
	{Title: "ALERT", Min: 24, Flex: 2},
	{Title: "TACTIC", Min: 12, Flex: 1, Drop: 2},
	{Title: "PRODUCT", Width: 9, Drop: 4},
}

// Columns without HOST for host mode.
var hostColumns = append(append([]vtable.Column{}, tenantColumns[:3]...), tenantColumns[4:]...)

// SetTenant shows a tenant's alerts. The local filter (and its prompt, if open) carries
// over, as in the hosts pane: it is about what the user is looking for, not about the old
// tenant. The FQL filter is dropped, also as in the hosts pane.
func (m *Model) SetTenant(cid string) tea.Cmd {
	m.cid, m.deviceID, m.hostname = cid, "", ""
	m.table.SetColumns(tenantColumns)
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
	return m.reset(false)
}

// reset drops the rows and the FQL filter and starts a load; keepFilter keeps the local
// filter and leaves its prompt open if it was.
func (m *Model) reset(keepFilter bool) tea.Cmd {
	m.alerts, m.hay, m.view = nil, nil, nil
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
	m.loading, m.err, m.total = true, nil, 0
	if m.client == nil {
		m.loading = false
		return nil
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	fql := m.prompt.FQL()
	return tea.Batch(
		listAlerts(ctx, m.client, m.cid, m.deviceID, fql, Limit, m.gen),
		countAlerts(ctx, m.client, m.cid, m.deviceID, fql, m.gen),
	)
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

// Capturing reports whether a prompt has the keyboard.
func (m Model) Capturing() bool { return m.prompt.Open() }

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
	case alertsLoadedMsg:
		return m.loaded(msg)
	case alertsCountedMsg:
		if msg.gen == m.gen && msg.err == nil {
			m.total = msg.total
		}
		return m, nil
	case tea.BackgroundColorMsg:
		m.prompt.Restyle() // the root rebuilt the shared styles
		return m, nil
	case tea.KeyPressMsg:
		if m.prompt.Open() {
			return m.promptKey(msg)
		}
		return m.key(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		if m.table.Mouse(msg) {
			return m, m.open()
		}
	}
	return m, nil
}

func (m Model) loaded(msg alertsLoadedMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	m.loading = false
	if m.prompt.Pending() {
		rejected, cmd := m.prompt.Answer(msg.err)
		m.resize()
		if rejected {
			return m, cmd
		}
	}
	m.err = msg.err
	if msg.err != nil {
		return m, nil
	}
	m.alerts = msg.alerts
	m.hay = make([]string, len(m.alerts))
	for i, a := range m.alerts {
		m.hay[i] = strings.ToLower(strings.Join([]string{a.Hostname, a.Name, a.DisplayName, a.SeverityName,
			a.Status, a.Tactic, a.Technique, a.Product, a.Filename, a.UserName, a.TechniqueID}, "\x00"))
	}
	m.refilter()
	return m, nil
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
	}
	return m, nil
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

// Alerts is the alerts loaded, newest first (before the local filter).
func (m Model) Alerts() []falcon.Alert { return m.alerts }
