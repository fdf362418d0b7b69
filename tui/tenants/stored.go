package tenants

// The pane's side of the local store (docs/STORE.md): at a warm start the stored tenant
// list shows at once, with the counts last taken and their age; counts taken since are
// recorded; and a SYNCED column says how old each tenant's stored host rows are.

import (
	"context"
	"log/slog"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/vtable"
)

// syncedColumn is the column that says how old a tenant's stored host rows are; only
// with a store.
var syncedColumn = vtable.Column{Title: "SYNCED", Width: 8, Right: true, Drop: 3}

// colSynced is its index.
const colSynced = 9

// storedListMsg is the stored tenant list.
type storedListMsg struct {
	tenants []store.Tenant
	err     error
}

// ShowStored shows the stored tenant list before the client has connected (a warm start),
// marking cid as current. The API's list replaces it at connect.
func (m *Model) ShowStored(cid string, stored []store.Tenant) tea.Cmd {
	m.SetCurrent(cid)
	*m, _ = m.storedList(storedListMsg{tenants: stored})
	return nil
}

// readStored reads the stored tenants: the list for a warm start, and each one's sync age.
func (m *Model) readStored() tea.Cmd {
	s, ctx := m.store, m.ctx
	if s == nil {
		return nil
	}
	return func() tea.Msg {
		ts, err := s.Tenants(ctx)
		return storedListMsg{tenants: ts, err: err}
	}
}

// storedList takes the stored list: the sync ages always, the tenants and their counts only
// while the API's list has not arrived.
func (m Model) storedList(msg storedListMsg) (Model, tea.Cmd) {
	if msg.err != nil {
		return m, nil // the API's list will come: the store is a head start, not a source
	}
	for _, t := range msg.tenants {
		m.synced[strings.ToLower(t.CID)] = t.SyncedAt
	}
	if len(m.tenants) > 0 || len(msg.tenants) == 0 {
		return m, nil
	}
	m.tenants = make([]falcon.Tenant, len(msg.tenants))
	for i, t := range msg.tenants {
		m.tenants[i] = falcon.Tenant{CID: t.CID, Name: t.Name, ParentCID: t.Parent, Status: t.Status}
		if !t.CountsAt.IsZero() && t.Hosts >= 0 {
			m.sums[t.CID] = summary{TenantSummary: falcon.TenantSummary{CID: t.CID, Hosts: t.Hosts, Stale: -1, Contained: -1,
				NewAlerts: t.Alerts}, done: true, at: t.CountsAt}
		}
	}
	m.refilter()
	m.SetCurrent(m.current)
	return m, nil
}

// keepCounts records a tenant's fresh counts in the store (best effort: the next count
// fixes a miss).
func keepCounts(ctx context.Context, s *store.Store, t falcon.Tenant, sum falcon.TenantSummary, at time.Time) tea.Cmd {
	if s == nil {
		return nil
	}
	return func() tea.Msg {
		row := store.Tenant{CID: t.CID, Name: t.Name, Parent: t.ParentCID, Status: t.Status, Hosts: sum.Hosts,
			Groups: -1, Alerts: sum.NewAlerts, CountsAt: at}
		if err := s.PutTenants(ctx, []store.Tenant{row}, at); err != nil {
			slog.Debug("store: tenant counts not recorded", "err", err)
		}
		return nil
	}
}

// syncedCell is a tenant's SYNCED cell: how long ago its host rows were synced.
func (m Model) syncedCell(cid string) string {
	at := m.synced[strings.ToLower(cid)]
	if at.IsZero() {
		return "never"
	}
	return m.age(at)
}

// tenantSynced records a tenant's host rows as synced at msg.At (the hosts list refreshed it).
func (m *Model) tenantSynced(msg domain.TenantSyncedMsg) {
	if m.store != nil && !msg.At.IsZero() {
		m.synced[strings.ToLower(msg.CID)] = msg.At
	}
}
