// Package scopes is the Scopes pane: a matrix of every catalogued API scope × the probed
// tenants, what the selected scope's gaps block and what to tick in the console, and a
// readiness line per integration set. The probing itself is falcon/scopehealth.
package scopes

import (
	"context"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/scopehealth"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// ReportProbedMsg carries a finished probe run. Gen tells a stale run from the current one.
type ReportProbedMsg struct {
	Gen    int
	Report *scopehealth.Report
	Err    error
}

// Model is the Scopes pane.
type Model struct {
	client  *falcon.Client
	st      *theme.Styles
	keys    KeyMap
	ctx     context.Context
	tenants []falcon.Tenant // to probe; nil = the home tenant and every child the client can list

	width, height int
	focused       bool

	gen     int
	probing bool
	err     error
	rep     *scopehealth.Report
	ready   []scopehealth.Readiness
	defs    []scopehealth.ScopeDef
	zta     ztaCount // hosts the NetBird set's ZTA gate would refuse (zta.go)

	cursor int // selected scope row
	offset int // first scope row on screen
	col    int // first tenant column on screen
	// full shows the selected scope's detail and the integration sets' verdicts in full,
	// wrapped, in place of the matrix (whose detail area cuts long lines).
	full    bool
	fullOff int // first line of the full detail on screen
}

// New returns the pane. Nothing is sent until Start or Probe (the root starts the pane when
// it is first shown), so a session that never opens :scopes costs no requests.
func New(d pane.Deps) Model {
	d = d.WithDefaults()
	return Model{
		client: d.Client,
		st:     d.Styles,
		keys:   DefaultKeyMap(),
		ctx:    d.Context,
		defs:   scopehealth.Catalogue(),
	}
}

// Start probes the tenants listed so far, or (before the list is in) every tenant the
// client can list, unless a report is on screen already.
func (m *Model) Start(s pane.Session) tea.Cmd {
	if len(s.Tenants) > 0 {
		return m.ProbeTenants(s.Tenants)
	}
	return m.EnsureProbed()
}

// Probe starts a probe run unless one is under way (the report on screen stays until the
// new one lands).
func (m *Model) Probe() tea.Cmd {
	if m.probing || m.client == nil {
		return nil
	}
	m.gen = generation.Next()
	m.probing, m.err = true, nil
	return probeCmd(m.ctx, m.client, m.gen, m.tenants)
}

// EnsureProbed probes if the pane has never shown a report: what the root calls on :scopes.
func (m *Model) EnsureProbed() tea.Cmd {
	if m.rep != nil {
		return nil
	}
	return m.Probe()
}

// ProbeTenants changes which tenants are probed (nil = all the client can list) and
// re-probes.
func (m *Model) ProbeTenants(ts []falcon.Tenant) tea.Cmd {
	m.tenants = ts
	m.probing = false // a run for the old tenants is dropped by its generation
	return m.Probe()
}

// probeCmd captures locals only: it never reads the model from the command's goroutine.
func probeCmd(ctx context.Context, client *falcon.Client, gen int, tenants []falcon.Tenant) tea.Cmd {
	ts := append([]falcon.Tenant(nil), tenants...)
	all := tenants == nil
	return func() tea.Msg {
		var rep *scopehealth.Report
		var err error
		if all {
			rep, err = scopehealth.ProbeAll(ctx, client)
		} else {
			rep, err = scopehealth.ProbeTenants(ctx, client, ts)
		}
		return ReportProbedMsg{Gen: gen, Report: rep, Err: err}
	}
}

// Report is the report on screen (nil before the first run lands).
func (m Model) Report() *scopehealth.Report { return m.rep }

// Probing reports whether a run is under way.
func (m Model) Probing() bool { return m.probing }

// Task names a run under way for the status bar.
func (m Model) Task() string {
	if m.probing {
		return "scope probe"
	}
	return ""
}

// SetSize sets the pane's size; View fills exactly this.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.clamp()
}

// Focus and Blur change how the cursor row is drawn.
func (m *Model) Focus() { m.focused = true }
func (m *Model) Blur()  { m.focused = false }

// Capturing is always false: the pane has no text input.
func (m Model) Capturing() bool { return false }

