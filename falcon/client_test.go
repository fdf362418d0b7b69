package falcon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Unit tests run the client against an httptest mux, in the style of go-github's setup:
// each test registers the handlers it needs; the token endpoint is there by default.

const (
	testClientID = "0123456789abcdef0123456789abcdef"
	testSecret   = "s3cr3t-DO-NOT-LOG-0123456789abcdefghijkl"
	testToken    = "tok-eyJhbGciOi.SECRET-ACCESS-TOKEN"
	testChild    = "cccccccccccccccccccccccccccccccc"
)

// fakeClock advances only when the client sleeps, and records every sleep.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1_800_000_000, 0)} }

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	if d > 0 {
		f.now = f.now.Add(d)
	}
	return nil
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// testServer is the mux plus counters for what the client sent.
type testServer struct {
	*httptest.Server
	mux        *http.ServeMux
	tokenCalls atomic.Int32
	mu         sync.Mutex
	forms      []map[string][]string // token request forms, in order
	// tokenOverride, when set, answers token requests instead of the default handler.
	tokenOverride http.HandlerFunc
	log           bytes.Buffer
}

// setup starts a mux with a token endpoint and a client pointed at it (fake clock).
func setup(t *testing.T, mutate ...func(*Config)) (*Client, *testServer, *fakeClock) {
	t.Helper()
	ts := &testServer{mux: http.NewServeMux()}
	ts.mux.HandleFunc("POST /oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		ts.tokenCalls.Add(1)
		_ = r.ParseForm()
		ts.mu.Lock()
		ts.forms = append(ts.forms, r.PostForm)
		override := ts.tokenOverride
		ts.mu.Unlock()
		if override != nil {
			override(w, r)
			return
		}
		if r.PostForm.Get("client_secret") != testSecret {
			writeEnvelope(w, http.StatusForbidden, nil, `{"code":403,"message":"Failed to issue access token - Client authentication failed"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Cs-Region", "us-1")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":1799}`, testToken)
	})
	ts.mux.HandleFunc("POST /oauth2/revoke", func(w http.ResponseWriter, r *http.Request) {
		writeEnvelope(w, http.StatusOK, nil)
	})
	ts.Server = httptest.NewServer(ts.mux)
	t.Cleanup(ts.Close)
	cfg := Config{ClientID: testClientID, ClientSecret: testSecret, BaseURL: ts.URL, DebugLog: &syncWriter{w: &ts.log}}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	clk := newFakeClock()
	c.clk = clk
	c.retry.backoffBase = 10 * time.Millisecond
	return c, ts, clk
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (ts *testServer) setToken(h http.HandlerFunc) {
	ts.mu.Lock()
	ts.tokenOverride = h
	ts.mu.Unlock()
}

func (ts *testServer) Log() string {
	return ts.log.String()
}

// writeEnvelope writes a Falcon reply: meta, resources (raw JSON, nil = []), errors.
func writeEnvelope(w http.ResponseWriter, status int, resources any, errs ...string) {
	writeEnvelopeMeta(w, status, `{"query_time":0.01,"powered_by":"test","trace_id":"trace-1"}`, resources, errs...)
}

func writeEnvelopeMeta(w http.ResponseWriter, status int, meta string, resources any, errs ...string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if h.Get("X-Cs-Region") == "" {
		h.Set("X-Cs-Region", "us-1")
	}
	if h.Get("X-Cs-Traceid") == "" {
		h.Set("X-Cs-Traceid", "trace-1")
	}
	if h.Get("X-Ratelimit-Limit") == "" {
		h.Set("X-Ratelimit-Limit", "6000")
		h.Set("X-Ratelimit-Remaining", "5999")
	}
	w.WriteHeader(status)
	res := []byte("[]")
	if resources != nil {
		res, _ = json.Marshal(resources)
	}
	fmt.Fprintf(w, `{"meta":%s,"resources":%s,"errors":[%s]}`, meta, res, strings.Join(errs, ","))
}

func TestNewValidatesConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"https base", Config{ClientID: "a", ClientSecret: "b", BaseURL: "https://falcon.example.com"}, true},
		{"loopback http", Config{ClientID: "a", ClientSecret: "b", BaseURL: "http://127.0.0.1:8080"}, true},
		{"localhost http", Config{ClientID: "a", ClientSecret: "b", BaseURL: "http://localhost:1"}, true},
		{"ipv6 loopback", Config{ClientID: "a", ClientSecret: "b", BaseURL: "http://[::1]:9"}, true},
		{"127/8", Config{ClientID: "a", ClientSecret: "b", BaseURL: "http://127.1.2.3"}, true},
		{"named cloud", Config{ClientID: "a", ClientSecret: "b", Cloud: CloudEU1}, true},
		{"plain http remote", Config{ClientID: "a", ClientSecret: "b", BaseURL: "http://10.0.0.1"}, false},
		{"plain http name", Config{ClientID: "a", ClientSecret: "b", BaseURL: "http://api.crowdstrike.com"}, false},
		{"ftp", Config{ClientID: "a", ClientSecret: "b", BaseURL: "ftp://127.0.0.1"}, false},
		{"user info", Config{ClientID: "a", ClientSecret: "b", BaseURL: "https://u:p@example.com"}, false},
		{"no secret", Config{ClientID: "a", BaseURL: "https://example.com"}, false},
		{"bad cloud", Config{ClientID: "a", ClientSecret: "b", Cloud: "mars-1"}, false},
		{"bad member", Config{ClientID: "a", ClientSecret: "b", MemberCID: "xyz"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			if (err == nil) != tc.ok {
				t.Fatalf("New: err = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestNewBaseURLs(t *testing.T) {
	c, err := New(Config{ClientID: "a", ClientSecret: "b", Cloud: CloudEU1})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.BaseURL(); got != "https://api.eu-1.crowdstrike.com" {
		t.Errorf("BaseURL = %q", got)
	}
	c, _ = New(Config{ClientID: "a", ClientSecret: "b"})
	if got := c.BaseURL(); got != "https://api.crowdstrike.com" {
		t.Errorf("auto starts at %q, want us-1", got)
	}
	if c.Cloud() != CloudAuto {
		t.Errorf("Cloud before discovery = %q", c.Cloud())
	}
}

func TestTokenFlowAndCaching(t *testing.T) {
	c, ts, _ := setup(t)
	var auth []string
	var mu sync.Mutex
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		writeEnvelopeMeta(w, 200, `{"pagination":{"offset":0,"limit":1,"total":42}}`, []string{"a"})
	})
	ctx := context.Background()
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			n, err := c.Hosts.Count(ctx, "", "")
			if err != nil || n != 42 {
				t.Errorf("Count = %d, %v", n, err)
			}
		})
	}
	wg.Wait()
	if got := ts.tokenCalls.Load(); got != 1 {
		t.Errorf("token requests = %d, want 1 (cached)", got)
	}
	for _, a := range auth {
		if a != "Bearer "+testToken {
			t.Errorf("Authorization = %q", a)
		}
	}
	f := ts.forms[0]
	if f["client_id"][0] != testClientID || f["client_secret"][0] != testSecret || f["grant_type"][0] != "client_credentials" {
		t.Errorf("token form = %v", f)
	}
	if _, ok := f["member_cid"]; ok {
		t.Errorf("home token sent member_cid")
	}
}

