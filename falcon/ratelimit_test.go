package falcon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"1800000003", now.Add(3 * time.Second)},            // epoch seconds (the SDKs' reading)
		{"1800000003500", now.Add(3500 * time.Millisecond)}, // epoch milliseconds (the spec's)
		{"2", now.Add(2 * time.Second)},                     // a delay
		{"1800999999", now.Add(2 * rateWindow)},             // absurdly far: capped
		{"", time.Time{}}, {"soon", time.Time{}}, {"-1", time.Time{}},
	} {
		if got := parseRetryAfter(tc.in, now); !got.Equal(tc.want) {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// A 429 sets one cooldown that the retry waits out, then the call succeeds.
func TestRetryAfter429(t *testing.T) {
	for _, unit := range []string{"s", "ms"} {
		t.Run(unit, func(t *testing.T) {
			c, ts, clk := setup(t)
			var calls atomic.Int32
			ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					until := clk.Now().Add(3 * time.Second)
					v := strconv.FormatInt(until.Unix(), 10)
					if unit == "ms" {
						v = strconv.FormatInt(until.UnixMilli(), 10)
					}
					w.Header().Set("X-Ratelimit-Retryafter", v)
					w.Header().Set("X-Ratelimit-Limit", "6000")
					w.Header().Set("X-Ratelimit-Remaining", "0")
					writeEnvelope(w, 429, nil, `{"code":429,"message":"API rate limit exceeded."}`)
					return
				}
				writeEnvelopeMeta(w, 200, `{"pagination":{"total":5}}`, []string{})
			})
			start := clk.Now()
			n, err := c.Hosts.Count(context.Background(), "", "")
			if err != nil || n != 5 {
				t.Fatalf("Count = %d, %v", n, err)
			}
			waited := clk.Now().Sub(start)
			if waited < 3*time.Second || waited > 3*time.Second+200*time.Millisecond {
				t.Errorf("waited %v, want the 3 s cooldown (+jitter)", waited)
			}
			st := c.RateLimit("")
			if st.Throttled != 1 || st.Limit != 6000 {
				t.Errorf("RateState = %+v", st)
			}
			if st.CoolingDown(clk.Now()) {
				t.Errorf("still cooling down after the wait")
			}
		})
	}
}

// The cooldown of a tenant is shared: while it runs, no request to that tenant leaves.
func TestCooldownIsSharedPerTenant(t *testing.T) {
	c, _, clk := setup(t)
	r := c.tenant("").rate
	r.mu.Lock()
	r.retryAfter = clk.Now().Add(5 * time.Second)
	r.mu.Unlock()
	before := clk.Now()
	if _, err := r.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := clk.Now().Sub(before); d < 5*time.Second {
		t.Errorf("acquire waited %v during a 5 s cooldown", d)
	}
	// Another tenant is not affected.
	other := c.tenant(testChild).rate
	before = clk.Now()
	if _, err := other.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := clk.Now().Sub(before); d != 0 {
		t.Errorf("other tenant waited %v", d)
	}
}

func TestCancelDuringCooldown(t *testing.T) {
	c, _, clk := setup(t)
	r := c.tenant("").rate
	r.mu.Lock()
	r.retryAfter = clk.Now().Add(time.Hour)
	r.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Hosts.Count(ctx, "", ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("Count with a cancelled context = %v", err)
	}
}

