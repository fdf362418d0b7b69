package falcon

import (
	"context"
	"math/rand/v2"
	"time"
)

// clock is the client's notion of time. Tests in this package swap it for one that does
// not really sleep, so that cooldowns and back-offs are asserted without timing.
type clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx ends, whichever comes first.
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

// waker is a clock whose sleeps can be cut short by a channel closing.
type waker interface {
	SleepOrWake(ctx context.Context, d time.Duration, wake <-chan struct{}) error
}

// sleepOrWake waits for d, until wake is closed, or until ctx ends (the error). A clock
// that cannot be woken (the tests' fake one, whose sleeps take no time) just sleeps.
func sleepOrWake(ctx context.Context, clk clock, d time.Duration, wake <-chan struct{}) error {
	if w, ok := clk.(waker); ok {
		return w.SleepOrWake(ctx, d, wake)
	}
	return clk.Sleep(ctx, d)
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
