package falcontest

import (
	"slices"
	"sync"
	"time"
)

const rateWindow = time.Minute

// Budgets of the real gateway besides the per-CID one (docs/API.md §10).
const (
	defaultTokenLimit = 300 // POST /oauth2/token and /oauth2/revoke per IP (WithTokenRateLimit)
	unauthLimitPerIP  = 15  // requests with a missing, bad or expired token
)

// window is a sliding 60 s window: the admission times of the requests it
// still counts, oldest first, in a ring of capacity = limit.
type window struct {
	ts   []int64 // UnixNano
	head int
	n    int
}

// admit records a request at now if the window has room. It returns the
// remaining budget after the call and, when refused, the Unix second at
// which the oldest counted request leaves the window (X-Ratelimit-Retryafter).
func (w *window) admit(now time.Time, limit int) (ok bool, remaining int, retryAt int64) {
	if len(w.ts) != limit { // limit changed or first use
		old := w.all()
		w.ts, w.head, w.n = make([]int64, limit), 0, 0
		for _, t := range old[max(0, len(old)-limit):] {
			w.push(t)
		}
	}
	cut := now.Add(-rateWindow).UnixNano()
	for w.n > 0 && w.ts[w.head] <= cut {
		w.head = (w.head + 1) % len(w.ts)
		w.n--
	}
	if w.n >= limit {
		free := time.Unix(0, w.ts[w.head]).Add(rateWindow)
		sec := free.Unix()
		if free.Nanosecond() > 0 {
			sec++ // round up: retrying at that second must succeed
		}
		return false, 0, sec
	}
	w.pushSorted(now.UnixNano())
	return true, limit - w.n, 0
}

// pushSorted records t keeping the ring oldest first: concurrent requests can reach
// admit in another order than their arrival times (and a shared virtual clock can jump
// between the two), and an older time stuck behind a younger head would never leave.
func (w *window) pushSorted(t int64) {
	if w.n == 0 || w.ts[(w.head+w.n-1)%len(w.ts)] <= t {
		w.push(t)
		return
	}
	all := w.all()
	i, _ := slices.BinarySearch(all, t)
	all = slices.Insert(all, i, t)
	w.head, w.n = 0, 0
	for _, v := range all {
		w.push(v)
	}
}

func (w *window) push(t int64) {
	w.ts[(w.head+w.n)%len(w.ts)] = t
	w.n++
}

func (w *window) all() []int64 {
	out := make([]int64, 0, w.n)
	for k := range w.n {
		out = append(out, w.ts[(w.head+k)%len(w.ts)])
	}
	return out
}

// limiter holds one window per key: "cid:<cid>", "token:<ip>", "anon:<ip>".
type limiter struct {
	mu sync.Mutex
	m  map[string]*window
}

func newLimiter() *limiter { return &limiter{m: map[string]*window{}} }

func (l *limiter) admit(key string, now time.Time, limit int) (bool, int, int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.m[key]
	if w == nil {
		w = &window{}
		l.m[key] = w
	}
	return w.admit(now, limit)
}
