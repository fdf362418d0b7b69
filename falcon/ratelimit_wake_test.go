package falcon

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// Regression tests for the rate limiter's waits: a call once hung for ten minutes in
// acquire. A 401's rate headers (the unauthenticated pool: 15 a minute) were taken for
// the tenant's pool, so pacing booked each send 16 s after the previous one; booked sends
// slept to their slot whatever later replies said, and after a 429 every other request
// waited for them (the probe gate counted booked sends as in flight).

// frozenClock never moves on its own: a sleep ends only when it is woken or its context
// ends, so a test sees whether the limiter is woken, not whether time heals it.
type frozenClock struct{ now time.Time }

func (f *frozenClock) Now() time.Time { return f.now }

func (f *frozenClock) Sleep(ctx context.Context, d time.Duration) error {
	<-ctx.Done()
	return context.Cause(ctx)
}

func (f *frozenClock) SleepOrWake(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
	select {
	case <-wake:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// frozenRate returns a tenant's rate state on a frozen clock.
func frozenRate(t *testing.T) (*rateState, *frozenClock) {
	t.Helper()
	c, _, _ := setup(t)
	clk := &frozenClock{now: time.Unix(1_800_000_000, 0)}
	c.clk = clk
	return c.tenant("").rate, clk
}

func rateHeader(limit, remaining int) http.Header {
	h := http.Header{}
	h.Set("X-Ratelimit-Limit", strconv.Itoa(limit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(remaining))
	return h
}

// acquireAsync runs acquire in the background; the channel gets its error.
func acquireAsync(ctx context.Context, r *rateState) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := r.acquire(ctx)
		done <- err
	}()
	return done
}

// waitFor polls cond (the limiter's state, under its lock) until it holds; the deadline
// only guards against a hang.
func waitFor(t *testing.T, r *rateState, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		r.mu.Lock()
		ok := cond()
		r.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func mustReturn(t *testing.T, done <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("acquire did not return: %s", what)
		return nil
	}
}

// A 401 says nothing about the tenant's pool.
func TestRate401KeepsTheTenantPool(t *testing.T) {
	c, ts, clk := setup(t)
	var calls atomic.Int32
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 2 {
			w.Header().Set("X-Ratelimit-Limit", "15") // the per-IP pool of bad tokens
			w.Header().Set("X-Ratelimit-Remaining", "14")
			writeEnvelope(w, 401, nil, `{"code":401,"message":"access denied, invalid bearer token"}`)
			return
		}
		w.Header().Set("X-Ratelimit-Limit", "6000")
		w.Header().Set("X-Ratelimit-Remaining", "5990")
		writeEnvelopeMeta(w, 200, `{"pagination":{"total":1}}`, []string{})
	})
	ctx := context.Background()
	for range 3 {
		if _, err := c.Hosts.Count(ctx, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	if st := c.RateLimit(""); st.Limit != 6000 {
		t.Errorf("after a 401 the tenant's limit reads %d, want 6000", st.Limit)
	}
	r := c.tenant("").rate
	r.mu.Lock()
	r.remaining, r.inflight = 5990, 30 // many requests in flight, as in a busy run
	slot := r.nextSlot(clk.Now())
	r.mu.Unlock()
	if !slot.Equal(clk.Now()) {
		t.Errorf("next slot %v ahead with 5990 remaining", slot.Sub(clk.Now()))
	}
}

// Pacing spreads sends over at most one window, however many are booked and however
// small the pool: by then every request the pool counts has left it.
func TestPacingNeverBooksBeyondAWindow(t *testing.T) {
	r, clk := frozenRate(t)
	now := clk.Now()
	for _, limit := range []int{15, 60, 6000} {
		r.mu.Lock()
		r.known, r.limit, r.remaining, r.inflight, r.sent = true, limit, 1, 0, nil
		for i := range 500 {
			slot := r.nextSlot(now)
			if slot.Before(now) || slot.After(now.Add(rateWindow)) {
				t.Fatalf("limit %d, booking %d: slot %v from now", limit, i, slot.Sub(now))
			}
			r.bookLocked(slot)
		}
		r.mu.Unlock()
	}
}

// A send booked on gloomy news goes as soon as a reply says the pool has room.
func TestBookedSendWakesWhenThePoolRecovers(t *testing.T) {
	r, clk := frozenRate(t)
	r.mu.Lock()
	r.known, r.limit, r.remaining = true, 6000, 0
	r.sent = []time.Time{clk.Now().Add(-time.Second)} // ours, one second ago: frees in 59 s
	r.mu.Unlock()
	done := acquireAsync(context.Background(), r)
	waitFor(t, r, "the send to be booked", func() bool { return r.inflight == 1 })
	select {
	case err := <-done:
		t.Fatalf("acquire returned (%v) although the pool was spent", err)
	default:
	}
	// Another request's reply: the pool has refilled.
	r.mu.Lock()
	r.inflight++
	r.onWire++
	r.seq++
	tk := ticket(r.seq)
	r.mu.Unlock()
	r.observe(tk, 200, rateHeader(6000, 5990))
	if err := mustReturn(t, done, "after a reply said 5990 remain"); err != nil {
		t.Fatal(err)
	}
}

// A 429 stops sends that were booked before it: they give their slot back and wait out
// the cooldown; every wait ends with its context.
func TestCooldownHoldsBookedSends(t *testing.T) {
	r, clk := frozenRate(t)
	r.mu.Lock()
	r.known, r.limit, r.remaining = true, 6000, 0
	// Two sends of ours in the window, the newer still on the wire.
	r.sent = []time.Time{clk.Now().Add(-time.Second), clk.Now().Add(-time.Second / 2)}
	r.inflight, r.onWire, r.seq = 1, 1, 1
	r.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	done := acquireAsync(ctx, r)
	waitFor(t, r, "the send to be booked", func() bool { return r.inflight == 2 })
	h := rateHeader(6000, 0)
	h.Set("X-Ratelimit-Retryafter", strconv.FormatInt(clk.Now().Unix()+3, 10))
	r.observe(1, http.StatusTooManyRequests, h)
	waitFor(t, r, "the booked send to give its slot back", func() bool { return r.inflight == 0 })
	if got := r.snapshot(clk.Now()).RetryAfter; !got.Equal(clk.Now().Add(3 * time.Second)) {
		t.Errorf("cooldown until %v, want 3 s", got.Sub(clk.Now()))
	}
	cancel()
	if err := mustReturn(t, done, "after its context ended"); !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire = %v, want context.Canceled", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inflight != 0 || r.onWire != 0 || len(r.sent) != 2 {
		t.Errorf("after the cancel: inflight %d, on the wire %d, %d slots", r.inflight, r.onWire, len(r.sent))
	}
}

// While a probe is on the wire after a 429 the others wait for its reply, which wakes
// them; a cooldown always ends, whatever the header says.
func TestProbeReplyWakesTheOthers(t *testing.T) {
	r, clk := frozenRate(t)
	r.mu.Lock()
	r.probing, r.inflight, r.onWire, r.seq = true, 1, 1, 1
	r.mu.Unlock()
	done := acquireAsync(context.Background(), r)
	r.observe(1, 200, rateHeader(6000, 5000))
	if err := mustReturn(t, done, "after the probe's reply"); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := clk.Now()
	r.coolDownLocked(now, now.Add(24*time.Hour))
	if d := r.retryAfter.Sub(now); d != maxCooldown {
		t.Errorf("a day-long Retryafter cools down for %v, want %v", d, maxCooldown)
	}
}
