package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"charm.land/huh/v2"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

// These tests use an in-memory keyring injected through openProfileStore, never
// keyring.MockInit: the real-keyring tests in login_real_test.go share this test binary and
// must keep go-keyring's real provider. None of them is parallel (they swap package seams).

var credEnv = []string{"FALCON_CLIENT_ID", "FALCON_CLIENT_SECRET", "FALCON_CLOUD", "FALCON_MEMBER_CID", "FALCON_TUI_PROFILE"}

// isolate keeps a test away from the user's environment credentials and config directory.
func isolate(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	for _, k := range credEnv {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	cfg := filepath.Join(base, "config")
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(base, "cache"))
	t.Setenv("HOME", base)
	t.Setenv("AppData", cfg)
	secrets.reset()
	t.Cleanup(secrets.reset)
	swap(t, &loginStdin, nil)
	swap(t, &stdinIsTerminal, func() bool { return false })
	swap(t, &readHiddenLine, func(io.Writer) (string, error) {
		t.Error("the secret was read from a terminal")
		return "", errors.New("no terminal in tests")
	})
	swap(t, &runLoginForm, func(context.Context, *loginAnswers) error {
		t.Error("the login form was shown")
		return errors.New("no form in tests")
	})
	return cfg
}

// fakeProfiles isolates t and backs the profile store with an in-memory keyring.
func fakeProfiles(t *testing.T) (*profiletest.Keyring, string) {
	t.Helper()
	cfg := isolate(t)
	kr := profiletest.New()
	dir := filepath.Join(cfg, "falcon-tui")
	swap(t, &openProfileStore, func() (*profile.Store, error) {
		return profile.Open(profile.Options{Dir: dir, Keyring: kr})
	})
	return kr, dir
}

func swap[T any](t *testing.T, p *T, v T) {
	t.Helper()
	old := *p
	*p = v
	t.Cleanup(func() { *p = old })
}

