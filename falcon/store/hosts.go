package store

// Hosts: each tenant's hosts, one encoded row each (row.go), and the store's side of a
// reconciliation. Writing and reading hosts goes through SQLite's own API (rawConn): the
// database/sql layer costs an allocation and a conversion per value, which at a million
// hosts is most of the time.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// PutHosts adds or replaces the stored rows of tenant cid's hosts (every field Fields names;
// the CID is the tenant's), in one transaction.
func (s *Store) PutHosts(ctx context.Context, cid string, hosts []falcon.Host, syncedAt time.Time) error {
	if cid == "" {
		return errors.New("store: empty CID")
	}
	for i := range hosts {
		if hosts[i].DeviceID == "" {
			return errors.New("store: host with an empty device id")
		}
	}
	return s.rawConn(ctx, func(c *sqlite3.Conn) error {
		// A transaction larger than the page cache spills pages to the log before it commits
		// and reads them back; a cache that holds it writes each page once.
		if len(hosts) > 10_000 {
			if err := c.Exec(fmt.Sprintf("PRAGMA cache_size=%d", -len(hosts)/4)); err != nil { // KiB: ~200 B a host
				return err
			}
			defer func() { // back to SQLite's default, even after an interrupt
				old := c.SetInterrupt(context.Background())
				_ = c.Exec("PRAGMA cache_size=-2000")
				c.SetInterrupt(old)
			}()
		}
		if err := c.Exec("BEGIN IMMEDIATE"); err != nil {
			return err
		}
		tid, err := rawTenantID(c, cid)
		if err != nil {
			return err
		}
		e, err := loadValues(c, tid)
		if err != nil {
			return err
		}
		// Encoded in the order given (the hosts are read once, front to back), then written in
		// key order: the B-tree grows at its end instead of splitting pages all over (100k
		// rows in random order took seven times as long).
		type pending struct {
			id       string
			modified int64
			end      int
		}
		rows := make([]pending, len(hosts))
		buf := make([]byte, 0, 128*len(hosts)) // a row is about 100 bytes
		for i := range hosts {
			h := &hosts[i]
			buf = encodeRow(buf, e, h)
			rows[i] = pending{h.DeviceID, unix(h.Modified), len(buf)}
		}
		if err := putValues(c, tid, e); err != nil {
			return err
		}
		order := make([]int32, len(rows))
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortFunc(order, func(a, b int32) int { return strings.Compare(rows[a].id, rows[b].id) })
		st, _, err := c.Prepare(`INSERT OR REPLACE INTO hosts(tid, device_id, modified, synced_at, row) VALUES(?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		// Bindings outlive each Exec: the tenant and the sync time are bound once.
		if err := errors.Join(st.BindInt64(1, tid), st.BindInt64(4, unix(syncedAt))); err != nil {
			return err
		}
		for _, i := range order {
			r, from := rows[i], 0
			if i > 0 {
				from = rows[i-1].end
			}
			if err := errors.Join(st.BindText(2, r.id), st.BindInt64(3, r.modified), st.BindBlob(5, buf[from:r.end])); err != nil {
				return err
			}
			if err := st.Exec(); err != nil {
				return err
			}
		}
		return c.Exec("COMMIT")
	})
}

// putValues stores the values e numbered since it was loaded.
func putValues(c *sqlite3.Conn, tid int64, e *valueEncoder) error {
	if len(e.added) == 0 {
		return nil
	}
	st, _, err := c.Prepare(`INSERT INTO host_values(tid, id, value) VALUES(?,?,?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.BindInt64(1, tid); err != nil {
		return err
	}
	for j, id := range e.added {
		if err := errors.Join(st.BindInt64(2, id), st.BindBlob(3, e.addedV[j])); err != nil {
			return err
		}
		if err := st.Exec(); err != nil {
			return err
		}
	}
	e.added, e.addedV = e.added[:0], e.addedV[:0]
	return nil
}

// loadValues reads tenant tid's stored values into an encoder.
func loadValues(c *sqlite3.Conn, tid int64) (*valueEncoder, error) {
	e := newValueEncoder()
	st, _, err := c.Prepare(`SELECT id, value FROM host_values WHERE tid=?`)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := st.BindInt64(1, tid); err != nil {
		return nil, err
	}
	for st.Step() {
		e.known(st.ColumnInt64(0), st.ColumnRawBlob(1))
	}
	return e, st.Reset()
}

// rawTenantID is tenantID on a raw connection.
func rawTenantID(c *sqlite3.Conn, cid string) (int64, error) {
	st, _, err := c.Prepare(`INSERT INTO tenants(cid) VALUES(?) ON CONFLICT(cid) DO UPDATE SET cid=excluded.cid RETURNING id`)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	if err := st.BindText(1, cid); err != nil {
		return 0, err
	}
	if !st.Step() {
		if err := st.Err(); err != nil {
			return 0, err
		}
		return 0, errors.New("store: no tenant id")
	}
	id := st.ColumnInt64(0)
	return id, st.Reset()
}

// rawConn runs fn on one of the pool's connections through SQLite's own API, with ctx
// interrupting it. A transaction fn leaves open is rolled back.
func (s *Store) rawConn(ctx context.Context, fn func(*sqlite3.Conn) error) error {
	db, err := s.conn()
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return classify(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		r, ok := dc.(interface{ Raw() *sqlite3.Conn })
		if !ok {
			return errors.New("store: the driver gives no SQLite connection")
		}
		c := r.Raw()
		old := c.SetInterrupt(ctx)
		err := fn(c)
		// An interrupted connection executes nothing, not even a rollback: rearm it first.
		c.SetInterrupt(context.Background())
		if !c.GetAutocommit() {
			_ = c.Exec("ROLLBACK")
		}
		c.SetInterrupt(old)
		return err
	})
	if err != nil && ctx.Err() != nil && errors.Is(err, sqlite3.INTERRUPT) {
		return ctx.Err()
	}
	return classify(err)
}

// DeleteHosts removes hosts of tenant cid by device id (removed or hidden on the server).
func (s *Store) DeleteHosts(ctx context.Context, cid string, ids []string) error {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok || len(ids) == 0 {
		return err
	}
	return s.rawConn(ctx, func(c *sqlite3.Conn) error {
		if err := c.Exec("BEGIN IMMEDIATE"); err != nil {
			return err
		}
		st, _, err := c.Prepare(`DELETE FROM hosts WHERE tid=? AND device_id=?`)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := st.BindInt64(1, tid); err != nil {
			return err
		}
		for _, id := range ids {
			if err := st.BindText(2, id); err != nil {
				return err
			}
			if err := st.Exec(); err != nil {
				return err
			}
		}
		return c.Exec("COMMIT")
	})
}

// HostRow is a stored host and when it was synced.
type HostRow struct {
	falcon.Host
	SyncedAt time.Time
}

// Hosts calls fn with each stored host of tenant cid, by device id; an error from fn stops the
// walk and is returned.
func (s *Store) Hosts(ctx context.Context, cid string, fn func(HostRow) error) error {
	return s.readHosts(ctx, []string{cid}, 1000, func(_ string, hosts []falcon.Host, synced []int64) error {
		for i := range hosts {
			if err := fn(HostRow{Host: hosts[i], SyncedAt: fromUnix(synced[i])}); err != nil {
				return err
			}
		}
		return nil
	})
}

// HostBatch is up to n stored hosts of one tenant, in device-id order.
type HostBatch struct {
	CID   string
	Hosts []falcon.Host
}

// ReadHosts calls fn with the stored hosts of each tenant in cids, in that order, in batches of
// at most size hosts (fn may keep the slice; its shared strings and slices are read-only). A
// tenant with no stored hosts has no batch. An error from fn, or ctx ending, stops the read.
// The read sees one snapshot of the store: a write meanwhile is either all in it or not at all.
//
// SQLite steps through the rows on a goroutine of its own while this one decodes them and
// calls fn (docs/STORE.md: on two cores, about a tenth faster than one after the other; the
// garbage collector, marking the hosts kept, takes much of the second core).
func (s *Store) ReadHosts(ctx context.Context, cids []string, size int, fn func(HostBatch) error) error {
	return s.readHosts(ctx, cids, size, func(cid string, hosts []falcon.Host, _ []int64) error {
		return fn(HostBatch{CID: cid, Hosts: hosts})
	})
}

// rawBatch is up to size stored rows of one tenant, copied out of SQLite; a tenant's first
// batch also carries its values (row.go).
type rawBatch struct {
	cid     string
	first   bool
	valIDs  []int64
	valEnds []uint32
	values  []byte
	data    []byte   // per row: its device id, then its encoded row
	ends    []uint32 // per row: where its id ends, where its row ends
	synced  []int64
}

func (b *rawBatch) reset() {
	b.first = false
	b.valIDs, b.valEnds, b.values = b.valIDs[:0], b.valEnds[:0], b.values[:0]
	b.data, b.ends, b.synced = b.data[:0], b.ends[:0], b.synced[:0]
}

// readHosts is ReadHosts, with each host's sync time.
func (s *Store) readHosts(ctx context.Context, cids []string, size int, fn func(cid string, hosts []falcon.Host, synced []int64) error) error {
	if _, err := s.conn(); err != nil {
		return err
	}
	if size <= 0 {
		size = 1000
	}
	d := newRowDecoder()
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	const inFlight = 3 // one being stepped, one waiting, one being decoded
	free := make(chan *rawBatch, inFlight)
	for range inFlight {
		free <- &rawBatch{}
	}
	full := make(chan *rawBatch, inFlight)
	var scanErr error
	go func() {
		defer close(full)
		scanErr = s.scanHosts(ctx, cids, size, func() (*rawBatch, error) {
			select {
			case b := <-free:
				return b, nil
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}, func(b *rawBatch) error {
			select {
			case full <- b:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var err error
	for b := range full {
		if err == nil {
			err = d.batch(b, fn)
			if err == nil {
				err = parent.Err()
			}
			if err != nil {
				cancel() // the scan stops at its next row
			}
		}
		b.reset()
		free <- b
	}
	if err != nil {
		return err
	}
	if scanErr != nil && parent.Err() != nil {
		return parent.Err()
	}
	return scanErr
}

// batch decodes b and hands it to fn.
func (d *rowDecoder) batch(b *rawBatch, fn func(cid string, hosts []falcon.Host, synced []int64) error) error {
	if b.first {
		if err := d.tenant(b.valIDs, b.valEnds, b.values); err != nil {
			return fmt.Errorf("%w: tenant %s", err, b.cid)
		}
	}
	hosts := make([]falcon.Host, len(b.synced))
	from := uint32(0)
	for i := range hosts {
		idEnd, rowEnd := b.ends[2*i], b.ends[2*i+1]
		hosts[i].CID = b.cid
		if err := d.decode(&hosts[i], b.data[from:idEnd], b.data[idEnd:rowEnd]); err != nil {
			return fmt.Errorf("%w: tenant %s, host %s", err, b.cid, b.data[from:idEnd])
		}
		from = rowEnd
	}
	d.finish(hosts)
	return fn(b.cid, hosts, b.synced)
}

// scanHosts steps through the stored values and rows of cids in one read transaction,
// filling batches it gets and sending them on.
func (s *Store) scanHosts(ctx context.Context, cids []string, size int, get func() (*rawBatch, error), send func(*rawBatch) error) error {
	return s.rawConn(ctx, func(c *sqlite3.Conn) error {
		if err := c.Exec("BEGIN"); err != nil {
			return err
		}
		vst, _, err := c.Prepare(`SELECT id, value FROM host_values WHERE tid=(SELECT id FROM tenants WHERE cid=?)`)
		if err != nil {
			return err
		}
		defer vst.Close()
		st, _, err := c.Prepare(`SELECT device_id, synced_at, row FROM hosts
			WHERE tid=(SELECT id FROM tenants WHERE cid=?) ORDER BY device_id`)
		if err != nil {
			return err
		}
		defer st.Close()
		var b *rawBatch
		for _, cid := range cids {
			if b == nil {
				if b, err = get(); err != nil {
					return err
				}
			}
			b.reset()
			b.cid, b.first = cid, true
			if err := errors.Join(vst.BindText(1, cid), st.BindText(1, cid)); err != nil {
				return err
			}
			for vst.Step() {
				b.valIDs = append(b.valIDs, vst.ColumnInt64(0))
				b.values = append(b.values, vst.ColumnRawBlob(1)...)
				b.valEnds = append(b.valEnds, uint32(len(b.values)))
			}
			if err := vst.Reset(); err != nil {
				return err
			}
			for st.Step() {
				if b == nil {
					if b, err = get(); err != nil {
						return err
					}
					b.cid = cid
				}
				b.data = append(b.data, st.ColumnRawText(0)...)
				idEnd := uint32(len(b.data))
				b.data = append(b.data, st.ColumnRawBlob(2)...)
				b.ends = append(b.ends, idEnd, uint32(len(b.data)))
				b.synced = append(b.synced, st.ColumnInt64(1))
				if len(b.synced) == size {
					if err := send(b); err != nil {
						return err
					}
					b = nil
				}
			}
			if err := st.Reset(); err != nil {
				return err
			}
			if b != nil && len(b.synced) > 0 {
				if err := send(b); err != nil {
					return err
				}
				b = nil
			}
		}
		return c.Exec("COMMIT")
	})
}

// HostIDs returns the stored device ids of tenant cid, sorted: the local side of a
// reconciliation.
func (s *Store) HostIDs(ctx context.Context, cid string) ([]string, error) {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return nil, err
	}
	return s.strings(ctx, `SELECT device_id FROM hosts WHERE tid=? ORDER BY device_id`, tid)
}

// KeepHosts is the store's side of a reconciliation: it deletes the hosts of tenant cid whose
// device id is not in live (the ids the server lists now: hidden and removed hosts are not),
// and returns those it deleted.
func (s *Store) KeepHosts(ctx context.Context, cid string, live []string) ([]string, error) {
	stored, err := s.HostIDs(ctx, cid)
	if err != nil {
		return nil, err
	}
	keep := make(map[string]struct{}, len(live))
	for _, id := range live {
		keep[id] = struct{}{}
	}
	var gone []string
	for _, id := range stored {
		if _, ok := keep[id]; !ok {
			gone = append(gone, id)
		}
	}
	if len(gone) == 0 {
		return nil, nil
	}
	return gone, s.DeleteHosts(ctx, cid, gone)
}
