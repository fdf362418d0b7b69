package scopehealth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// probeFake answers probes like the gateway and services would for an API client holding
// granted, in tenants where some products are missing. It records what was sent.
type probeFake struct {
	granted     map[Permission]bool
	unprov      map[string]map[string]bool // cid -> scope id -> missing
	fatal       map[string]error           // cid -> transport error for every call
	listing     string                     // resources JSON for /api-clients/entities/...; "" = 403
	mu          sync.Mutex
	sent        []*falcon.Request
	cids        []string
	inFlight    atomic.Int32
	maxInFlight atomic.Int32
}

func newProbeFake(perms ...string) *probeFake {
	f := &probeFake{granted: map[Permission]bool{}, unprov: map[string]map[string]bool{}, fatal: map[string]error{}}
	for _, p := range perms {
		q, err := ParsePermission(p)
		if err != nil {
			panic(err)
		}
		f.granted[q] = true
	}
	return f
}

// probeFakeIndex maps a probe request back to the permission it tests.
func probeFakeIndex(r *falcon.Request) (Permission, falcon.ProbeKind, bool) {
	body, _ := json.Marshal(r.Body)
	for _, d := range scopeCatalogue {
		for _, p := range d.Permissions() {
			pr := d.Access(p.Access).Probe
			if pr == nil || pr.Method != r.Method || pr.Path != r.Path {
				continue
			}
			if pr.Body != nil && string(pr.Body) != string(body) {
				continue
			}
			return p, pr.Kind, true
		}
	}
	return Permission{}, 0, false
}

func probeFakeReply(status int, poweredBy, msg string, region bool) *falcon.Response {
	r := &falcon.Response{StatusCode: status, Header: http.Header{}, TraceID: "trace-1", Meta: falcon.Meta{PoweredBy: poweredBy}}
	if region {
		r.Region = "us-1"
		r.Header.Set("X-Cs-Region", "us-1")
	}
	if msg != "" {
		r.Errors = []falcon.ErrorItem{{Code: status, Message: msg}}
	}
	return r
}

// gatewayService is meta.powered_by on the gateway's own replies.
const gatewayService = "crowdstrike-api-gateway"

func (f *probeFake) do(ctx context.Context, cid string, r *falcon.Request) (*falcon.Response, error) {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		m := f.maxInFlight.Load()
		if n <= m || f.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	f.mu.Lock()
	f.sent = append(f.sent, r)
	f.cids = append(f.cids, cid)
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := f.fatal[cid]; err != nil {
		return nil, err
	}
	if r.Path == "/api-clients/entities/api-clients/v1" {
		if f.listing == "" {
			return probeFakeReply(403, gatewayService, "access denied, authorization failed", true), nil
		}
		resp := probeFakeReply(200, "api-clients", "", true)
		resp.Resources = []byte(f.listing)
		return resp, nil
	}
	perm, kind, ok := probeFakeIndex(r)
	if !ok {
		return probeFakeReply(404, "", "no route", true), nil
	}
	if f.unprov[cid][perm.Scope] {
		return probeFakeReply(404, "", "", false), nil
	}
	if !f.granted[perm] {
		return probeFakeReply(403, gatewayService, "access denied, scope not permitted", true), nil
	}
	if kind == falcon.ProbeInvalidWrite {
		return probeFakeReply(400, "service", "invalid request body", true), nil
	}
	return probeFakeReply(200, "service", "", true), nil
}

