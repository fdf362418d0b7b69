// Package refresh keeps the local store (falcon/store) in step with the API: per tenant, a
// delta by modified_timestamp, an ids-only reconciliation now and then, or a full reload;
// and the tenant list. Every row it writes is one the API has just returned, and it writes
// it before telling the caller, so what the caller shows is what the store holds
// (docs/STORE.md, Refresh).
//
// It is the same code for the real cloud and the simulator: the client's base URL is the
// only difference.
package refresh

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// Defaults of Syncer's settings.
const (
	// DefaultOverlap is how far before the watermark a delta starts again: a host changed
	// on the server while its tenant was being read, or clocks that disagree by a little,
	// must not fall between two deltas. Hosts read twice are simply written twice.
	DefaultOverlap = 2 * time.Minute
	// DefaultReconcileEvery is how often, at most, a tenant's device ids are listed in
	// full: a delta cannot see a host that stopped being listed (hidden, removed), and
	// the ids cost about an eighth of a full load (docs/STORE.md).
	DefaultReconcileEvery = 15 * time.Minute
)

// Syncer keeps a store's hosts and tenants in step with the API. It is safe for concurrent
// use on different tenants; the caller decides how many run at once and at what priority
// (falcon.WithPriority on the context).
type Syncer struct {
	Client         *falcon.Client
	Store          *store.Store
	Overlap        time.Duration    // 0 = DefaultOverlap
	ReconcileEvery time.Duration    // 0 = DefaultReconcileEvery
	Now            func() time.Time // nil = time.Now
}

// Mode is what a tenant's refresh does.
type Mode int

const (
	// Auto loads a tenant never synced in full; otherwise it fetches the hosts changed
	// since the watermark, and lists the ids when a reconciliation is due.
	Auto Mode = iota
	// Full reloads every row of the tenant and drops what the server no longer lists
	// (the `R` key).
	Full
	// Reconcile is Auto with the ids listed whether or not a reconciliation is due: what
	// the user asks for with `r` is the list as it is now, hidden and removed hosts gone.
	Reconcile
)

// Kind is what a refresh did.
type Kind int

const (
	KindFull      Kind = iota // every row read
	KindDelta                 // the rows changed since the watermark
	KindReconcile             // a delta plus the ids, to drop what went and add what came back
)