// Pacing: while plenty remain, no wait; as the pool runs low, sends are spread out; when
// it is spent, the next send waits for the oldest request to leave the window.
func TestPacingSlowsBeforeThePoolEmpties(t *testing.T) {
	c, _, clk := setup(t)
	r := c.tenant("").rate
	set := func(limit, remaining int) {
		r.mu.Lock()
		r.known, r.limit, r.remaining, r.inflight = true, limit, remaining, 0
		r.mu.Unlock()
	}
	wait := func() time.Duration {
		before := clk.Now()
		tk, err := r.acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		r.observe(tk, 0, nil) // as if the reply had come back
		return clk.Now().Sub(before)
	}
	set(6000, 5000)
	if d := wait(); d != 0 {
		t.Errorf("plenty left: waited %v", d)
	}
	set(6000, 600) // at the low-water mark: the sustainable spacing, 10 ms
	if d := wait(); d > 10*time.Millisecond {
		t.Errorf("at low water: waited %v, want ≤ 10ms", d)
	}
	set(6000, 60) // a tenth of low water: ten times the spacing
	d1 := wait()
	if d1 < 50*time.Millisecond {
		t.Errorf("nearly spent: waited %v, want ≥ 50ms", d1)
	}
	set(6000, 0) // spent: wait for the oldest of our sends to leave the window
	d0 := wait()
	if d0 < 50*time.Second {
		t.Errorf("spent: waited %v, want most of the window", d0)
	}
}

// A load that would exceed the pool is spread out instead of drawing 429s.
func TestPacingAvoids429(t *testing.T) {
	c, ts, clk := setup(t)
	const limit = 60
	var sent []time.Time
	var throttled atomic.Int32
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		now := clk.Now()
		cut := now.Add(-time.Minute)
		k := 0
		for k < len(sent) && !sent[k].After(cut) {
			k++
		}
		sent = sent[k:]
		if len(sent) >= limit {
			throttled.Add(1)
			w.Header().Set("X-Ratelimit-Retryafter", strconv.FormatInt(sent[0].Add(time.Minute).Unix()+1, 10))
			w.Header().Set("X-Ratelimit-Limit", strconv.Itoa(limit))
			w.Header().Set("X-Ratelimit-Remaining", "0")
			writeEnvelope(w, 429, nil)
			return
		}
		sent = append(sent, now)
		w.Header().Set("X-Ratelimit-Limit", strconv.Itoa(limit))
		w.Header().Set("X-Ratelimit-Remaining", strconv.Itoa(limit-len(sent)))
		writeEnvelopeMeta(w, 200, `{"pagination":{"total":1}}`, []string{})
	})
	for i := range 150 { // 2.5 windows' worth, sequentially (the handler is not concurrent-safe)
		if _, err := c.Hosts.Count(context.Background(), "", ""); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := throttled.Load(); n != 0 {
		t.Errorf("%d 429s; pacing should have avoided them", n)
	}
}

