package falcontest

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// The link's virtual clock: bookings follow each other exactly, from any
// number of writers, so the rate holds to the nanosecond; an idle link
// starts afresh, except for a reply being sent, which may reclaim the time
// its writer overslept.
func TestLinkBooking(t *testing.T) {
	const ms = time.Millisecond
	l := newLink(1_000_000) // 1 µs a byte: 1,000 bytes take 1 ms
	first := l.book(1000, false)
	ends := make(chan time.Time, 1000)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 250 {
				ends <- l.book(1000, true)
			}
		})
	}
	wg.Wait()
	close(ends)
	got := slices.SortedFunc(func(yield func(time.Time) bool) {
		for e := range ends {
			if !yield(e) {
				return
			}
		}
	}, time.Time.Compare)
	for k, e := range got {
		if want := first.Add(time.Duration(k+1) * ms); !e.Equal(want) {
			t.Fatalf("booking %d ends at first+%v, want first+%v", k, e.Sub(first), want.Sub(first))
		}
	}

	// Idle for 10 ms: a new reply starts now; a reply being sent continues
	// where the link stopped (its writer was late, the link was not idle).
	for _, more := range []bool{false, true} {
		idle := time.Now().Add(-10 * ms)
		l.free = idle
		before := time.Now()
		end := l.book(1000, more)
		after := time.Now()
		switch {
		case more && !end.Equal(idle.Add(ms)):
			t.Errorf("continuing reply: ends %v after the link went idle, want 1ms", end.Sub(idle))
		case !more && (end.Before(before.Add(ms)) || end.After(after.Add(ms))):
			t.Errorf("new reply on an idle link: ends %v after the call, want 1ms", end.Sub(before))
		}
	}
	if c := newLink(12_500_000).chunk; c != 12_500 {
		t.Errorf("chunk at 100 Mbit/s: %d bytes, want 1 ms worth", c)
	}
}
