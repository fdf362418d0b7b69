package refresh

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// cloud is a churning simulator on a clock the test moves, a client and a store.
type cloud struct {
	srv    *falcontest.Server
	client *falcon.Client
	store  *store.Store
	*falcontest.Clock
}

func (c *cloud) clock() time.Time        { return c.Now() }
func (c *cloud) advance(d time.Duration) { c.Advance(d) }

func newCloud(t testing.TB, opts ...falcontest.Option) *cloud {
	t.Helper()
	c := &cloud{Clock: falcontest.NewClock(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC))}
	all := append([]falcontest.Option{falcontest.WithSeed(3), falcontest.WithClock(c.clock),
		falcontest.WithTokenLifetime(24 * time.Hour)}, opts...)
	c.srv = falcontest.NewServer(all...)
	t.Cleanup(c.srv.Close)
	full := c.srv.Client("full")
	cl, err := falcon.New(falcon.Config{ClientID: full.ID, ClientSecret: full.Secret, BaseURL: c.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close(context.Background()) })
	c.client = cl
	s, err := store.Open(context.Background(), "default", profiletest.New(), store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	c.store = s
	return c
}

func (c *cloud) syncer() *Syncer { return &Syncer{Client: c.client, Store: c.store, Now: c.clock} }

// stored is a host as the store keeps it: policies by type and id only.
func stored(h falcon.Host) falcon.Host {
	h.Policies = slices.Clone(h.Policies)
	for i := range h.Policies {
		h.Policies[i] = falcon.Policy{Type: h.Policies[i].Type, ID: h.Policies[i].ID}
	}
	if len(h.Policies) == 0 {
		h.Policies = nil
	}
	return h
}

// server is what the API lists for cid now, with the stored fields.
func (c *cloud) server(t testing.TB, cid string) map[string]falcon.Host {
	t.Helper()
	out := map[string]falcon.Host{}
	for hs, err := range c.client.Hosts.Stream(context.Background(), cid, falcon.HostQuery{Fields: store.Fields}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			out[h.DeviceID] = stored(h)
		}
	}
	return out
}

