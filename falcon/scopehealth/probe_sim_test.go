package scopehealth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/clocktest"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/scopehealth"
)

// probeSimClient connects the named simulator client.
func probeSimClient(t *testing.T, srv *falcontest.Server, name string, readOnly bool) *falcon.Client {
	t.Helper()
	c := srv.Client(name)
	fc, err := falcon.New(falcon.Config{ClientID: c.ID, ClientSecret: c.Secret, BaseURL: srv.URL, ReadOnly: readOnly,
		Clock: clocktest.NewVirtual()}) // retries and cooldowns take no real time
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fc.Close(context.Background()) })
	if err := fc.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	return fc
}

// probeSimExpect is what each simulator client holds (falcontest doc: full = every scope
// the simulator knows; analyst = every :read but api-clients; partial = all but
// host-group:write, mssp:read and api-clients:read).
func probeSimExpect(client string, p scopehealth.Permission, hasProbe bool, known map[string]bool) falcon.ScopeState {
	granted := known[p.String()]
	switch client {
	case "analyst":
		granted = granted && p.Access == scopehealth.Read && p.Scope != "api-clients"
	case "partial":
		switch p.String() {
		case "host-group:write", "mssp:read", "api-clients:read":
			granted = false
		}
	}
	switch {
	case !hasProbe && client != "full":
		return falcon.ScopeUnknown // nothing settles it without the scope listing
	case granted:
		return falcon.ScopeGranted
	}
	return falcon.ScopeDenied
}

func TestProbeAgainstSimulatorClients(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(10), falcontest.WithTenants(3),
		falcontest.WithUnprovisioned(2, "zero-trust-assessment"))
	defer srv.Close()
	known := map[string]bool{}
	for _, s := range srv.Client("full").Scopes {
		known[s] = true
	}
	unprovisioned := ""
	for _, tn := range srv.Tenants() {
		if tn.Parent != "" && unprovisioned == "" {
			unprovisioned = "next"
		} else if unprovisioned == "next" {
			unprovisioned = strings.ToLower(tn.CID) // the second child
		}
	}
	for _, name := range []string{"full", "analyst", "partial"} {
		t.Run(name, func(t *testing.T) {
			fc := probeSimClient(t, srv, name, false)
			tenants, err := fc.Tenants.List(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var cids []string
			for _, tn := range srv.Tenants() {
				cids = append(cids, tn.CID) // every tenant, even those the client cannot list
			}
			rep, err := scopehealth.Probe(context.Background(), fc, cids)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Tenants) != 4 {
				t.Fatalf("%d tenants", len(rep.Tenants))
			}
			wantListing := falcon.ScopeDenied
			if name == "full" {
				wantListing = falcon.ScopeGranted
			}
			if rep.Listing.State != wantListing {
				t.Errorf("listing = %v (%s)", rep.Listing.State, rep.Listing.Detail)
			}
			for _, ts := range rep.Tenants {
				if ts.Err != "" {
					t.Errorf("tenant %s: %s", ts.Tenant.CID, ts.Err)
				}
				for _, res := range ts.Results {
					def, _ := scopehealth.LookupScope(res.Permission.Scope)
					want := probeSimExpect(name, res.Permission, def.Access(res.Permission.Access).Probe != nil, known)
					if want == falcon.ScopeGranted && res.Permission.Scope == "zero-trust-assessment" &&
						strings.EqualFold(ts.Tenant.CID, unprovisioned) {
						want = falcon.ScopeNotProvisioned
					}
					if res.State != want {
						t.Errorf("%s in %s: %v (%d %s), want %v", res.Permission, ts.Tenant.CID[:6], res.State, res.Status, res.Detail, want)
					}
				}
			}
			// partial cannot list the children, but they can still be probed by CID.
			if name == "partial" && len(tenants) != 1 {
				t.Errorf("partial listed %d tenants", len(tenants))
			}
		})
	}
	if st := srv.Stats(); st.Writes != 0 {
		t.Errorf("probes applied %d writes", st.Writes)
	}
}