// cli runs the command exactly as main does, with stdin as standard input.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	loginStdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func newSim(t *testing.T, opts ...falcontest.Option) *falcontest.Server {
	t.Helper()
	srv := falcontest.NewServer(append([]falcontest.Option{falcontest.WithTenants(1), falcontest.WithHosts(3)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

func loginArgs(srv *falcontest.Server, name, id string) []string {
	return []string{"login", "--profile", name, "--client-id", id, "--secret-stdin", "--base-url", srv.URL}
}

func tokenRequests(srv *falcontest.Server) int64 {
	return srv.Stats().ByOperation["POST /oauth2/token"]
}

func assertNothingStored(t *testing.T, kr *profiletest.Keyring, dir string) {
	t.Helper()
	if kr != nil && kr.Len() != 0 {
		t.Errorf("the keyring holds %d secrets", kr.Len())
	}
	if _, err := os.Stat(filepath.Join(dir, profile.FileName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a settings file exists (%v)", err)
	}
}

func assertNoSecret(t *testing.T, secret string, outputs ...string) {
	t.Helper()
	for _, o := range outputs {
		if strings.Contains(o, secret) {
			t.Fatalf("the secret was printed:\n%s", o)
		}
	}
}

func TestLoginSecretStdinStoresAndReports(t *testing.T) {
	kr, dir := fakeProfiles(t)
	srv := newSim(t)
	full := srv.Client("full")

	code, out, errOut := cli(t, full.Secret+"\n", loginArgs(srv, "prod", full.ID)...)
	if code != exitOK {
		t.Fatalf("login exit %d\n%s%s", code, out, errOut)
	}
	assertNoSecret(t, full.Secret, out, errOut)
	if v, ok := kr.Peek("falcon-tui", "prod"); !ok || v != full.Secret {
		t.Fatal("the secret is not in the keyring under (falcon-tui, prod)")
	}
	for _, want := range []string{`profile "prod"`, full.ID, srv.ParentCID(), "OS keyring (service falcon-tui, user prod)", dir} {
		if !strings.Contains(out, want) {
			t.Errorf("login output lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, profile.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(full.Secret)) {
		t.Fatal("the settings file holds the secret")
	}
	store, _ := openProfileStore()
	p, err := store.Get("prod")
	if err != nil || p.ClientID != full.ID || p.BaseURL != srv.URL || p.TenantCID != srv.ParentCID() {
		t.Fatalf("stored profile %+v, %v", p, err)
	}
}

func TestLoginStoresMemberCIDAndCloud(t *testing.T) {
	_, _ = fakeProfiles(t)
	srv := newSim(t)
	full := srv.Client("full")
	child := srv.Tenants()[1].CID
	args := append(loginArgs(srv, "child", full.ID), "--member-cid", child)
	if code, out, errOut := cli(t, full.Secret, args...); code != exitOK {
		t.Fatalf("login exit %d\n%s%s", code, out, errOut)
	}
	store, _ := openProfileStore()
	p, err := store.Get("child")
	if err != nil || p.MemberCID != child {
		t.Fatalf("profile %+v, %v; want member CID %s", p, err, child)
	}
}

func TestLoginFailuresStoreNothing(t *testing.T) {
	for _, c := range []struct {
		name   string
		opts   []falcontest.Option
		secret func(falcontest.APIClient) string
		url    func(*falcontest.Server) string
		want   string
	}{
		{name: "wrong secret", secret: func(c falcontest.APIClient) string { return c.Secret + "x" },
			want: "refused the client id or secret"},
		{name: "blocked IP", opts: []falcontest.Option{falcontest.WithBlockedClient("full")},
			want: "denied this IP address"},
		{name: "unreachable", url: func(*falcontest.Server) string { return closedLoopbackURL(t) },
			want: "cannot reach http://127.0.0.1:"},
	} {
		// Without a keyring (no D-Bus session bus here) login still checks the credentials
		// first: each failure keeps its own message instead of the keyring's, which only a
		// correct secret gets (TestLoginKeyringUnavailableStoresNothing).
		for _, noKeyring := range []bool{false, true} {
			name := c.name
			if noKeyring {
				name += ", no keyring"
			}
			t.Run(name, func(t *testing.T) {
				kr, dir := fakeProfiles(t)
				if noKeyring {
					kr.Fail("", errors.New(`exec: "dbus-launch": executable file not found in $PATH`))
				}
				srv := newSim(t, c.opts...)
				full := srv.Client("full")
				secret := full.Secret
				if c.secret != nil {
					secret = c.secret(full)
				}
				args := loginArgs(srv, "prod", full.ID)
				if c.url != nil {
					args[len(args)-1] = c.url(srv)
				}
				code, out, errOut := cli(t, secret, args...)
				if code != exitError {
					t.Fatalf("exit %d, want %d\n%s%s", code, exitError, out, errOut)
				}
				if !strings.Contains(errOut, c.want) || !strings.Contains(errOut, "Nothing was stored") {
					t.Fatalf("stderr lacks %q and 'Nothing was stored':\n%s", c.want, errOut)
				}
				if strings.Contains(errOut, "D-Bus") || strings.Contains(errOut, "keyring") {
					t.Fatalf("the keyring's message stands in for the credentials' own:\n%s", errOut)
				}
				assertNoSecret(t, secret, out, errOut)
				assertNothingStored(t, kr, dir)
			})
		}
	}
}

// A keyring that cannot be used is asked first (before the form) but reported after the
// credentials are checked: "the credentials work, but" the keyring case. Nothing is stored.
func TestLoginKeyringUnavailableStoresNothing(t *testing.T) {
	for _, c := range []struct {
		name, op string // op: the keyring operation that fails ("" = all)
		err      error
		want     string
	}{
		{"locked", "", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), "locked"},
		{"no session bus", "", errors.New(`exec: "dbus-launch": executable file not found in $PATH`), "no D-Bus session bus"},
		{"write fails after the token", "set", errors.New("The name org.freedesktop.secrets was not provided by any .service files"),
			"no Secret Service"},
	} {
		t.Run(c.name, func(t *testing.T) {
			kr, dir := fakeProfiles(t)
			kr.Fail(c.op, c.err)
			srv := newSim(t)
			full := srv.Client("full")
			code, _, errOut := cli(t, full.Secret, loginArgs(srv, "prod", full.ID)...)
			if code != exitError || !strings.Contains(errOut, "the credentials work, but cannot store the secret") ||
				!strings.Contains(errOut, c.want) || !strings.Contains(errOut, "Nothing was stored") {
				t.Fatalf("exit %d, want 1 with %q:\n%s", code, c.want, errOut)
			}
			if n := tokenRequests(srv); n == 0 {
				t.Fatal("no token request: the credentials were not checked")
			}
			assertNothingStored(t, kr, dir)
		})
	}
}

// closedLoopbackURL is the URL of a loopback port nobody listens on.
func closedLoopbackURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestLoginUsageErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"no terminal, no --secret-stdin", "", []string{"login", "--client-id", "abc"}, "not a terminal"},
		{"--secret-stdin without --client-id", "s", []string{"login", "--secret-stdin"}, "needs --client-id"},
		{"empty standard input", "\n", []string{"login", "--client-id", "abc", "--secret-stdin"}, "held no secret"},
		{"two lines", "a\nb\n", []string{"login", "--client-id", "abc", "--secret-stdin"}, "more than one line"},
		{"secret as an argument", "", []string{"login", "--client-id", "abc", "hunter2"}, "never an argument"},
		{"bad profile name", "s", []string{"login", "--profile", "../x", "--client-id", "abc", "--secret-stdin"}, "profile name"},
		{"bad cloud", "s", []string{"login", "--cloud", "mars-1", "--client-id", "abc", "--secret-stdin"}, "unknown cloud"},
		{"client id with spaces", "s", []string{"login", "--client-id", "a b", "--secret-stdin"}, "without spaces"},
		{"no secret flag exists", "", []string{"login", "--client-id", "abc", "--secret", "hunter2"}, "unknown flag: --secret"},
	} {
		t.Run(c.name, func(t *testing.T) {
			kr, dir := fakeProfiles(t)
			code, _, errOut := cli(t, c.stdin, c.args...)
			if code != exitUsage || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d, want %d with %q:\n%s", code, exitUsage, c.want, errOut)
			}
			assertNoSecret(t, "hunter2", errOut)
			assertNothingStored(t, kr, dir)
		})
	}
}

func TestLoginHelpListsEveryFlag(t *testing.T) {
	fakeProfiles(t)
	code, out, _ := cli(t, "", "login", "-h")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, f := range []string{"--client-id", "--secret-stdin", "--profile", "--cloud", "--base-url", "--member-cid", "--me"} {
		if !strings.Contains(out, f) {
			t.Errorf("login -h lacks %s", f)
		}
	}
}

func TestLoginFormOnTerminal(t *testing.T) {
	kr, dir := fakeProfiles(t)
	srv := newSim(t)
	full := srv.Client("full")
	stdinIsTerminal = func() bool { return true }
	var asked loginAnswers
	runLoginForm = func(_ context.Context, a *loginAnswers) error {
		asked = *a
		a.ClientID, a.Secret = " "+full.ID+" ", full.Secret+"\n" // pasted with blanks
		return nil
	}
	code, out, errOut := cli(t, "", "login", "--profile", "tty", "--cloud", "us-2", "--base-url", srv.URL)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if asked.Cloud != "us-2" {
		t.Errorf("the form's cloud defaulted to %q, want --cloud us-2", asked.Cloud)
	}
	if v, _ := kr.Peek("falcon-tui", "tty"); v != full.Secret {
		t.Fatal("secret not stored (trimmed) from the form")
	}
	assertNoSecret(t, full.Secret, out, errOut)

	// Cancelling the form stores nothing.
	kr2, dir2 := fakeProfiles(t)
	stdinIsTerminal = func() bool { return true }
	runLoginForm = func(context.Context, *loginAnswers) error { return huh.ErrUserAborted }
	code, _, errOut = cli(t, "", "login", "--profile", "tty", "--base-url", srv.URL)
	if code != exitError || !strings.Contains(errOut, "cancelled") {
		t.Fatalf("aborted form: exit %d\n%s", code, errOut)
	}
	assertNothingStored(t, kr2, dir2)
	_ = dir
}

func TestLogoutRemovesBothHalvesIdempotently(t *testing.T) {
	kr, dir := fakeProfiles(t)
	srv := newSim(t)
	full := srv.Client("full")
	if code, _, errOut := cli(t, full.Secret, loginArgs(srv, "prod", full.ID)...); code != exitOK {
		t.Fatal(errOut)
	}
	code, out, _ := cli(t, "", "logout", "--profile", "prod")
	if code != exitOK || !strings.Contains(out, "removed its settings and its secret") {
		t.Fatalf("logout: %d %s", code, out)
	}
	if kr.Len() != 0 {
		t.Fatal("secret left in the keyring")
	}
	code, out, _ = cli(t, "", "logout", "--profile", "prod")
	if code != exitOK || !strings.Contains(out, "nothing to remove") {
		t.Fatalf("second logout: %d %s", code, out)
	}
	// A secret without settings (settings deleted by hand) is still removed.
	kr.Set("falcon-tui", "orphan", "s")
	code, out, _ = cli(t, "", "logout", "--profile", "orphan")
	if code != exitOK || !strings.Contains(out, "it had no settings") || kr.Len() != 0 {
		t.Fatalf("orphan logout: %d %s", code, out)
	}
	_ = dir
}

func TestLogoutKeyringUnavailableRemovesNothing(t *testing.T) {
	kr, _ := fakeProfiles(t)
	srv := newSim(t)
	full := srv.Client("full")
	if code, _, errOut := cli(t, full.Secret, loginArgs(srv, "prod", full.ID)...); code != exitOK {
		t.Fatal(errOut)
	}
	kr.Fail("delete", errors.New(`exec: "dbus-launch": executable file not found in $PATH`))
	code, _, errOut := cli(t, "", "logout", "--profile", "prod")
	if code != exitError || !strings.Contains(errOut, "no D-Bus session bus") || !strings.Contains(errOut, "Nothing was removed") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	store, _ := openProfileStore()
	if _, err := store.Get("prod"); err != nil {
		t.Fatalf("settings removed: %v", err)
	}
}

func TestLoginSecretStdinOnTerminalIsHidden(t *testing.T) {
	kr, _ := fakeProfiles(t)
	srv := newSim(t)
	full := srv.Client("full")
	stdinIsTerminal = func() bool { return true }
	readHiddenLine = func(prompt io.Writer) (string, error) {
		fmt.Fprint(prompt, "Client secret (hidden): ")
		return full.Secret, nil
	}
	code, out, errOut := cli(t, "not-this", loginArgs(srv, "prod", full.ID)...)
	if code != exitOK || !strings.Contains(errOut, "(hidden)") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if v, _ := kr.Peek("falcon-tui", "prod"); v != full.Secret {
		t.Fatal("the hidden line was not the stored secret")
	}
	// Logging in again replaces the profile and says so.
	stdinIsTerminal = func() bool { return false }
	code, out, _ = cli(t, full.Secret, loginArgs(srv, "prod", full.ID)...)
	if code != exitOK || !strings.Contains(out, "previous credentials are replaced") {
		t.Fatalf("re-login: %d %s", code, out)
	}
}

func TestLoginFormMasksTheSecret(t *testing.T) {
	ans := loginAnswers{ClientID: "0123abcd", Secret: "Sup3rSecretValue", Cloud: "EU1"}
	f := newLoginForm(&ans).WithWidth(80)
	f.Init()
	view := f.View()
	if strings.Contains(view, ans.Secret) || !strings.Contains(view, strings.Repeat("*", len(ans.Secret))) {
		t.Fatalf("the secret field does not mask its value:\n%s", view)
	}
	if ans.Cloud != "eu-1" || !strings.Contains(view, "us-gov-2") || !strings.Contains(view, "auto") {
		t.Fatalf("cloud %q / options:\n%s", ans.Cloud, view)
	}
}
