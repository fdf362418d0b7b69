package store

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

// run is one falcon-tui run: the store opened, a client using it as its token cache, a call
// in the home tenant and in a child, the client closed, then the store.
func run(t *testing.T, srv *falcontest.Server, dir string, kr *profiletest.Keyring, client string) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, "default", kr, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	cred := srv.Client(client)
	c, err := falcon.New(falcon.Config{ClientID: cred.ID, ClientSecret: cred.Secret, BaseURL: srv.URL, TokenCache: s.TokenCache()})
	if err != nil {
		t.Fatal(err)
	}
	for _, cid := range []string{"", srv.Tenants()[1].CID} {
		resp, err := c.Do(ctx, cid, &falcon.Request{Method: http.MethodGet, Path: "/devices/queries/devices/v1", Query: url.Values{"limit": {"1"}}})
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s in %q: %v %v", client, cid, resp, err)
		}
	}
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// Tokens saved in one run are used by the next, through the encrypted store: a warm start
// spends no token call; another API client spends its own.
func TestTokensReusedAcrossRuns(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(1), falcontest.WithHosts(10))
	defer srv.Close()
	dir := t.TempDir()
	kr := profiletest.New()

	run(t, srv, dir, kr, "full")
	st := srv.Stats()
	if n := st.ByOperation["POST /oauth2/token"]; n != 2 {
		t.Fatalf("cold start: %d token calls, want 2 (home and child)", n)
	}
	if n := st.ByOperation["POST /oauth2/revoke"]; n != 0 {
		t.Fatalf("%d revocations at exit, want 0: the tokens are kept for the next run", n)
	}

	srv.ResetStats()
	run(t, srv, dir, kr, "full")
	if n := srv.Stats().ByOperation["POST /oauth2/token"]; n != 0 {
		t.Errorf("warm start: %d token calls, want 0", n)
	}

	srv.ResetStats()
	run(t, srv, dir, kr, "analyst")
	if n := srv.Stats().ByOperation["POST /oauth2/token"]; n != 2 {
		t.Errorf("another API client: %d token calls, want 2 (never the other client's tokens)", n)
	}

	s := openTest(t, dir, kr)
	if st, _ := s.Stats(context.Background()); st.Tokens != 4 {
		t.Errorf("store holds %d tokens, want 4 (two clients, two tenants)", st.Tokens)
	}
	// Delete is PutToken with no value.
	key := falcon.TokenKey{ClientID: srv.Client("full").ID}
	s.TokenCache().Delete(context.Background(), key)
	if _, _, ok := s.TokenCache().Load(context.Background(), key); ok {
		t.Error("a deleted token loads")
	}
}

// Version 2 kept tokens by CID alone; version 3 drops them (they named no API client) and
// keys them by client and CID.
func TestMigrationToVersion3DropsUnkeyedTokens(t *testing.T) {
	dir := t.TempDir()
	kr := profiletest.New()
	key, _, err := loadKey(context.Background(), kr, "default")
	if err != nil {
		t.Fatal(err)
	}
	saved := migrations
	migrations = saved[:2]
	db, err := openDB(context.Background(), filepath.Join(dir, "default.db"), key, time.Second)
	migrations = saved
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO tokens(cid, token, expires) VALUES(?, 'old-token', ?)`, cid(1), time.Now().Add(time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO tenants(cid, name) VALUES(?, 'kept')`, cid(1)); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()

	s := openTest(t, dir, kr)
	if s.Notice() != nil {
		t.Fatalf("the migration set the store aside: %v", s.Notice())
	}
	st, err := s.Stats(context.Background())
	if err != nil || st.SchemaVersion != SchemaVersion || st.Tokens != 0 || len(st.Tenants) != 1 {
		t.Fatalf("after migration: %+v, %v", st, err)
	}
	ctx := context.Background()
	if err := s.PutToken(ctx, "client-a", cid(1), Token{Value: "a", Expiry: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutToken(ctx, "client-b", cid(1), Token{Value: "b", Expiry: t0}); err != nil {
		t.Fatal(err)
	}
	a, _, _ := s.Token(ctx, "client-a", cid(1))
	b, _, _ := s.Token(ctx, "client-b", cid(1))
	if a.Value != "a" || b.Value != "b" {
		t.Fatalf("tokens per client: %q %q", a.Value, b.Value)
	}
	if err := s.DeleteTenant(ctx, cid(1)); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Stats(ctx); st.Tokens != 0 || !strings.Contains(st.Path, "default.db") {
		t.Fatalf("DeleteTenant left %d tokens", st.Tokens)
	}
}

// A store another process is writing to costs a token call at most, never a long wait: the
// cache's write gives up within its bound, and reads go on (WAL).
func TestTokenCacheDoesNotWaitOnABusyStore(t *testing.T) {
	dir := t.TempDir()
	kr := profiletest.New()
	holder := openTest(t, dir, kr)
	other := openTest(t, dir, kr)
	ctx := context.Background()
	key := falcon.TokenKey{ClientID: "client", CID: cid(1)}
	other.TokenCache().Save(ctx, key, "before", t0.Add(time.Hour))

	tx, err := holder.db.BeginTx(ctx, nil) // immediate: holds the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `DELETE FROM watermarks`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	other.TokenCache().Save(ctx, key, "during", t0.Add(time.Hour))
	if d := time.Since(start); d > tokenCacheTimeout+time.Second {
		t.Errorf("Save waited %v on a busy store, want at most about %v", d, tokenCacheTimeout)
	}
	if tok, _, ok := other.TokenCache().Load(ctx, key); !ok || tok != "before" {
		t.Errorf("Load during another's write = %q %v, want the token saved before", tok, ok)
	}
}
