package alerts

// Write-through to the local store (docs/STORE.md): each page the server sent is recorded in a
// tea.Cmd, best effort — a store error never changes what the pane shows; it is logged at debug
// level and the next load fixes the store.

import (
	"context"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// keepAlerts bounds the stored summaries by age: the store keeps "recent alert summaries"
// (docs/STORE.md), and 30 days covers the triage backlog an analyst works through while
// keeping a busy tenant's share of the database to weeks, not its whole history.
const keepAlerts = 30 * 24 * time.Hour

// storeCID is the tenant the store files the pane's alerts under: "" (the home tenant) is the
// client's home CID, "" when not known yet — then nothing is recorded.
func (m Model) storeCID() string {
	if m.cid == "" && m.client != nil {
		return m.client.HomeCID()
	}
	return m.cid
}

func storeAlerts(ctx context.Context, s *store.Store, cid string, alerts []falcon.Alert, at time.Time) tea.Cmd {
	if s == nil || cid == "" || len(alerts) == 0 {
		return nil
	}
	return func() tea.Msg {
		if err := s.PutAlerts(ctx, cid, alerts, at); err != nil {
			slog.Debug("store write failed", "what", "alerts", "err", err)
		}
		return nil
	}
}

func pruneAlerts(ctx context.Context, s *store.Store, cid string, now time.Time) tea.Cmd {
	if s == nil || cid == "" {
		return nil
	}
	return func() tea.Msg {
		if err := s.PruneAlerts(ctx, cid, now.Add(-keepAlerts)); err != nil {
			slog.Debug("store write failed", "what", "alerts prune", "err", err)
		}
		return nil
	}
}
