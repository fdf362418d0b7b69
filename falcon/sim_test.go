package falcon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/clocktest"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// Integration tests: the client against the simulated cloud, configured only through its
// base URL and credentials, exactly as against a real cloud.

func simClient(t testing.TB, srv *falcontest.Server, name string, mutate ...func(*Config)) *Client {
	t.Helper()
	cred := srv.Client(name)
	cfg := Config{ClientID: cred.ID, ClientSecret: cred.Secret, BaseURL: srv.URL}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.retry.backoffBase = 20 * time.Millisecond
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

// virtualClock gives a client a virtual clock (falcon/clocktest): its back-offs, cooldowns
// and pacing take no real time. The simulator keeps the real clock, behind which the
// virtual one never runs: the client renews tokens no later than the simulator expires them.
func virtualClock(cfg *Config) { cfg.Clock = clocktest.NewVirtual() }

// sharedVirtualTime gives the simulator the client's virtual clock too: every sleep of the
// client then ages the simulator's tokens and cooldowns at once, those of requests in
// flight included — a harsher world than the real one, for stress tests (see clocktest).
func sharedVirtualTime() (falcontest.Option, func(*Config)) {
	clk := clocktest.NewVirtual()
	return falcontest.WithClock(clk.Now), func(cfg *Config) { cfg.Clock = clk }
}

var _ Clock = (*clocktest.Virtual)(nil)

// assertEachVisibleHostOnce checks that a listing of the home tenant (seen: device ID →
// times yielded) yielded every visible host exactly once.
func assertEachVisibleHostOnce(t *testing.T, c *Client, srv *falcontest.Server, seen map[string]int) {
	t.Helper()
	want := visibleHostIDs(t, c, srv, srv.ParentCID())
	if len(seen) != len(want) {
		t.Errorf("got %d distinct hosts, want %d", len(seen), len(want))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("host %s yielded %d times", id, n)
		}
	}
}

// visibleHostIDs is what a host listing must return: every host but the hidden ones.
func visibleHostIDs(t testing.TB, c *Client, srv *falcontest.Server, cid string) []string {
	t.Helper()
	hidden := map[string]bool{}
	for offset := 0; ; {
		resp, err := c.Do(context.Background(), cid, &Request{Method: "GET", Path: "/devices/queries/devices-hidden/v1",
			Query: url.Values{"limit": {"5000"}, "offset": {itoa(offset)}}})
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("hidden hosts: %v %v", resp, err)
		}
		var ids []string
		if err := json.Unmarshal(resp.Resources, &ids); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			hidden[id] = true
		}
		offset += len(ids)
		if len(ids) == 0 || offset >= resp.Meta.Pagination.Total {
			break
		}
	}
	var out []string
	for _, id := range srv.HostIDs(cid) {
		if !hidden[id] {
			out = append(out, id)
		}
	}
	return out
}

// exportAll streams every tenant and checks that each visible host arrives exactly once,
// carrying its tenant's CID.
func exportAll(t *testing.T, c *Client, srv *falcontest.Server) {
	t.Helper()
	ctx := context.Background()
	tenants, err := c.Tenants.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tenants) != len(srv.Tenants()) {
		t.Fatalf("Tenants.List = %d tenants, want %d", len(tenants), len(srv.Tenants()))
	}
	var cids []string
	for _, tn := range tenants {
		cids = append(cids, tn.CID)
	}
	got := map[string][]string{} // cid → ids in arrival order
	for hosts, err := range c.Hosts.StreamTenants(ctx, cids, HostQuery{}) {
		if err != nil {
			t.Fatalf("stream: %v", err)
		}
		for _, h := range hosts {
			got[h.CID] = append(got[h.CID], h.DeviceID)
		}
	}
	for _, cid := range cids {
		want := visibleHostIDs(t, c, srv, cid)
		ids := got[cid]
		seen := map[string]int{}
		for _, id := range ids {
			seen[id]++
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("tenant %s: host %s exported %d times", cid, id, n)
			}
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		if !slices.Equal(ids, want) {
			t.Errorf("tenant %s: exported %d distinct hosts, want %d", cid, len(ids), len(want))
		}
	}
}

