package falcon

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Falcon's budget is per customer account (CID) over a sliding minute (docs/API.md §10).
const rateWindow = time.Minute

// RateState is a tenant's rate-limit pool as the last replies described it.
type RateState struct {
	CID        string
	Limit      int       // X-Ratelimit-Limit
	Remaining  int       // X-Ratelimit-Remaining
	Requests1m int       // requests this client sent to the tenant in the last minute
	Throttled  int       // 429 replies received, all time
	RetryAfter time.Time // while cooling down after a 429; zero otherwise
	Updated    time.Time
}

// CoolingDown reports whether requests to the tenant are paused at now.
func (s RateState) CoolingDown(now time.Time) bool { return now.Before(s.RetryAfter) }

// RateLimit returns the current rate-limit state of a tenant ("" = the starting tenant).
func (c *Client) RateLimit(cid string) RateState {
	return c.tenant(cid).rate.snapshot(c.clk.Now())
}

// SubscribeRateLimits delivers every rate-limit state change until ctx ends. Slow readers
// miss intermediate states, never the newest (per tenant). The channel is closed when ctx
// ends or the client is closed.
func (c *Client) SubscribeRateLimits(ctx context.Context) <-chan RateState {
	return c.rates.subscribe(ctx)
}

// rateState is the pacing state of one tenant. Pacing works from the newest reply's
// Remaining minus the requests this client has booked or in flight: while plenty remain,
// requests go at once; when the pool runs low, sends are spread out (the lower, the
// wider); when it is spent, the next send waits until one of this client's requests
// leaves the sliding window. Each send books its slot before it waits, so concurrent
// callers queue up instead of waking together. A 429 sets a cooldown that every request
// to the tenant honours (one shared wait, not one each).
//
// Every wait is bounded and wakes early: a booked slot is never more than one window
// ahead, a cooldown never more than maxCooldown, and each reply (or a waiter that gives
// up) closes changed so that sleepers look again at once — a reply that says the pool
// is fine releases requests booked on older, gloomier news, and a 429 stops requests
// whose slot lies inside the new cooldown. Every wait also ends with its context.
type rateState struct {
	hub *rateHub
	key string

	mu         sync.Mutex
	known      bool
	limit      int
	remaining  int
	inflight   int         // booked or sent, reply not yet seen (what Remaining does not show yet)
	onWire     int         // sent, reply not yet seen
	seq        uint64      // send counter
	appliedSeq uint64      // the send whose reply last set limit/remaining
	sent       []time.Time // this client's send slots in the last window (booked ones too), sorted
	throttled  int
	retryAfter time.Time // end of the cooldown; from the client's clock, so it always comes
	probing    bool      // after a 429: one request at a time until a reply is not a 429
	updated    time.Time
	changed    chan struct{} // closed and replaced whenever waiters should look again
}

// ticket identifies one send for observe.
type ticket uint64

// maxCooldown bounds one cooldown, whatever a Retryafter header says (see parseRetryAfter).
const maxCooldown = 2 * rateWindow

// probePoll is how often requests held back behind a probe look again even without a
// wake-up (a safety net on the real clock: the probe's reply wakes them).
const probePoll = 250 * time.Millisecond

// acquire books a send slot for the tenant and waits for it (and for any cooldown). The
// caller must report the outcome with observe. On error (the context ended) nothing is
// booked.
//
// Each pass of the loop looks at the state under r.mu and does one thing (first match):
//
//	state                                          action
//	held by a cooldown after a 429                 give back any booked slot; wait out the cooldown
//	held by a probe on the wire after a 429        give back any booked slot; wait for its reply
//	no slot booked                                 book nextSlot(now); go if it is due, else wait
//	slot booked, newer replies say the pool has    move the slot to now; go
//	room (clearLocked)
//	slot booked and due                            go: count it on the wire, return its ticket
//	slot booked, not yet due                       wait for it
//
// Every wait ends early when r.changed is closed (a reply, or a slot given back), so the
// next pass sees the news; when ctx ends instead, the booked slot is given back. Waits for
// time run on the client's clock, the wait for a probe's reply on the real one.
func (r *rateState) acquire(ctx context.Context) (ticket, error) {
	clk := r.hub.c.clk
	var slot time.Time // the booked slot; zero while none is booked
	for {
		r.mu.Lock()
		now := clk.Now()
		wait, probe := r.holdLocked(now)
		switch {
		case wait > 0:
			// A cooldown or a probe in flight: whatever was booked is given back, so that
			// the pool is not reserved by requests that cannot go.
			if !slot.IsZero() {
				r.unbookLocked(slot)
				slot = time.Time{}
			}
		case slot.IsZero():
			slot = r.nextSlot(now)
			r.bookLocked(slot)
		case r.clearLocked():
			// Newer replies say the pool has room: go now rather than at the slot booked
			// on older news.
			r.rebookLocked(slot, now)
			slot = now
		}
		if wait == 0 {
			if wait = slot.Sub(now); wait <= 0 {
				r.seq++
				r.onWire++
				t := ticket(r.seq)
				r.mu.Unlock()
				return t, nil
			}
		}
		wake := r.changed
		r.mu.Unlock()
		var err error
		if probe {
			err = awaitWake(ctx, wait, wake) // the probe's reply wakes it
		} else {
			err = sleepOrWake(ctx, clk, wait, wake)
		}
		if err != nil {
			if !slot.IsZero() {
				r.mu.Lock()
				r.unbookLocked(slot)
				r.mu.Unlock()
			}
			return 0, err
		}
	}
}

