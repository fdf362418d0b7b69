package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

// Tests against the real Secret Service that .ci/keyring.sh starts (FALCON_TUI_REQUIRE_KEYRING=1).
// They use the real profile store: openProfileStore is left as it is.

func realProfileName(t *testing.T) string {
	b := make([]byte, 4)
	rand.Read(b)
	name := "login-real-" + hex.EncodeToString(b) // go test ./... shares the keyring between packages
	t.Cleanup(func() { _ = keyring.Delete(profile.Service, name) })
	return name
}

func TestLoginRealKeyringEndToEnd(t *testing.T) {
	profiletest.RequireRealKeyring(t)
	cfg := isolate(t)
	srv := newSim(t)
	full := srv.Client("full")
	name := realProfileName(t)

	code, out, errOut := cli(t, full.Secret+"\n", loginArgs(srv, name, full.ID)...)
	if code != exitOK {
		t.Fatalf("login exit %d\n%s%s", code, out, errOut)
	}
	assertNoSecret(t, full.Secret, out, errOut)
	// In the Secret Service, under service falcon-tui and user = profile name.
	if v, err := keyring.Get(profile.Service, name); err != nil || v != full.Secret {
		t.Fatalf("Secret Service: secret stored = %v, err %v", v == full.Secret, err)
	}
	// In no file under the config or data directories (where the keyring keeps its files).
	data := os.Getenv("XDG_DATA_HOME")
	hits, scanned, err := profiletest.FilesContaining([]byte(full.Secret), cfg, data, os.Getenv("XDG_RUNTIME_DIR"))
	if err != nil || len(hits) > 0 {
		t.Fatalf("secret in clear text in %v (%v)", hits, err)
	}
	if _, err := os.Stat(filepath.Join(cfg, "falcon-tui", profile.FileName)); err != nil || data == "" || scanned < 2 {
		t.Fatalf("the scan did not cover the settings (%v) and the keyring files (XDG_DATA_HOME=%q, %d files)", err, data, scanned)
	}

	// A second run: nothing cached, the secret comes from the keyring, and a session works.
	secrets.reset()
	g := defaultGlobalOptions()
	g.Profile = name
	c, err := resolveCredentials(g)
	if err != nil || c.Source != "keyring" || c.Config.ClientSecret != full.Secret || c.Config.ClientID != full.ID || c.Config.BaseURL != srv.URL {
		t.Fatalf("second run: %s %v", c.Source, err)
	}
	s, err := openSession(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Client.Connect(context.Background()); err != nil {
		t.Fatalf("a session from the stored profile: %v", err)
	}
	s.Close()

	code, out, _ = cli(t, "", "profiles", "--json", "--check")
	if code != exitOK || !strings.Contains(out, `"secret": "present"`) {
		t.Fatalf("profiles --check: %d %s", code, out)
	}
	assertNoSecret(t, full.Secret, out)

	code, out, _ = cli(t, "", "logout", "--profile", name)
	if code != exitOK || !strings.Contains(out, "removed its settings and its secret") {
		t.Fatalf("logout: %d %s", code, out)
	}
	if _, err := keyring.Get(profile.Service, name); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("after logout the Secret Service says %v", err)
	}
	secrets.reset()
	if _, err := resolveCredentials(g); !errors.Is(err, profile.ErrNoProfile) {
		t.Fatalf("after logout: %v", err)
	}
}

const loginHelperEnv = "FALCON_TUI_LOGIN_HELPER_ARGS"

// TestLoginRealKeyringUnavailable runs `falcon-tui login` (this test binary, as a child) in
// each reproducible unavailable-keyring case. The credentials are checked first (a token is
// requested): a correct secret gets the keyring case's own message, a wrong secret the
// bad-secret message and not the keyring's. Exit 1 and nothing stored either way.
func TestLoginRealKeyringUnavailable(t *testing.T) {
	profiletest.RequireRealKeyring(t)
	isolate(t)
	srv := newSim(t)
	full := srv.Client("full")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"no-session-bus":    "no D-Bus session bus",
		"no-secret-service": "has no Secret Service",
		"locked":            "locked and was not unlocked",
	}
	const badSecret = "refused the client id or secret"
	for _, sc := range profiletest.Unavailable(t) {
		for _, secret := range []string{full.Secret, full.Secret + "x"} {
			name := sc.Name
			if secret != full.Secret {
				name += ", wrong secret"
			}
			t.Run(name, func(t *testing.T) {
				cfg := t.TempDir()
				tokensBefore := tokenRequests(srv)
				args, _ := json.Marshal(loginArgs(srv, "unavail", full.ID))
				cmd := sc.Command(t, []string{exe, "-test.run=^TestLoginHelperProcess$", "-test.count=1"})
				cmd.Env = append(cmd.Env, loginHelperEnv+"="+string(args), "XDG_CONFIG_HOME="+cfg)
				cmd.Stdin = strings.NewReader(secret + "\n")
				var out, errb bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &errb
				err := cmd.Run()
				code := -1
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					code = ee.ExitCode()
				} else if err == nil {
					code = 0
				}
				text := out.String() + errb.String()
				if !strings.Contains(text, "helper exit="+strconv.Itoa(exitError)) {
					t.Fatalf("want exit %d; process exit %d:\n%s", exitError, code, text)
				}
				if !strings.Contains(text, "Nothing was stored") {
					t.Fatalf("no 'Nothing was stored':\n%s", text)
				}
				if secret == full.Secret {
					if !strings.Contains(text, want[sc.Reason]) || !strings.Contains(text, "the credentials work, but") {
						t.Fatalf("want %q after 'the credentials work, but':\n%s", want[sc.Reason], text)
					}
				} else if !strings.Contains(text, badSecret) || strings.Contains(text, want[sc.Reason]) {
					t.Fatalf("want %q and not the keyring's %q:\n%s", badSecret, want[sc.Reason], text)
				}
				if tokenRequests(srv) == tokensBefore {
					t.Fatal("no token request: the credentials were not checked")
				}
				assertNoSecret(t, secret, text)
				if entries, err := os.ReadDir(cfg); err != nil || len(entries) != 0 {
					t.Fatalf("something was stored under the config dir: %v %v", entries, err)
				}
			})
		}
	}
}

// TestLoginHelperProcess is the child of TestLoginRealKeyringUnavailable: it runs the
// command line it is given, with the real standard input and the real keyring.
func TestLoginHelperProcess(t *testing.T) {
	raw := os.Getenv(loginHelperEnv)
	if raw == "" {
		return // only meaningful as a child of TestLoginRealKeyringUnavailable / TestLoginRealFormInTmux
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	for _, k := range credEnv {
		os.Unsetenv(k)
	}
	loginStdin = os.Stdin
	code := run(context.Background(), args, os.Stdout, os.Stderr)
	os.Stdout.WriteString("\nhelper exit=" + strconv.Itoa(code) + "\n")
}