// The three writes that could start work on a real cloud (an RTR session, an incident
// action, a scan) are never probed: for clients that cannot read their scope listing they
// stay unknown, for the full client the listing settles them; the only write-method calls
// are the four empty-body probes, and nothing is applied.
func TestProbeNeverStartsWork(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(10), falcontest.WithTenants(1))
	defer srv.Close()
	risky := []string{"real-time-response:write", "incidents:write", "ods:write"}
	for _, name := range []string{"full", "analyst", "partial"} {
		fc := probeSimClient(t, srv, name, false)
		rep, err := scopehealth.ProbeAll(context.Background(), fc)
		if err != nil {
			t.Fatal(err)
		}
		want := falcon.ScopeUnknown
		if name == "full" {
			want = falcon.ScopeGranted // per the scope listing
		}
		for _, perm := range risky {
			p, _ := scopehealth.ParsePermission(perm)
			res, ok := rep.Tenants[0].Result(p)
			if !ok || res.State != want || res.Probe != falcon.ScopeUnknown || res.Status != 0 {
				t.Errorf("%s: %s = %v (probe %v, status %d, %s), want %v unprobed", name, perm, res.State, res.Probe, res.Status, res.Detail, want)
			}
		}
	}
	allowed := map[string]bool{
		"POST /oauth2/token": true, "POST /oauth2/revoke": true,
		"PATCH /devices/entities/host-groups/v1": true, "PATCH /devices/entities/devices/tags/v1": true,
		"PATCH /alerts/entities/alerts/v3": true, "POST /mssp/entities/cid-groups/v1": true,
		"POST /identity-protection/combined/graphql/v1": true, // read queries (ProbeRead)
		"POST /mssp/entities/children/GET/v2":           true, // Tenants.List reads children by POST
	}
	st := srv.Stats()
	for op := range st.ByOperation {
		if !strings.HasPrefix(op, "GET ") && !allowed[op] {
			t.Errorf("probing sent %s", op)
		}
	}
	if st.Writes != 0 {
		t.Errorf("probes applied %d writes", st.Writes)
	}
}

func TestProbeSurvivesFaults(t *testing.T) {
	// 429s and 5xx are retried by the client for reads; the write probes are never resent
	// (they are not idempotent in general), so a failed one stays an error unless the
	// scope listing settles it — the full client can read it.
	srv := falcontest.NewServer(falcontest.WithHosts(10), falcontest.WithTenants(1), falcontest.WithSeed(7),
		falcontest.WithFaults(falcontest.Faults{Rate429: 0.1, Rate500: 0.05}))
	defer srv.Close()
	fc := probeSimClient(t, srv, "full", false)
	rep, err := scopehealth.ProbeAll(context.Background(), fc)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tenants) != 2 {
		t.Fatalf("%d tenants", len(rep.Tenants))
	}
	for _, ts := range rep.Tenants {
		for _, res := range ts.Results {
			if res.Permission.String() == "identity-protection-detections:write" {
				continue // not a scope the simulator has
			}
			if res.State != falcon.ScopeGranted {
				t.Errorf("%s in %s: %v (%s)", res.Permission, ts.Tenant.Label(), res.State, res.Detail)
			}
		}
	}
	if st := srv.Stats(); st.Writes != 0 {
		t.Errorf("probes applied %d writes", st.Writes)
	}
}

func TestProbeReadOnlyAgainstSimulator(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(10), falcontest.WithTenants(0))
	defer srv.Close()
	fc := probeSimClient(t, srv, "analyst", true)
	rep, err := scopehealth.Probe(context.Background(), fc, nil)
	if err != nil {
		t.Fatal(err)
	}
	for op := range srv.Stats().ByOperation {
		if !strings.HasPrefix(op, "GET ") && op != "POST /oauth2/token" {
			t.Errorf("read-only probing sent %s", op)
		}
	}
	p := scopehealth.Perm("host-group", scopehealth.Write)
	if res, _ := rep.Result("", p); res.State != falcon.ScopeUnknown || res.Status != 0 {
		t.Errorf("host-group:write in read-only = %+v", res)
	}
}

// BenchmarkProbeAll measures a full probe run (home + 3 children) with a 20 ms round
// trip: the probes are concurrent, so it should take a few round trips per tenant, not
// one per request.
func BenchmarkProbeAll(b *testing.B) {
	srv := falcontest.NewServer(falcontest.WithHosts(10), falcontest.WithTenants(3), falcontest.WithLatency(20*time.Millisecond))
	defer srv.Close()
	c := srv.Client("full")
	fc, err := falcon.New(falcon.Config{ClientID: c.ID, ClientSecret: c.Secret, BaseURL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	defer fc.Close(context.Background())
	if err := fc.Connect(context.Background()); err != nil {
		b.Fatal(err)
	}
	var requests int
	for b.Loop() {
		rep, err := scopehealth.ProbeAll(context.Background(), fc)
		if err != nil {
			b.Fatal(err)
		}
		requests = rep.Requests()
	}
	b.ReportMetric(float64(requests), "requests/op")
	b.ReportMetric(float64(requests)*20, "serial-ms/op")
}
