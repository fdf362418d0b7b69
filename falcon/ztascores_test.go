package falcon

import (
	"context"
	"errors"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// Batch scores come 100 hosts a call and agree with the full assessments; "below N" pages
// through the score-filtered query and finds exactly the hosts whose score is below N,
// lowest first; CountBelow says the same in one call.
func TestSimZTAScoresAndBelow(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithSeed(31), falcontest.WithHosts(260), falcontest.WithTenants(2))
	defer srv.Close()
	c := simClient(t, srv, "analyst")
	ctx := context.Background()
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	ids := visibleHostIDs(t, c, srv, c.HomeCID())
	if len(ids) < 200 {
		t.Fatalf("%d hosts", len(ids))
	}
	before := srv.Stats().ByOperation["GET "+pathZTAEntities]
	scores, err := c.ZTA.Scores(ctx, "", ids...)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Stats().ByOperation["GET "+pathZTAEntities] - before; n != int64((len(ids)+99)/100) {
		t.Errorf("%d entity calls for %d hosts, want batches of 100", n, len(ids))
	}
	if len(scores) != len(ids) {
		t.Fatalf("%d scores for %d hosts", len(scores), len(ids))
	}
	full, _ := c.ZTA.Get(ctx, "", ids[:5]...)
	for _, a := range full {
		if scores[a.AID] != a.Overall {
			t.Errorf("score of %s: %d, assessment says %d", a.AID, scores[a.AID], a.Overall)
		}
	}

	const threshold = 60
	want := map[string]int{}
	for id, sc := range scores {
		if sc < threshold {
			want[id] = sc
		}
	}
	if len(want) == 0 || len(want) == len(scores) {
		t.Fatalf("threshold %d splits nothing (%d of %d below)", threshold, len(want), len(scores))
	}
	c.ZTA.pageSize = 7 // several pages
	q0 := srv.Stats().ByOperation["GET "+pathZTAQuery]
	below, err := c.ZTA.Below(ctx, "", threshold)
	if err != nil {
		t.Fatal(err)
	}
	if pages := srv.Stats().ByOperation["GET "+pathZTAQuery] - q0; pages != int64((len(want)+6)/7) {
		t.Errorf("%d query pages for %d hosts at 7 a page", pages, len(want))
	}
	seen := map[string]bool{}
	for i, b := range below {
		if seen[b.AID] || want[b.AID] != b.Score || b.Score >= threshold {
			t.Errorf("below[%d] = %+v (dup %v, want score %d)", i, b, seen[b.AID], want[b.AID])
		}
		seen[b.AID] = true
		if i > 0 && below[i-1].Score > b.Score {
			t.Errorf("not lowest first at %d", i)
		}
	}
	if len(below) != len(want) {
		t.Errorf("%d hosts below %d, want %d", len(below), threshold, len(want))
	}
	n, err := c.ZTA.CountBelow(ctx, "", threshold)
	if err != nil || n != len(want) {
		t.Errorf("CountBelow = %d, %v; want %d", n, err, len(want))
	}
	if n, err := c.ZTA.CountBelow(ctx, "", 0); err != nil || n != 0 {
		t.Errorf("CountBelow(0) = %d, %v", n, err)
	}
	for _, bad := range []int{-1, 101} {
		if _, err := c.ZTA.Below(ctx, "", bad); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("Below(%d): %v", bad, err)
		}
	}
	// The second child lacks the product: not provisioned, not "no hosts below".
	child2 := srv.Tenants()[2].CID
	if _, err := c.ZTA.CountBelow(ctx, child2, threshold); !errors.Is(err, ErrNotProvisioned) {
		t.Errorf("unprovisioned tenant: %v", err)
	}
}
