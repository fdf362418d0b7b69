package falcon

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// memTokenCache is a TokenCache in memory, counting what the client asks of it.
type memTokenCache struct {
	mu      sync.Mutex
	toks    map[TokenKey]memToken
	deletes int
}

type memToken struct {
	value  string
	expiry time.Time
}

func newMemTokenCache() *memTokenCache { return &memTokenCache{toks: map[TokenKey]memToken{}} }

func (m *memTokenCache) Load(_ context.Context, k TokenKey) (string, time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.toks[k]
	return t.value, t.expiry, ok
}

func (m *memTokenCache) Save(_ context.Context, k TokenKey, tok string, expiry time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.toks[k] = memToken{tok, expiry}
}

func (m *memTokenCache) Delete(_ context.Context, k TokenKey) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deletes++
	delete(m.toks, k)
}

func (m *memTokenCache) get(k TokenKey) (memToken, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.toks[k]
	return t, ok
}

func (m *memTokenCache) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.toks)
}

// listOneHost is an API call in tenant cid that needs a token and succeeds.
func listOneHost(t *testing.T, c *Client, cid string) {
	t.Helper()
	resp, err := c.Do(context.Background(), cid, &Request{Method: http.MethodGet, Path: "/devices/queries/devices/v1",
		Query: url.Values{"limit": {"1"}}})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("tenant %q: list a host: %v %v", cid, resp, err)
	}
}

func tokenCalls(srv *falcontest.Server) int64 { return srv.Stats().ByOperation["POST /oauth2/token"] }

func withCache(cache TokenCache) func(*Config) { return func(cfg *Config) { cfg.TokenCache = cache } }

// A restart within the tokens' life spends no token call: the second client, with the same
// cache and credentials, uses the tokens the first one saved, in the home tenant and in a
// child; and the first one's Close revoked none of them.
func TestTokenCacheWarmStart(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(2), falcontest.WithHosts(20))
	defer srv.Close()
	cache := newMemTokenCache()
	child := srv.Tenants()[1].CID

	first := simClient(t, srv, "full", withCache(cache))
	if err := first.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	listOneHost(t, first, child)
	if err := first.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := srv.Stats().ByOperation["POST /oauth2/revoke"]; n != 0 {
		t.Errorf("Close with a token cache sent %d revocations, want 0 (the tokens are kept for the next start)", n)
	}
	if n := cache.len(); n != 2 {
		t.Fatalf("cache holds %d tokens after the first run, want 2 (home and child)", n)
	}
	home, _ := cache.get(TokenKey{ClientID: srv.Client("full").ID})
	if life := time.Until(home.expiry); life < 25*time.Minute || life > 31*time.Minute {
		t.Errorf("saved expiry is %v from now, want about 30 min (expires_in 1799 s)", life)
	}

	srv.ResetStats()
	second := simClient(t, srv, "full", withCache(cache))
	if err := second.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	listOneHost(t, second, "")
	listOneHost(t, second, child)
	if n := tokenCalls(srv); n != 0 {
		t.Errorf("warm start: %d token calls, want 0", n)
	}
	if second.Cloud() != first.Cloud() || second.Cloud() == CloudAuto {
		t.Errorf("warm start: cloud %q, want %q as the token reply named it (the API replies name it too)", second.Cloud(), first.Cloud())
	}
}

// A cached token with no more than the renewal window to live (or none) is not used.
func TestTokenCacheSkipsExpiringTokens(t *testing.T) {
	for _, left := range []time.Duration{-time.Minute, renewWindow - time.Second} {
		srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(5))
		cache := newMemTokenCache()
		key := TokenKey{ClientID: srv.Client("full").ID}
		warm := simClient(t, srv, "full", withCache(cache))
		listOneHost(t, warm, "")
		saved, _ := cache.get(key)
		cache.Save(context.Background(), key, saved.value, time.Now().Add(left))

		srv.ResetStats()
		c := simClient(t, srv, "full", withCache(cache))
		listOneHost(t, c, "")
		if n := tokenCalls(srv); n != 1 {
			t.Errorf("cached token with %v left: %d token calls, want 1", left, n)
		}
		if got, _ := cache.get(key); got.value == saved.value || time.Until(got.expiry) < 25*time.Minute {
			t.Errorf("cached token with %v left: the new token was not saved", left)
		}
		srv.Close()
	}
}

