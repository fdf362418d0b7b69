package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/profile"
)

// A second `hosts` run within the tokens' life spends no token call: the first run kept its
// tokens in the profile's encrypted store instead of revoking them.
func TestHostsReusesTokensAcrossRuns(t *testing.T) {
	fakeProfiles(t)
	srv := falcontest.NewServer(falcontest.WithTenants(2), falcontest.WithHosts(20))
	t.Cleanup(srv.Close)

	if code, errs := runHostsAs(t, srv, srv.URL, "full", io.Discard, "--all-tenants"); code != exitOK || errs != "" {
		t.Fatalf("first run: exit %d, stderr %q", code, errs)
	}
	st := srv.Stats()
	if n := st.ByOperation["POST /oauth2/token"]; n != 3 {
		t.Fatalf("first run: %d token calls, want 3 (home and two children)", n)
	}
	if n := st.ByOperation["POST /oauth2/revoke"]; n != 0 {
		t.Errorf("first run revoked %d tokens at exit, want 0: they are kept for the next run", n)
	}
	if v := storeJSONOf(t); v.Tokens != 3 {
		t.Errorf("the store holds %d tokens, want 3", v.Tokens)
	}

	srv.ResetStats()
	var out bytes.Buffer
	if code, errs := runHostsAs(t, srv, srv.URL, "full", &out, "--all-tenants"); code != exitOK || errs != "" {
		t.Fatalf("second run: exit %d, stderr %q", code, errs)
	}
	if n := tokenRequests(srv); n != 0 {
		t.Errorf("second run: %d token calls, want 0", n)
	}
	if out.Len() == 0 {
		t.Error("second run listed nothing")
	}

	// scopes uses the same tokens.
	srv.ResetStats()
	if code, _, errs := cli(t, "", "--base-url", srv.URL, "scopes"); code != exitOK {
		t.Fatalf("scopes: exit %d, %s", code, errs)
	}
	if n := tokenRequests(srv); n != 0 {
		t.Errorf("scopes after hosts: %d token calls, want 0", n)
	}
}

// --no-store keeps nothing and revokes at exit, as before the store.
func TestHostsNoStoreRevokes(t *testing.T) {
	fakeProfiles(t)
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(5))
	t.Cleanup(srv.Close)
	for range 2 {
		if code, errs := runHostsAs(t, srv, srv.URL, "full", io.Discard, "--no-store"); code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
	}
	st := srv.Stats()
	if n := st.ByOperation["POST /oauth2/token"]; n != 2 {
		t.Errorf("--no-store: %d token calls in two runs, want 2", n)
	}
	if n := st.ByOperation["POST /oauth2/revoke"]; n != 2 {
		t.Errorf("--no-store: %d revocations in two runs, want 2", n)
	}
	if v := storeJSONOf(t); v.Exists {
		t.Errorf("--no-store created a store at %s", v.Path)
	}
}

// Without a keyring there is no store: the command works as before and says nothing on
// standard error (scripts read it); with --log the log says why once.
func TestHostsWithoutKeyringIsQuiet(t *testing.T) {
	kr, _ := fakeProfiles(t)
	kr.Fail("", errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(5))
	t.Cleanup(srv.Close)
	logPath := filepath.Join(t.TempDir(), "calls.log")
	if code, errs := runHostsAs(t, srv, srv.URL, "full", io.Discard); code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if code, errs := runHostsAs(t, srv, srv.URL, "full", io.Discard, "--log", logPath); code != exitOK || errs != "" {
		t.Fatalf("with --log: exit %d, stderr %q", code, errs)
	}
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "keyring is unavailable"); n != 1 {
		t.Errorf("the log says %d times that the keyring is unavailable, want 1:\n%s", n, b)
	}
	if n := srv.Stats().ByOperation["POST /oauth2/revoke"]; n != 2 {
		t.Errorf("without a store: %d revocations, want 2 (one per run)", n)
	}
}

// A store that cannot be read is set aside and rebuilt, said once on standard error; the
// run goes on and keeps its token in the new store.
func TestHostsSetsAsideABrokenStore(t *testing.T) {
	fakeProfiles(t)
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(5))
	t.Cleanup(srv.Close)
	if code, errs := runHostsAs(t, srv, srv.URL, "full", io.Discard); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	path := storeJSONOf(t).Path
	for _, suffix := range []string{"-wal", "-shm"} {
		_ = os.Remove(path + suffix)
	}
	if err := os.WriteFile(path, bytes.Repeat([]byte("not a database "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	srv.ResetStats()
	code, errs := runHostsAs(t, srv, srv.URL, "full", io.Discard)
	if code != exitOK || strings.Count(errs, "set aside") != 1 {
		t.Fatalf("exit %d, stderr %q: want one notice that the store was set aside", code, errs)
	}
	if n := tokenRequests(srv); n != 1 {
		t.Errorf("%d token calls with a rebuilt store, want 1", n)
	}
	if v := storeJSONOf(t); v.Tokens != 1 {
		t.Errorf("the rebuilt store holds %d tokens, want 1", v.Tokens)
	}
}

// The explorer's `:profile NAME` keeps that profile's tokens in that profile's store: the
// second switch to it in another run spends no token call; its store closes at exit.
func TestProfileSwitchReusesTokens(t *testing.T) {
	fakeProfiles(t)
	srv := newSim(t)
	full := srv.Client("full")
	saveProfile(t, profile.Profile{Name: "sim", ClientID: full.ID, Cloud: "auto", BaseURL: srv.URL}, full.Secret)
	g := defaultGlobalOptions()
	a := &app{g: g, stdout: io.Discard, stderr: io.Discard}
	for run := range 2 {
		srv.ResetStats()
		p := &profileSessions{g: g, tokens: a.tokenStoreOf}
		if _, err := p.openProfile(context.Background(), "sim"); err != nil {
			t.Fatal(err)
		}
		if len(p.stores) != 1 {
			t.Fatalf("run %d: %d stores kept for closing", run, len(p.stores))
		}
		p.close(context.Background())
		if len(p.stores) != 0 {
			t.Fatal("the stores were not closed")
		}
		want := int64(1)
		if run == 1 {
			want = 0
		}
		if n := tokenRequests(srv); n != want {
			t.Errorf("run %d: %d token calls, want %d", run, n, want)
		}
		if n := srv.Stats().ByOperation["POST /oauth2/revoke"]; n != 0 {
			t.Errorf("run %d: %d revocations at exit, want 0", run, n)
		}
	}
}
