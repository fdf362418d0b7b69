package store

// Tenants: the tenants table, one row per CID with its name, parent, status and counts. The
// other tables hang off a tenant's row id (tenantID and lookupTenant, in data.go).

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Tenant is a stored tenant: who it is, and its counts with the time they were fetched.
// A count of -1 is unknown.
type Tenant struct {
	CID      string
	Name     string
	Parent   string // parent CID; "" for the home tenant
	Status   string
	Hosts    int
	Groups   int
	Alerts   int
	CountsAt time.Time // when the counts were fetched (zero: never)
	SeenAt   time.Time // when the tenant was last listed
	// SyncedAt is when the tenant's hosts were last synced: the later of its watermark's
	// DeltaAt and FullAt (zero: never). Tenants fills it; PutTenants ignores it.
	SyncedAt time.Time
}

// PutTenants adds or updates tenants, seen at seenAt. Counts of -1 leave the stored ones.
func (s *Store) PutTenants(ctx context.Context, ts []Tenant, seenAt time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO tenants(cid, name, parent, status, hosts, groups, alerts, counts_at, seen_at)
			VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
			ON CONFLICT(cid) DO UPDATE SET name=?2, parent=?3, status=?4,
				hosts=CASE WHEN ?5>=0 THEN ?5 ELSE hosts END,
				groups=CASE WHEN ?6>=0 THEN ?6 ELSE groups END,
				alerts=CASE WHEN ?7>=0 THEN ?7 ELSE alerts END,
				counts_at=CASE WHEN ?8>0 THEN ?8 ELSE counts_at END,
				seen_at=?9`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, t := range ts {
			if t.CID == "" {
				return errors.New("store: tenant with an empty CID")
			}
			if _, err := st.ExecContext(ctx, t.CID, t.Name, t.Parent, t.Status, t.Hosts, t.Groups, t.Alerts, unix(t.CountsAt), unix(seenAt)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Tenants returns the stored tenants, the home tenant (no parent) first, then by name.
func (s *Store) Tenants(ctx context.Context) ([]Tenant, error) {
	db, err := s.conn()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT t.cid, t.name, t.parent, t.status, t.hosts, t.groups, t.alerts, t.counts_at,
		t.seen_at, max(coalesce(w.delta_at, 0), coalesce(w.full_at, 0))
		FROM tenants t LEFT JOIN watermarks w ON w.tid=t.id ORDER BY t.parent<>'', t.name, t.cid`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []Tenant
	for rows.Next() {
		var t Tenant
		var countsAt, seenAt, syncedAt int64
		if err := rows.Scan(&t.CID, &t.Name, &t.Parent, &t.Status, &t.Hosts, &t.Groups, &t.Alerts, &countsAt, &seenAt, &syncedAt); err != nil {
			return nil, err
		}
		t.CountsAt, t.SeenAt, t.SyncedAt = fromUnix(countsAt), fromUnix(seenAt), fromUnix(syncedAt)
		out = append(out, t)
	}
	return out, classify(rows.Err())
}

// DeleteTenant forgets a tenant (a child that is gone) and everything stored under it.
func (s *Store) DeleteTenant(ctx context.Context, cid string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM tenants WHERE cid=?`, cid).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, t := range []string{"hosts", "host_values", "host_groups", "group_members", "alerts", "watermarks"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE tid=?", id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE cid=?`, cid); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM tenants WHERE id=?`, id)
		return err
	})
}