func (k Kind) String() string {
	switch k {
	case KindFull:
		return "full"
	case KindDelta:
		return "delta"
	case KindReconcile:
		return "reconcile"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Change is one step of a tenant's refresh, already written to the store when it is
// yielded.
type Change struct {
	CID     string
	Hosts   []falcon.Host // rows new or changed (every field of store.Fields), a page at a time
	Removed []string      // device ids the server no longer lists (hidden or removed hosts)
	Done    bool          // the tenant's last Change: its rows are now as of At
	Kind    Kind          // on Done: what ran
	At      time.Time     // on Done: the sync time recorded in the store
	Err     error         // on Done: the refresh stopped; the store keeps what was written before
}

func (s *Syncer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Syncer) overlap() time.Duration {
	if s.Overlap > 0 {
		return s.Overlap
	}
	return DefaultOverlap
}

func (s *Syncer) reconcileEvery() time.Duration {
	if s.ReconcileEvery > 0 {
		return s.ReconcileEvery
	}
	return DefaultReconcileEvery
}

// errStopped ends a refresh whose caller stopped reading.
var errStopped = errors.New("refresh: stopped")

// Tenant refreshes tenant cid's hosts in the store, yielding each step; the last has Done
// set. Stopping early (break) leaves the store consistent: the watermark moves only when a
// step is complete.
func (s *Syncer) Tenant(ctx context.Context, cid string, mode Mode) iter.Seq[Change] {
	return func(yield func(Change) bool) {
		r := &run{s: s, ctx: ctx, cid: cid, yield: yield, started: s.now()}
		kind, err := r.refresh(mode)
		if errors.Is(err, errStopped) {
			return
		}
		done := Change{CID: cid, Done: true, Kind: kind, Err: err}
		if err == nil {
			done.At = r.started
		}
		yield(done)
	}
}

// run is one tenant's refresh.
type run struct {
	s       *Syncer
	ctx     context.Context
	cid     string
	yield   func(Change) bool
	started time.Time // the sync time recorded: rows are as of the moment the refresh began
}

func (r *run) emit(c Change) error {
	c.CID = r.cid
	if !r.yield(c) {
		return errStopped
	}
	return nil
}

func (r *run) refresh(mode Mode) (Kind, error) {
	st := r.s.Store
	wm, err := st.Watermark(r.ctx, r.cid)
	if err != nil {
		return KindFull, err
	}
	if mode == Full || (wm.Modified.IsZero() && wm.FullAt.IsZero()) {
		return KindFull, r.full()
	}
	if err := r.delta(wm); err != nil {
		return KindDelta, err
	}
	if mode != Reconcile && r.started.Sub(wm.FullAt) < r.s.reconcileEvery() {
		return KindDelta, nil
	}
	return KindReconcile, r.reconcile()
}

// watermark is where the next delta starts: the greatest modified_timestamp read, but
// never after the moment this refresh began (a host changed while it ran may carry an
// earlier time than hosts read before it, on another clock).
func (r *run) watermark(seen time.Time) time.Time {
	if seen.After(r.started) {
		return r.started
	}
	return seen
}

// full reads every row, then drops the stored rows the server did not list.
func (r *run) full() error {
	st := r.s.Store
	var live []string
	seen, err := r.pages(falcon.HostQuery{Fields: store.Fields}, time.Time{}, func(hs []falcon.Host) {
		for i := range hs {
			live = append(live, hs[i].DeviceID)
		}
	})
	if err != nil {
		return err
	}
	gone, err := st.KeepHosts(r.ctx, r.cid, live)
	if err != nil {
		return err
	}
	if len(gone) > 0 {
		if err := r.emit(Change{Removed: gone}); err != nil {
			return err
		}
	}
	if seen.IsZero() {
		seen = r.started // no host: the next delta starts from now
	}
	return st.SetWatermark(r.ctx, r.cid, store.Watermark{Modified: r.watermark(seen), DeltaAt: r.started, FullAt: r.started})
}

// pages reads q's hosts, writes each page to the store and yields it, a page at a time;
// each (when not nil) sees every page too. It returns the greatest modified_timestamp read,
// from seen on.
func (r *run) pages(q falcon.HostQuery, seen time.Time, each func([]falcon.Host)) (time.Time, error) {
	for hs, err := range r.s.Client.Hosts.Stream(r.ctx, r.cid, q) {
		if err != nil {
			return seen, err
		}
		if err := r.s.Store.PutHosts(r.ctx, r.cid, hs, r.started); err != nil {
			return seen, err
		}
		for i := range hs {
			seen = later(seen, hs[i].Modified)
		}
		if each != nil {
			each(hs)
		}
		if err := r.emit(Change{Hosts: hs}); err != nil {
			return seen, err
		}
	}
	return seen, nil
}

// delta reads the rows changed since the watermark (less the overlap).
func (r *run) delta(wm store.Watermark) error {
	st := r.s.Store
	from := wm.Modified
	if from.IsZero() {
		from = wm.FullAt // a tenant that had no host: changes since it was read
	}
	from = from.Add(-r.s.overlap())
	q := falcon.HostQuery{Fields: store.Fields, Filter: "modified_timestamp:>'" + from.UTC().Format(time.RFC3339) + "'"}
	seen, err := r.pages(q, wm.Modified, nil)
	if err != nil {
		return err
	}
	if seen.IsZero() {
		seen = r.started
	}
	return st.SetWatermark(r.ctx, r.cid, store.Watermark{Modified: r.watermark(seen), DeltaAt: r.started, FullAt: wm.FullAt})
}

// reconcile lists the tenant's device ids: stored rows the server no longer lists go, and
// listed hosts the store lacks (a host shown again after being hidden keeps its old
// modified_timestamp, which the delta started after) are read.
func (r *run) reconcile() error {
	st := r.s.Store
	var live []string
	for hs, err := range r.s.Client.Hosts.Stream(r.ctx, r.cid, falcon.HostQuery{Fields: []string{"device_id"}}) {
		if err != nil {
			return err
		}
		for i := range hs {
			live = append(live, hs[i].DeviceID)
		}
	}
	stored, err := st.HostIDs(r.ctx, r.cid)
	if err != nil {
		return err
	}
	slices.Sort(live)
	var missing []string
	for _, id := range live {
		if _, found := slices.BinarySearch(stored, id); !found {
			missing = append(missing, id)
		}
	}
	gone, err := st.KeepHosts(r.ctx, r.cid, live)
	if err != nil {
		return err
	}
	if len(gone) > 0 {
		if err := r.emit(Change{Removed: gone}); err != nil {
			return err
		}
	}
	for chunk := range slices.Chunk(missing, missingBatch) {
		hs, err := r.s.Client.Hosts.Get(r.ctx, r.cid, chunk)
		if err != nil {
			return err
		}
		if err := st.PutHosts(r.ctx, r.cid, hs, r.started); err != nil {
			return err
		}
		if err := r.emit(Change{Hosts: hs}); err != nil {
			return err
		}
	}
	wm, err := st.Watermark(r.ctx, r.cid)
	if err != nil {
		return err
	}
	wm.FullAt = r.started
	return st.SetWatermark(r.ctx, r.cid, wm)
}

// missingBatch is how many hosts the store lacks are read per call (the detail endpoint
// takes up to 5,000 ids; a page this size keeps each step small for the list).
const missingBatch = 1000

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
