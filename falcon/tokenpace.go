package falcon

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Priority orders the calls that wait for a share of the token endpoint's budget
// (docs/API.md §3): when a slot frees, every Foreground waiter goes before any Background
// one. The screen the user looks at loads in the foreground; counts and health checks of
// tenants off screen are background work.
type Priority uint8

const (
	Foreground Priority = iota // the default
	Background
)

type priorityKey struct{}

// WithPriority marks the calls made with ctx (their token fetches) as p.
func WithPriority(ctx context.Context, p Priority) context.Context {
	return context.WithValue(ctx, priorityKey{}, p)
}

// priorityFunc is a priority that can change while a call waits: a token fetch one caller
// started in the background becomes foreground work when a foreground caller joins it.
type priorityFunc func() Priority

type priorityFuncKey struct{}

func withPriorityFunc(ctx context.Context, f priorityFunc) context.Context {
	return context.WithValue(ctx, priorityFuncKey{}, f)
}

func priorityOf(ctx context.Context) Priority {
	if f, ok := ctx.Value(priorityFuncKey{}).(priorityFunc); ok {
		return f()
	}
	if p, ok := ctx.Value(priorityKey{}).(Priority); ok && p <= Background {
		return p
	}
	return Foreground
}

// ErrTokenBudget: a token or revoke call could not get a share of the token endpoint's
// budget before its context's deadline, so it was not sent (errors.Is ErrRateLimited).
var ErrTokenBudget = fmt.Errorf("%w: the token endpoint's budget has no room before the deadline", ErrRateLimited)

// tokenSlack is added to the one-minute window for this client's own sends: the server
// counts a request from its arrival, a little after the client sent it, so it also leaves
// the server's window a little later.
const tokenSlack = 2 * time.Second

// tokenPacer spreads token and revoke calls over the token endpoint's budget of
// X-Ratelimit-Limit calls per sliding minute per source IP (docs/API.md §3, §10), so that a
// load over a thousand tenants draws no 429 at all:
//
//   - until a reply told the limit, one call at a time (the first reply says it);
//   - afterwards a call goes while the calls this process sent in the last minute (plus
//     any the server counts that this process did not send, from the newest Remaining)
//     stay below the limit less a small reserve; otherwise it waits until the oldest
//     leaves the window;
//   - a 429 (something else shares the address) sets one cooldown until its Retryafter
//     that every waiter honours, once;
//   - when a slot frees, Foreground waiters take it before Background ones.
//
// One pacer serves every Client of the process that talks to the same host on the real
// clock (the budget is the address's, not the client's); a client on a test clock has
// its own.
type tokenPacer struct {
	clk Clock

	mu        sync.Mutex
	limit     int         // X-Ratelimit-Limit; 0 before any reply, -1 when replies name none
	sent      []time.Time // this process's calls in the last window+slack, oldest first
	inflight  int
	ext       int       // calls the server counts that this process did not make
	extUntil  time.Time // ext is forgotten then (they have left the window by then)
	cooldown  time.Time // after a 429: nothing goes before
	waiting   [2]int    // by priority
	sleeper   bool      // one waiter sleeps on the clock; the others wait to be woken
	throttled int       // 429s received
	granted   int       // calls sent, all time
	changed   chan struct{}

	refs int // clients holding the pacer (shared pacers only)
}

func newTokenPacer(clk Clock) *tokenPacer {
	return &tokenPacer{clk: clk, changed: make(chan struct{})}
}

// pacers are the shared pacers by API host.
var pacers = struct {
	sync.Mutex
	byHost map[string]*tokenPacer
}{byHost: map[string]*tokenPacer{}}

// pacer returns the pacer for calls to host.
func (c *Client) pacer(host string) *tokenPacer {
	host = strings.ToLower(host)
	c.pacerMu.Lock()
	defer c.pacerMu.Unlock()
	if p := c.pacersHeld[host]; p != nil {
		return p
	}
	var p *tokenPacer
	if _, real := c.clk.(realClock); real {
		pacers.Lock()
		p = pacers.byHost[host]
		if p == nil {
			p = newTokenPacer(c.clk)
			pacers.byHost[host] = p
		}
		p.mu.Lock()
		p.refs++
		p.mu.Unlock()
		pacers.Unlock()
	} else {
		p = newTokenPacer(c.clk)
	}
	if c.pacersHeld == nil {
		c.pacersHeld = map[string]*tokenPacer{}
	}
	c.pacersHeld[host] = p
	return p
}

