package falcon

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// A call that names the home CID uses the home token, whichever endpoint the API client
// may read reveals the CID, and even before Tenants.List has run: Falcon refuses the home
// CID as a member_cid (400), so it must never be sent as one.
func TestHomeCIDNeverBecomesAMemberToken(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(5), falcontest.WithTenants(2),
		falcontest.WithClient("sensors", "sensor-installers:read", "devices:read"),
		falcontest.WithClient("hostsonly", "devices:read"))
	defer srv.Close()
	home := strings.ToLower(srv.ParentCID())
	for _, tc := range []struct {
		client  string
		connect bool
		learned string // the endpoint that reveals the home CID
	}{
		{"full", true, "GET /mssp/entities/children/v1"},
		{"sensors", true, "GET /sensors/queries/installers/ccid/v1"},
		{"hostsonly", true, "POST /devices/entities/devices/v2"},
		{"full", false, "GET /mssp/entities/children/v1"}, // no Connect: the first call learns it
	} {
		name := tc.client
		if !tc.connect {
			name += "-without-connect"
		}
		t.Run(name, func(t *testing.T) {
			srv.ResetStats()
			c := simClient(t, srv, tc.client)
			ctx := context.Background()
			if tc.connect {
				if err := c.Connect(ctx); err != nil {
					t.Fatal(err)
				}
				if got := c.HomeCID(); got != home {
					t.Fatalf("after Connect HomeCID = %q, want %q", got, home)
				}
			}
			// Upper case, as a user may paste it.
			n, err := c.Hosts.Count(ctx, strings.ToUpper(srv.ParentCID()), "")
			if err != nil {
				t.Fatalf("Count in the home tenant by its CID: %v", err)
			}
			if want := len(visibleHostIDs(t, c, srv, srv.ParentCID())); n != want {
				t.Errorf("Count = %d, want %d", n, want)
			}
			st := srv.Stats()
			if st.ByOperation[tc.learned] == 0 {
				t.Errorf("the home CID was not learned from %s: %v", tc.learned, st.ByOperation)
			}
			if tokens := st.ByOperation["POST /oauth2/token"]; tokens != 1 || st.ByStatus["400"] != 0 {
				t.Errorf("%d token requests, %d 400s: the home CID was asked for as a member", tokens, st.ByStatus["400"])
			}
			if got := c.RateLimit(srv.ParentCID()).CID; got != home {
				t.Errorf("the home tenant's rate state is labelled %q", got)
			}
		})
	}
}

// A client whose scopes reveal the home CID nowhere still connects; calls by "" work.
func TestConnectWithoutAWayToTheHomeCID(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(5), falcontest.WithTenants(1),
		falcontest.WithClient("alertsonly", "alerts:read"))
	defer srv.Close()
	c := simClient(t, srv, "alertsonly")
	ctx := context.Background()
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if got := c.HomeCID(); got != "" {
		t.Errorf("HomeCID = %q with no scope that reveals it", got)
	}
	if _, err := c.Alerts.Count(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	tenants, err := c.Tenants.List(ctx)
	if err != nil || len(tenants) != 1 || tenants[0].CID != "" || tenants[0].Name != "" {
		t.Errorf("Tenants.List = %+v, %v; want only the unnamed home tenant", tenants, err)
	}
	// Looked for once: later calls do not ask again.
	before := srv.Stats().RequestsTotal
	if _, err := c.Alerts.Count(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	if d := srv.Stats().RequestsTotal - before; d != 1 {
		t.Errorf("a call after the search cost %d requests, want 1", d)
	}
}

// Concurrent first calls into child tenants learn the home CID once, together.
func TestHomeCIDLearnedOnceByConcurrentCalls(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(5), falcontest.WithTenants(3))
	defer srv.Close()
	c := simClient(t, srv, "full")
	ctx := context.Background()
	var wg sync.WaitGroup
	for _, tn := range srv.Tenants()[1:] {
		for range 4 {
			wg.Go(func() {
				if _, err := c.Hosts.Count(ctx, tn.CID, ""); err != nil {
					t.Errorf("Count in %s: %v", tn.CID, err)
				}
			})
		}
	}
	wg.Wait()
	if got, want := c.HomeCID(), strings.ToLower(srv.ParentCID()); got != want {
		t.Errorf("HomeCID = %q, want %q", got, want)
	}
	if n := srv.Stats().ByOperation["GET /mssp/entities/children/v1"]; n != 1 {
		t.Errorf("the home CID was looked up %d times by 12 concurrent calls, want 1", n)
	}
}
