package triage

// The store records only what the server confirmed (docs/STORE.md): the alerts whose update
// was accepted (AlertUpdated) — as re-read from the server when the re-read has them, else the
// status/assignee change itself. Refused, unsent and unknown outcomes leave the store alone.
// Best effort: a store error never changes the report; it is logged at debug level and the
// next alert load fixes the store.

import (
	"context"
	"log/slog"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// storeTriage records msg's confirmed changes (nil without a store or with nothing confirmed).
func storeTriage(ctx context.Context, s *store.Store, home string, alerts []falcon.Alert, u falcon.AlertUpdate, msg sentMsg, at time.Time) tea.Cmd {
	if s == nil {
		return nil
	}
	updated := map[string]bool{}
	for _, r := range msg.results {
		if r.Outcome == falcon.AlertUpdated {
			updated[r.CompositeID] = true
		}
	}
	if len(updated) == 0 {
		return nil
	}
	cidOf := func(a falcon.Alert) string {
		if c := strings.ToLower(a.CID); c != "" {
			return c
		}
		return home
	}
	reread := map[string][]falcon.Alert{} // tenant → the server's state of its updated alerts
	seen := map[string]bool{}
	for _, a := range msg.reread {
		if updated[a.CompositeID] && cidOf(a) != "" {
			reread[cidOf(a)] = append(reread[cidOf(a)], a)
			seen[a.CompositeID] = true
		}
	}
	rest := map[string][]string{} // tenant → updated alerts the re-read did not bring
	for _, a := range alerts {
		if updated[a.CompositeID] && !seen[a.CompositeID] && cidOf(a) != "" {
			rest[cidOf(a)] = append(rest[cidOf(a)], a.CompositeID)
		}
	}
	var change store.AlertChange
	if u.Status != "" {
		st := string(u.Status)
		change.Status = &st
	}
	if u.Unassign {
		none := ""
		change.AssignedTo = &none
	} // an assignment by UUID is not the stored assignee's form: the re-read or next load brings it
	return func() tea.Msg {
		for cid, as := range reread {
			if err := s.PutAlerts(ctx, cid, as, at); err != nil {
				slog.Debug("store write failed", "what", "triaged alerts", "err", err)
			}
		}
		for cid, ids := range rest {
			if err := s.UpdateAlerts(ctx, cid, ids, change, at); err != nil {
				slog.Debug("store write failed", "what", "triage change", "err", err)
			}
		}
		return nil
	}
}
