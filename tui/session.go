package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// The session: connecting, the tenant list, the current tenant, switching profile. The root
// tells the panes through the optional interfaces of package pane.

// onConnected finishes the connect step: load the tenants, the hosts, and follow rate limits.
func (m Model) onConnected(msg connectedMsg) (Model, tea.Cmd) {
	if msg.client != m.client {
		return m, nil // a connect of a client :profile replaced
	}
	m.connecting = false
	if msg.err != nil {
		m.connErr = msg.err
		return m, nil
	}
	m.connErr, m.connected = nil, true
	if home := m.client.HomeCID(); m.cid == "" || (m.stored && m.opts.StartCID == "" && home != "" && !strings.EqualFold(home, m.cid)) {
		// (A stored home tenant that is not the client's: the profile's credentials changed.)
		m.cid = home
	}
	// The panes that are not lazy load now; the lazy one on screen too.
	var cmds []tea.Cmd
	for _, s := range m.reg.Panes {
		if !s.Drill && !s.Lazy {
			cmds = append(cmds, m.start(s.Kind))
		}
	}
	cmds = append(cmds, m.edit.ProbeTenant(m.cid), m.showLazy(m.top()), m.ztaCountAtStart())
	if !m.ticking {
		m.ticking = true
		cmds = append(cmds, m.timer(clockTick()))
	}
	if !m.noTimers {
		if ch := m.client.SubscribeRateLimits(m.clientCtx); ch != nil {
			m.rateGen = generation.Next()
			cmds = append(cmds, followRates(ch, m.rateGen))
		}
	}
	m.rate = m.client.RateLimit(m.cid)
	if m.opts.Notice != "" {
		cmds = append(cmds, status.Warn("%s", m.opts.Notice))
		m.opts.Notice = "" // once: not again after :profile
	}
	return m, tea.Batch(cmds...)
}

// tenantsListed records the tenant list and passes it to the panes that label or span tenants.
func (m Model) tenantsListed(ts []falcon.Tenant) (Model, tea.Cmd) {
	m.tenants = ts
	each(m, func(l pane.TenantLister) { l.SetTenants(ts) })
	m.edit.SetTenantName(m.tenantNamer())
	if m.cid == "" && len(ts) > 0 {
		// The client learnt its home CID while listing: the panes already show it as "".
		cid := ts[0].CID
		m.cid = cid
		each(m, func(a pane.Adopter) { a.Adopt(cid) })
	}
	m.refreshRates()
	return m, keepTenants(m.clientCtx, m.opts.Store, ts, m.now())
}

// refreshRates reads the rate-limit state of the current tenant (the status bar's meter)
// and of every listed tenant (the Tenants pane's API column).
func (m *Model) refreshRates() {
	if m.client == nil || !m.connected {
		return
	}
	m.rate = m.client.RateLimit(m.cid)
	for _, t := range m.tenants {
		s := m.client.RateLimit(t.CID)
		if s.CID == "" {
			s.CID = t.CID
		}
		each(*m, func(r pane.RateSetter) { r.SetRate(s) })
	}
}

// switchTenant makes cid the current tenant: every pane reloads with a new generation.
func (m Model) switchTenant(cid string) (Model, tea.Cmd) {
	if !m.connected {
		return m, status.Warn("not connected yet")
	}
	m.cid = cid
	m.rate = m.client.RateLimit(cid)
	// The panes that have loaded follow; a lazy pane not shown yet loads on first show.
	var cmds []tea.Cmd
	for i, s := range m.reg.Panes {
		if s.Drill || !m.shown[s.Kind] {
			continue
		}
		if t, ok := pane.As[pane.TenantSetter](m.panes[i]); ok {
			cmds = append(cmds, t.SetTenant(cid))
		}
	}
	cmds = append(cmds, m.edit.ProbeTenant(cid), status.Success("tenant: %s", m.tenantName(cid)))
	// Drill-downs belonged to the old tenant.
	if m.top() != m.tab() {
		m.setPaneFocus(m.top(), false)
		m.stack = m.stack[:1]
		m.focusTop()
	}
	if m.spec(m.tab()).PicksTenant {
		cmds = append(cmds, m.goTab(m.reg.Start))
	}
	return m, tea.Batch(cmds...)
}

// editRunningProfile is why `:profile` waits: the run belongs to the current client, and
// its report (and undo) would be lost with it.
const editRunningProfile = "a group edit is running: switch profile once it has finished"

// profileOpened swaps in the client of another profile and starts over with it. Everything
// the old client had running is cancelled first (buildPanes ends its context), so none of
// its results can reach the new panes; the old client then revokes its tokens.
func (m Model) profileOpened(msg profileOpenedMsg) (Model, tea.Cmd) {
	if msg.err != nil {
		return m, status.Errorf("%s", profileFailure(msg.name, msg.err))
	}
	if m.edit.Running() {
		// Started while the profile was connecting: keep the client the edit runs on.
		return m, tea.Batch(closeClient(m.ctx, msg.client), status.Warn("%s", editRunningProfile))
	}
	old := m.client
	m.client = msg.client
	m.opts.Profile = msg.name
	m.opts.Source = "keyring"
	if m.opts.MeOf != nil {
		m.opts.Me = m.opts.MeOf(msg.name) // who "me" is belongs to the profile
	}
	m.cid, m.tenants = "", nil
	m.connected, m.stored = false, false
	// The old profile's store holds the old profile's estate: the new one brings its own.
	m.opts.Store = nil
	if m.opts.StoreOf != nil {
		m.opts.Store = m.opts.StoreOf(msg.client)
	}
	m.stack = []pane.Kind{m.reg.Start}
	m.overlay = overlayNone
	m.buildPanes()
	m.focusTop()
	next, cmd := m.onConnected(connectedMsg{client: msg.client})
	return next, tea.Batch(closeClient(m.ctx, old), cmd, status.Success("profile %s", msg.name))
}