func TestSimExportEveryHostOnce(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(3), falcontest.WithHosts(1200))
	defer srv.Close()
	c := simClient(t, srv, "full")
	c.scrollLimit, c.detailBatch = 500, 300 // several pages and several jobs per page
	exportAll(t, c, srv)
	st := srv.Stats()
	if st.Throttled429 != 0 {
		t.Errorf("%d 429s on an idle cloud", st.Throttled429)
	}
	// 3 pages + ceil(500/300)*2 + 1 detail jobs per tenant: nothing wasted.
	if n := st.ByOperation["GET /devices/queries/devices-scroll/v1"]; n != 4*3 {
		t.Errorf("scroll calls = %d, want 12", n)
	}
}

func TestSimExportUnderFaultsAndExpiringTokens(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(2), falcontest.WithHosts(900),
		falcontest.WithFaults(falcontest.Faults{Rate429: 0.10, Rate500: 0.05, RateReset: 0.01, RateMalformed: 0.02}),
		falcontest.WithTokenLifetime(time.Second))
	defer srv.Close()
	c := simClient(t, srv, "full", virtualClock, func(cfg *Config) { cfg.MaxRetries = 8 })
	c.scrollLimit, c.detailBatch = 150, 150
	exportAll(t, c, srv)
	st := srv.Stats()
	// The seeded faults fall the same way every run: both kinds must have been met.
	if st.ByStatus["429"] == 0 || st.ByStatus["500"] == 0 {
		t.Errorf("faults seen: %v: the run met no 429 or no 500", st.ByStatus)
	}
	if n := st.ByOperation["POST /oauth2/token"]; n <= 3 {
		t.Errorf("token requests = %d: tokens living 1 s should have been renewed", n)
	}
}

// A scroll pointer that expires mid-stream is restarted without yielding a host twice.
func TestSimScrollExpiryRestarts(t *testing.T) {
	now := time.Now()
	var skew atomic.Int64
	clock := func() time.Time { return now.Add(time.Since(now) + time.Duration(skew.Load())) }
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(1000), falcontest.WithClock(clock),
		falcontest.WithScrollExpiry(time.Minute))
	defer srv.Close()
	// The server's clock jumps once the second scroll page is out, so every pointer
	// handed out so far is stale when the third page is asked for (whatever the consumer
	// does meanwhile: the scroll runs ahead of it).
	var pages atomic.Int32
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err == nil && strings.HasSuffix(r.URL.Path, "/devices-scroll/v1") && pages.Add(1) == 2 {
			skew.Add(int64(2 * time.Minute))
		}
		return resp, err
	})}
	c := simClient(t, srv, "full", func(cfg *Config) { cfg.HTTPClient = hc })
	c.scrollLimit, c.detailBatch = 200, 200
	seen := map[string]int{}
	for hosts, err := range c.Hosts.Stream(context.Background(), "", HostQuery{Sort: "hostname.asc"}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hosts {
			seen[h.DeviceID]++
		}
	}
	assertEachVisibleHostOnce(t, c, srv, seen)
	if st := srv.Stats(); st.ByStatus["400"] == 0 {
		t.Errorf("the scroll never expired (statuses %v): the test proves nothing", st.ByStatus)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestSimSortedStreamStaysSorted(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(700))
	defer srv.Close()
	c := simClient(t, srv, "full")
	c.scrollLimit, c.detailBatch, c.detailWorkers = 100, 100, 4
	var names []string
	for hosts, err := range c.Hosts.Stream(context.Background(), "", HostQuery{Sort: "hostname.desc", Limit: 450}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hosts {
			names = append(names, strings.ToLower(h.Hostname))
		}
	}
	if len(names) != 450 {
		t.Fatalf("Limit 450: got %d hosts", len(names))
	}
	if !slices.IsSortedFunc(names, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("hosts not in the requested order")
	}
}

