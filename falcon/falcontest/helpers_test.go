package falcontest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// Test structs mirroring the spec definitions (openapi-subset.json). They
// are written independently of the simulator's own types on purpose.

type msaAPIError struct {
	Code    int    `json:"code"`
	ID      string `json:"id"`
	Message string `json:"message"`
}

type msaPaging struct {
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
	Total  int `json:"total"`
}

type msaMetaInfo struct {
	QueryTime  float64         `json:"query_time"`
	PoweredBy  string          `json:"powered_by"`
	TraceID    string          `json:"trace_id"`
	Pagination json.RawMessage `json:"pagination"`
	Writes     *struct {
		ResourcesAffected int `json:"resources_affected"`
	} `json:"writes"`
}

// envelope is the common {meta, resources, errors} reply.
type envelope struct {
	Meta      msaMetaInfo     `json:"meta"`
	Resources json.RawMessage `json:"resources"`
	Errors    []msaAPIError   `json:"errors"`
}

type client struct {
	t    testing.TB
	srv  *falcontest.Server
	http *http.Client
	tok  string
}

func newServer(t testing.TB, opts ...falcontest.Option) *falcontest.Server {
	t.Helper()
	s := falcontest.NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// login gets a token for the named client (optionally in a child CID).
func login(t testing.TB, s *falcontest.Server, name, memberCID string) *client {
	t.Helper()
	cl := s.Client(name)
	form := url.Values{"client_id": {cl.ID}, "client_secret": {cl.Secret}}
	if memberCID != "" {
		form.Set("member_cid", memberCID)
	}
	resp, err := http.PostForm(s.URL+"/oauth2/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("token for %s: status %d: %s", name, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil {
		t.Fatal(err)
	}
	return &client{t: t, srv: s, http: &http.Client{Timeout: 30 * time.Second}, tok: tr.AccessToken}
}

type result struct {
	status int
	header http.Header
	body   []byte
	env    envelope
}

// do sends a request; body (if not nil) is JSON-encoded.
func (c *client) do(method, path string, body any) result {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.srv.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.tok != "" {
		req.Header.Set("Authorization", "Bearer "+c.tok)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	r := result{status: resp.StatusCode, header: resp.Header, body: b}
	if len(b) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &r.env); err != nil {
			c.t.Fatalf("%s %s: body is not an envelope: %v\n%s", method, path, err, b)
		}
	}
	return r
}

func (c *client) get(path string) result { c.t.Helper(); return c.do(http.MethodGet, path, nil) }

// want asserts the status and the headers every reply carries.
func (r result) want(t testing.TB, status int) result {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body: %.600s", r.status, status, r.body)
	}
	checkHeaders(t, r)
	return r
}

// wantUnprovisioned asserts the gateway's 404 for a product the tenant lacks: no
// X-Cs-Region (every other reply has one), no entity named.
func (r result) wantUnprovisioned(t testing.TB) result {
	t.Helper()
	if r.status != http.StatusNotFound {
		t.Fatalf("status %d, want 404; body: %.600s", r.status, r.body)
	}
	if v := r.header.Get("X-Cs-Region"); v != "" {
		t.Errorf("not-provisioned 404 carries X-Cs-Region %q", v)
	}
	if r.env.Meta.PoweredBy != "crowdstrike-api-gateway" || len(r.env.Errors) != 1 || r.env.Errors[0].ID != "" {
		t.Errorf("not-provisioned 404: meta %+v, errors %+v", r.env.Meta, r.env.Errors)
	}
	checkHeadersBut(t, r, "X-Cs-Region")
	return r
}

func checkHeaders(t testing.TB, r result) { t.Helper(); checkHeadersBut(t, r, "") }

func checkHeadersBut(t testing.TB, r result, skip string) {
	t.Helper()
	for _, h := range []string{"X-Cs-Traceid", "X-Cs-Region", "X-Ratelimit-Limit", "X-Ratelimit-Remaining"} {
		if h == skip {
			continue
		}
		if r.header.Get(h) == "" {
			t.Errorf("reply %d lacks header %s", r.status, h)
		}
	}
	if r.status != http.StatusPermanentRedirect && r.header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
	}
	if r.env.Meta.TraceID != "" && r.env.Meta.TraceID != r.header.Get("X-Cs-Traceid") {
		t.Errorf("meta.trace_id %q != X-Cs-Traceid %q", r.env.Meta.TraceID, r.header.Get("X-Cs-Traceid"))
	}
}

// decode unmarshals the resources into v, strictly (unknown fields are
// fine — the spec allows them — but types must match).
func (r result) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.env.Resources, v); err != nil {
		t.Fatalf("resources do not decode into %T: %v\n%.800s", v, err, r.env.Resources)
	}
}

func (r result) ids(t testing.TB) []string {
	t.Helper()
	var ids []string
	r.decode(t, &ids)
	return ids
}

func (r result) paging(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.env.Meta.Pagination, v); err != nil {
		t.Fatalf("pagination: %v: %s", err, r.env.Meta.Pagination)
	}
}

func q(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return "?" + v.Encode()
}

// fakeClock is a settable clock for WithClock, safe for the server's goroutines.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock(t time.Time) *fakeClock {
	f := &fakeClock{}
	f.ns.Store(t.UnixNano())
	return f
}

func (f *fakeClock) Now() time.Time          { return time.Unix(0, f.ns.Load()) }
func (f *fakeClock) Advance(d time.Duration) { f.ns.Add(int64(d)) }