// releasePacers lets go of the shared pacers (Close): the last client to leave one drops it.
func (c *Client) releasePacers() {
	c.pacerMu.Lock()
	held := c.pacersHeld
	c.pacersHeld = nil
	c.pacerMu.Unlock()
	pacers.Lock()
	defer pacers.Unlock()
	for host, p := range held {
		if pacers.byHost[host] != p {
			continue
		}
		p.mu.Lock()
		p.refs--
		last := p.refs <= 0
		p.mu.Unlock()
		if last {
			delete(pacers.byHost, host)
		}
	}
}

// reserveLocked is how much of the budget the pacer leaves unused: a margin for calls
// of other processes that no reply has revealed yet.
func (p *tokenPacer) reserveLocked() int { return max(1, p.limit/100) }

// waitLocked is how long a call must wait at now (0: it may go); event means the wait is
// for a reply rather than for time to pass. p.mu is held.
func (p *tokenPacer) waitLocked(now time.Time) (d time.Duration, event bool) {
	if now.Before(p.cooldown) {
		return p.cooldown.Sub(now), false
	}
	switch {
	case p.limit == 0 && p.inflight > 0:
		return probePoll, true // the first reply tells the budget
	case p.limit <= 0:
		return 0, false
	}
	horizon := now.Add(-(rateWindow + tokenSlack))
	i := 0
	for i < len(p.sent) && !p.sent[i].After(horizon) {
		i++
	}
	p.sent = p.sent[i:]
	used := len(p.sent)
	ext := now.Before(p.extUntil) && p.ext > 0
	if ext {
		used += p.ext
	}
	if used < p.limit-p.reserveLocked() {
		return 0, false
	}
	var next time.Time
	if len(p.sent) > 0 {
		next = p.sent[0].Add(rateWindow + tokenSlack)
	}
	if ext && (next.IsZero() || p.extUntil.Before(next)) {
		next = p.extUntil
	}
	if next.IsZero() { // all in flight, none sent yet: a reply will tell
		return probePoll, true
	}
	return max(next.Sub(now), time.Millisecond), false
}

// wake makes the waiters look again (a waiting call's priority changed).
func (p *tokenPacer) wake() {
	p.mu.Lock()
	p.broadcastLocked()
	p.mu.Unlock()
}

func (p *tokenPacer) broadcastLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// acquire waits for a share of the budget for one call of priority prio; the caller must
// report the reply with observe. It never waits past ctx's deadline: when the budget has
// no room before it, it returns ErrTokenBudget at once (revoking on exit must not hold the
// exit up; the tokens expire on their own).
func (p *tokenPacer) acquire(ctx context.Context, priority func() Priority) (sentAt time.Time, err error) {
	registered := false
	var prio Priority
	defer func() {
		if registered {
			p.mu.Lock()
			p.waiting[prio]--
			p.broadcastLocked() // a background waiter may be next
			p.mu.Unlock()
		}
	}()
	for {
		if ctx.Err() != nil {
			return time.Time{}, context.Cause(ctx)
		}
		p.mu.Lock()
		if np := priority(); np != prio {
			if registered { // raised (or lowered) while waiting
				p.waiting[prio]--
				p.waiting[np]++
			}
			prio = np
		}
		now := p.clk.Now()
		d, event := p.waitLocked(now)
		if d == 0 && (prio == Foreground || p.waiting[Foreground] == 0) {
			p.sent = append(p.sent, now)
			p.inflight++
			p.granted++
			if registered {
				p.waiting[prio]--
				registered = false
			}
			p.mu.Unlock()
			return now, nil
		}
		if !registered {
			p.waiting[prio]++
			registered = true
		}
		if d == 0 { // held behind foreground waiters: one of them going wakes us
			d, event = probePoll, true
		}
		if dl, ok := ctx.Deadline(); ok && !event && time.Until(dl) < d {
			p.mu.Unlock()
			return time.Time{}, ErrTokenBudget
		}
		// One waiter sleeps on the client's clock and wakes the rest (on a virtual clock,
		// whose sleeps move time on, a thousand sleepers would move it a thousand times),
		// and only while none of the pacer's calls is on the wire: their replies come
		// soon and may tell news, and on a clock shared with a simulator a sleep would age
		// them in flight.
		sleep := !event && !p.sleeper && p.inflight == 0
		if sleep {
			p.sleeper = true
		}
		wake := p.changed
		p.mu.Unlock()
		if sleep {
			err = sleepOrWake(ctx, p.clk, d, wake)
			p.mu.Lock()
			p.sleeper = false
			p.broadcastLocked()
			p.mu.Unlock()
		} else {
			err = awaitWake(ctx, min(d, probePoll), wake)
		}
		if err != nil {
			return time.Time{}, err
		}
	}
}

