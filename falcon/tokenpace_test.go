package falcon

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/clocktest"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// heldClock is a clock that moves only when the test says so; sleeps wait for it (or a
// wake-up, or the context).
type heldClock struct {
	mu    sync.Mutex
	now   time.Time
	moved chan struct{}
}

func newHeldClock() *heldClock {
	return &heldClock{now: time.Unix(1_800_000_000, 0), moved: make(chan struct{})}
}

func (h *heldClock) Now() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *heldClock) Sleep(ctx context.Context, d time.Duration) error {
	return h.SleepOrWake(ctx, d, nil)
}

func (h *heldClock) SleepOrWake(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
	h.mu.Lock()
	until := h.now.Add(d)
	for h.now.Before(until) {
		moved := h.moved
		h.mu.Unlock()
		select {
		case <-moved:
		case <-wake:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		h.mu.Lock()
	}
	h.mu.Unlock()
	return nil
}

func (h *heldClock) Advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	close(h.moved)
	h.moved = make(chan struct{})
	h.mu.Unlock()
}

func budgetHeader(limit, remaining int) http.Header {
	h := http.Header{}
	h.Set("X-Ratelimit-Limit", strconv.Itoa(limit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(remaining))
	return h
}

func pollUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// When the budget is spent, freed slots go to foreground waiters before background ones,
// whoever came first.
func TestTokenPacerForegroundFirst(t *testing.T) {
	clk := newHeldClock()
	p := newTokenPacer(clk)
	ctx := context.Background()
	// Limit 5 leaves 4 usable (a reserve of 1): four calls a second apart fill it.
	for i := range 4 {
		at, err := p.acquire(ctx, fixed(Foreground))
		if err != nil {
			t.Fatal(err)
		}
		p.observe(at, 201, budgetHeader(5, 4-i))
		clk.Advance(time.Second)
	}
	var mu sync.Mutex
	var order []Priority
	var wg sync.WaitGroup
	start := func(prio Priority) {
		wg.Go(func() {
			if _, err := p.acquire(ctx, fixed(prio)); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, prio)
			mu.Unlock()
		})
	}
	waiting := func(fg, bg int) func() bool {
		return func() bool {
			p.mu.Lock()
			defer p.mu.Unlock()
			return p.waiting[Foreground] == fg && p.waiting[Background] == bg
		}
	}
	for range 3 {
		start(Background)
	}
	pollUntil(t, "background waiters", waiting(0, 3))
	for range 2 {
		start(Foreground)
	}
	pollUntil(t, "foreground waiters", waiting(2, 3))
	// Slots free one at a time from here, as the window passes each call: whoever is
	// woken, a foreground waiter takes the slot while one waits.
	granted := func() int { mu.Lock(); defer mu.Unlock(); return len(order) }
	for step := 0; granted() < 5; step++ {
		if step > 400 {
			t.Fatalf("only %d grants after %d steps", granted(), step)
		}
		clk.Advance(time.Second)
		time.Sleep(2 * time.Millisecond)
	}
	wg.Wait()
	want := []Priority{Foreground, Foreground, Background, Background, Background}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("grant order %v, want %v", order, want)
		}
	}
}

// A 429 sets one cooldown until its Retryafter that every waiter honours: nothing goes
// before it, and the waits do not add up.
func TestTokenPacerHonoursRetryAfterOnce(t *testing.T) {
	clk := clocktest.NewVirtual()
	p := newTokenPacer(clk)
	ctx := context.Background()
	at, err := p.acquire(ctx, fixed(Foreground))
	if err != nil {
		t.Fatal(err)
	}
	resume := clk.Now().Add(10 * time.Second)
	h := budgetHeader(300, 0)
	h.Set("X-Ratelimit-Retryafter", strconv.Itoa(int(resume.Unix())+1))
	p.observe(at, http.StatusTooManyRequests, h)
	_, before := clk.Slept()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var early int
	for range 50 {
		wg.Go(func() {
			at, err := p.acquire(ctx, fixed(Foreground))
			if err != nil {
				t.Error(err)
				return
			}
			if clk.Now().Before(resume) {
				mu.Lock()
				early++
				mu.Unlock()
			}
			p.observe(at, 201, budgetHeader(300, 250))
		})
	}
	wg.Wait()
	if early > 0 {
		t.Errorf("%d calls went before the 429's Retryafter", early)
	}
	if _, after := clk.Slept(); after-before > 12*time.Second {
		t.Errorf("the waiters slept %v in all: the cooldown was honoured more than once", after-before)
	}
}

