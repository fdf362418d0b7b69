package store

// What every table's functions share: the connection, a write in one transaction, a
// tenant's row id, Unix-second time columns and a query of one text column. Each table has
// its own file: tenants.go, hosts.go, groups.go, alerts.go, watermarks.go, tokens.go, and
// stats.go for the store as a whole.

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

func (s *Store) conn() (*sql.DB, error) {
	if s == nil || s.db == nil {
		return nil, ErrClosed
	}
	return s.db, nil
}

func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	db, err := s.conn()
	if err != nil {
		return err
	}
	return inTx(ctx, db, fn)
}

// tenantID returns the row id of cid, adding a bare tenant row when there is none.
func tenantID(ctx context.Context, tx *sql.Tx, cid string) (int64, error) {
	if cid == "" {
		return 0, errors.New("store: empty CID")
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO tenants(cid) VALUES(?) ON CONFLICT(cid) DO UPDATE SET cid=excluded.cid RETURNING id`, cid).Scan(&id)
	return id, err
}

// lookupTenant returns the row id of cid, or ok false.
func (s *Store) lookupTenant(ctx context.Context, cid string) (int64, bool, error) {
	db, err := s.conn()
	if err != nil {
		return 0, false, err
	}
	var id int64
	err = db.QueryRowContext(ctx, `SELECT id FROM tenants WHERE cid=?`, cid).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, classify(err)
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(v, 0).UTC()
}

// strings runs a query of one text column and returns its values.
func (s *Store) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, classify(rows.Err())
}