// A cached token the server rejects (it was revoked, or the cloud forgot it: here a
// restarted simulator with the same credentials) is dropped from the cache and a new one is
// fetched, once.
func TestTokenCacheDropsRejectedToken(t *testing.T) {
	cache := newMemTokenCache()
	before := falcontest.NewServer(falcontest.WithSeed(5), falcontest.WithTenants(0), falcontest.WithHosts(5))
	c := simClient(t, before, "full", withCache(cache))
	listOneHost(t, c, "")
	before.Close()
	key := TokenKey{ClientID: before.Client("full").ID}
	stale, ok := cache.get(key)
	if !ok {
		t.Fatal("no token saved")
	}

	after := falcontest.NewServer(falcontest.WithSeed(5), falcontest.WithTenants(0), falcontest.WithHosts(5))
	defer after.Close()
	if after.Client("full").ID != key.ClientID {
		t.Fatal("the restarted simulator has other credentials")
	}
	c2 := simClient(t, after, "full", withCache(cache))
	listOneHost(t, c2, "")
	listOneHost(t, c2, "")
	st := after.Stats()
	if n := st.ByOperation["POST /oauth2/token"]; n != 1 {
		t.Errorf("%d token calls after the cached token was rejected, want 1", n)
	}
	if n := st.ByStatus["401"]; n != 1 {
		t.Errorf("%d replies 401, want 1 (the stale token, once)", n)
	}
	if cache.deletes != 1 {
		t.Errorf("cache deletes = %d, want 1", cache.deletes)
	}
	if got, _ := cache.get(key); got.value == "" || got.value == stale.value {
		t.Error("the cache does not hold the new token")
	}
}

// Another API client's token is never reused: the cache is keyed by client id.
func TestTokenCacheKeyedByClientID(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(5))
	defer srv.Close()
	cache := newMemTokenCache()
	listOneHost(t, simClient(t, srv, "full", withCache(cache)), "")

	srv.ResetStats()
	analyst := simClient(t, srv, "analyst", withCache(cache))
	listOneHost(t, analyst, "")
	if n := tokenCalls(srv); n != 1 {
		t.Errorf("another client id: %d token calls, want 1 (its own token)", n)
	}
	full, _ := cache.get(TokenKey{ClientID: srv.Client("full").ID})
	other, _ := cache.get(TokenKey{ClientID: srv.Client("analyst").ID})
	if full.value == "" || other.value == "" || full.value == other.value {
		t.Errorf("cache = %d tokens; want one per client id, distinct", cache.len())
	}
}

// Without a cache, Close still revokes what the client holds.
func TestCloseWithoutCacheRevokes(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(5))
	defer srv.Close()
	c := simClient(t, srv, "full")
	listOneHost(t, c, "")
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := srv.Stats().ByOperation["POST /oauth2/revoke"]; n != 1 {
		t.Errorf("Close without a cache: %d revocations, want 1", n)
	}
}

// countingCache counts Loads.
type countingCache struct {
	*memTokenCache
	mu    sync.Mutex
	loads int
}

func (c *countingCache) Load(ctx context.Context, k TokenKey) (string, time.Time, bool) {
	c.mu.Lock()
	c.loads++
	c.mu.Unlock()
	return c.memTokenCache.Load(ctx, k)
}

// Concurrent first calls share one cache read, as they share one fetch.
func TestTokenCacheConcurrentWarmStart(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(5))
	defer srv.Close()
	cache := &countingCache{memTokenCache: newMemTokenCache()}
	listOneHost(t, simClient(t, srv, "full", withCache(cache)), "")
	cache.loads = 0

	srv.ResetStats()
	c := simClient(t, srv, "full", withCache(cache))
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			resp, err := c.Do(context.Background(), "", &Request{Method: http.MethodGet, Path: "/devices/queries/devices/v1"})
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("list hosts: %v %v", resp, err)
			}
		})
	}
	wg.Wait()
	if n := tokenCalls(srv); n != 0 {
		t.Errorf("%d token calls, want 0", n)
	}
	if cache.loads != 1 {
		t.Errorf("%d cache reads, want 1", cache.loads)
	}
}