// A call that the budget has no room for before its deadline is not sent and does not wait.
func TestTokenPacerNeverWaitsPastTheDeadline(t *testing.T) {
	clk := newHeldClock()
	p := newTokenPacer(clk)
	for i := range 4 {
		at, err := p.acquire(context.Background(), fixed(Foreground))
		if err != nil {
			t.Fatal(err)
		}
		p.observe(at, 201, budgetHeader(5, 4-i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // the budget frees a slot in a minute
	defer cancel()
	if _, err := p.acquire(ctx, fixed(Background)); !errors.Is(err, ErrTokenBudget) || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("acquire = %v, want ErrTokenBudget", err)
	}
}

// Tokens for many tenants under a small token budget: no 429 at all, and the tokens come
// as fast as the budget allows (the simulator shares the client's virtual clock).
func TestSimTokenBudgetNo429(t *testing.T) {
	const tenants, limit = 120, 30
	simClock, cfgClock := sharedVirtualTime()
	srv := falcontest.NewServer(simClock, falcontest.WithTenants(tenants-1), falcontest.WithHosts(5),
		falcontest.WithAlerts(0), falcontest.WithTokenRateLimit(limit))
	defer srv.Close()
	c := simClient(t, srv, "full", cfgClock)
	clk := c.clk.(*clocktest.Virtual)
	start := clk.Now()
	ctx := context.Background()
	list, err := c.Tenants.List(ctx)
	if err != nil || len(list) != tenants {
		t.Fatalf("Tenants.List = %d, %v", len(list), err)
	}
	cids := make([]string, len(list))
	for i, tn := range list {
		cids[i] = tn.CID
	}
	n := 0
	for hs, err := range c.Hosts.StreamTenants(ctx, cids, HostQuery{Fields: ListFields}) {
		if err != nil {
			t.Fatal(err)
		}
		n += len(hs)
	}
	took := clk.Now().Sub(start)
	st := srv.Stats()
	if got := st.ByStatus["429"]; got != 0 {
		t.Errorf("%d replies of 429 (%v)", got, st.ByOperation)
	}
	if pr := c.TokenProgress(); pr.Tenants != tenants || pr.Throttled != 0 || pr.Limit != limit {
		t.Errorf("progress %+v, want %d tenants with a token, limit %d", pr, tenants, limit)
	}
	// 120 tokens at 29 a minute (one kept in reserve) with the window's slack: 4 windows.
	if bound := 5 * (rateWindow + tokenSlack); took > bound {
		t.Errorf("the tokens took %v of virtual time, more than %v", took, bound)
	}
	if n == 0 {
		t.Error("no hosts")
	}
}

// Close returns when its context ends even while revocations hang on the wire.
func TestCloseReturnsByItsDeadline(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(49), falcontest.WithHosts(1), falcontest.WithAlerts(0))
	defer srv.Close()
	stuck := make(chan struct{})
	defer close(stuck)
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/oauth2/revoke") {
			<-stuck // ignores the request's context: only Close's own bound can help
			return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	c := simClient(t, srv, "full", func(cfg *Config) { cfg.HTTPClient = hc })
	ctx := context.Background()
	list, err := c.Tenants.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tn := range list {
		if _, err := c.tenant(tn.CID).token(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if pr := c.TokenProgress(); pr.Tenants != len(list) {
		t.Fatalf("%d tenants with a token, want %d", pr.Tenants, len(list))
	}
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	done := make(chan struct{})
	go func() { _ = c.Close(cctx); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return after its context ended")
	}
	if cctx.Err() == nil {
		t.Error("Close returned before its deadline although every revocation hangs")
	}
}

// A thousand tenants holding tokens, the budget spent on them: Close with a one-second
// budget returns, revokes only what the budget has room for (no 429) and reports no error
// for the tokens it leaves to expire.
func TestSimCloseThousandTenantsWithinBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("a thousand simulated tenants")
	}
	const tenants = 1000
	simClock, cfgClock := sharedVirtualTime()
	srv := falcontest.NewServer(simClock, falcontest.WithTenants(tenants-1), falcontest.WithHosts(1),
		falcontest.WithAlerts(0))
	defer srv.Close()
	c := simClient(t, srv, "full", cfgClock)
	ctx := context.Background()
	list, err := c.Tenants.List(ctx)
	if err != nil || len(list) != tenants {
		t.Fatalf("Tenants.List = %d, %v", len(list), err)
	}
	var wg sync.WaitGroup
	for _, tn := range list {
		wg.Go(func() {
			if _, err := c.tenant(tn.CID).token(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if pr := c.TokenProgress(); pr.Tenants != tenants || pr.Throttled != 0 {
		t.Fatalf("progress %+v", pr)
	}
	srv.ResetStats()
	cctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.Close(cctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return after its context ended")
	}
	st := srv.Stats()
	if st.Throttled429 != 0 {
		t.Errorf("%d revocations refused with 429", st.Throttled429)
	}
	if n := st.ByOperation["POST /oauth2/revoke"]; n == 0 || n >= tenants {
		t.Errorf("%d revocations: want those the budget had room for, not none nor all", n)
	}
}

func fixed(p Priority) func() Priority { return func() Priority { return p } }

// A token fetch a background caller started becomes foreground work when a foreground
// caller waits for it too: it goes before the other background waiters.
func TestTokenFetchRaisedByAForegroundCaller(t *testing.T) {
	clk := newHeldClock()
	var fetched []string
	var mu sync.Mutex
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		mu.Lock()
		fetched = append(fetched, form.Get("member_cid"))
		mu.Unlock()
		h := budgetHeader(5, 1)
		h.Set("Content-Type", "application/json")
		return &http.Response{StatusCode: 201, Header: h, Request: r,
			Body: io.NopCloser(strings.NewReader(`{"access_token":"tok","token_type":"bearer","expires_in":1799}`))}, nil
	})}
	c, err := New(Config{ClientID: testClientID, ClientSecret: testSecret, BaseURL: "http://127.0.0.1:1",
		HTTPClient: hc, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	c.setHomeCID("00000000000000000000000000000000")
	p := c.pacer(c.base().Host)
	// Fill the budget (limit 5, one kept in reserve) with calls a second apart.
	for i := range 4 {
		at, err := p.acquire(context.Background(), fixed(Foreground))
		if err != nil {
			t.Fatal(err)
		}
		p.observe(at, 201, budgetHeader(5, 4-i))
		clk.Advance(time.Second)
	}
	bg := WithPriority(context.Background(), Background)
	cids := []string{strings.Repeat("a", 32), strings.Repeat("b", 32), strings.Repeat("c", 32)}
	var wg sync.WaitGroup
	for _, cid := range cids {
		wg.Go(func() {
			if _, err := c.tenant(cid).token(bg); err != nil {
				t.Error(err)
			}
		})
	}
	pollUntil(t, "three background fetches waiting", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.waiting[Background] == 3
	})
	// The user opens tenant c: its fetch, already waiting, is now foreground.
	wg.Go(func() {
		if _, err := c.tenant(cids[2]).token(context.Background()); err != nil {
			t.Error(err)
		}
	})
	pollUntil(t, "the fetch raised", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.waiting[Foreground] == 1 && p.waiting[Background] == 2
	})
	granted := func() int {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.granted
	}
	// advance moves the clock on, then gives the waiters time to take what it freed before
	// it can move again: two seconds freed at once would let two fetches go together, and
	// their order at the transport would be the scheduler's.
	advance := func(d time.Duration) {
		before := granted()
		clk.Advance(d)
		for deadline := time.Now().Add(500 * time.Millisecond); granted() == before && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
	}
	advance(rateWindow + tokenSlack - 4*time.Second)
	for step := 0; ; step++ {
		mu.Lock()
		n := len(fetched)
		mu.Unlock()
		if n == 3 {
			break
		}
		if step > 400 {
			t.Fatalf("fetched %v", fetched)
		}
		// A granted call reaches the transport before the clock moves on: the order of the
		// fetches is then the order of the grants, whatever the goroutines' scheduling.
		pollUntil(t, "the granted fetches sent", func() bool {
			p.mu.Lock()
			granted := p.granted
			p.mu.Unlock()
			mu.Lock()
			defer mu.Unlock()
			return len(fetched) >= granted-4
		})
		advance(time.Second)
	}
	wg.Wait()
	if fetched[0] != cids[2] {
		t.Errorf("fetch order %v: the raised fetch (%s) should go first", fetched, cids[2])
	}
}
