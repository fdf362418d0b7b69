package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile"
)

// saveProfile stores a profile directly (no login, no cloud).
func saveProfile(t *testing.T, p profile.Profile, secret string) {
	t.Helper()
	store, err := openProfileStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Save(context.Background(), p, secret); err != nil {
		t.Fatal(err)
	}
}

func TestCredEnvironmentWins(t *testing.T) {
	kr, _ := fakeProfiles(t)
	saveProfile(t, profile.Profile{Name: "default", ClientID: "profile-id", Cloud: "eu-1"}, "profile-secret")
	gets := kr.Calls("get")
	t.Setenv("FALCON_CLIENT_ID", "env-id")
	t.Setenv("FALCON_CLIENT_SECRET", "env-secret")
	t.Setenv("FALCON_CLOUD", "us-2")
	t.Setenv("FALCON_MEMBER_CID", "child-cid")
	c, err := resolveCredentials(defaultGlobalOptions())
	if err != nil {
		t.Fatal(err)
	}
	want := falcon.Config{ClientID: "env-id", ClientSecret: "env-secret", Cloud: falcon.CloudUS2, MemberCID: "child-cid"}
	if c.Source != "environment" || c.Config != want {
		t.Fatalf("got %+v from %s, want %+v from the environment", c.Config, c.Source, want)
	}
	if kr.Calls("get") != gets {
		t.Fatal("the keyring was read although the environment had credentials")
	}
}

func TestCredProfileFromKeyringOncePerRun(t *testing.T) {
	kr, _ := fakeProfiles(t)
	saveProfile(t, profile.Profile{Name: "eu", ClientID: "eu-id", Cloud: "eu-1", BaseURL: "http://127.0.0.1:9", MemberCID: "m1"}, "eu-secret")
	gets := kr.Calls("get")
	g := defaultGlobalOptions()
	g.Profile = "eu"
	for range 3 {
		c, err := resolveCredentials(g)
		if err != nil {
			t.Fatal(err)
		}
		want := falcon.Config{ClientID: "eu-id", ClientSecret: "eu-secret", Cloud: falcon.CloudEU1, BaseURL: "http://127.0.0.1:9", MemberCID: "m1"}
		if c.Source != "keyring" || c.Config != want {
			t.Fatalf("got %+v from %s", c.Config, c.Source)
		}
	}
	if n := kr.Calls("get") - gets; n != 1 {
		t.Fatalf("the keyring was read %d times in one run, want once", n)
	}
}

func TestCredFlagsOverrideProfile(t *testing.T) {
	fakeProfiles(t)
	saveProfile(t, profile.Profile{Name: "default", ClientID: "id", Cloud: "eu-1", MemberCID: "m1"}, "s")
	g := defaultGlobalOptions()
	g.Cloud, g.MemberCID, g.BaseURL = "us-gov-1", "m2", "http://127.0.0.1:1"
	c, err := resolveCredentials(g)
	if err != nil {
		t.Fatal(err)
	}
	if c.Config.Cloud != falcon.CloudUSGov1 || c.Config.MemberCID != "m2" || c.Config.BaseURL != "http://127.0.0.1:1" {
		t.Fatalf("flags did not win: %+v", c.Config)
	}
}