// KeyMap is the pane's help.
func (m Model) KeyMap() help.KeyMap { return m.keys }

// Update handles keys (when focused, as the root sends them) and probe results.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case ReportProbedMsg:
		return m.probed(msg)
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

// SetReport shows a report directly (a report the root already has, and tests).
func (m *Model) SetReport(rep *scopehealth.Report) {
	m.rep = rep
	m.ready = nil
	if rep != nil {
		m.ready = rep.ReadinessAll()
	}
	m.clamp()
}

func (m Model) probed(msg ReportProbedMsg) (Model, tea.Cmd) {
	if msg.Gen != m.gen {
		return m, nil
	}
	m.probing = false
	if msg.Err != nil {
		m.err = msg.Err
		return m, status.Error(msg.Err)
	}
	m.err = nil
	m.SetReport(msg.Report)
	return m, nil
}

func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	rows := m.matrixRows()
	if m.full {
		return m.fullKey(msg), nil
	}
	switch {
	case key.Matches(msg, k.Detail):
		m.full, m.fullOff = m.rep != nil, 0
		return m, nil
	case key.Matches(msg, k.Reprobe):
		if m.probing {
			return m, status.Info("a probe is already running")
		}
		cmd := m.Probe()
		return m, cmd
	case key.Matches(msg, k.Up):
		m.cursor--
	case key.Matches(msg, k.Down):
		m.cursor++
	case key.Matches(msg, k.PageUp):
		m.cursor -= max(rows-1, 1)
	case key.Matches(msg, k.PageDn):
		m.cursor += max(rows-1, 1)
	case key.Matches(msg, k.Home):
		m.cursor = 0
	case key.Matches(msg, k.End):
		m.cursor = len(m.defs) - 1
	case key.Matches(msg, k.Left):
		m.col--
	case key.Matches(msg, k.Right):
		m.col++
	case key.Matches(msg, k.NextGap):
		m.jumpGap(+1)
	case key.Matches(msg, k.PrevGap):
		m.jumpGap(-1)
	default:
		return m, nil
	}
	m.clamp()
	return m, nil
}

// fullKey handles a key while the full detail is shown: it scrolls, and enter or esc goes
// back to the matrix.
func (m Model) fullKey(msg tea.KeyPressMsg) Model {
	k := m.keys
	page := max(m.fullPage()-1, 1)
	switch {
	case key.Matches(msg, k.Detail), key.Matches(msg, k.Close):
		m.full = false
	case key.Matches(msg, k.Up):
		m.fullOff--
	case key.Matches(msg, k.Down):
		m.fullOff++
	case key.Matches(msg, k.PageUp):
		m.fullOff -= page
	case key.Matches(msg, k.PageDn):
		m.fullOff += page
	case key.Matches(msg, k.Home):
		m.fullOff = 0
	case key.Matches(msg, k.End):
		m.fullOff = m.fullMaxOff()
	}
	m.fullOff = min(max(m.fullOff, 0), m.fullMaxOff())
	return m
}

// jumpGap moves the cursor to the next (dir +1) or previous scope row with a gap, wrapping.
func (m *Model) jumpGap(dir int) {
	n := len(m.defs)
	for i := 1; i <= n; i++ {
		j := ((m.cursor+dir*i)%n + n) % n
		if m.rowHasGap(j) {
			m.cursor = j
			return
		}
	}
}

// rowHasGap reports whether scope row i is denied or not provisioned in some tenant.
func (m Model) rowHasGap(i int) bool {
	if m.rep == nil {
		return false
	}
	for _, t := range m.rep.Tenants {
		for _, p := range m.defs[i].Permissions() {
			if res, ok := t.Result(p); ok && res.State.Missing() {
				return true
			}
		}
	}
	return false
}

// clamp keeps the cursor, the scroll offset and the first tenant column in range.
func (m *Model) clamp() {
	m.cursor = min(max(m.cursor, 0), max(len(m.defs)-1, 0))
	rows := m.matrixRows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if rows > 0 && m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = min(max(m.offset, 0), max(len(m.defs)-rows, 0))
	nt := 0
	if m.rep != nil {
		nt = len(m.rep.Tenants)
	}
	m.col = min(max(m.col, 0), max(nt-m.tenantCols(), 0))
}