func (f *probeFake) prober() *prober {
	return &prober{do: f.do, clientID: "0123456789abcdef0123456789abcdef", homeCID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
}

func probeTestState(t *testing.T, rep *Report, cid, perm string) ProbeResult {
	t.Helper()
	p, err := ParsePermission(perm)
	if err != nil {
		t.Fatal(err)
	}
	res, ok := rep.Result(cid, p)
	if !ok {
		t.Fatalf("no result for %s in %q", perm, cid)
	}
	return res
}

func TestProbeMatrixFromFabricatedReplies(t *testing.T) {
	f := newProbeFake("devices:read", "devices:write", "host-group:read", "alerts:read", "zero-trust-assessment:read")
	child := "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	f.unprov[child] = map[string]bool{"zero-trust-assessment": true}
	rep, err := f.prober().run(context.Background(), []falcon.Tenant{
		{CID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Name: "Parent"},
		{CID: child, Name: "Child", ParentCID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
	})
	if err != nil {
		t.Fatal(err)
	}
	home := "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	cases := []struct {
		cid, perm string
		want      falcon.ScopeState
		status    int
	}{
		{home, "devices:read", falcon.ScopeGranted, 200},
		{home, "devices:write", falcon.ScopeGranted, 400},
		{home, "host-group:read", falcon.ScopeGranted, 200},
		{home, "host-group:write", falcon.ScopeDenied, 403},
		{home, "mssp:read", falcon.ScopeDenied, 403},
		{home, "zero-trust-assessment:read", falcon.ScopeGranted, 200},
		{child, "zero-trust-assessment:read", falcon.ScopeNotProvisioned, 404},
		{child, "devices:read", falcon.ScopeGranted, 200},
		{home, "mssp:write", falcon.ScopeDenied, 403},
		// Writes with no safe probe are never sent: unknown, and no listing to settle them.
		{home, "identity-protection-entities:write", falcon.ScopeUnknown, 0},
		{home, "identity-protection-detections:write", falcon.ScopeUnknown, 0},
		{home, "real-time-response:write", falcon.ScopeUnknown, 0},
		{home, "incidents:write", falcon.ScopeUnknown, 0},
		{home, "ods:write", falcon.ScopeUnknown, 0},
	}
	for _, c := range cases {
		res := probeTestState(t, rep, c.cid, c.perm)
		if res.State != c.want || res.Status != c.status {
			t.Errorf("%s in %s: got %v (%d, %q), want %v (%d)", c.perm, c.cid[:4], res.State, res.Status, res.Detail, c.want, c.status)
		}
	}
	if rep.Listing.State != falcon.ScopeDenied {
		t.Errorf("listing state = %v, want denied", rep.Listing.State)
	}
	// Every catalogued permission with a probe was sent once per tenant, plus the listing.
	probes := 0
	for _, d := range scopeCatalogue {
		for _, p := range d.Permissions() {
			if d.Access(p.Access).Probe != nil {
				probes++
			}
		}
	}
	if got, want := len(f.sent), 2*probes+1; got != want {
		t.Errorf("sent %d requests, want %d", got, want)
	}
	if rep.Requests() != len(f.sent) {
		t.Errorf("report counts %d requests, fake saw %d", rep.Requests(), len(f.sent))
	}
	if m := f.maxInFlight.Load(); m > probesInFlight {
		t.Errorf("max in flight %d > bound %d", m, probesInFlight)
	}
	for _, r := range f.sent {
		if strings.Contains(r.Path, "devices-actions") {
			t.Errorf("a probe used %s", r.Path)
		}
	}
}

func TestProbeListingSettlesWhatProbesCannot(t *testing.T) {
	f := newProbeFake("devices:read", "api-clients:read", "identity-protection-entities:read")
	f.listing = `[{"id":"0123456789abcdef0123456789abcdef","name":"tui","scopes":["devices:read","api-clients:read","identity-protection-entities:read","identity-protection-detections:write","host-group:write"]}]`
	rep, err := f.prober().run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Listing.Read() || len(rep.Listing.Scopes) != 5 {
		t.Fatalf("listing = %+v", rep.Listing)
	}
	home := "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	// No probe for the GraphQL write: the listing decides.
	res := probeTestState(t, rep, home, "identity-protection-detections:write")
	if res.State != falcon.ScopeGranted || res.Probe != falcon.ScopeUnknown || res.Listed == nil || !*res.Listed {
		t.Errorf("idp detections write = %+v", res)
	}
	// Neither probed nor listed: denied per the listing.
	res = probeTestState(t, rep, home, "alerts:read")
	if res.State != falcon.ScopeDenied || res.Probe != falcon.ScopeDenied || res.Listed == nil || *res.Listed {
		t.Errorf("alerts:read = %+v", res)
	}
	// A live probe wins over the listing, and the disagreement is noted.
	res = probeTestState(t, rep, home, "host-group:write")
	if res.State != falcon.ScopeDenied || !strings.Contains(res.Detail, "listing names it") {
		t.Errorf("host-group:write = %+v", res)
	}
}

func TestProbeReadOnlySendsNoWrites(t *testing.T) {
	f := newProbeFake("devices:read", "devices:write")
	p := f.prober()
	p.readOnly = true
	rep, err := p.run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.sent {
		if r.Method != "GET" {
			t.Errorf("read-only run sent %s %s", r.Method, r.Path)
		}
	}
	res := probeTestState(t, rep, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "devices:write")
	if res.State != falcon.ScopeUnknown || !strings.Contains(res.Detail, "read-only") {
		t.Errorf("devices:write in read-only = %+v", res)
	}
	if !rep.ReadOnly {
		t.Error("report does not say read-only")
	}
}

func TestProbeUnreachableTenantIsProbedOnce(t *testing.T) {
	f := newProbeFake("devices:read")
	bad := "cccccccccccccccccccccccccccccccc"
	f.fatal[bad] = fmt.Errorf("token for %s: %w", bad, falcon.ErrNotChild)
	rep, err := f.prober().run(context.Background(), []falcon.Tenant{{CID: ""}, {CID: bad, Name: "Stranger"}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range f.cids {
		if c == bad {
			n++
		}
	}
	if n != 1 {
		t.Errorf("sent %d requests to an unreachable tenant, want 1", n)
	}
	ts, ok := rep.Tenant(bad)
	if !ok || ts.Err == "" || !ts.Tenant.Child {
		t.Fatalf("tenant = %+v", ts)
	}
	for _, res := range ts.Results {
		if res.Probe != falcon.ScopeError && res.Probe != falcon.ScopeUnknown {
			t.Errorf("%s = %v in an unreachable tenant", res.Permission, res.Probe)
		}
	}
	// The home column ("" = the tenant the client starts in) is unaffected.
	if res := probeTestState(t, rep, "", "devices:read"); res.State != falcon.ScopeGranted {
		t.Errorf("home devices:read = %+v", res)
	}
}

func TestProbeCancelled(t *testing.T) {
	f := newProbeFake("devices:read")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.prober().run(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestProbeTenantFatal(t *testing.T) {
	if !probeTenantFatal(fmt.Errorf("y: %w", falcon.ErrUnreachable)) || probeTenantFatal(fmt.Errorf("y: %w", falcon.ErrRateLimited)) {
		t.Error("probeTenantFatal misjudges")
	}
}

func TestParseScopeListingShapes(t *testing.T) {
	id := "0123456789abcdef0123456789abcdef"
	cases := []struct {
		name, json string
		want       string
	}{
		{"strings", `[{"id":"` + id + `","scopes":["devices:read","Host-Group:Write","junk"]}]`, "devices:read,host-group:write"},
		{"group/action", `[{"client_id":"` + id + `","scopes":[{"group":"alerts","action":"read"},{"group":"alerts","action":"write"}]}]`, "alerts:read,alerts:write"},
		{"name/read/write", `[{"id":"` + id + `","scopes":[{"name":"mssp","read":true,"write":false}]}]`, "mssp:read"},
		{"id with colon", `[{"id":"` + id + `","scope":[{"id":"usermgmt:read"}]}]`, "usermgmt:read"},
		{"picks own client", `[{"id":"other","scopes":["alerts:read"]},{"id":"` + id + `","scopes":["devices:read"]}]`, "devices:read"},
	}
	for _, c := range cases {
		ps, err := parseScopeListing([]byte(c.json), id)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []string
		for _, p := range ps {
			got = append(got, p.String())
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("%s: got %v, want %s", c.name, got, c.want)
		}
	}
	for _, bad := range []string{`[]`, `[{"id":"x","name":"no scopes"}]`, `{"not":"an array"}`, `[{"id":"x"},{"id":"y"}]`} {
		if _, err := parseScopeListing([]byte(bad), id); err == nil {
			t.Errorf("%s: parsed, want an error", bad)
		}
	}
}

func TestProbeTimeoutCostsOneCell(t *testing.T) {
	f := newProbeFake("devices:read", "alerts:read")
	slow := f.do
	p := f.prober()
	p.timeout = 20 * time.Millisecond
	p.do = func(ctx context.Context, cid string, r *falcon.Request) (*falcon.Response, error) {
		if r.Path == "/alerts/queries/alerts/v2" {
			<-ctx.Done() // a stuck endpoint
			return nil, ctx.Err()
		}
		return slow(ctx, cid, r)
	}
	rep, err := p.run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	home := "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	if res := probeTestState(t, rep, home, "alerts:read"); res.State != falcon.ScopeError || !strings.Contains(res.Detail, "no answer within") {
		t.Errorf("stuck probe = %+v", res)
	}
	if res := probeTestState(t, rep, home, "devices:read"); res.State != falcon.ScopeGranted {
		t.Errorf("devices:read = %+v", res)
	}
}
