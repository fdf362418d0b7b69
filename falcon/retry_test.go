package falcon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/clocktest"
)

func TestRetryPolicy(t *testing.T) {
	p := retryPolicy{maxRetries: 2, backoffBase: 100 * time.Millisecond, backoffMax: time.Second}
	type step struct {
		v     verdict
		again bool
		n     int // attempt number afterwards
		wait  bool
	}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"done ends the call", []step{{done, false, 1, false}}},
		{"one reauth, not counted", []step{{reauth, true, 1, false}, {reauth, false, 1, false}}},
		{"429s until retries run out", []step{{retryNow, true, 2, false}, {retryNow, true, 3, false}, {retryNow, false, 3, false}}},
		{"transient failures back off", []step{{retryLater, true, 2, true}, {reauth, true, 2, false}, {retryLater, true, 3, true}, {retryLater, false, 3, false}}},
	} {
		a := attempts{n: 1}
		for i, s := range tc.steps {
			again, wait := p.next(&a, s.v)
			if again != s.again || a.n != s.n || (wait > 0) != s.wait {
				t.Errorf("%s, step %d: again %v, attempt %d, wait %v; want %v, %d, wait %v",
					tc.name, i, again, a.n, wait, s.again, s.n, s.wait)
			}
			if wait > p.backoffMax {
				t.Errorf("%s: wait %v beyond the cap", tc.name, wait)
			}
		}
	}
}

// Concurrent callers share one token fetch.
func TestConcurrentCallersShareOneTokenFetch(t *testing.T) {
	c, ts, _ := setup(t)
	release := make(chan struct{})
	ts.tokenOverride = func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":1799}`, testToken)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			b, err := c.tenantByKey("").token(context.Background())
			if err == nil && b.access != testToken {
				err = fmt.Errorf("token %q", b.access)
			}
			errs <- err
		})
	}
	waitUntil(t, "the first fetch", func() bool { return ts.tokenCalls.Load() == 1 })
	time.Sleep(20 * time.Millisecond) // let the others join it
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := ts.tokenCalls.Load(); n != 1 {
		t.Errorf("%d token requests for 8 concurrent callers, want 1", n)
	}
}

// The caller whose fetch everyone waits on gives up: the others fetch again rather than
// fail with its cancellation.
func TestFetcherCancellationIsNotTheWaiters(t *testing.T) {
	c, ts, _ := setup(t)
	ts.tokenOverride = func(w http.ResponseWriter, r *http.Request) {
		if ts.tokenCalls.Load() == 1 {
			<-r.Context().Done() // the first fetch hangs until its caller leaves
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":1799}`, testToken)
	}
	tn := c.tenantByKey("")
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := tn.token(ctx); first <- err }()
	waitUntil(t, "the first fetch", func() bool { return ts.tokenCalls.Load() == 1 })
	second := make(chan error, 1)
	go func() {
		b, err := tn.token(context.Background())
		if err == nil && b.access != testToken {
			err = fmt.Errorf("token %q", b.access)
		}
		second <- err
	}()
	time.Sleep(20 * time.Millisecond) // let the second caller join the first fetch
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("the cancelled caller got %v", err)
	}
	if err := <-second; err != nil {
		t.Errorf("the waiting caller failed with the fetcher's cancellation: %v", err)
	}
	if n := ts.tokenCalls.Load(); n != 2 {
		t.Errorf("%d token requests, want 2 (the cancelled one and a fresh one)", n)
	}
}

// waitUntil polls cond on the real clock; the deadline only guards against a hang.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
	}
}

// Config.Clock takes every back-off: with a virtual clock a call that exhausts its retries
// returns at once, having "waited" what the real clock would have.
func TestConfigClockTakesTheBackOffs(t *testing.T) {
	_, ts, _ := setup(t)
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		writeEnvelope(w, http.StatusServiceUnavailable, nil, `{"code":503,"message":"unavailable"}`)
	})
	clk := clocktest.NewVirtual()
	c, err := New(Config{ClientID: testClientID, ClientSecret: testSecret, BaseURL: ts.URL, MaxRetries: 4, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.Hosts.Count(context.Background(), "", "")
	if !errors.As(err, new(*APIError)) {
		t.Fatalf("err = %v, want the 503", err)
	}
	sleeps, skipped := clk.Slept()
	if sleeps < 4 || skipped < 4*c.retry.backoffBase/2 {
		t.Errorf("the clock slept %d times, %v in all: the back-offs did not go through it", sleeps, skipped)
	}
	if real := time.Since(start); real > skipped {
		t.Errorf("the call took %v of real time for %v of back-off", real, skipped)
	}
}
