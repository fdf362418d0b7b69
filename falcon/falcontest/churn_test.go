package falcontest_test

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// listHosts reads every visible host of the client's tenant from the combined endpoint, with
// the fields churn changes, as id → the record's JSON.
func listHosts(t *testing.T, c *client, filter string) map[string]string {
	t.Helper()
	out := map[string]string{}
	args := []string{"limit", "10000", "fields", "device_id,modified_timestamp,last_seen,agent_version,status"}
	if filter != "" {
		args = append(args, "filter", filter)
	}
	r := c.get("/devices/combined/devices/v1"+q(args...)).want(t, 200)
	var hosts []map[string]any
	r.decode(t, &hosts)
	for _, h := range hosts {
		b, _ := json.Marshal(h)
		out[h["device_id"].(string)] = string(b)
	}
	return out
}

// TestChurnDeltaSeesExactlyTheChanged: over ten virtual minutes at 1% a minute, hosts change,
// go and come back; a delta query modified_timestamp:>'T' returns exactly the hosts that are
// new or changed since T, and an id reconciliation finds the ones that went.
func TestChurnDeltaSeesExactlyTheChanged(t *testing.T) {
	clk := newFakeClock(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC))
	s := newServer(t, falcontest.WithClock(clk.Now), falcontest.WithTenants(0), falcontest.WithHosts(3000),
		falcontest.WithChurn(0.01), falcontest.WithTokenLifetime(time.Hour))
	c := login(t, s, "full", "")
	clk.Advance(3 * time.Minute) // past the generated modified_timestamps
	before := listHosts(t, c, "")
	mark := clk.Now().UTC().Format(time.RFC3339)
	clk.Advance(10 * time.Minute)
	after := listHosts(t, c, "")

	var changed, gone, back []string
	for id, rec := range after {
		old, ok := before[id]
		switch {
		case !ok:
			back = append(back, id)
			changed = append(changed, id)
		case old != rec:
			changed = append(changed, id)
		}
	}
	for id := range before {
		if _, ok := after[id]; !ok {
			gone = append(gone, id)
		}
	}
	// 1% of 3000 a minute for ten minutes: about 300 changes, some of them hides.
	if len(changed) < 150 || len(changed) > 330 || len(gone) == 0 {
		t.Fatalf("churn over 10 minutes: %d changed (%d back), %d gone", len(changed), len(back), len(gone))
	}
	delta := listHosts(t, c, "modified_timestamp:>'"+mark+"'")
	got := slices.Sorted(maps.Keys(delta))
	slices.Sort(changed)
	if !slices.Equal(got, changed) {
		t.Fatalf("the delta has %d hosts, the changed ones are %d", len(got), len(changed))
	}
	for id, rec := range delta {
		if rec != after[id] {
			t.Fatalf("delta record of %s differs from the full list's", id)
		}
	}
	// Sorting by modified_timestamp works on the same endpoint.
	r := c.get("/devices/combined/devices/v1"+q("limit", "5", "fields", "device_id,modified_timestamp",
		"filter", "modified_timestamp:>'"+mark+"'", "sort", "modified_timestamp.desc")).want(t, 200)
	var top []struct {
		Modified string `json:"modified_timestamp"`
	}
	r.decode(t, &top)
	if len(top) != 5 || !slices.IsSortedFunc(top, func(a, b struct {
		Modified string `json:"modified_timestamp"`
	}) int {
		return -cmpString(a.Modified, b.Modified)
	}) {
		t.Fatalf("sorted delta: %+v", top)
	}

	// Without churn nothing moves.
	s2 := newServer(t, falcontest.WithClock(clk.Now), falcontest.WithTenants(0), falcontest.WithHosts(500), falcontest.WithTokenLifetime(time.Hour))
	c2 := login(t, s2, "full", "")
	clk.Advance(time.Minute) // generated pending containments settle (WithActionDelay)
	b2 := listHosts(t, c2, "")
	clk.Advance(30 * time.Minute)
	if a2 := listHosts(t, c2, ""); !maps.Equal(a2, b2) {
		t.Fatal("hosts changed without WithChurn")
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestChurnIsDeterministic: the same seed and clock readings give the same changes.
func TestChurnIsDeterministic(t *testing.T) {
	run := func() map[string]string {
		clk := newFakeClock(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC))
		s := newServer(t, falcontest.WithClock(clk.Now), falcontest.WithTenants(0), falcontest.WithHosts(1000),
			falcontest.WithChurn(0.05), falcontest.WithTokenLifetime(time.Hour))
		c := login(t, s, "full", "")
		clk.Advance(7 * time.Minute)
		return listHosts(t, c, "")
	}
	if !maps.Equal(run(), run()) {
		t.Fatal("two runs with one seed churned differently")
	}
}
