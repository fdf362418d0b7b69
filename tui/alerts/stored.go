package alerts

// A tenant's alerts, loaded in full without a filter, go to the local store too
// (docs/STORE.md): recent alert summaries, those updated in the last keepAlerts.

import (
	"context"
	"log/slog"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// keepAlerts is how far back the store keeps alert summaries: a month covers an
// investigation's reach and bounds the store (an MSSP tenant can have tens of thousands of
// alerts a year).
const keepAlerts = 30 * 24 * time.Hour

// keepLoaded records a complete load's alerts and drops those updated before keepAlerts.
func keepLoaded(ctx context.Context, s *store.Store, cid string, alerts []falcon.Alert, now time.Time) tea.Cmd {
	if s == nil || cid == "" {
		return nil
	}
	alerts = slices.Clone(alerts)
	return func() tea.Msg {
		err := s.PutAlerts(ctx, cid, alerts, now)
		if err == nil {
			err = s.PruneAlerts(ctx, cid, now.Add(-keepAlerts))
		}
		if err != nil {
			slog.Debug("store: alerts not recorded", "err", err)
		}
		return nil
	}
}