// pickGroup returns a staticByID group of the first child tenant.
func pickGroup(t *testing.T, c *Client, cid string, typ GroupType) HostGroup {
	t.Helper()
	groups, err := c.HostGroups.List(context.Background(), cid, "group_type:'"+string(typ)+"'")
	if err != nil || len(groups) == 0 {
		t.Fatalf("no %s group: %v", typ, err)
	}
	return groups[0]
}

func TestSimEditMembersAcrossChunks(t *testing.T) {
	for _, faulty := range []bool{false, true} {
		name := "clean"
		var opts []falcontest.Option
		if faulty {
			name = "faults"
			opts = append(opts, falcontest.WithFaults(falcontest.Faults{Rate500: 0.1, RateReset: 0.05, Rate429: 0.05}))
		}
		t.Run(name, func(t *testing.T) {
			srv := falcontest.NewServer(append(opts, falcontest.WithTenants(1), falcontest.WithHosts(1500))...)
			defer srv.Close()
			c := simClient(t, srv, "full", virtualClock, func(cfg *Config) { cfg.MaxRetries = 8 })
			ctx := context.Background()
			child := srv.Tenants()[1].CID
			g := pickGroup(t, c, child, GroupStaticByID)
			before := srv.GroupMembersAll(child, g.ID) // the edit may touch hidden hosts too
			isMember := map[string]bool{}
			for _, id := range before {
				isMember[id] = true
			}
			all := srv.HostIDs(child)
			// 700 hosts: some already members, so the chunks (500 + rest) carry only changes.
			req := append([]string(nil), all[:700]...)
			req = append(req, req[3], strings.ToUpper(req[5])) // duplicates are reported once
			var progress []MembershipProgress
			res, err := c.HostGroups.EditMembers(ctx, child, g.ID, AddHosts, req, func(p MembershipProgress) {
				progress = append(progress, p)
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hosts) != 700 {
				t.Fatalf("result lists %d hosts, want 700 (each requested host once)", len(res.Hosts))
			}
			want := map[string]bool{}
			for id := range isMember {
				want[id] = true
			}
			for i, o := range res.Hosts {
				if o.DeviceID != all[i] {
					t.Fatalf("result order: host %d is %s, want %s", i, o.DeviceID, all[i])
				}
				switch o.Outcome {
				case OutcomeUnchanged:
					if !isMember[o.DeviceID] {
						t.Errorf("%s unchanged but was not a member", o.DeviceID)
					}
					want[o.DeviceID] = true
				case OutcomeChanged:
					if isMember[o.DeviceID] {
						t.Errorf("%s changed but was a member", o.DeviceID)
					}
					want[o.DeviceID] = true
				case OutcomeFailed:
					if o.Err == nil {
						t.Errorf("%s failed without a reason", o.DeviceID)
					}
				}
			}
			if got := srv.GroupMembersAll(child, g.ID); !sameSet(got, want) {
				t.Errorf("after add: %d members, want %d", len(got), len(want))
			}
			if len(progress) == 0 || progress[len(progress)-1] != (MembershipProgress{Done: 700, Total: 700}) {
				t.Errorf("progress = %v", progress)
			}
			if !faulty && len(res.Failed()) != 0 {
				t.Errorf("failures on a clean cloud: %v", res.Failed())
			}

			// Remove 600 of them (two chunks); the group ends with exactly the rest.
			rm := all[50:650]
			res, err = c.HostGroups.EditMembers(ctx, child, g.ID, RemoveHosts, rm, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range res.Hosts {
				if o.Outcome != OutcomeFailed {
					delete(want, o.DeviceID)
				}
			}
			if got := srv.GroupMembersAll(child, g.ID); !sameSet(got, want) {
				t.Errorf("after remove: %d members, want %d", len(got), len(want))
			}
			// Undo is the inverse action on Changed().
			if _, err := c.HostGroups.EditMembers(ctx, child, g.ID, res.Action.Inverse(), res.Changed(), nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func sameSet(got []string, want map[string]bool) bool {
	if len(got) != len(want) {
		return false
	}
	for _, id := range got {
		if !want[id] {
			return false
		}
	}
	return true
}

func TestSimEditMembersRefusesDynamicGroups(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(200))
	defer srv.Close()
	c := simClient(t, srv, "full")
	g := pickGroup(t, c, "", GroupDynamic)
	srv.ResetStats()
	_, err := c.HostGroups.EditMembers(context.Background(), "", g.ID, AddHosts, srv.HostIDs(srv.ParentCID())[:3], nil)
	if !errors.Is(err, ErrDynamicGroup) {
		t.Fatalf("err = %v, want ErrDynamicGroup", err)
	}
	if st := srv.Stats(); st.ByOperation["POST /devices/entities/host-group-actions/v1"] != 0 || st.Writes != 0 {
		t.Errorf("a write was sent for a dynamic group: %v", st.ByOperation)
	}
}

func TestSimReadOnlySendsNoWrites(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(1), falcontest.WithHosts(100))
	defer srv.Close()
	c := simClient(t, srv, "full", func(cfg *Config) { cfg.ReadOnly = true })
	ctx := context.Background()
	g := pickGroup(t, c, "", GroupStaticByID)
	ids := srv.HostIDs(srv.ParentCID())[:5]
	checks := map[string]error{}
	_, checks["edit"] = c.HostGroups.EditMembers(ctx, "", g.ID, AddHosts, ids, nil)
	_, checks["create"] = c.HostGroups.Create(ctx, "", GroupSpec{Name: "nope"})
	_, checks["update"] = c.HostGroups.Update(ctx, "", g.ID, GroupSpec{Name: "renamed"})
	checks["delete"] = c.HostGroups.Delete(ctx, "", g.ID)
	_, checks["raw"] = c.Do(ctx, "", &Request{Method: "POST", Path: "/devices/entities/devices-actions/v2",
		Query: url.Values{"action_name": {"contain"}}, Body: map[string]any{"ids": ids}})
	for what, err := range checks {
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s: err = %v, want ErrReadOnly", what, err)
		}
	}
	// Reads still work.
	if _, err := c.Hosts.Get(ctx, "", ids); err != nil {
		t.Errorf("read in read-only mode: %v", err)
	}
	st := srv.Stats()
	if st.Writes != 0 {
		t.Errorf("writes = %d, want 0", st.Writes)
	}
	for op := range st.ByOperation {
		if m, p, _ := strings.Cut(op, " "); isWrite(m, p) && !strings.HasPrefix(p, "/oauth2/") {
			t.Errorf("read-only client sent %s", op)
		}
	}
}

// Each error kind maps to its own sentinel and its own message.
func TestSimErrorKinds(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(3), falcontest.WithHosts(50), falcontest.WithBlockedClient("analyst"))
	defer srv.Close()
	ctx := context.Background()
	dead := falcontest.NewServer()
	deadURL := dead.URL
	dead.Close()

	errs := map[string]error{}
	wrong := simClient(t, srv, "full", func(cfg *Config) { cfg.ClientSecret = "wrong-secret-wrong-secret-wrong-secret!!" })
	errs["credentials"] = wrong.Connect(ctx)
	errs["blocked"] = simClient(t, srv, "analyst").Connect(ctx)
	errs["not child"] = simClient(t, srv, "full", func(cfg *Config) { cfg.MemberCID = strings.Repeat("ab", 16) }).Connect(ctx)
	unreach := simClient(t, srv, "full", func(cfg *Config) { cfg.BaseURL = deadURL; cfg.MaxRetries = 1 })
	errs["unreachable"] = unreach.Connect(ctx)
	partial := simClient(t, srv, "partial")
	_, errs["scope"] = partial.HostGroups.Create(ctx, "", GroupSpec{Name: "x"})
	full := simClient(t, srv, "full")
	_, errs["not provisioned"] = full.ZTA.Get(ctx, srv.Tenants()[2].CID, srv.HostIDs(srv.Tenants()[2].CID)[0])
	_, errs["not found"] = full.HostGroups.Get(ctx, "", strings.Repeat("0", 32))

	want := map[string]error{
		"credentials": ErrInvalidCredentials, "blocked": ErrIPBlocked, "not child": ErrNotChild,
		"unreachable": ErrUnreachable, "scope": ErrScopeDenied, "not provisioned": ErrNotProvisioned,
		"not found": ErrNotFound,
	}
	msgs := map[string]string{}
	for kind, err := range errs {
		if !errors.Is(err, want[kind]) {
			t.Errorf("%s: err = %v, want %v", kind, err, want[kind])
			continue
		}
		for other, sentinel := range want {
			if other != kind && sentinel != ErrNotFound && errors.Is(err, sentinel) {
				t.Errorf("%s: also matches %s", kind, other)
			}
		}
		if prev, dup := msgs[err.Error()]; dup {
			t.Errorf("%s and %s share the message %q", kind, prev, err)
		}
		msgs[err.Error()] = kind
	}
	var ae *APIError
	if errors.As(errs["scope"], &ae) && ae.Scope != "host-group:write" {
		t.Errorf("scope error names %q, want host-group:write", ae.Scope)
	}
}

// A token request to the wrong cloud is redirected; the client follows and stays there.
func TestSimRedirectMovesTheBaseURL(t *testing.T) {
	right := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(10), falcontest.WithRegion("us-2"))
	defer right.Close()
	wrong := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(10), falcontest.WithRedirectTo(right.URL))
	defer wrong.Close()
	c := simClient(t, wrong, "full")
	ctx := context.Background()
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != right.URL {
		t.Errorf("BaseURL = %s, want %s", c.BaseURL(), right.URL)
	}
	if c.Cloud() != CloudUS2 {
		t.Errorf("Cloud = %s, want us-2 (from X-Cs-Region)", c.Cloud())
	}
	if _, err := c.Hosts.Count(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	if n := wrong.Stats().RequestsTotal; n != 1 {
		t.Errorf("the wrong cloud saw %d requests, want only the token request", n)
	}
}

func TestSimTenantsAndServices(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(3), falcontest.WithHosts(300))
	defer srv.Close()
	c := simClient(t, srv, "full")
	ctx := context.Background()
	tenants, err := c.Tenants.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.HomeCID() != srv.ParentCID() || tenants[0].CID != srv.ParentCID() || tenants[0].IsChild() {
		t.Errorf("home tenant = %+v (HomeCID %q), want %s", tenants[0], c.HomeCID(), srv.ParentCID())
	}
	names := map[string]string{}
	for _, st := range srv.Tenants()[1:] {
		names[st.CID] = st.Name
	}
	for _, tn := range tenants[1:] {
		if names[tn.CID] != tn.Name || tn.ParentCID != srv.ParentCID() {
			t.Errorf("child %+v does not match the cloud", tn)
		}
	}
	if !slices.IsSortedFunc(tenants[1:], func(a, b Tenant) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) }) {
		t.Errorf("children not sorted by name")
	}
	// Without mssp:read only the home tenant is listed.
	partial := simClient(t, srv, "partial")
	if ts, err := partial.Tenants.List(ctx); err != nil || len(ts) != 1 {
		t.Errorf("partial client: %v, %v", ts, err)
	}

	child := tenants[1].CID
	sum, err := c.Tenants.Summary(ctx, child)
	if err != nil || sum.Hosts == 0 || sum.CID != child {
		t.Errorf("Summary = %+v, %v", sum, err)
	}
	alerts, err := c.Alerts.List(ctx, child, AlertQuery{Limit: 50})
	if err != nil || len(alerts) == 0 {
		t.Fatalf("Alerts.List: %d, %v", len(alerts), err)
	}
	if !slices.IsSortedFunc(alerts, func(a, b Alert) int { return b.Created.Compare(a.Created) }) {
		t.Errorf("alerts not newest first")
	}
	host := alerts[0].DeviceID
	forHost, err := c.Alerts.ForHost(ctx, child, host, 10)
	if err != nil || len(forHost) == 0 {
		t.Errorf("ForHost(%s) = %d, %v", host, len(forHost), err)
	}
	for _, a := range forHost {
		if a.DeviceID != host {
			t.Errorf("ForHost returned an alert of %s", a.DeviceID)
		}
	}
	// A host and a filter together: both apply, and Total counts what List returns.
	hostNew, err := c.Alerts.List(ctx, child, AlertQuery{DeviceID: host, Filter: "status:'new'", Limit: 1000})
	if err != nil {
		t.Errorf("List(host, filter): %v", err)
	}
	for _, a := range hostNew {
		if a.DeviceID != host || a.Status != "new" {
			t.Errorf("List(host %s, new) returned %s, %s", host, a.DeviceID, a.Status)
		}
	}
	if n, err := c.Alerts.Total(ctx, child, AlertQuery{DeviceID: host, Filter: "status:'new'"}); err != nil || n != len(hostNew) {
		t.Errorf("Total(host, new) = %d, %v; List returned %d", n, err, len(hostNew))
	}
	n, err := c.Alerts.Count(ctx, child, "status:'new'")
	if err != nil || n != sum.NewAlerts {
		t.Errorf("Alerts.Count = %d, %v; summary says %d", n, err, sum.NewAlerts)
	}
	zta, err := c.ZTA.Get(ctx, child, srv.HostIDs(child)[:20]...)
	if err != nil || len(zta) == 0 {
		t.Errorf("ZTA.Get = %d, %v", len(zta), err)
	}
	ccid, err := c.Sensors.CCID(ctx, child)
	if err != nil || normalizeCID(ccid) != child {
		t.Errorf("CCID = %q, %v", ccid, err)
	}

	g := pickGroup(t, c, child, GroupStaticByID)
	var members []string
	for hosts, err := range c.HostGroups.Members(ctx, child, g.ID, HostQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hosts {
			members = append(members, h.DeviceID)
		}
	}
	slices.Sort(members)
	// The console's view: hidden hosts left out, by the client and the simulator alike.
	want := srv.GroupMembers(child, g.ID)
	if !slices.Equal(members, want) {
		t.Errorf("Members = %d hosts, want %d", len(members), len(want))
	}
	if n, err := c.HostGroups.MemberCount(ctx, child, g.ID); err != nil || n != len(want) {
		t.Errorf("MemberCount = %d, %v", n, err)
	}

	// Create, update, delete.
	ng, err := c.HostGroups.Create(ctx, child, GroupSpec{Name: "tui-test", Description: "d", Type: GroupStaticByID})
	if err != nil || ng.ID == "" || ng.Type != GroupStaticByID {
		t.Fatalf("Create = %+v, %v", ng, err)
	}
	up, err := c.HostGroups.Update(ctx, child, ng.ID, GroupSpec{Name: "tui-test-2"})
	if err != nil || up.Name != "tui-test-2" || up.Description != "d" {
		t.Errorf("Update = %+v, %v", up, err)
	}
	if err := c.HostGroups.Delete(ctx, child, ng.ID); err != nil {
		t.Errorf("Delete: %v", err)
	}
	if _, err := c.HostGroups.Get(ctx, child, ng.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after delete: %v", err)
	}
	if _, err := c.Hosts.Get(ctx, child, []string{strings.Repeat("f", 32)}); err != nil {
		t.Errorf("Get of unknown ids: %v", err)
	}
}
