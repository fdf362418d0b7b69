package store

// Alert summaries, per tenant: the recent ones only (PruneAlerts).

import (
	"context"
	"database/sql"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// PutAlerts adds or replaces alert summaries of tenant cid.
func (s *Store) PutAlerts(ctx context.Context, cid string, alerts []falcon.Alert, syncedAt time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		tid, err := tenantID(ctx, tx, cid)
		if err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO alerts(tid, composite_id, device_id, hostname, status,
			severity, severity_name, name, display_name, product, tactic, technique, assigned_to, created, updated, synced_at)
			VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, a := range alerts {
			if _, err := st.ExecContext(ctx, tid, a.CompositeID, a.DeviceID, a.Hostname, a.Status, a.Severity, a.SeverityName,
				a.Name, a.DisplayName, a.Product, a.Tactic, a.Technique, a.AssignedTo, unix(a.Created), unix(a.Updated), unix(syncedAt)); err != nil {
				return err
			}
		}
		return nil
	})
}

// PruneAlerts keeps the alert summaries of tenant cid updated at or after since: "recent".
func (s *Store) PruneAlerts(ctx context.Context, cid string, since time.Time) error {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM alerts WHERE tid=? AND updated<?`, tid, unix(since))
		return err
	})
}

// Alerts returns the stored alert summaries of tenant cid, newest first.
func (s *Store) Alerts(ctx context.Context, cid string) ([]falcon.Alert, error) {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT composite_id, device_id, hostname, status, severity, severity_name, name,
		display_name, product, tactic, technique, assigned_to, created, updated FROM alerts WHERE tid=? ORDER BY updated DESC, composite_id`, tid)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []falcon.Alert
	for rows.Next() {
		a := falcon.Alert{CID: cid}
		var created, updated int64
		if err := rows.Scan(&a.CompositeID, &a.DeviceID, &a.Hostname, &a.Status, &a.Severity, &a.SeverityName, &a.Name,
			&a.DisplayName, &a.Product, &a.Tactic, &a.Technique, &a.AssignedTo, &created, &updated); err != nil {
			return nil, err
		}
		a.Created, a.Updated = fromUnix(created), fromUnix(updated)
		out = append(out, a)
	}
	return out, classify(rows.Err())
}

// AlertChange is a triage change the server confirmed: a nil field was not changed.
type AlertChange struct {
	Status     *string
	AssignedTo *string
}

// UpdateAlerts applies one confirmed triage change to the stored summaries of the given alerts
// (those not stored are skipped: the next load brings them).
func (s *Store) UpdateAlerts(ctx context.Context, cid string, compositeIDs []string, c AlertChange, at time.Time) error {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok || len(compositeIDs) == 0 || (c.Status == nil && c.AssignedTo == nil) {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `UPDATE alerts SET status=coalesce(?1, status), assigned_to=coalesce(?2, assigned_to),
			updated=max(updated, ?3) WHERE tid=?4 AND composite_id=?5`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range compositeIDs {
			if _, err := st.ExecContext(ctx, c.Status, c.AssignedTo, unix(at), tid, id); err != nil {
				return err
			}
		}
		return nil
	})
}