func TestMemberTokensPerTenant(t *testing.T) {
	c, ts, _ := setup(t)
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		writeEnvelopeMeta(w, 200, `{"pagination":{"offset":0,"limit":1,"total":1}}`, []string{"a"})
	})
	ctx := context.Background()
	for range 3 {
		if _, err := c.Hosts.Count(ctx, strings.ToUpper(testChild), ""); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Hosts.Count(ctx, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := ts.tokenCalls.Load(); got != 2 {
		t.Fatalf("token requests = %d, want one per tenant", got)
	}
	var members []string
	for _, f := range ts.forms {
		members = append(members, strings.Join(f["member_cid"], ","))
	}
	if strings.Join(members, "|") != testChild+"|" && strings.Join(members, "|") != "|"+testChild {
		t.Errorf("member_cid per token = %q", members)
	}
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	c, ts, clk := setup(t)
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		writeEnvelope(w, 200, []string{})
	})
	ctx := context.Background()
	if _, err := c.Hosts.Count(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	clk.Advance(1799*time.Second - renewWindow - time.Second)
	if _, err := c.Hosts.Count(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	if got := ts.tokenCalls.Load(); got != 1 {
		t.Fatalf("token requests = %d before the renew window, want 1", got)
	}
	clk.Advance(2 * time.Second) // inside the window: renew although still valid
	if _, err := c.Hosts.Count(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	if got := ts.tokenCalls.Load(); got != 2 {
		t.Fatalf("token requests = %d inside the renew window, want 2", got)
	}
}

func TestReauthOnceOn401(t *testing.T) {
	c, ts, _ := setup(t)
	var calls atomic.Int32
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			writeEnvelope(w, 401, nil, `{"code":401,"message":"access denied, invalid bearer token"}`)
			return
		}
		writeEnvelopeMeta(w, 200, `{"pagination":{"total":7}}`, []string{})
	})
	n, err := c.Hosts.Count(context.Background(), "", "")
	if err != nil || n != 7 {
		t.Fatalf("Count = %d, %v", n, err)
	}
	if got := ts.tokenCalls.Load(); got != 2 {
		t.Errorf("token requests = %d, want 2 (one re-auth)", got)
	}

	// A second 401 right after a fresh token is not retried again.
	calls.Store(0)
	ts.mux.HandleFunc("GET /devices/queries/host-groups/v1", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeEnvelope(w, 401, nil, `{"code":401,"message":"access denied, invalid bearer token"}`)
	})
	resp, err := c.Do(context.Background(), "", &Request{Method: "GET", Path: "/devices/queries/host-groups/v1"})
	if err != nil || resp.StatusCode != 401 {
		t.Fatalf("Do = %v, %v; want the 401 reply", resp, err)
	}
	if got := calls.Load(); got != 2 {
		t.Errorf("attempts = %d, want 2", got)
	}
}