// storedHosts is what the store holds for cid.
func (c *cloud) storedHosts(t testing.TB, cid string) map[string]falcon.Host {
	t.Helper()
	out := map[string]falcon.Host{}
	err := c.store.Hosts(context.Background(), cid, func(r store.HostRow) error {
		out[r.DeviceID] = r.Host
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// apply runs a refresh and applies its Changes to view, as the explorer's list does; it
// returns the Done step.
func apply(t testing.TB, s *Syncer, cid string, mode Mode, view map[string]falcon.Host) Change {
	t.Helper()
	var done Change
	n := 0
	for ch := range s.Tenant(context.Background(), cid, mode) {
		if ch.CID != cid {
			t.Fatalf("a change of %s in the refresh of %s", ch.CID, cid)
		}
		for _, h := range ch.Hosts {
			view[h.DeviceID] = stored(h)
		}
		for _, id := range ch.Removed {
			delete(view, id)
		}
		if ch.Done {
			done = ch
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d Done steps, want 1", n)
	}
	return done
}

func assertSame(t testing.TB, what string, got, want map[string]falcon.Host) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d hosts, the server %d", what, len(got), len(want))
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Fatalf("%s: host %s (%s) missing", what, id, w.Hostname)
		}
		if !reflect.DeepEqual(stored(g), w) {
			t.Fatalf("%s: host %s differs:\n%+v\nwant\n%+v", what, id, g, w)
		}
	}
}

// TestAutoRefreshConverges: a full load, then deltas and reconciliations over a churning
// estate (hosts change, hide, come back) leave the store — and a list that applies the
// Changes — holding exactly the server's hosts, every stored field equal.
func TestAutoRefreshConverges(t *testing.T) {
	c := newCloud(t, falcontest.WithTenants(0), falcontest.WithHosts(3000), falcontest.WithChurn(0.01))
	cid := c.srv.ParentCID()
	s := c.syncer()
	s.ReconcileEvery = 25 * time.Minute
	view := map[string]falcon.Host{}

	done := apply(t, s, cid, Auto, view)
	if done.Err != nil || done.Kind != KindFull || !done.At.Equal(c.clock()) {
		t.Fatalf("first refresh: %+v", done)
	}
	assertSame(t, "after the full load (store)", c.storedHosts(t, cid), c.server(t, cid))
	assertSame(t, "after the full load (list)", view, c.server(t, cid))

	kinds := map[Kind]int{}
	for range 4 {
		c.advance(10 * time.Minute)
		done = apply(t, s, cid, Auto, view)
		if done.Err != nil {
			t.Fatal(done.Err)
		}
		kinds[done.Kind]++
		if done.Kind == KindReconcile {
			assertSame(t, "after a reconciliation (store)", c.storedHosts(t, cid), c.server(t, cid))
			assertSame(t, "after a reconciliation (list)", view, c.server(t, cid))
		}
	}
	if kinds[KindDelta] == 0 || kinds[KindReconcile] == 0 {
		t.Fatalf("refresh kinds %v: want deltas and reconciliations", kinds)
	}
	// A delta alone keeps every listed host current; only hidden ones may linger.
	c.advance(5 * time.Minute)
	apply(t, s, cid, Auto, view)
	want := c.server(t, cid)
	for id, w := range want {
		if g, ok := view[id]; ok && !reflect.DeepEqual(g, w) {
			t.Fatalf("after a delta, host %s is stale:\n%+v\nwant\n%+v", id, g, w)
		}
	}
}

// TestFullRefreshConverges: R reloads every row and drops the rest.
func TestFullRefreshConverges(t *testing.T) {
	c := newCloud(t, falcontest.WithTenants(0), falcontest.WithHosts(1500), falcontest.WithChurn(0.02))
	cid := c.srv.ParentCID()
	s := c.syncer()
	view := map[string]falcon.Host{}
	apply(t, s, cid, Auto, view)
	c.advance(30 * time.Minute)
	done := apply(t, s, cid, Full, view)
	if done.Err != nil || done.Kind != KindFull {
		t.Fatalf("full refresh: %+v", done)
	}
	assertSame(t, "store", c.storedHosts(t, cid), c.server(t, cid))
	assertSame(t, "list", view, c.server(t, cid))
}

// TestStoppedRefreshKeepsTheWatermark: a refresh that ends early (an error, or the caller
// stops reading) does not move the watermark, and the next one converges.
func TestStoppedRefreshKeepsTheWatermark(t *testing.T) {
	c := newCloud(t, falcontest.WithTenants(0), falcontest.WithHosts(12000), falcontest.WithChurn(0.05))
	cid := c.srv.ParentCID()
	s := c.syncer()
	s.ReconcileEvery = time.Minute
	view := map[string]falcon.Host{}
	apply(t, s, cid, Auto, view)
	before, err := c.store.Watermark(context.Background(), cid)
	if err != nil {
		t.Fatal(err)
	}
	c.advance(60 * time.Minute) // ~ every host changed: the delta has several pages

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last Change
	for ch := range s.Tenant(ctx, cid, Auto) {
		for _, h := range ch.Hosts {
			view[h.DeviceID] = stored(h)
		}
		cancel() // after the first page
		last = ch
	}
	if !last.Done || !errors.Is(last.Err, context.Canceled) {
		t.Fatalf("a cancelled refresh ended with %+v", last)
	}
	after, err := c.store.Watermark(context.Background(), cid)
	if err != nil || !after.Modified.Equal(before.Modified) || !after.DeltaAt.Equal(before.DeltaAt) {
		t.Fatalf("the watermark moved from %+v to %+v (%v)", before, after, err)
	}

	for ch := range s.Tenant(context.Background(), cid, Auto) {
		if len(ch.Hosts) > 0 {
			break // the caller stops reading: nothing is recorded as done
		}
	}
	if again, _ := c.store.Watermark(context.Background(), cid); !again.DeltaAt.Equal(before.DeltaAt) {
		t.Fatal("a refresh whose caller stopped reading moved the watermark")
	}
	done := apply(t, s, cid, Auto, view)
	if done.Err != nil {
		t.Fatal(done.Err)
	}
	assertSame(t, "store", c.storedHosts(t, cid), c.server(t, cid))
	assertSame(t, "list", view, c.server(t, cid))
}

// TestAnErrorDeletesNothing: a tenant the API refuses ends with Err and the store keeps
// its rows, even for a full reload.
func TestAnErrorDeletesNothing(t *testing.T) {
	c := newCloud(t, falcontest.WithTenants(0), falcontest.WithHosts(50))
	ctx := context.Background()
	// Rows of a tenant this client is not a parent of (a child since unlinked).
	const stranger = "0123456789abcdef0123456789abcdef"
	rows := []falcon.Host{{DeviceID: "00000000000000000000000000000001", Hostname: "kept", CID: stranger}}
	if err := c.store.PutHosts(ctx, stranger, rows, c.clock()); err != nil {
		t.Fatal(err)
	}
	before := c.storedHosts(t, stranger)
	done := apply(t, c.syncer(), stranger, Full, map[string]falcon.Host{})
	if done.Err == nil {
		t.Fatal("a refresh of a tenant the API refuses succeeded")
	}
	if !done.At.IsZero() {
		t.Fatal("a failed refresh gives a sync time")
	}
	assertSame(t, "store after the error", c.storedHosts(t, stranger), before)
}

// TestNoChurnMovesLittle: a warm refresh of an estate where nothing changed reads only the
// hosts changed within the overlap before the watermark again: well under the 5%
// bound for a 1% churn (docs/STORE.md).
func TestNoChurnMovesLittle(t *testing.T) {
	c := newCloud(t, falcontest.WithTenants(0), falcontest.WithHosts(5000))
	cid := c.srv.ParentCID()
	s := c.syncer()
	c.srv.ResetStats()
	apply(t, s, cid, Auto, map[string]falcon.Host{})
	full := c.srv.Stats().BytesSent
	c.advance(10 * time.Minute)
	c.srv.ResetStats()
	done := apply(t, s, cid, Auto, map[string]falcon.Host{})
	if done.Kind != KindDelta {
		t.Fatalf("a warm refresh ran %v", done.Kind)
	}
	if b := c.srv.Stats().BytesSent; b*100 > full*5 {
		t.Fatalf("a refresh with nothing changed moved %d bytes, %.1f%% of a full load", b, 100*float64(b)/float64(full))
	}
}

// TestRecordTenants: new children are added, gone ones forgotten with their rows, and a
// list whose children could not be read forgets nothing.
func TestRecordTenants(t *testing.T) {
	c := newCloud(t, falcontest.WithTenants(2), falcontest.WithHosts(50))
	ctx := context.Background()
	s := c.syncer()
	res, err := s.Tenants(ctx)
	if err != nil || len(res.Added) != 3 || len(res.Removed) != 0 {
		t.Fatalf("first listing: %+v, %v", res, err)
	}
	const ghost = "fedcba9876543210fedcba9876543210"
	if err := c.store.PutHosts(ctx, ghost, []falcon.Host{{DeviceID: "0000000000000000000000000000abcd", Hostname: "gone"}}, c.clock()); err != nil {
		t.Fatal(err)
	}
	hidden := []falcon.Tenant{{CID: c.srv.ParentCID(), ChildrenHidden: true}}
	if res, err := Record(ctx, c.store, hidden, c.clock()); err != nil || len(res.Removed) != 0 {
		t.Fatalf("a list without its children forgot %v (%v)", res.Removed, err)
	}
	res, err = s.Tenants(ctx)
	if err != nil || !slices.Equal(res.Removed, []string{ghost}) || len(res.Added) != 0 {
		t.Fatalf("second listing: %+v, %v", res, err)
	}
	if n := len(c.storedHosts(t, ghost)); n != 0 {
		t.Fatalf("the forgotten tenant still has %d stored hosts", n)
	}
}
