package falcon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// bearerSpy remembers every Authorization header the client sent, so that a test can look
// for the tokens themselves in what the client logged.
type bearerSpy struct {
	mu   sync.Mutex
	seen []string
	base http.RoundTripper
}

func (b *bearerSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	if a := r.Header.Get("Authorization"); a != "" {
		b.mu.Lock()
		b.seen = append(b.seen, strings.TrimPrefix(strings.TrimPrefix(a, "Bearer "), "Basic "))
		b.mu.Unlock()
	}
	return b.base.RoundTrip(r)
}

// Every exchange — token, API calls, a refused call, the revocation — leaves a record with
// the facts the request log shows, and none holds a secret or a token; the debug log has
// one line per record.
func TestCallLogRecordsEveryCallWithoutSecrets(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithSeed(3), falcontest.WithHosts(50), falcontest.WithTenants(1))
	defer srv.Close()
	spy := &bearerSpy{base: http.DefaultTransport}
	var dbg bytes.Buffer
	var dbgMu sync.Mutex
	cred := srv.Client("full")
	c, err := New(Config{ClientID: cred.ID, ClientSecret: cred.Secret, BaseURL: srv.URL,
		HTTPClient: &http.Client{Transport: spy}, DebugLog: writerFunc(func(p []byte) (int, error) {
			dbgMu.Lock()
			defer dbgMu.Unlock()
			return dbg.Write(p)
		})})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	ids := srv.HostIDs(c.HomeCID())[:3]
	if _, err := c.ZTA.Get(ctx, "", ids...); err != nil {
		t.Fatal(err)
	}
	// A filter the service refuses: its error body must be in the record.
	if _, err := c.Hosts.Count(ctx, "", "nosuchfield:'x'"); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("bad filter: %v, want ErrInvalidRequest", err)
	}
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}

	recs := c.Calls().Snapshot() // newest first
	if len(recs) < 4 {
		t.Fatalf("%d records, want at least token, ZTA, count, revoke", len(recs))
	}
	first, last := recs[len(recs)-1], recs[0]
	if !first.Token || first.Path != "/oauth2/token" || first.Status != 201 || first.Method != "POST" {
		t.Errorf("oldest record = %+v, want the token request", first)
	}
	if !strings.Contains(first.Body, "client_id="+cred.ID) || !strings.Contains(first.Body, "client_secret="+redacted) {
		t.Errorf("token body summary %q: want client_id shown and the secret redacted", first.Body)
	}
	if !last.Token || last.Path != "/oauth2/revoke" || last.Status != 200 {
		t.Errorf("newest record = %+v, want the revocation", last)
	}
	var zta, bad *CallRecord
	for i := range recs {
		r := &recs[i]
		if r.Seq == 0 || r.Time.IsZero() || r.Attempt != 1 {
			t.Errorf("record %d lacks seq/time/attempt: %+v", i, r)
		}
		if i > 0 && recs[i-1].Seq <= r.Seq {
			t.Errorf("snapshot not newest first at %d", i)
		}
		switch {
		case strings.HasPrefix(r.Path, pathZTAEntities):
			zta = r
		case strings.HasPrefix(r.Path, "/devices/queries/devices/v1") && r.Status == 400:
			bad = r
		}
	}
	if zta == nil || bad == nil {
		t.Fatalf("missing ZTA or refused record in %+v", recs)
	}
	if zta.Path != pathZTAEntities+"?ids=…(3)" {
		t.Errorf("ZTA path %q: want the ids elided", zta.Path)
	}
	if len(zta.Query["ids"]) != 3 || zta.Status != 200 || zta.BytesIn == 0 || zta.TraceID == "" ||
		zta.RateLimit != 6000 || zta.RateRemaining < 0 || zta.Header.Get("X-Cs-Region") == "" || zta.CID != c.HomeCID() {
		t.Errorf("ZTA record incomplete: %+v", zta)
	}
	if !strings.Contains(bad.ErrorBody, `"errors"`) || !bad.Failed() {
		t.Errorf("refused record: error body %q, want the envelope", bad.ErrorBody)
	}

	dump := fmt.Sprintf("%+v", recs)
	dbgMu.Lock()
	logText := dbg.String()
	dbgMu.Unlock()
	spy.mu.Lock()
	secrets := append([]string{cred.Secret}, spy.seen...)
	spy.mu.Unlock()
	if len(secrets) < 3 {
		t.Fatalf("spy saw %d credentials, want the bearer tokens and the revoke's basic auth", len(secrets)-1)
	}
	for _, s := range secrets {
		if strings.Contains(dump, s) || strings.Contains(logText, s) {
			t.Errorf("a credential (%.6s…) is in the request log or the debug log", s)
		}
	}
	for _, w := range []string{"Bearer", "Authorization", "access_token"} {
		if strings.Contains(dump, w) || strings.Contains(logText, w) {
			t.Errorf("%q appears in the records or the debug log", w)
		}
	}
	// The debug log is the same records, one line each.
	lines := strings.Split(strings.TrimSpace(logText), "\n")
	if len(lines) != len(recs) {
		t.Fatalf("debug log has %d lines, the request log %d records", len(lines), len(recs))
	}
	for i, line := range lines {
		r := recs[len(recs)-1-i]
		if r.TraceID != "" && !strings.Contains(line, "trace="+r.TraceID) || !strings.Contains(line, fmt.Sprintf("status=%d", r.Status)) {
			t.Errorf("line %d %q does not match record %+v", i, line, r)
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// The ring keeps exactly its size; Since reports what fell out; Changed wakes a reader
// without the writer ever waiting for one.
func TestCallLogRingIsBounded(t *testing.T) {
	l := NewCallLog(0, nil)
	if l.Cap() != DefaultCallLogSize {
		t.Fatalf("default size %d, want %d", l.Cap(), DefaultCallLogSize)
	}
	for i := range 3*DefaultCallLogSize + 7 {
		l.add(CallRecord{Method: "GET", Path: fmt.Sprintf("/p/%d", i)})
	}
	if l.Len() != DefaultCallLogSize || len(l.Snapshot()) != DefaultCallLogSize {
		t.Fatalf("holds %d records, want the bound %d", l.Len(), DefaultCallLogSize)
	}

	l = NewCallLog(5, nil)
	ch := l.Changed()
	for i := range 12 {
		l.add(CallRecord{Path: fmt.Sprintf("/p/%d", i)})
	}
	select {
	case <-ch:
	default:
		t.Fatal("Changed was not closed by an add")
	}
	recs, last, dropped := l.Since(0)
	if len(recs) != 5 || last != 12 || dropped != 7 || recs[0].Seq != 8 || recs[4].Path != "/p/11" {
		t.Fatalf("Since(0) = %d recs (first seq %d), last %d, dropped %d; want seq 8–12, 7 dropped",
			len(recs), recs[0].Seq, last, dropped)
	}
	recs, last, dropped = l.Since(10)
	if len(recs) != 2 || recs[0].Seq != 11 || last != 12 || dropped != 0 {
		t.Fatalf("Since(10) = %+v, %d, %d", recs, last, dropped)
	}
	ch = l.Changed()
	if recs, _, _ := l.Since(12); len(recs) != 0 {
		t.Fatalf("Since(last) = %d records, want none", len(recs))
	}
	select {
	case <-ch:
		t.Fatal("Changed closed without a new record")
	default:
	}
	if s := l.Snapshot(); s[0].Seq != 12 || s[4].Seq != 8 {
		t.Fatalf("snapshot order %d…%d, want newest first", s[0].Seq, s[4].Seq)
	}
}

// Sanitising: secret-named query keys, headers and JSON keys are redacted, id lists are
// elided in the one-line path and the body summary, and echoed tokens are cut out of text.
func TestCallLogSanitising(t *testing.T) {
	q := sanitizeQuery(url.Values{"ids": {"a", "b"}, "client_secret": {"s3cr3t"}, "filter": {"x:'1'+y:'a&b=c'"}})
	if q.Get("client_secret") != redacted || len(q["ids"]) != 2 {
		t.Errorf("sanitizeQuery = %v", q)
	}
	if got := elidedTarget("/x", q); got != "/x?client_secret=[REDACTED]&filter=x:'1'+y:'a%26b%3Dc'&ids=…(2)" {
		t.Errorf("elidedTarget = %q", got)
	}
	h := sanitizeHeader(http.Header{"Set-Cookie": {"a=b"}, "Authorization": {"Bearer x"}, "X-Cs-Traceid": {"t"}})
	if len(h) != 1 || h.Get("X-Cs-Traceid") != "t" {
		t.Errorf("sanitizeHeader = %v", h)
	}
	body := summarizeBody([]byte(`{"composite_ids":["a","b","c","d"],"action_parameters":[{"name":"append_comment","value":"hi"}],"api_key":"k"}`))
	if !strings.Contains(body, `"composite_ids":"…(4 ids)"`) || !strings.Contains(body, `"value":"hi"`) ||
		!strings.Contains(body, `"api_key":"`+redacted+`"`) {
		t.Errorf("summarizeBody = %s", body)
	}
	txt := redactSecrets(`{"access_token":"eyJabc.def","x":1} Authorization: Bearer eyJ123`)
	if strings.Contains(txt, "eyJ") {
		t.Errorf("redactSecrets left a token: %s", txt)
	}
	// Per-record bounds: a thousand ids and a huge header keep 4 KB and 2 KB.
	many := make([]string, 1000)
	for i := range many {
		many[i] = fmt.Sprintf("%032x", i)
	}
	big := sanitizeQuery(url.Values{"ids": many, "filter": {strings.Repeat("f", 5000)}})
	qb := 0
	for _, vs := range big {
		for _, v := range vs {
			qb += len(v)
		}
	}
	if qb > maxQueryBytes+64 || !strings.HasPrefix(big["ids"][len(big["ids"])-1], "…(") {
		t.Errorf("query keeps %d bytes (bound %d); last id entry %q", qb, maxQueryBytes, big["ids"][len(big["ids"])-1])
	}
	hb := 0
	for k, vs := range sanitizeHeader(http.Header{"X-A": {strings.Repeat("a", 5000)}, "X-B": many}) {
		for _, v := range vs {
			hb += len(k) + len(v)
		}
	}
	if hb > maxHeaderBytes {
		t.Errorf("headers keep %d bytes, bound %d", hb, maxHeaderBytes)
	}
	if f := summarizeForm("client_id=abc&client_secret=zzz&member_cid=c1&token=ttt"); f != "client_id=abc client_secret="+redacted+" member_cid=c1 token="+redacted {
		t.Errorf("summarizeForm = %q", f)
	}
}

// A retried call leaves one record per attempt: the 500 is highlighted, the retry says it
// followed one attempt, and a server that echoes a token in its error body is redacted.
func TestCallLogRecordsEachAttempt(t *testing.T) {
	c, ts, _ := setup(t)
	var n atomic.Int32
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Cs-Traceid", fmt.Sprintf("trace-%d", n.Load()))
		if n.Add(1) == 1 {
			writeEnvelope(w, http.StatusInternalServerError, nil, `{"code":500,"message":"boom, access_token=`+testToken+`"}`)
			return
		}
		writeEnvelopeMeta(w, 200, `{"pagination":{"total":7}}`, []string{})
	})
	if got, err := c.Hosts.Count(context.Background(), "", ""); err != nil || got != 7 {
		t.Fatalf("count = %d, %v", got, err)
	}
	recs, _, _ := c.Calls().Since(0)
	if len(recs) != 3 {
		t.Fatalf("%d records, want token + two attempts: %+v", len(recs), recs)
	}
	fail, ok := recs[1], recs[2]
	if fail.Status != 500 || fail.Attempt != 1 || !fail.Failed() || fail.TraceID != "trace-0" ||
		!strings.Contains(fail.ErrorBody, "boom") || strings.Contains(fail.ErrorBody, testToken) {
		t.Errorf("failed attempt: %+v", fail)
	}
	if ok.Status != 200 || ok.Attempt != 2 || ok.Retries() != 1 || ok.Failed() || ok.ErrorBody != "" || ok.BytesIn == 0 {
		t.Errorf("retry: %+v", ok)
	}
}

