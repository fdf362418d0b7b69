package falcon

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
)

// probeFake answers probes like the gateway and services would for an API client holding
// granted, in tenants where some products are missing. It records what was sent.
type probeFake struct {
	granted     map[Permission]bool
	unprov      map[string]map[string]bool // cid -> scope id -> missing
	fatal       map[string]error           // cid -> transport error for every call
	listing     string                     // resources JSON for /api-clients/entities/...; "" = 403
	mu          sync.Mutex
	sent        []*Request
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
func probeFakeIndex(r *Request) (Permission, ProbeKind, bool) {
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

func probeFakeReply(status int, poweredBy, msg string, region bool) *Response {
	r := &Response{StatusCode: status, Header: http.Header{}, TraceID: "trace-1", Meta: Meta{PoweredBy: poweredBy}}
	if region {
		r.Region = "us-1"
		r.Header.Set("X-Cs-Region", "us-1")
	}
	if msg != "" {
		r.Errors = []ErrorItem{{Code: status, Message: msg}}
	}
	return r
}

func (f *probeFake) do(ctx context.Context, cid string, r *Request) (*Response, error) {
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
			return probeFakeReply(403, probeGatewayService, "access denied, authorization failed", true), nil
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
		return probeFakeReply(403, probeGatewayService, "access denied, scope not permitted", true), nil
	}
	if kind == ProbeInvalidWrite {
		return probeFakeReply(400, "service", "invalid request body", true), nil
	}
	return probeFakeReply(200, "service", "", true), nil
}

func (f *probeFake) prober() *prober {
	return &prober{do: f.do, clientID: "0123456789abcdef0123456789abcdef", homeCID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
}

func probeTestState(t *testing.T, rep *ScopeReport, cid, perm string) ProbeResult {
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
	rep, err := f.prober().run(context.Background(), []Tenant{
		{CID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Name: "Parent"},
		{CID: child, Name: "Child", ParentCID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
	})
	if err != nil {
		t.Fatal(err)
	}
	home := "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	cases := []struct {
		cid, perm string
		want      ScopeState
		status    int
	}{
		{home, "devices:read", ScopeGranted, 200},
		{home, "devices:write", ScopeGranted, 400},
		{home, "host-group:read", ScopeGranted, 200},
		{home, "host-group:write", ScopeDenied, 403},
		{home, "mssp:read", ScopeDenied, 403},
		{home, "zero-trust-assessment:read", ScopeGranted, 200},
		{child, "zero-trust-assessment:read", ScopeNotProvisioned, 404},
		{child, "devices:read", ScopeGranted, 200},
		{home, "mssp:write", ScopeDenied, 403},
		// Writes with no safe probe are never sent: unknown, and no listing to settle them.
		{home, "identity-protection-entities:write", ScopeUnknown, 0},
		{home, "identity-protection-detections:write", ScopeUnknown, 0},
		{home, "real-time-response:write", ScopeUnknown, 0},
		{home, "incidents:write", ScopeUnknown, 0},
		{home, "ods:write", ScopeUnknown, 0},
	}
	for _, c := range cases {
		res := probeTestState(t, rep, c.cid, c.perm)
		if res.State != c.want || res.Status != c.status {
			t.Errorf("%s in %s: got %v (%d, %q), want %v (%d)", c.perm, c.cid[:4], res.State, res.Status, res.Detail, c.want, c.status)
		}
	}
	if rep.Listing.State != ScopeDenied {
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
	if res.State != ScopeGranted || res.Probe != ScopeUnknown || res.Listed == nil || !*res.Listed {
		t.Errorf("idp detections write = %+v", res)
	}
	// Neither probed nor listed: denied per the listing.
	res = probeTestState(t, rep, home, "alerts:read")
	if res.State != ScopeDenied || res.Probe != ScopeDenied || res.Listed == nil || *res.Listed {
		t.Errorf("alerts:read = %+v", res)
	}
	// A live probe wins over the listing, and the disagreement is noted.
	res = probeTestState(t, rep, home, "host-group:write")
	if res.State != ScopeDenied || !strings.Contains(res.Detail, "listing names it") {
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
	if res.State != ScopeUnknown || !strings.Contains(res.Detail, "read-only") {
		t.Errorf("devices:write in read-only = %+v", res)
	}
	if !rep.ReadOnly {
		t.Error("report does not say read-only")
	}
}

func TestProbeUnreachableTenantIsProbedOnce(t *testing.T) {
	f := newProbeFake("devices:read")
	bad := "cccccccccccccccccccccccccccccccc"
	f.fatal[bad] = fmt.Errorf("token for %s: %w", bad, ErrNotChild)
	rep, err := f.prober().run(context.Background(), []Tenant{{CID: ""}, {CID: bad, Name: "Stranger"}})
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
		if res.Probe != ScopeError && res.Probe != ScopeUnknown {
			t.Errorf("%s = %v in an unreachable tenant", res.Permission, res.Probe)
		}
	}
	// The home column ("" = the tenant the client starts in) is unaffected.
	if res := probeTestState(t, rep, "", "devices:read"); res.State != ScopeGranted {
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

func TestClassifyProbe(t *testing.T) {
	cases := []struct {
		name   string
		kind   ProbeKind
		resp   *Response
		want   ScopeState
		detail string
	}{
		{"read 200", ProbeRead, probeFakeReply(200, "svc", "", true), ScopeGranted, ""},
		{"read 400 passed gateway", ProbeRead, probeFakeReply(400, "svc", "bad filter", true), ScopeGranted, "bad filter"},
		{"write 400", ProbeInvalidWrite, probeFakeReply(400, "svc", "ids required", true), ScopeGranted, ""},
		{"write 422", ProbeInvalidWrite, probeFakeReply(422, "svc", "", true), ScopeGranted, ""},
		{"write 2xx", ProbeInvalidWrite, probeFakeReply(202, "svc", "", true), ScopeGranted, "accepted"},
		{"gateway 403", ProbeRead, probeFakeReply(403, probeGatewayService, "access denied, authorization failed", true), ScopeDenied, "authorization failed"},
		{"service 403", ProbeInvalidWrite, probeFakeReply(403, "hostgroups", "forbidden for child", true), ScopeDenied, "403 from hostgroups"},
		{"404 no region", ProbeRead, probeFakeReply(404, "", "", false), ScopeNotProvisioned, ""},
		{"404 not provisioned body", ProbeRead, probeFakeReply(404, "svc", "product not provisioned for this CID", true), ScopeNotProvisioned, "not provisioned"},
		{"404 gateway Not Found", ProbeRead, probeFakeReply(404, probeGatewayService, "Not Found", true), ScopeNotProvisioned, "404 Not Found"},
		// A service's own 404 carries X-Cs-Region: the route or entity is missing, not the
		// product; the typed services call it ErrNotFound, so the probe must not say
		// "not provisioned" either.
		{"404 service Not Found", ProbeRead, probeFakeReply(404, "svc", "Not Found", true), ScopeError, "not found (404 Not Found)"},
		{"404 service no body", ProbeRead, probeFakeReply(404, "svc", "", true), ScopeError, "not found"},
		{"404 naming ids", ProbeRead, &Response{StatusCode: 404, Region: "us-1", Errors: []ErrorItem{{Code: 404, Message: "not found", ID: "x"}}}, ScopeError, "not found"},
		{"401", ProbeRead, probeFakeReply(401, probeGatewayService, "access denied, invalid bearer token", true), ScopeDenied, "401"},
		{"429", ProbeRead, probeFakeReply(429, probeGatewayService, "API rate limit exceeded", true), ScopeError, "rate limited"},
		{"500", ProbeRead, probeFakeReply(500, "svc", "internal error", true), ScopeError, "500 internal error"},
	}
	for _, c := range cases {
		got, detail := classifyProbe(c.kind, c.resp)
		if got != c.want || !strings.Contains(detail, c.detail) {
			t.Errorf("%s: got %v %q, want %v containing %q", c.name, got, detail, c.want, c.detail)
		}
	}
}

func TestProbeErrorStates(t *testing.T) {
	cases := []struct {
		err  error
		want ScopeState
	}{
		{fmt.Errorf("x: %w", ErrReadOnly), ScopeUnknown},
		{fmt.Errorf("x: %w", ErrScopeDenied), ScopeDenied},
		{fmt.Errorf("x: %w", ErrNotProvisioned), ScopeNotProvisioned},
		{fmt.Errorf("x: %w", ErrUnreachable), ScopeError},
		{fmt.Errorf("x: %w", ErrRateLimited), ScopeError},
	}
	for _, c := range cases {
		if got, _ := probeErrorState(c.err); got != c.want {
			t.Errorf("%v: got %v, want %v", c.err, got, c.want)
		}
	}
	if !probeTenantFatal(fmt.Errorf("y: %w", ErrUnreachable)) || probeTenantFatal(fmt.Errorf("y: %w", ErrRateLimited)) {
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
	p.do = func(ctx context.Context, cid string, r *Request) (*Response, error) {
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
	if res := probeTestState(t, rep, home, "alerts:read"); res.State != ScopeError || !strings.Contains(res.Detail, "no answer within") {
		t.Errorf("stuck probe = %+v", res)
	}
	if res := probeTestState(t, rep, home, "devices:read"); res.State != ScopeGranted {
		t.Errorf("devices:read = %+v", res)
	}
}

// The probe and the typed services read a 404 by the same rule.
func TestProbeAgreesWithClientOn404(t *testing.T) {
	replies := []*Response{
		probeFakeReply(404, "", "", false),
		probeFakeReply(404, "svc", "", false),
		probeFakeReply(404, "svc", "", true),
		probeFakeReply(404, "svc", "Not Found", true),
		probeFakeReply(404, "svc", "product not provisioned", true),
		probeFakeReply(404, probeGatewayService, "Not Found", true),
		{StatusCode: 404, Region: "us-1", Errors: []ErrorItem{{Code: 404, Message: "not found", ID: "x"}}},
	}
	for i, resp := range replies {
		st, _ := classifyProbe(ProbeRead, resp)
		client := classifyAPI(resp) == ErrNotProvisioned
		if (st == ScopeNotProvisioned) != client {
			t.Errorf("reply %d: probe says %v, client says not provisioned = %v", i, st, client)
		}
	}
}