func TestTransientFailuresRetried(t *testing.T) {
	c, ts, clk := setup(t)
	var scroll, create, action atomic.Int32
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		switch scroll.Add(1) {
		case 1:
			writeEnvelope(w, 503, nil, `{"code":503,"message":"unavailable"}`)
		case 2:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"meta":{"pagination":{"total":3}},"resources":["a",`) // cut short
		case 3:
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close() // a reset: no reply at all
		default:
			writeEnvelopeMeta(w, 200, `{"pagination":{"total":3}}`, []string{"a"})
		}
	})
	ts.mux.HandleFunc("POST /devices/entities/host-groups/v1", func(w http.ResponseWriter, r *http.Request) {
		create.Add(1)
		writeEnvelope(w, 500, nil, `{"code":500,"message":"Internal Server Error"}`)
	})
	ts.mux.HandleFunc("POST /devices/entities/host-group-actions/v1", func(w http.ResponseWriter, r *http.Request) {
		if action.Add(1) == 1 {
			writeEnvelope(w, 502, nil)
			return
		}
		writeEnvelope(w, 200, []map[string]string{{"id": "g"}})
	})
	ctx := context.Background()
	n, err := c.Hosts.Count(ctx, "", "")
	if err != nil || n != 3 {
		t.Fatalf("Count = %d, %v", n, err)
	}
	if scroll.Load() != 4 {
		t.Errorf("attempts = %d, want 4", scroll.Load())
	}
	if len(clk.Sleeps()) < 2 { // net/http itself resends a GET after a reset on a reused connection
		t.Errorf("no back-off between retries: %v", clk.Sleeps())
	}
	// A create is not repeated after a 500: a replay could create a second group.
	if _, err := c.HostGroups.Create(ctx, "", GroupSpec{Name: "x"}); err == nil || create.Load() != 1 {
		t.Errorf("Create: err=%v after %d attempts, want one attempt", err, create.Load())
	}
	// Host-group actions are idempotent: retried.
	if err := c.groupAction(ctx, "", "g", AddHosts, []string{testChild}); err != nil || action.Load() != 2 {
		t.Errorf("groupAction: err=%v after %d attempts", err, action.Load())
	}
}

func TestRetriesAreBounded(t *testing.T) {
	c, ts, _ := setup(t, func(cfg *Config) { cfg.MaxRetries = 3 })
	var calls atomic.Int32
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("X-Ratelimit-Retryafter", "1")
		writeEnvelope(w, 429, nil, `{"code":429,"message":"API rate limit exceeded."}`)
	})
	_, err := c.Hosts.Count(context.Background(), "", "")
	var ae *APIError
	if !errors.Is(err, ErrRateLimited) || !errors.As(err, &ae) || ae.RetryAfter.IsZero() {
		t.Fatalf("err = %v, want a rate-limited APIError", err)
	}
	if calls.Load() != 4 {
		t.Errorf("attempts = %d, want 1 + MaxRetries", calls.Load())
	}
	if st := c.RateLimit(""); st.Throttled != 4 {
		t.Errorf("Throttled = %d", st.Throttled)
	}
}

func TestSubscribeRateLimits(t *testing.T) {
	c, ts, _ := setup(t)
	var remaining atomic.Int32
	remaining.Store(100)
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Ratelimit-Limit", "6000")
		w.Header().Set("X-Ratelimit-Remaining", strconv.Itoa(int(remaining.Add(-1))))
		writeEnvelopeMeta(w, 200, `{"pagination":{"total":1}}`, []string{})
	})
	ctx, cancel := context.WithCancel(context.Background())
	ch := c.SubscribeRateLimits(ctx)
	// Nobody reads for a while: the transport must not block.
	for range 20 {
		if _, err := c.Hosts.Count(ctx, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	st := <-ch
	if st.Remaining != 80 || st.Limit != 6000 || st.Requests1m != 20 {
		t.Errorf("first state read = %+v, want the newest (80 remaining, 20 sent)", st)
	}
	cancel()
	for range ch { // closed after cancel
	}
}

// The debug log has one line per call and never the secret or a token.
func TestDebugLogRedactsSecrets(t *testing.T) {
	c, ts, _ := setup(t)
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Ratelimit-Remaining", "5990")
		w.Header().Set("X-Ratelimit-Limit", "6000")
		w.Header().Set("X-Cs-Traceid", "trace-xyz")
		writeEnvelopeMeta(w, 200, `{"pagination":{"total":1}}`, []string{})
	})
	ctx := context.Background()
	if _, err := c.Hosts.Count(ctx, "", "hostname:'web*'"); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	log := ts.Log()
	for _, secret := range []string{testSecret, testToken, "Bearer", "client_secret", "Basic "} {
		if strings.Contains(log, secret) {
			t.Errorf("debug log contains %q:\n%s", secret, log)
		}
	}
	lines := strings.Split(strings.TrimSpace(log), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines (token, query, revoke), got:\n%s", log)
	}
	for _, want := range []string{"POST /oauth2/token status=201", "GET /devices/queries/devices/v1?filter=hostname%3A%27web%2A%27&limit=1 status=200",
		"rate=5990/6000", "trace=trace-xyz", "attempt=1", "POST /oauth2/revoke status=200", "tenant=home"} {
		if !strings.Contains(log, want) {
			t.Errorf("debug log lacks %q:\n%s", want, log)
		}
	}
}