func TestTokenErrorsMapToSentinels(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		msg    string
		member bool
		want   error
	}{
		{"ip allow-list", 403, "access denied, authorization failed", false, ErrIPBlocked},
		{"bad secret", 403, "Failed to issue access token - Client authentication failed", false, ErrInvalidCredentials},
		{"bad client 401", 401, "access denied", false, ErrInvalidCredentials},
		{"bad client 400", 400, "Failed to generate access token for clientID=x.", false, ErrInvalidCredentials},
		{"not a child", 400, "Failed to generate access token for clientID=x.", true, ErrNotChild},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ts, _ := setup(t, func(cfg *Config) {
				if tc.member {
					cfg.MemberCID = testChild
				}
			})
			ts.setToken(func(w http.ResponseWriter, r *http.Request) {
				if tc.member && r.PostForm.Get("member_cid") == "" {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(201)
					fmt.Fprint(w, `{"access_token":"home","expires_in":1799}`)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				fmt.Fprintf(w, `{"meta":{"powered_by":"csam","trace_id":"--"},"errors":[{"code":%d,"message":%q}]}`, tc.status, tc.msg)
			})
			err := c.Connect(context.Background())
			if !errors.Is(err, tc.want) {
				t.Fatalf("Connect = %v, want %v", err, tc.want)
			}
			var ae *AuthError
			if !errors.As(err, &ae) || ae.StatusCode != tc.status {
				t.Fatalf("want *AuthError with status %d, got %#v", tc.status, err)
			}
			for _, other := range []error{ErrIPBlocked, ErrInvalidCredentials, ErrNotChild, ErrUnreachable} {
				if other != tc.want && errors.Is(err, other) {
					t.Errorf("error also matches %v", other)
				}
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Errorf("error text holds the secret: %v", err)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c, err := New(Config{ClientID: "a", ClientSecret: "b", BaseURL: url, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	c.clk = newFakeClock()
	err = c.Connect(context.Background())
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("Connect = %v, want ErrUnreachable", err)
	}
}

func TestReadOnlyRefusesWritesWithoutSending(t *testing.T) {
	c, ts, _ := setup(t, func(cfg *Config) { cfg.ReadOnly = true })
	var hits atomic.Int32
	ts.mux.HandleFunc("/devices/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeEnvelope(w, 200, []string{})
	})
	ctx := context.Background()
	for _, r := range []*Request{
		{Method: "PATCH", Path: "/devices/entities/host-groups/v1", Body: map[string]any{"resources": []any{}}},
		{Method: "POST", Path: "/devices/entities/host-group-actions/v1"},
		{Method: "POST", Path: "/devices/entities/devices-actions/v2"},
		{Method: "DELETE", Path: "/devices/entities/host-groups/v1"},
		{Method: "POST", Path: "/some/unknown/path"},
	} {
		if _, err := c.Do(ctx, "", r); !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s %s: err = %v, want ErrReadOnly", r.Method, r.Path, err)
		}
	}
	if _, err := c.HostGroups.Create(ctx, "", GroupSpec{Name: "x"}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Create: %v", err)
	}
	if _, err := c.HostGroups.EditMembers(ctx, "", "g", AddHosts, []string{"a"}, nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("EditMembers: %v", err)
	}
	if st, err := c.HostGroups.WriteAccess(ctx, ""); st != ScopeUnknown || !errors.Is(err, ErrReadOnly) {
		t.Errorf("WriteAccess: %v, %v; want unknown and ErrReadOnly", st, err)
	}
	if hits.Load() != 0 || ts.tokenCalls.Load() != 0 {
		t.Errorf("read-only sent %d API calls and %d token calls", hits.Load(), ts.tokenCalls.Load())
	}
	// Reads that are POSTs still work.
	if _, err := c.Do(ctx, "", &Request{Method: "POST", Path: "/devices/entities/devices/v2", Body: map[string]any{"ids": []string{"a"}}}); err != nil {
		t.Errorf("entities POST in read-only: %v", err)
	}
}

func TestAPIErrorClassification(t *testing.T) {
	c, ts, _ := setup(t)
	reply := func(status int, poweredBy, msg, id string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			meta := fmt.Sprintf(`{"powered_by":%q,"trace_id":"tr-%d"}`, poweredBy, status)
			w.Header().Set("X-Cs-Traceid", fmt.Sprintf("tr-%d", status))
			item := fmt.Sprintf(`{"code":%d,"message":%q,"id":%q}`, status, msg, id)
			writeEnvelopeMeta(w, status, meta, nil, item)
		}
	}
	ts.mux.Handle("GET /devices/queries/devices/v1", reply(403, "crowdstrike-api-gateway", "access denied, scope not permitted", ""))
	ts.mux.Handle("GET /devices/queries/host-groups/v1", reply(403, "crowdstrike-api-gateway", "access denied, authorization failed", ""))
	ts.mux.Handle("GET /zero-trust-assessment/entities/assessments/v1", reply(404, "crowdstrike-api-gateway", "Not Found", ""))
	ts.mux.Handle("GET /devices/entities/host-groups/v1", reply(404, "hostgroups", "Group not found: x", "x"))
	ts.mux.Handle("GET /alerts/queries/alerts/v2", reply(400, "alerts", "invalid filter", ""))
	ctx := context.Background()

	_, err := c.Hosts.Count(ctx, "", "")
	var ae *APIError
	if !errors.Is(err, ErrScopeDenied) || !errors.As(err, &ae) {
		t.Fatalf("scope: %v", err)
	}
	if ae.Scope != "devices:read" || ae.Method != "GET" || ae.Path != "/devices/queries/devices/v1" || ae.TraceID != "tr-403" ||
		ae.PoweredBy != "crowdstrike-api-gateway" || ae.StatusCode != 403 {
		t.Errorf("APIError = %+v", ae)
	}
	if !strings.Contains(ae.Error(), "devices:read") {
		t.Errorf("message does not name the scope: %v", ae)
	}
	if _, err := c.HostGroups.MemberCount(ctx, "", "g"); err == nil {
		// MemberCount uses the devices query: also scope denied.
		t.Errorf("MemberCount: want an error")
	}
	if _, err := c.Do(ctx, "", &Request{Method: "GET", Path: "/devices/queries/host-groups/v1"}); err != nil {
		t.Errorf("Do returns 4xx as replies: %v", err)
	}
	if _, err := c.ZTA.Get(ctx, "", "aid"); !errors.Is(err, ErrNotProvisioned) {
		t.Errorf("ZTA on an unprovisioned tenant: %v", err)
	}
	if _, err := c.HostGroups.Get(ctx, "", "x"); !errors.Is(err, ErrNotFound) || errors.Is(err, ErrNotProvisioned) {
		t.Errorf("missing group: %v", err)
	}
	if _, err := c.Alerts.Count(ctx, "", "bad"); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("bad filter: %v", err)
	}
}

func TestScopeFor(t *testing.T) {
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/devices/queries/devices-scroll/v1", "devices:read"},
		{"post", "/devices/entities/devices/v2", "devices:read"},
		{"POST", "/devices/entities/host-group-actions/v1?action_name=add-hosts", "host-group:write"},
		{"GET", "/mssp/queries/children/v1", "mssp:read"},
		{"PATCH", "/alerts/entities/alerts/v3", "alerts:write"},
		{"GET", "/nope", ""},
	} {
		if got := ScopeFor(tc.method, tc.path); got != tc.want {
			t.Errorf("ScopeFor(%s %s) = %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
	if isWrite("POST", "/alerts/entities/alerts/v2") || !isWrite("PATCH", "/devices/entities/host-groups/v1") {
		t.Errorf("read/write classification wrong")
	}
	// A probe endpoint outside the API subset is known too.
	if ScopeFor("GET", "/iocs/queries/indicators/v1?limit=1") != "iocs:read" {
		t.Errorf("probe-only scope not found")
	}
}
