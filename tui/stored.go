package tui

import (
	"context"
	"log/slog"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/refresh"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// A warm start (docs/STORE.md): with a local store, the explorer does not wait for the
// connect (a token call, cloud discovery) to show an estate it has seen before. At Init it
// reads the stored tenant list; the panes that can (pane.StoreShower) show their stored
// rows at once, with their age, and refresh them once connected.

// storedTenantsMsg is the stored tenant list, read at start for client.
type storedTenantsMsg struct {
	client  *falcon.Client
	tenants []store.Tenant
	err     error
}

// readStoredTenants returns the command that reads the stored tenant list.
func readStoredTenants(ctx context.Context, s *store.Store, c *falcon.Client) tea.Cmd {
	return func() tea.Msg {
		ts, err := s.Tenants(ctx)
		return storedTenantsMsg{client: c, tenants: ts, err: err}
	}
}

// storedTenants puts the stored estate on screen while the client connects. A store that
// holds nothing (a first start) or cannot be read changes nothing: the connect screen
// stays, and the store fills from the API.
func (m Model) storedTenants(msg storedTenantsMsg) (Model, tea.Cmd) {
	if msg.client != m.client || m.connected || m.connErr != nil || msg.err != nil || len(msg.tenants) == 0 {
		return m, nil
	}
	ts := make([]falcon.Tenant, len(msg.tenants))
	home := ""
	for i, t := range msg.tenants {
		ts[i] = falcon.Tenant{CID: t.CID, Name: t.Name, ParentCID: t.Parent, Status: t.Status}
		if t.Parent == "" && home == "" {
			home = t.CID
		}
	}
	before := m.tenants
	m.tenants = ts
	if m.cid == "" {
		m.cid = home
	} else if _, ok := m.knownTenantName(m.cid); !ok {
		m.tenants = before
		return m, nil // --member-cid names a tenant the store has never seen
	}
	m.stored = true
	each(m, func(l pane.TenantLister) { l.SetTenants(ts) })
	m.edit.SetTenantName(m.tenantNamer())
	var cmds []tea.Cmd
	for i, s := range m.reg.Panes {
		if s.Drill {
			continue
		}
		if p, ok := pane.As[pane.StoreShower](m.panes[i]); ok {
			cmds = append(cmds, p.ShowStored(m.cid, msg.tenants))
		}
	}
	return m, tea.Batch(cmds...)
}

// asOf is when the oldest stored data on screen was synced (zero: none is shown).
func (m Model) asOf() time.Time {
	if a, ok := pane.As[pane.Aged](m.pane(m.top())); ok {
		return a.AsOf()
	}
	return time.Time{}
}

// keepTenants records a tenant list the API gave in the store (refresh.Record: children gone
// from it are forgotten). Best effort: a store that cannot be written is refilled next time.
func keepTenants(ctx context.Context, s *store.Store, ts []falcon.Tenant, now time.Time) tea.Cmd {
	if s == nil || len(ts) == 0 {
		return nil
	}
	ts = slices.Clone(ts)
	return func() tea.Msg {
		if _, err := refresh.Record(ctx, s, ts, now); err != nil {
			slog.Debug("store: tenant list not recorded", "err", err)
		}
		return nil
	}
}
