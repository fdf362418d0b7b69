package clocktest

import (
	"context"
	"testing"
	"time"
)

func TestVirtualSleepsTakeNoTime(t *testing.T) {
	v := NewVirtual()
	realStart, start := time.Now(), v.Now()
	for range 10 {
		if err := v.Sleep(context.Background(), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if real := time.Since(realStart); real > time.Second {
		t.Errorf("ten one-minute sleeps took %v", real)
	}
	if got := v.Now().Sub(start); got < 10*time.Minute {
		t.Errorf("the clock moved %v, want at least 10m", got)
	}
	if n, d := v.Slept(); n != 10 || d != 10*time.Minute {
		t.Errorf("Slept = %d, %v", n, d)
	}
	// The clock still runs with real time between sleeps, and never back.
	a := v.Now()
	time.Sleep(2 * time.Millisecond)
	if b := v.Now(); !b.After(a) {
		t.Errorf("clock did not run: %v then %v", a, b)
	}
	_ = v.Sleep(context.Background(), -time.Hour)
	if v.Now().Before(a) {
		t.Error("a negative sleep moved the clock back")
	}
}

func TestVirtualSleepEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := context.DeadlineExceeded
	cancel(cause)
	v := NewVirtual()
	if err := v.Sleep(ctx, time.Second); err != cause {
		t.Errorf("Sleep on an ended context = %v, want its cause", err)
	}
	if n, _ := v.Slept(); n != 0 {
		t.Errorf("an ended context's sleep was counted")
	}
}