// holdLocked is how long no request may leave at all: the rest of a cooldown (spread by
// a little jitter so that a cooled-down tenant is not hit by a burst), or, while a probe
// is in flight after a 429, until its reply (probe: a wait for an event, not for time).
// r.mu is held.
func (r *rateState) holdLocked(now time.Time) (wait time.Duration, probe bool) {
	switch {
	case now.Before(r.retryAfter):
		return r.retryAfter.Sub(now) + jitter(50*time.Millisecond), false
	case r.probing && r.onWire > 0:
		return probePoll, true
	}
	return 0, false
}

// clearLocked reports whether the pool, as the newest reply describes it, lets a booked
// request go at once. r.mu is held.
func (r *rateState) clearLocked() bool {
	return r.known && r.limit > 0 && !r.probing && r.remaining-r.inflight > r.lowWater()
}

// lowWater is how many requests must remain (beyond those in flight) before pacing
// starts: a tenth of the pool, at least a few.
func (r *rateState) lowWater() int { return max(r.limit/10, 4) }

// nextSlot is the earliest time the next send may leave; r.mu is held. It is never more
// than one window ahead: by then every request the pool counts now has left it.
func (r *rateState) nextSlot(now time.Time) time.Time {
	if !r.known || r.limit <= 0 || r.probing {
		return now
	}
	avail := r.remaining - r.inflight
	low := r.lowWater()
	if avail > low {
		return now
	}
	interval := rateWindow / time.Duration(r.limit) // the sustainable spacing
	last := now
	if n := len(r.sent); n > 0 {
		last = later(r.sent[n-1], now.Add(-rateWindow))
	}
	var slot time.Time
	if avail > 0 {
		// Running low: the fewer remain, the wider the spacing.
		slot = last.Add(interval * time.Duration(low) / time.Duration(avail))
	} else {
		// Spent, as far as the server said: a slot frees when a request counted in the
		// window leaves it. This client knows its own; the (1-avail)-th oldest is the
		// one this send waits for (the ones before it are promised to earlier sends).
		// Beyond those, the pool went to other clients of the tenant: spread as widely
		// as when a single request remains.
		if i := -avail; i < len(r.sent) {
			slot = later(last.Add(interval), r.sent[i].Add(rateWindow+interval))
		} else {
			slot = last.Add(interval * time.Duration(low))
		}
	}
	return earlier(later(slot, now), now.Add(rateWindow))
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// bookLocked reserves slot; r.mu is held.
func (r *rateState) bookLocked(slot time.Time) {
	i, _ := slices.BinarySearchFunc(r.sent, slot, time.Time.Compare)
	r.sent = slices.Insert(r.sent, i, slot)
	r.inflight++
}

// unbookLocked gives a reserved slot back and wakes the others, who may go sooner now;
// r.mu is held.
func (r *rateState) unbookLocked(slot time.Time) {
	r.dropSlotLocked(slot)
	r.inflight--
	r.wakeLocked()
}

// rebookLocked moves a reservation from slot to now (which frees nothing: no wake-up);
// r.mu is held.
func (r *rateState) rebookLocked(slot, now time.Time) {
	r.dropSlotLocked(slot)
	r.inflight--
	r.bookLocked(now)
}

func (r *rateState) dropSlotLocked(slot time.Time) {
	if i, ok := slices.BinarySearchFunc(r.sent, slot, time.Time.Compare); ok {
		r.sent = slices.Delete(r.sent, i, i+1)
	}
}

// wakeLocked makes every waiter look again; r.mu is held.
func (r *rateState) wakeLocked() {
	if r.changed != nil {
		close(r.changed)
	}
	r.changed = make(chan struct{})
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// trim drops sends that left the window; r.mu is held.
func (r *rateState) trim(now time.Time) {
	cut := now.Add(-rateWindow)
	i := 0
	for i < len(r.sent) && !r.sent[i].After(cut) {
		i++
	}
	if i > 0 {
		r.sent = append(r.sent[:0], r.sent[i:]...)
	}
}

// unauthLimit is the gateway's budget for requests with a missing, bad or expired token:
// 15 a minute per source IP (docs/API.md §3, §10).
const unauthLimit = 15

// badTokenThrottle reports a 429 from the unauthenticated pool: its limit is that pool's
// while the tenant's is known to be larger. The token was refused (it expired in flight)
// and the gateway counted the request against the per-IP budget of bad tokens; it says
// nothing about the tenant's pool. The cure is a fresh token, not a cooldown (which
// would last until that budget's oldest request is a minute old).
func (r *rateState) badTokenThrottle(status int, h http.Header) bool {
	if status != http.StatusTooManyRequests {
		return false
	}
	lim, ok := headerInt(h, "X-Ratelimit-Limit")
	if !ok || lim <= 0 || lim > unauthLimit {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.limit > unauthLimit
}

// observe records a reply (h nil when none arrived) for the send t.
func (r *rateState) observe(t ticket, status int, h http.Header) {
	now := r.hub.c.clk.Now()
	r.mu.Lock()
	r.inflight--
	r.onWire--
	// A 401 carries the rate headers of the unauthenticated pool (15 per minute per IP,
	// docs/API.md §10), and a 429's Remaining is 0 whatever caused it: neither describes the
	// tenant's pool. Taking the 401's "15" for the tenant's limit once spaced every
	// later send 16 s apart, and the booked sends held back every other request for
	// minutes.
	if h != nil && status != http.StatusTooManyRequests && status != http.StatusUnauthorized {
		lim, okL := headerInt(h, "X-Ratelimit-Limit")
		rem, okR := headerInt(h, "X-Ratelimit-Remaining")
		// Replies arrive out of order; only a reply to a later send says something newer
		// (or anything at all, while the pool is unknown).
		if okR && (uint64(t) >= r.appliedSeq || !r.known) {
			r.appliedSeq = max(r.appliedSeq, uint64(t))
			r.remaining = rem
			if okL {
				r.limit = lim
			}
			r.known = r.limit > 0
		}
	}
	switch {
	case status == http.StatusTooManyRequests:
		// The cooldown says when to come back; what the pool holds then is unknown
		// until a reply tells. Until then one request at a time probes.
		r.known, r.probing = false, true
		r.appliedSeq = max(r.appliedSeq, uint64(t))
		r.throttled++
		r.coolDownLocked(now, parseRetryAfter(h.Get("X-Ratelimit-Retryafter"), now))
	case status != 0:
		r.probing = false
	}
	r.updated = now
	r.wakeLocked()
	s := r.snapshotLocked(now)
	r.mu.Unlock()
	r.hub.publish(s)
}

// coolDownLocked extends the cooldown to until (at least a second, at most maxCooldown
// from now). The end is stored as now plus a duration, so that it is measured on the
// monotonic clock: a wall clock that steps back cannot stretch a cooldown. r.mu is held.
func (r *rateState) coolDownLocked(now, until time.Time) {
	d := until.Sub(now)
	if until.IsZero() || d <= 0 {
		d = time.Second // no usable hint: wait a second, the resolution of the header
	}
	end := now.Add(min(d, maxCooldown))
	if end.After(r.retryAfter) {
		r.retryAfter = end
	}
}

func (r *rateState) snapshot(now time.Time) RateState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.snapshotLocked(now)
}

func (r *rateState) snapshotLocked(now time.Time) RateState {
	r.trim(now)
	s := RateState{
		CID:        r.hub.c.displayCID(r.key),
		Limit:      r.limit,
		Remaining:  r.remaining,
		Requests1m: len(r.sent),
		Throttled:  r.throttled,
		Updated:    r.updated,
	}
	if now.Before(r.retryAfter) {
		s.RetryAfter = r.retryAfter
	}
	return s
}

func headerInt(h http.Header, name string) (int, bool) {
	v := strings.TrimSpace(h.Get(name))
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// parseRetryAfter reads X-Ratelimit-Retryafter. The spec calls it milliseconds since the
// epoch, the SDKs read Unix seconds (docs/API.md §10): values too large to be seconds are
// taken as milliseconds, small ones as a delay in seconds. The result is capped at two
// windows so that a misread unit cannot stall the client for hours.
func parseRetryAfter(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 {
		return time.Time{}
	}
	var t time.Time
	switch {
	case f >= 1e11: // milliseconds since the epoch (seconds would be past year 5000)
		t = time.UnixMilli(int64(f))
	case f >= 1e9: // seconds since the epoch
		t = time.Unix(int64(f), int64((f-float64(int64(f)))*1e9))
	default: // a delay in seconds
		t = now.Add(time.Duration(f * float64(time.Second)))
	}
	if limit := now.Add(2 * rateWindow); t.After(limit) {
		t = limit
	}
	return t
}