// Many writers and one follower: the follower sees every record exactly once, in order,
// or learns how many it missed; nobody blocks (run with -race).
func TestCallLogFollowerUnderConcurrentWriters(t *testing.T) {
	l := NewCallLog(64, nil)
	const writers, each = 4, 500
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range each {
				l.add(CallRecord{Method: "GET"})
			}
		})
	}
	go func() { wg.Wait(); close(done) }()
	var last, seen, missed uint64
	for {
		ch := l.Changed()
		recs, newest, dropped := l.Since(last)
		missed += dropped
		for _, r := range recs {
			if r.Seq != last+1 && r.Seq != last+1+dropped {
				t.Fatalf("seq %d after %d (dropped %d)", r.Seq, last, dropped)
			}
			last, dropped = r.Seq, 0
			seen++
		}
		last = max(last, newest)
		if seen+missed == writers*each {
			break
		}
		select {
		case <-ch:
		case <-done:
		}
	}
	if l.Len() != 64 || l.Last() != writers*each {
		t.Errorf("len %d last %d", l.Len(), l.Last())
	}
}

// Two clients of one session share one log when it is handed to both.
func TestCallLogSharedBetweenClients(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithSeed(4), falcontest.WithHosts(5), falcontest.WithTenants(1))
	defer srv.Close()
	shared := NewCallLog(10, nil)
	a := simClient(t, srv, "full", func(c *Config) { c.CallLog = shared })
	b := simClient(t, srv, "analyst", func(c *Config) { c.CallLog = shared })
	ctx := context.Background()
	if _, err := a.Hosts.Count(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Hosts.Count(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	if a.Calls() != shared || b.Calls() != shared || shared.Len() != 4 {
		t.Fatalf("shared log holds %d records, want two tokens and two counts", shared.Len())
	}
}

// A scope probe is marked in the log, and the refusal it asked for is not a failure; a
// probe that got no answer (a 5xx, a 429) still is.
func TestCallLogMarksProbes(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithSeed(3), falcontest.WithHosts(10), falcontest.WithTenants(0))
	defer srv.Close()
	cl := srv.Client("full")
	c, err := New(Config{ClientID: cl.ID, ClientSecret: cl.Secret, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if st, err := c.Alerts.WriteAccess(context.Background(), srv.ParentCID()); err != nil || st != ScopeGranted {
		t.Fatalf("WriteAccess = %v, %v", st, err)
	}
	recs := c.Calls().Snapshot()
	var probe *CallRecord
	for i := range recs {
		if recs[i].Method == "PATCH" {
			probe = &recs[i]
		}
	}
	if probe == nil || !probe.Probe || probe.Status != 400 || probe.Failed() {
		t.Fatalf("the probe's record: %+v", probe)
	}
	for _, r := range recs {
		if r.Probe && r.Method != "PATCH" {
			t.Errorf("a call that is no probe is marked as one: %s %s", r.Method, r.Path)
		}
	}
	for _, st := range []int{429, 500} {
		if r := (CallRecord{Probe: true, Status: st}); !r.Failed() {
			t.Errorf("a probe answered %d is not a failure", st)
		}
	}
}