// observe takes what the reply to the call sent at sentAt says about the budget (status
// 0: no reply). The call then counts from now: the server counted it from its arrival,
// which was no later than its reply, so it leaves the server's window no later than this
// client's.
func (p *tokenPacer) observe(sentAt time.Time, status int, h http.Header) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.broadcastLocked()
	p.inflight--
	now := p.clk.Now()
	if i := slices.IndexFunc(p.sent, sentAt.Equal); i >= 0 {
		p.sent = slices.Delete(p.sent, i, i+1)
		j, _ := slices.BinarySearchFunc(p.sent, now, time.Time.Compare)
		p.sent = slices.Insert(p.sent, j, now)
	}
	if status == 0 {
		return
	}
	if l, err := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Limit"))); err == nil && l > 0 {
		p.limit = l
	} else if p.limit == 0 {
		p.limit = -1 // the endpoint names no budget: nothing to pace by
	}
	if status == http.StatusTooManyRequests {
		p.throttled++
		until := parseRetryAfter(h.Get("X-Ratelimit-Retryafter"), now)
		if until.IsZero() {
			until = now.Add(time.Second)
		}
		until = earlier(until, now.Add(maxCooldown))
		if until.After(p.cooldown) {
			p.cooldown = until // one cooldown for every waiter, however many 429s say so
		}
		return
	}
	r, err := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Remaining")))
	if err != nil || p.limit <= 0 {
		return
	}
	// What the server counts beyond this process's own calls (all of them, those it may
	// not have seen yet included, so the estimate errs low; a 429 covers the rest).
	if ext := p.limit - r - len(p.sent); ext > 0 {
		p.ext, p.extUntil = ext, now.Add(rateWindow)
	} else {
		p.ext = 0
	}
}

// TokenProgress is how far the client is in getting its tenants' tokens, for a progress
// display while many tenants load (docs/API.md §3).
type TokenProgress struct {
	Tenants    int       // tenants this client holds a valid token for
	Waiting    int       // token and revoke calls waiting for the budget, Foreground
	Background int       // the same, Background
	InFlight   int       // token and revoke calls sent, reply not yet seen
	Limit      int       // the budget per minute (X-Ratelimit-Limit); 0 = not yet known
	Used       int       // calls the budget counts in the last minute, as far as known
	Throttled  int       // 429s from the token endpoint, all time
	ResumeAt   time.Time // after a 429: when calls go again; zero otherwise
}

// TokenProgress reports the tenants with a token and the calls waiting for the token
// endpoint's budget (waiting calls of every client of the process on this host).
func (c *Client) TokenProgress() TokenProgress {
	now := c.clk.Now()
	var pr TokenProgress
	c.mu.RLock()
	for _, t := range c.tenants {
		t.mu.Lock()
		if t.tok != "" && now.Before(t.expireAt) {
			pr.Tenants++
		}
		t.mu.Unlock()
	}
	c.mu.RUnlock()
	p := c.pacer(c.base().Host)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waitLocked(now) // drops calls that left the window
	pr.Waiting, pr.Background, pr.InFlight = p.waiting[Foreground], p.waiting[Background], p.inflight
	pr.Limit = max(p.limit, 0)
	pr.Used = len(p.sent)
	if now.Before(p.extUntil) {
		pr.Used += p.ext
	}
	pr.Throttled = p.throttled
	if now.Before(p.cooldown) {
		pr.ResumeAt = p.cooldown
	}
	return pr
}

// beforeTokenCall waits for the budget's share of one token or revoke call; the reply
// goes to afterTokenCall.
func (c *Client) beforeTokenCall(req *http.Request) (*tokenPacer, time.Time, error) {
	p := c.pacer(req.URL.Host)
	ctx := req.Context()
	sentAt, err := p.acquire(ctx, func() Priority { return priorityOf(ctx) })
	return p, sentAt, err
}

func afterTokenCall(p *tokenPacer, sentAt time.Time, resp *http.Response) {
	if resp == nil {
		p.observe(sentAt, 0, nil)
		return
	}
	p.observe(sentAt, resp.StatusCode, resp.Header)
}
