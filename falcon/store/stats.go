package store

// The store as a whole: its figures (Stats) and emptying it (Clear).

import (
	"context"
	"database/sql"
	"os"
	"time"
)

// TenantStats is one tenant's line of Stats.
type TenantStats struct {
	CID, Name string
	Hosts     int       // stored host rows
	Groups    int       // stored groups
	Alerts    int       // stored alert summaries
	SyncedAt  time.Time // the newest host row's sync time (zero: none)
	OldestAt  time.Time // the oldest host row's sync time
}

// Stats describes the store: where it is, how big, what it holds and how old it is.
type Stats struct {
	Path          string
	Bytes         int64 // the database file plus its -wal file
	SchemaVersion int
	Tenants       []TenantStats
	Hosts         int
	Groups        int
	Members       int
	Alerts        int
	Tokens        int
}

// Stats reads the store's figures.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	db, err := s.conn()
	if err != nil {
		return Stats{}, err
	}
	st := Stats{Path: s.path}
	for _, p := range []string{s.path, s.path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			st.Bytes += fi.Size()
		}
	}
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&st.SchemaVersion); err != nil {
		return st, classify(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT t.cid, t.name,
		(SELECT count(*) FROM hosts h WHERE h.tid=t.id),
		(SELECT coalesce(max(synced_at),0) FROM hosts h WHERE h.tid=t.id),
		(SELECT coalesce(min(synced_at),0) FROM hosts h WHERE h.tid=t.id),
		(SELECT count(*) FROM host_groups g WHERE g.tid=t.id),
		(SELECT count(*) FROM alerts a WHERE a.tid=t.id)
		FROM tenants t ORDER BY t.parent<>'', t.name, t.cid`)
	if err != nil {
		return st, classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var ts TenantStats
		var newest, oldest int64
		if err := rows.Scan(&ts.CID, &ts.Name, &ts.Hosts, &newest, &oldest, &ts.Groups, &ts.Alerts); err != nil {
			return st, err
		}
		ts.SyncedAt, ts.OldestAt = fromUnix(newest), fromUnix(oldest)
		st.Tenants = append(st.Tenants, ts)
		st.Hosts += ts.Hosts
		st.Groups += ts.Groups
		st.Alerts += ts.Alerts
	}
	if err := rows.Err(); err != nil {
		return st, classify(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM group_members), (SELECT count(*) FROM tokens)`).Scan(&st.Members, &st.Tokens); err != nil {
		return st, classify(err)
	}
	return st, nil
}

// Clear empties the store (its key stays) and gives the space back.
func (s *Store) Clear(ctx context.Context) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, t := range []string{"hosts", "host_values", "host_groups", "group_members", "alerts", "watermarks", "tokens", "tenants"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM`); err != nil {
		return classify(err)
	}
	_, err = s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return classify(err)
}
