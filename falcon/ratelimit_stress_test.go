package falcon

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// Stress tests of the rate limiter against the simulator: one tenant, many concurrent
// callers. Every call must end and the limiter must be left balanced. The contexts'
// deadlines only turn a hang into a failure (a call once hung for ten minutes in
// acquire). Run them with -race -count=N to shake out ordering bugs.

// hammer sends workers×calls device queries to the home tenant and returns their errors.
func hammer(ctx context.Context, c *Client, workers, calls int) []error {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for range calls {
				var ids []string
				_, err := c.send(ctx, "", &call{method: http.MethodGet, path: pathDeviceQuery,
					query: url.Values{"limit": {"1"}}}, &ids)
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return errs
}

// checkBalanced asserts that nothing is left booked or on the wire, that the pool is the
// tenant's (not the 15-a-minute one of bad tokens) and that no cooldown outlives its cap.
func checkBalanced(t *testing.T, c *Client) {
	t.Helper()
	r := c.tenant("").rate
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inflight != 0 || r.onWire != 0 {
		t.Errorf("limiter left unbalanced: %d booked or sent, %d on the wire", r.inflight, r.onWire)
	}
	if r.limit != 0 && r.limit != 6000 {
		t.Errorf("tenant limit %d, want 6000", r.limit)
	}
	if now := c.clk.Now(); r.retryAfter.After(now.Add(maxCooldown)) {
		t.Errorf("cooldown ends in %v", r.retryAfter.Sub(now))
	}
}

// Injected 429s (Retryafter = the next second), 5xx and resets while 24 callers share
// one tenant.
func TestRateLimiterUnder429s(t *testing.T) {
	t.Parallel()
	// One virtual clock: each Retryafter is read on the clock that wrote it, and the
	// cooldowns take no real time.
	simClock, clientClock := sharedVirtualTime()
	srv := falcontest.NewServer(falcontest.WithHosts(5), falcontest.WithTenants(0),
		falcontest.WithFaults(falcontest.Faults{Rate429: 0.1, Rate500: 0.03, RateReset: 0.02}),
		falcontest.WithLatency(5*time.Millisecond), simClock)
	defer srv.Close()
	c := simClient(t, srv, "full", clientClock, func(cfg *Config) { cfg.MaxRetries = 12 })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, err := range hammer(ctx, c, 24, 4) {
		t.Errorf("call failed: %v", err)
	}
	if srv.Stats().ByStatus["429"] == 0 {
		t.Error("no 429 was injected: the test did not exercise the cooldown")
	}
	checkBalanced(t, c)
}

// Tokens that expire in flight: the gateway answers 401 and, once its per-IP budget of
// bad tokens is spent, 429 — both with that budget's headers (limit 15). Neither may be
// taken for the tenant's pool or cool the tenant down. (With one-second tokens and a
// 220 ms round trip a retried call can meet an expired token twice: such a call fails
// with the 401, which is fine; a stalled one is not.)
func TestRateLimiterWithTokensExpiringInFlight(t *testing.T) {
	t.Parallel() // mostly waiting for the simulated latency
	// One virtual clock: every cooldown the client sleeps ages the simulator's tokens at
	// once, those of requests in flight too, so tokens expire in flight far more often
	// than the real clock would let them.
	simClock, clientClock := sharedVirtualTime()
	srv := falcontest.NewServer(falcontest.WithHosts(5), falcontest.WithTenants(0),
		falcontest.WithFaults(falcontest.Faults{Rate429: 0.05}),
		falcontest.WithTokenLifetime(time.Second), falcontest.WithLatency(220*time.Millisecond), simClock)
	defer srv.Close()
	c := simClient(t, srv, "full", clientClock, func(cfg *Config) { cfg.MaxRetries = 12 })
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	for _, err := range hammer(ctx, c, 24, 4) {
		var ae *APIError
		if !errors.As(err, &ae) || (ae.StatusCode != http.StatusUnauthorized && ae.StatusCode != http.StatusTooManyRequests) {
			t.Errorf("call failed: %v", err)
		}
	}
	if seen := srv.Stats().ByStatus; seen["401"] == 0 {
		t.Errorf("server saw %v: no token expired in flight", seen)
	}
	checkBalanced(t, c)
}