func TestCredErrors(t *testing.T) {
	kr, _ := fakeProfiles(t)
	g := defaultGlobalOptions()

	_, err := resolveCredentials(g)
	if !errors.Is(err, profile.ErrNoProfile) || !strings.Contains(err.Error(), "falcon-tui login --profile default") {
		t.Fatalf("no profile: %v", err)
	}
	t.Setenv("FALCON_CLIENT_ID", "only-id")
	if _, err := resolveCredentials(g); err == nil || !strings.Contains(err.Error(), "FALCON_CLIENT_SECRET is not") {
		t.Fatalf("half the environment: %v", err)
	}
	os.Unsetenv("FALCON_CLIENT_ID")

	// Settings without a secret (deleted from the keyring by hand).
	saveProfile(t, profile.Profile{Name: "default", ClientID: "id", Cloud: "auto"}, "s")
	kr.Delete("falcon-tui", "default")
	if _, err := resolveCredentials(g); err == nil || !strings.Contains(err.Error(), "holds no secret") {
		t.Fatalf("missing secret: %v", err)
	}
	// An unavailable keyring is reported as such.
	kr.Fail("get", errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	if _, err := resolveCredentials(g); !errors.Is(err, profile.ErrNoSecretService) {
		t.Fatalf("unavailable keyring: %v", err)
	}
}

func TestCredOpenProfileClient(t *testing.T) {
	kr, _ := fakeProfiles(t)
	srv := newSim(t)
	full := srv.Client("full")
	saveProfile(t, profile.Profile{Name: "sim", ClientID: full.ID, Cloud: "auto", BaseURL: srv.URL}, full.Secret)
	saveProfile(t, profile.Profile{Name: "stale", ClientID: full.ID, Cloud: "auto", BaseURL: srv.URL}, "wrong-secret")
	// Environment credentials and start-up flags do not leak into a switched-to profile.
	t.Setenv("FALCON_CLIENT_ID", "env-id")
	t.Setenv("FALCON_CLIENT_SECRET", "env-secret")
	g := defaultGlobalOptions()
	g.BaseURL, g.MemberCID, g.ReadOnly = "http://127.0.0.1:1", "not-a-child", true
	ctx := context.Background()

	client, err := openProfileClient(ctx, g, "sim")
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close(ctx)
	if client.ClientID() != full.ID || !client.ReadOnly() || client.BaseURL() != srv.URL {
		t.Fatalf("client %s read-only=%v base %s", client.ClientID(), client.ReadOnly(), client.BaseURL())
	}
	if _, err := openProfileClient(ctx, g, "stale"); err == nil || !strings.Contains(err.Error(), "refused the client id or secret") {
		t.Fatalf("wrong secret: %v", err)
	}
	if _, err := openProfileClient(ctx, g, "nobody"); !errors.Is(err, profile.ErrNoProfile) {
		t.Fatalf("unknown profile: %v", err)
	}
	// Switching back and forth reads each secret once.
	gets := kr.Calls("get")
	c2, err := openProfileClient(ctx, g, "sim")
	if err != nil {
		t.Fatal(err)
	}
	c2.Close(ctx)
	if kr.Calls("get") != gets {
		t.Fatal("the keyring was read again for a profile already used in this run")
	}
}

func TestProfilesTableAndJSON(t *testing.T) {
	kr, dir := fakeProfiles(t)
	when := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	saveProfile(t, profile.Profile{Name: "default", ClientID: "id-default", Cloud: "us-2", TenantCID: "cid-home", LoggedInAt: when}, "SECRET-ONE")
	saveProfile(t, profile.Profile{Name: "eu", ClientID: "id-eu", Cloud: "eu-1", BaseURL: "http://127.0.0.1:8", MemberCID: "cid-child"}, "SECRET-TWO")
	gets := kr.Calls("get")

	code, out, errOut := cli(t, "", "profiles")
	if code != exitOK {
		t.Fatalf("exit %d %s", code, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "NAME") || !strings.HasPrefix(lines[1], "* default") || !strings.HasPrefix(lines[2], "  eu") {
		t.Fatalf("table:\n%s", out)
	}
	for _, w := range []string{"id-default", "us-2", "cid-home", "id-eu", "eu-1", "http://127.0.0.1:8", "cid-child", "keyring"} {
		if !strings.Contains(out, w) {
			t.Errorf("table lacks %q", w)
		}
	}

	code, out, _ = cli(t, "", "profiles", "--json")
	var rows []map[string]any
	if code != exitOK || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 2 {
		t.Fatalf("json: %d %s", code, out)
	}
	if rows[0]["name"] != "default" || rows[0]["default"] != true || rows[0]["client_id"] != "id-default" ||
		rows[0]["secret"] != "keyring" || rows[0]["logged_in_at"] != "2026-11-02T09:30:00Z" ||
		rows[1]["default"] != false || rows[1]["member_cid"] != "cid-child" || rows[1]["base_url"] != "http://127.0.0.1:8" {
		t.Fatalf("json rows: %v", rows)
	}
	assertNoSecret(t, "SECRET-", out)
	if kr.Calls("get") != gets {
		t.Fatal("profiles read the keyring without --check")
	}

	// FALCON_TUI_PROFILE moves the default marker.
	t.Setenv("FALCON_TUI_PROFILE", "eu")
	_, out, _ = cli(t, "", "profiles")
	if !strings.Contains(out, "* eu") || strings.Contains(out, "* default") {
		t.Fatalf("default marker:\n%s", out)
	}

	// --check asks the keyring, prints presence, never the secret.
	kr.Delete("falcon-tui", "eu")
	code, out, _ = cli(t, "", "profiles", "--check", "--json")
	if code != exitOK || !strings.Contains(out, `"secret": "present"`) || !strings.Contains(out, `"secret": "missing"`) {
		t.Fatalf("--check: %d %s", code, out)
	}
	assertNoSecret(t, "SECRET-", out)
	kr.Fail("get", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"))
	code, out, errOut = cli(t, "", "profiles", "--check")
	if code != exitError || !strings.Contains(out, "unavailable") || !strings.Contains(errOut, "locked") {
		t.Fatalf("--check with a locked keyring: %d\n%s\n%s", code, out, errOut)
	}
	_ = dir
}

func TestProfilesEmptyAndHostile(t *testing.T) {
	_, dir := fakeProfiles(t)
	code, out, _ := cli(t, "", "profiles")
	if code != exitOK || !strings.Contains(out, "No profiles yet") {
		t.Fatalf("%d %s", code, out)
	}
	code, out, _ = cli(t, "", "profiles", "--json")
	if code != exitOK || strings.TrimSpace(out) != "[]" {
		t.Fatalf("empty json: %d %q", code, out)
	}
	// A hand-edited settings file cannot drive the terminal.
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, profile.FileName), []byte(`{"version":1,"profiles":[{"name":"x","client_id":"\u001b]0;pwned\u0007id","cloud":"us-1\ttab"}]}`), 0o600)
	_, out, _ = cli(t, "", "profiles")
	if strings.ContainsAny(out, "\x1b\a") || !strings.Contains(out, "]0;pwnedid") {
		t.Fatalf("control characters reached the terminal: %q", out)
	}
}

// The :profile clients share one --log handle: an existing, looser file is made private, as
// the session's own log is.
func TestSharedLogIsMadePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profile-debug.log")
	if err := os.WriteFile(path, []byte("earlier run\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // whatever the umask
		t.Fatal(err)
	}
	w, err := sharedLog(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, "this run\n"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("log file mode %v, want -rw-------", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(path); string(b) != "earlier run\nthis run\n" {
		t.Fatalf("the log was not appended to: %q", b)
	}
}

// A :profile whose connect fails after the home token was issued (the member CID is not a
// child) closes its client, and that close — a token revoke — cannot hang the explorer on a
// cloud that never answers it, even though the caller's context has no deadline.
func TestCredProfileConnectFailureCloseIsBounded(t *testing.T) {
	fakeProfiles(t)
	revokeCancelled := make(chan struct{}, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("member_cid") != "" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"meta":{"trace_id":"t"},"errors":[{"code":400,"message":"member_cid is not a child of this CID"}]}`)
			return
		}
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"access_token":"tok","token_type":"bearer","expires_in":1799}`)
	})
	mux.HandleFunc("POST /oauth2/revoke", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // read to the end, so that the server notices a hang-up
		<-r.Context().Done()               // never answers: only the client giving up ends this
		revokeCancelled <- struct{}{}
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	ts := httptest.NewServer(mux)
	defer ts.Close()
	swap(t, &profileCloseTimeout, 50*time.Millisecond)

	saveProfile(t, profile.Profile{Name: "orphan", ClientID: "id", Cloud: "auto", BaseURL: ts.URL,
		MemberCID: "0123456789abcdef0123456789abcdef"}, "secret")
	_, err := openProfileClient(context.Background(), defaultGlobalOptions(), "orphan")
	if !errors.Is(err, falcon.ErrNotChild) {
		t.Fatalf("err = %v, want ErrNotChild", err)
	}
	// The revoke was sent and the client hung up on it (the guard only turns a hang into a
	// failure; it measures nothing).
	select {
	case <-revokeCancelled:
	case <-time.After(30 * time.Second):
		t.Fatal("no revoke was sent, or the client never gave up on it")
	}
}
