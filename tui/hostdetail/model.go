// Package hostdetail is one host in full: identity, OS, sensor and policies, network, groups
// (by name), tags, containment, its Zero Trust Assessment and its recent alerts.
package hostdetail

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Scopes each section reads with, for its "needs" state.
const (
	ScopeHosts  = "devices:read"
	ScopeGroups = "host-group:read"
	ScopeZTA    = "zero-trust-assessment:read"
	ScopeAlerts = "alerts:read"
)

// recentAlerts is how many of the host's alerts the detail shows.
const recentAlerts = 10

// part is one section's load state.
type part struct {
	loading bool
	err     error
}

// Model is the host detail pane.
type Model struct {
	client   *falcon.Client
	st       *theme.Styles
	keys     KeyMap
	ctx      context.Context
	now      func() time.Time
	readOnly bool

	host    falcon.Host
	has     bool
	gen     int
	cancel  context.CancelFunc
	refresh part

	groups   map[string]map[string]string // tenant → group ID → name
	groupErr map[string]error
	zta      falcon.ZTAAssessment
	hasZTA   bool
	ztaPart  part
	alerts   []falcon.Alert
	alPart   part

	offset        int
	width, height int
	focused       bool
}

// New returns the pane; SetHost (or Open) gives it a host.
func New(d pane.Deps) Model {
	d = d.WithDefaults()
	return Model{client: d.Client, st: d.Styles, keys: DefaultKeyMap(), ctx: d.Context, now: d.Now,
		readOnly: d.ReadOnly, groups: map[string]map[string]string{}, groupErr: map[string]error{}}
}

// Open shows the host a NavigateMsg names (a falcon.Host).
func (m *Model) Open(target any) tea.Cmd {
	h, ok := target.(falcon.Host)
	if !ok {
		return nil
	}
	return m.SetHost(h)
}

// Crumb names the host on the tab bar's path.
func (m Model) Crumb() string {
	if !m.has {
		return ""
	}
	return sanitize.Line(m.host.Hostname, 24)
}

// SetHost shows h at once (from the list) and loads the rest: a fresh copy of the host, the
// tenant's group names (once per tenant), the ZTA and the recent alerts.
func (m *Model) SetHost(h falcon.Host) tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	m.gen = generation.Next()
	m.host, m.has, m.offset = h, true, 0
	m.zta, m.hasZTA, m.alerts = falcon.ZTAAssessment{}, false, nil
	if m.client == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	m.refresh = part{loading: true}
	m.ztaPart = part{loading: true}
	m.alPart = part{loading: true}
	cmds := []tea.Cmd{
		fetchHost(ctx, m.client, h.CID, h.DeviceID, m.gen),
		fetchZTA(ctx, m.client, h.CID, h.DeviceID, m.gen),
		fetchAlerts(ctx, m.client, h.CID, h.DeviceID, m.gen),
	}
	if _, ok := m.groups[h.CID]; !ok {
		// Not tied to this host's context: the names serve every host of the tenant.
		cmds = append(cmds, fetchGroups(m.ctx, m.client, h.CID))
	}
	return tea.Batch(cmds...)
}

// Host is the host shown.
func (m Model) Host() (falcon.Host, bool) { return m.host, m.has }

// ForgetGroups drops cached group names (after a group edit or a rename).
func (m *Model) ForgetGroups(cid string) { delete(m.groups, cid); delete(m.groupErr, cid) }

// SetSize implements the pane contract.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.clampOffset()
}

// Focus and Blur implement the pane contract.
func (m *Model) Focus() { m.focused = true }
func (m *Model) Blur()  { m.focused = false }

// Capturing implements the pane contract: the detail has no text input.
func (m Model) Capturing() bool { return false }

// KeyMap implements the pane contract.
func (m Model) KeyMap() help.KeyMap { return m.keys }

// Loading reports whether any section is still loading.
func (m Model) Loading() bool { return m.refresh.loading || m.ztaPart.loading || m.alPart.loading }

// Task names the load for the status bar.
func (m Model) Task() string {
	if m.Loading() {
		return "host detail"
	}
	return ""
}

// Update implements the pane contract.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case hostFetchedMsg:
		if msg.gen == m.gen {
			m.refresh = part{err: msg.err}
			if msg.ok {
				m.host = msg.host
			}
		}
	case groupsFetchedMsg:
		if msg.client != m.client {
			return m, nil
		}
		if msg.err != nil {
			m.groupErr[msg.cid] = msg.err
			return m, nil
		}
		names := make(map[string]string, len(msg.groups))
		for _, g := range msg.groups {
			names[g.ID] = g.Name
		}
		m.groups[msg.cid] = names
		delete(m.groupErr, msg.cid)
	case ztaFetchedMsg:
		if msg.gen == m.gen {
			m.ztaPart = part{err: msg.err}
			m.zta, m.hasZTA = msg.zta, msg.ok
		}
	case alertsFetchedMsg:
		if msg.gen == m.gen {
			m.alPart = part{err: msg.err}
			m.alerts = msg.alerts
		}
	case domain.EditedMsg:
		// The host's groups may have changed: load them and the host again.
		if m.has {
			m.ForgetGroups(m.host.CID)
			return m, m.SetHost(m.host)
		}
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseWheelMsg:
		m.scroll(msg)
	}
	return m, nil
}

func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	if m.scroll(msg) {
		return m, nil
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Alerts):
		if m.has {
			return m, pane.Navigate(pane.HostAlerts, m.host)
		}
	case key.Matches(msg, k.Add), key.Matches(msg, k.Remove):
		if !m.has {
			return m, nil
		}
		if m.readOnly {
			return m, status.Warn(domain.ReadOnlyReason)
		}
		action := falcon.AddHosts
		if key.Matches(msg, k.Remove) {
			action = falcon.RemoveHosts
		}
		h := m.host
		return m, func() tea.Msg { return pane.EditMembershipMsg{Action: action, Hosts: []falcon.Host{h}} }
	case key.Matches(msg, k.Reload):
		if m.has {
			m.ForgetGroups(m.host.CID)
			return m, m.SetHost(m.host)
		}
	}
	return m, nil
}

// scroll moves the text for a scroll key or the wheel, and reports whether msg was one.
func (m *Model) scroll(msg tea.Msg) bool {
	to, ok := widget.Scroll(msg, m.keys.ScrollKeyMap, m.offset, max(1, m.height-1))
	if ok {
		m.offset = to
		m.clampOffset()
	}
	return ok
}

func (m *Model) clampOffset() {
	m.offset = max(0, min(m.offset, len(m.lines())-m.height))
}
