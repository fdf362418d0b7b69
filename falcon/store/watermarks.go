package store

// Watermarks: where each tenant's host sync stands.

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Watermark is where a tenant's sync stands.
type Watermark struct {
	// Modified is the greatest modified_timestamp seen on the tenant's hosts: the next delta
	// asks for modified_timestamp:>'…' from there (minus an overlap for clock skew).
	Modified time.Time
	DeltaAt  time.Time // the last delta refresh
	FullAt   time.Time // the last full reconciliation (ids only)
}

// Watermark returns tenant cid's sync watermark (zero when it was never synced).
func (s *Store) Watermark(ctx context.Context, cid string) (Watermark, error) {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return Watermark{}, err
	}
	var m, d, f int64
	err = s.db.QueryRowContext(ctx, `SELECT modified, delta_at, full_at FROM watermarks WHERE tid=?`, tid).Scan(&m, &d, &f)
	if errors.Is(err, sql.ErrNoRows) {
		return Watermark{}, nil
	}
	if err != nil {
		return Watermark{}, classify(err)
	}
	return Watermark{Modified: fromUnix(m), DeltaAt: fromUnix(d), FullAt: fromUnix(f)}, nil
}

// SetWatermark records tenant cid's sync watermark.
func (s *Store) SetWatermark(ctx context.Context, cid string, w Watermark) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		tid, err := tenantID(ctx, tx, cid)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO watermarks(tid, modified, delta_at, full_at) VALUES(?,?,?,?)`,
			tid, unix(w.Modified), unix(w.DeltaAt), unix(w.FullAt))
		return err
	})
}
