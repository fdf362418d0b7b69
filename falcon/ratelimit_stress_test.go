package falcon

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// TestRateLimiterUnderFire hammers one tenant with concurrent requests while injected 429s
// (Retryafter = the next second) arrive and tokens expire in flight (so 401s with the
// unauthenticated pool's rate headers arrive too). Every call must end, successfully, and
// the limiter must be left balanced: nothing booked, nothing on the wire, the pool not
// mistaken for the 15-a-minute one. The context's deadline only turns a hang into a
// failure. Run it with -race -count=N to shake out ordering bugs.
func TestRateLimiterUnderFire(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(5), falcontest.WithTenants(0),
		falcontest.WithFaults(falcontest.Faults{Rate429: 0.08, Rate500: 0.02}),
		falcontest.WithTokenLifetime(time.Second), falcontest.WithLatency(220*time.Millisecond))
	defer srv.Close()
	c := simClient(t, srv, "full", func(cfg *Config) { cfg.MaxRetries = 10; cfg.DebugLog = zzLog(t) })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	const workers, calls = 24, 4
	errs := make(chan error, workers*calls)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range calls {
				var ids []string
				_, err := c.send(ctx, "", &call{method: http.MethodGet, path: pathDeviceQuery,
					query: url.Values{"limit": {"1"}}}, &ids)
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("call failed: %v", err)
	}

	st := srv.Stats()
	t.Logf("server saw %v", st.ByStatus)
	if st.ByStatus["429"] == 0 {
		t.Error("no 429 was injected: the test did not exercise the cooldown")
	}
	r := c.tenant("").rate
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inflight != 0 || r.onWire != 0 {
		t.Errorf("limiter left unbalanced: %d booked or sent, %d on the wire", r.inflight, r.onWire)
	}
	if r.limit != 0 && r.limit != 6000 {
		t.Errorf("tenant limit %d, want 6000", r.limit)
	}
	if now := time.Now(); r.retryAfter.After(now.Add(maxCooldown)) {
		t.Errorf("cooldown ends in %v", r.retryAfter.Sub(now))
	}
}
