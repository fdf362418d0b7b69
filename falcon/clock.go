package falcon

import (
	"context"
	"math/rand/v2"
	"time"
)

// Clock is the client's notion of time: token lifetimes, the rate limiter's window, slots
// and cooldowns, and retry back-offs are measured and waited out on it (Config.Clock; nil
// is the real clock). A test against the simulator gives the client and the simulator one
// virtual clock (falcon/clocktest) whose sleeps take no time, so that cooldowns and
// back-offs are exercised in milliseconds; tests in this package use clocks that advance
// only when told.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx ends, whichever comes first (then ctx's cause).
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

func (realClock) SleepOrWake(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-wake:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// waker is a clock whose sleeps can be cut short by a channel closing (the rate limiter's
// wake-ups). A clock without it just sleeps: a virtual clock's sleeps take no time anyway.
type waker interface {
	SleepOrWake(ctx context.Context, d time.Duration, wake <-chan struct{}) error
}

// sleepOrWake waits for d, until wake is closed, or until ctx ends (the error). A clock
// that cannot be woken (a virtual one, whose sleeps take no time) just sleeps.
func sleepOrWake(ctx context.Context, clk Clock, d time.Duration, wake <-chan struct{}) error {
	if w, ok := clk.(waker); ok {
		return w.SleepOrWake(ctx, d, wake)
	}
	return clk.Sleep(ctx, d)
}

// awaitWake waits until wake is closed or ctx ends (the error). It waits for an event, not
// for time to pass, so it runs on the real clock whatever the client's: poll is a safety
// net that ends the wait unwoken, and a virtual clock, whose sleeps end at once, would
// turn it into a busy loop.
func awaitWake(ctx context.Context, poll time.Duration, wake <-chan struct{}) error {
	return realClock{}.SleepOrWake(ctx, poll, wake)
}

// backoff is the delay before retry n (1-based) of a transient failure: exponential from
// base, capped at max, with "equal jitter" (half fixed, half random) so that concurrent
// callers that failed together do not retry together.
func backoff(base, max time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	half := d / 2
	return half + rand.N(half+1)
}

// jitter returns a random duration in [0, d].
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}
