package store

import (
	"context"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

// syncFields are the fields a stored host row keeps.
var syncFields = Fields

// stored is h as the store keeps it: a policy's type and id, not whether it is applied.
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

func loadHosts(t *testing.T, c *falcon.Client, q falcon.HostQuery) []falcon.Host {
	t.Helper()
	var out []falcon.Host
	for hs, err := range c.Hosts.Stream(context.Background(), "", q) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, hs...)
	}
	return out
}

func maxModified(hs []falcon.Host, from time.Time) time.Time {
	for _, h := range hs {
		if h.Modified.After(from) {
			from = h.Modified
		}
	}
	return from
}

// TestChurnedSimulatorConverges is the store's side of a delta refresh, on the client code
// path the real cloud gets: a full load, ten simulated minutes of churn, then a delta by
// modified_timestamp (with an overlap for clock skew) and an ids-only reconciliation leave
// the store holding exactly the server's hosts, ids and fields. It reports the refresh's
// bytes against the full load's.
func TestChurnedSimulatorConverges(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := falcontest.NewServer(falcontest.WithClock(clock), falcontest.WithTenants(0), falcontest.WithHosts(5000),
		falcontest.WithChurn(0.001), falcontest.WithTokenLifetime(24*time.Hour))
	defer srv.Close()
	full := srv.Client("full")
	c, err := falcon.New(falcon.Config{ClientID: full.ID, ClientSecret: full.Secret, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := Open(ctx, "default", profiletest.New(), Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cid := srv.ParentCID()

	advance(3 * time.Minute)
	srv.ResetStats()
	first := loadHosts(t, c, falcon.HostQuery{Fields: syncFields})
	fullBytes := srv.Stats().BytesSent
	if err := s.PutHosts(ctx, cid, first, clock()); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWatermark(ctx, cid, Watermark{Modified: maxModified(first, time.Time{}), FullAt: clock()}); err != nil {
		t.Fatal(err)
	}

	advance(10 * time.Minute) // 0.1% a minute: about 1% of the hosts change

	srv.ResetStats()
	wm, err := s.Watermark(ctx, cid)
	if err != nil {
		t.Fatal(err)
	}
	const overlap = time.Minute
	delta := loadHosts(t, c, falcon.HostQuery{Fields: syncFields,
		Filter: "modified_timestamp:>'" + wm.Modified.Add(-overlap).UTC().Format(time.RFC3339) + "'"})
	deltaBytes := srv.Stats().BytesSent
	if err := s.PutHosts(ctx, cid, delta, clock()); err != nil {
		t.Fatal(err)
	}
	// Reconciliation: ids only; what the server no longer lists goes.
	srv.ResetStats()
	var live []string
	for _, h := range loadHosts(t, c, falcon.HostQuery{Fields: []string{"device_id"}}) {
		live = append(live, h.DeviceID)
	}
	idsBytes := srv.Stats().BytesSent
	gone, err := s.KeepHosts(ctx, cid, live)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetWatermark(ctx, cid, Watermark{Modified: maxModified(delta, wm.Modified), DeltaAt: clock(), FullAt: clock()}); err != nil {
		t.Fatal(err)
	}
	if len(delta) == 0 || len(gone) == 0 {
		t.Fatalf("churn did nothing visible: %d in the delta, %d gone", len(delta), len(gone))
	}

	want := map[string]falcon.Host{}
	for _, h := range loadHosts(t, c, falcon.HostQuery{Fields: syncFields}) {
		want[h.DeviceID] = h
	}
	n := 0
	err = s.Hosts(ctx, cid, func(r HostRow) error {
		n++
		w, ok := want[r.DeviceID]
		if !ok || !reflect.DeepEqual(r.Host, stored(w)) {
			t.Fatalf("stored host differs from the server's:\n%+v\n%+v (on server: %v)", r.Host, stored(w), ok)
		}
		return nil
	})
	if err != nil || n != len(want) {
		t.Fatalf("the store holds %d hosts, the server %d (%v)", n, len(want), err)
	}
	t.Logf("%d hosts: full load %d B; delta (%d hosts) %d B = %.1f%%; ids reconciliation %d B = %.1f%%; %d gone",
		len(want), fullBytes, len(delta), deltaBytes, 100*float64(deltaBytes)/float64(fullBytes),
		idsBytes, 100*float64(idsBytes)/float64(fullBytes), len(gone))
}
