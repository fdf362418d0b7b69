// Package clocktest provides a virtual clock for tests that run the falcon client against
// the simulated cloud (falcon/falcontest), so that the client's back-offs, cooldowns and
// pacing waits take no real time:
//
//	c, err := falcon.New(falcon.Config{…, BaseURL: srv.URL, Clock: clocktest.NewVirtual()})
//
// The simulator may keep the real clock: the virtual one never runs behind it, so the
// client renews tokens no later than the simulator expires them. The client then cuts a
// cooldown short of the simulator's Retry-After, which suits injected faults
// (falcontest.Faults) but not the simulator's own rate-limit pool (WithRateLimit), which
// only time on the simulator's clock refills. For that, give the simulator the same clock
// (falcontest.WithClock(clk.Now)); then each sleep of the client ages the simulator's
// tokens and windows at once, those of requests in flight too — a harsher world than the
// real one, which stress tests of token expiry want and exact-result tests do not.
package clocktest

import (
	"context"
	"sync"
	"time"
)

// Virtual is the real clock plus the time its sleeps skipped: Sleep returns at once and
// moves the clock on by the sleep's duration, for every goroutine. Time never runs back.
// It implements falcon.Clock; the zero value is ready to use.
type Virtual struct {
	mu      sync.Mutex
	skipped time.Duration
	sleeps  int
}

// NewVirtual returns a virtual clock that starts at the real time.
func NewVirtual() *Virtual { return &Virtual{} }

// Now is the real time plus every sleep so far.
func (v *Virtual) Now() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return time.Now().Add(v.skipped)
}

// Sleep moves the clock on by d without waiting; it fails only when ctx has ended.
func (v *Virtual) Sleep(ctx context.Context, d time.Duration) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.sleeps++
	if d > 0 {
		v.skipped += d
	}
	return nil
}

// Slept reports how many sleeps there were and the time they skipped: what the fault
// tests would have waited on the real clock.
func (v *Virtual) Slept() (sleeps int, skipped time.Duration) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.sleeps, v.skipped
}
