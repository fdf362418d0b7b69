package tui

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
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
	if m.cid == "" {
		m.cid = home
	} else if !knows(ts, m.cid) {
		return m, nil // --member-cid names a tenant the store has never seen
	}
	m.stored = true
	m.tenants = ts
	each(m, func(l pane.TenantLister) { l.SetTenants(ts) })
	m.edit.SetTenantName(m.tenantNamer())
	var cmds []tea.Cmd
	for i, s := range m.reg.Panes {
		if s.Drill {
			continue
		}
		if p, ok := pane.As[pane.StoreShower](m.panes[i]); ok {
			cmds = append(cmds, p.ShowStored(m.cid))
		}
	}
	return m, tea.Batch(cmds...)
}

func knows(ts []falcon.Tenant, cid string) bool {
	for _, t := range ts {
		if strings.EqualFold(t.CID, cid) {
			return true
		}
	}
	return false
}

// asOf is when the oldest stored data on screen was synced (zero: none is shown).
func (m Model) asOf() time.Time {
	if a, ok := pane.As[pane.Aged](m.pane(m.top())); ok {
		return a.AsOf()
	}
	return time.Time{}
}

// keepTenants records a tenant list the API gave in the store, and forgets the children
// that are gone from it (never when the children could not be read: a 403 lists the home
// tenant alone). Best effort: a store that cannot be written is refilled next time.
func keepTenants(ctx context.Context, s *store.Store, ts []falcon.Tenant, now time.Time) tea.Cmd {
	if s == nil || len(ts) == 0 {
		return nil
	}
	ts = slices.Clone(ts)
	return func() tea.Msg {
		rows := make([]store.Tenant, len(ts))
		live := map[string]bool{}
		complete := true
		for i, t := range ts {
			rows[i] = store.Tenant{CID: t.CID, Name: t.Name, Parent: t.ParentCID, Status: t.Status, Hosts: -1, Groups: -1, Alerts: -1}
			live[strings.ToLower(t.CID)] = true
			if t.ChildrenHidden {
				complete = false
			}
		}
		if err := s.PutTenants(ctx, rows, now); err != nil {
			slog.Debug("store: tenants not recorded", "err", err)
			return nil
		}
		if !complete {
			return nil
		}
		stored, err := s.Tenants(ctx)
		if err != nil {
			return nil
		}
		for _, t := range stored {
			if !live[strings.ToLower(t.CID)] {
				if err := s.DeleteTenant(ctx, t.CID); err != nil {
					slog.Debug("store: gone tenant not forgotten", "err", err)
				}
			}
		}
		return nil
	}
}
