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

// Falcon's budget is per customer account (CID) over a sliding minute (REFERENCE §9).
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
// Remaining minus the requests this client has in flight: while plenty remain, requests
// go at once; when the pool runs low, sends are spread out (the lower, the wider); when
// it is spent, the next send waits until one of this client's requests leaves the
// sliding window. Each send reserves its slot before it waits, so concurrent callers
// queue up instead of waking together. A 429 sets a cooldown that every request to the
// tenant honours (one shared wait, not one each).
type rateState struct {
	hub *rateHub
	key string

	mu         sync.Mutex
	known      bool
	limit      int
	remaining  int
	inflight   int         // reserved or sent, reply not yet seen
	seq        uint64      // send counter
	appliedSeq uint64      // the send whose reply last set limit/remaining
	sent       []time.Time // this client's send slots in the last window, sorted
	lastSend   time.Time   // the latest slot handed out
	throttled  int
	retryAfter time.Time
	probing    bool // after a 429: one request at a time until a reply is not a 429
	updated    time.Time
}

// ticket identifies one send for observe.
type ticket uint64

// acquire reserves a send slot for the tenant and waits for it (and for any cooldown).
// On error (the context ended) the slot is given back.
func (r *rateState) acquire(ctx context.Context) (ticket, error) {
	clk := r.hub.c.clk
	// First wait out a cooldown: the gateway said when the pool frees up again. After
	// it, one request probes the pool; the others wait for its reply rather than
	// bursting into a pool that may have freed a single slot.
	for {
		r.mu.Lock()
		now := clk.Now()
		var wait time.Duration
		switch {
		case now.Before(r.retryAfter):
			// Spread the wake-ups a little so a cooled-down tenant is not hit by a burst.
			wait = r.retryAfter.Sub(now) + jitter(50*time.Millisecond)
		case r.probing && r.inflight > 0:
			wait = probePoll
		}
		if wait == 0 {
			break // r.mu stays held
		}
		r.mu.Unlock()
		if err := clk.Sleep(ctx, wait); err != nil {
			return 0, err
		}
	}
	now := clk.Now()
	r.trim(now)
	slot := r.nextSlot(now)
	r.seq++
	r.inflight++
	t := ticket(r.seq)
	r.book(slot)
	r.mu.Unlock()
	if d := slot.Sub(now); d > 0 {
		if err := clk.Sleep(ctx, d); err != nil {
			r.observe(t, 0, nil) // give the slot back
			return 0, err
		}
	}
	return t, nil
}

// probePoll is how often requests held back behind a probe look again.
const probePoll = 25 * time.Millisecond

// lowWater is how many requests must remain (beyond those in flight) before pacing
// starts: a tenth of the pool, at least a few.
func (r *rateState) lowWater() int { return max(r.limit/10, 4) }

// nextSlot is the earliest time the next send may leave; r.mu is held.
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
	slot := r.lastSend.Add(interval * time.Duration(low) / time.Duration(max(avail, 1)))
	if avail <= 0 {
		// Spent, as far as the server said: a slot frees when a request counted in the
		// window leaves it. This client knows its own; the (1-avail)-th oldest is the
		// one this send waits for (the ones before it are promised to earlier sends).
		if i := -avail; i < len(r.sent) {
			slot = later(slot, r.sent[i].Add(rateWindow+interval))
		}
	}
	return later(slot, now)
}

// book records a reserved slot; r.mu is held.
func (r *rateState) book(slot time.Time) {
	i, _ := slices.BinarySearchFunc(r.sent, slot, time.Time.Compare)
	r.sent = slices.Insert(r.sent, i, slot)
	r.lastSend = later(r.lastSend, slot)
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

// observe records a reply (h nil when none arrived) for the send t.
func (r *rateState) observe(t ticket, status int, h http.Header) {
	now := r.hub.c.clk.Now()
	r.mu.Lock()
	r.inflight--
	if h != nil && status != http.StatusTooManyRequests {
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
		// until a reply tells (a 429's Remaining is 0 whatever caused it). Until then
		// one request at a time probes.
		r.known, r.probing = false, true
		r.appliedSeq = max(r.appliedSeq, uint64(t))
		r.throttled++
		until := parseRetryAfter(h.Get("X-Ratelimit-Retryafter"), now)
		if until.IsZero() || !until.After(now) {
			// No usable hint: wait a second, the resolution of the header.
			until = now.Add(time.Second)
		}
		if until.After(r.retryAfter) {
			r.retryAfter = until
		}
	case status != 0:
		r.probing = false
	}
	r.updated = now
	s := r.snapshotLocked(now)
	r.mu.Unlock()
	r.hub.publish(s)
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
// epoch, the SDKs read Unix seconds (REFERENCE §9): values too large to be seconds are
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

// rateHub owns the tenants' rate states and the subscribers.
type rateHub struct {
	c *Client

	mu     sync.Mutex
	states map[string]*rateState
	subs   map[*rateSub]struct{}
	ver    uint64 // publication counter
	closed bool
}

func newRateHub(c *Client) *rateHub {
	return &rateHub{c: c, states: map[string]*rateState{}, subs: map[*rateSub]struct{}{}}
}

func (h *rateHub) state(key string) *rateState {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.states[key]
	if s == nil {
		s = &rateState{hub: h, key: key}
		h.states[key] = s
	}
	return s
}

// rateSub is one subscriber: the newest state per tenant waits in pending until the
// forwarding goroutine hands it over, so publishing never blocks the transport, and a
// state that is superseded while waiting is replaced, never delivered stale.
type rateSub struct {
	mu      sync.Mutex
	pending map[string]pendingState
	order   []string // tenants with a pending state, oldest first
	wake    chan struct{}
	done    chan struct{}
}

type pendingState struct {
	st  RateState
	ver uint64
}

func (h *rateHub) subscribe(ctx context.Context) <-chan RateState {
	out := make(chan RateState)
	s := &rateSub{pending: map[string]pendingState{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		close(out)
		return out
	}
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	go func() {
		defer close(out)
		defer func() {
			h.mu.Lock()
			delete(h.subs, s)
			h.mu.Unlock()
		}()
		for {
			s.mu.Lock()
			if len(s.order) == 0 {
				s.mu.Unlock()
				select {
				case <-ctx.Done():
					return
				case <-s.done:
					return
				case <-s.wake:
				}
				continue
			}
			key := s.order[0]
			p := s.pending[key]
			s.mu.Unlock()
			select {
			case out <- p.st:
				s.mu.Lock()
				if cur := s.pending[key]; cur.ver == p.ver {
					delete(s.pending, key)
					s.order = s.order[1:]
				}
				s.mu.Unlock()
			case <-s.wake: // something newer arrived: offer that instead
			case <-ctx.Done():
				return
			case <-s.done:
				return
			}
		}
	}()
	return out
}

// publish hands a state to every subscriber without waiting for any of them.
func (h *rateHub) publish(st RateState) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ver++
	for s := range h.subs {
		s.mu.Lock()
		if _, ok := s.pending[st.CID]; !ok {
			s.order = append(s.order, st.CID)
		}
		s.pending[st.CID] = pendingState{st, h.ver}
		s.mu.Unlock()
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

func (h *rateHub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	for s := range h.subs {
		close(s.done)
		delete(h.subs, s)
	}
}
