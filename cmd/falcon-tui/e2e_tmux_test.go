package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// tmuxSession drives the real binary on a private tmux server: keys in, screen text out.
type tmuxSession struct {
	t      *testing.T
	socket string
	last   string
	dir    string // the run's standard error and exit status are written here
}

// waitTimeout bounds every wait for the screen; generous for loaded CI machines.
const waitTimeout = 20 * time.Second

// e2eBin is the binary the end-to-end tests run, built once for all of them.
var e2eBin struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// TestMain removes the shared end-to-end binary after the tests.
func TestMain(m *testing.M) {
	// A test that did not swap in an in-memory keyring (fakeProfiles) gets no local store:
	// the commands open it by themselves (the token cache), and a test must never leave a
	// store key in the OS keyring of the machine it runs on.
	osStoreKeyring := storeKeyring
	storeKeyring = func() (profile.Keyring, error) {
		kr, err := osStoreKeyring()
		if _, fake := kr.(*profiletest.Keyring); err == nil && !fake {
			return nil, fmt.Errorf("%w: tests use an in-memory keyring only", store.ErrNoKeyring)
		}
		return kr, err
	}
	code := m.Run()
	if e2eBin.dir != "" {
		_ = os.RemoveAll(e2eBin.dir)
	}
	os.Exit(code)
}

// e2eBinary builds falcon-tui on first use and returns its path.
func e2eBinary(t *testing.T) string {
	t.Helper()
	e2eBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "falcon-tui-e2e-")
		if err != nil {
			e2eBin.err = err
			return
		}
		e2eBin.dir, e2eBin.path = dir, filepath.Join(dir, "falcon-tui")
		if out, err := exec.Command("go", "build", "-o", e2eBin.path, ".").CombinedOutput(); err != nil {
			e2eBin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if e2eBin.err != nil {
		t.Fatal(e2eBin.err)
	}
	return e2eBin.path
}

// startExplorer runs `falcon-tui ARGS…` (the binary built from this package) on a private
// tmux server at 120×35, without credentials in the environment, and kills the server when
// the test ends. tmux is required when CI is set; elsewhere the test is skipped without it.
func startExplorer(t *testing.T, name string, args ...string) *tmuxSession {
	t.Helper()
	return startExplorerEnv(t, name, nil, args...)
}

// startExplorerEnv is startExplorer with variables set in its environment (NAME=value:
// e.g. FALCON_CLIENT_ID and FALCON_CLIENT_SECRET of a `falcon-tui sim` client).
func startExplorerEnv(t *testing.T, name string, env []string, args ...string) *tmuxSession {
	t.Helper()
	if !slices.Contains(args, "--demo") {
		// The real binary would keep its tokens in a local store whose key goes to the OS
		// keyring of the machine running the tests: never from a test.
		args = append([]string{"--no-store"}, args...)
	}
	return startExplorerRaw(t, name, env, args...)
}

// startExplorerRaw is startExplorerEnv with the arguments exactly as given: the local
// store is on unless they say --no-store (see startExplorerWithStore).
func startExplorerRaw(t *testing.T, name string, env []string, args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is required for the end-to-end test in CI (apt-get install tmux)")
		}
		t.Skip("tmux is not installed; the end-to-end test needs it")
	}
	s := &tmuxSession{t: t, socket: fmt.Sprintf("ftui-%s-%d-%d", name, os.Getpid(), time.Now().UnixNano()), dir: t.TempDir()}
	bin := e2eBinary(t)
	t.Cleanup(func() { _, _ = s.tmux("kill-server") })
	cmd := fmt.Sprintf("%s %s 2>%s; echo $? > %s", bin, strings.Join(args, " "),
		filepath.Join(s.dir, "stderr"), filepath.Join(s.dir, "exit"))
	tmuxArgs := []string{"new-session", "-d", "-s", "e2e", "-x", "120", "-y", "35", "-e", "TERM=xterm-256color"}
	for _, e := range env {
		tmuxArgs = append(tmuxArgs, "-e", e)
	}
	if out, err := s.tmux(append(tmuxArgs, cmd)...); err != nil {
		t.Fatalf("tmux new-session: %v %s", err, out)
	}
	return s
}

// quit presses q and waits for the program to end with status 0: the terminal is given back.
func (s *tmuxSession) quit() {
	s.t.Helper()
	s.keys("q")
	deadline := time.Now().Add(waitTimeout)
	for {
		if b, err := os.ReadFile(filepath.Join(s.dir, "exit")); err == nil && strings.TrimSpace(string(b)) != "" {
			if code := strings.TrimSpace(string(b)); code != "0" {
				errOut, _ := os.ReadFile(filepath.Join(s.dir, "stderr"))
				s.t.Fatalf("falcon-tui exited with %s: %s", code, errOut)
			}
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("q did not quit; last screen:\n%s", s.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *tmuxSession) tmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	return string(out), err
}

// keys sends key names as tmux understands them (Enter, Escape, Down, C-c, …).
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	if out, err := s.tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...); err != nil {
		s.t.Fatalf("send-keys %v: %v %s", keys, err, out)
	}
}

// text types literal text.
func (s *tmuxSession) text(text string) {
	s.t.Helper()
	if out, err := s.tmux("send-keys", "-t", "e2e", "-l", text); err != nil {
		s.t.Fatalf("send-keys -l %q: %v %s", text, err, out)
	}
}

func (s *tmuxSession) screen() string {
	out, err := s.tmux("capture-pane", "-p", "-t", "e2e")
	if err == nil {
		s.last = out
	}
	return s.last
}

// waitFor polls the screen until every string is on it.
func (s *tmuxSession) waitFor(what string, want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		scr := s.screen()
		ok := true
		for _, w := range want {
			if !strings.Contains(scr, w) {
				ok = false
				break
			}
		}
		if ok {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: screen never showed %q; last screen:\n%s", what, want, scr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitGone polls the screen until s is no longer on it.
func (s *tmuxSession) waitGone(what, gone string) {
	s.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for strings.Contains(s.screen(), gone) {
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: %q stayed on screen:\n%s", what, gone, s.last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestExplorerEndToEnd runs `falcon-tui --demo` in tmux through the path an analyst takes:
// tenants → switch tenant → hosts → filter → host detail → groups → alerts → help → scopes
// → quit.
func TestExplorerEndToEnd(t *testing.T) {
	s := startExplorer(t, "e2e", "--demo")

	// The frame and the first hosts.
	s.waitFor("start", "falcon-tui", "Hosts(", "HOSTNAME", "hosts in")

	// Tenants: the parent and its children with their counts.
	s.keys(":")
	s.text("tenants")
	s.keys("Enter")
	scr := s.waitFor(":tenants", "Tenants[", "└ ", "NEW ALERTS")
	child := regexp.MustCompile(`└ (\S[^│]*?)\s{2,}`).FindStringSubmatch(scr)
	if child == nil {
		t.Fatalf("no child tenant on screen:\n%s", scr)
	}
	name := strings.TrimSpace(child[1])

	// Switch to the first child: the hosts pane reloads for it.
	s.keys("Down", "Enter")
	scr = s.waitFor("switch tenant", "tenant "+name, "Hosts("+name+")", "hosts in")

	// Filter the hosts to one name.
	row := regexp.MustCompile(`(?m)^│\s+(\S+)\s+(Windows|Linux|Mac)\s`).FindStringSubmatch(scr)
	if row == nil {
		t.Fatalf("no host row on screen:\n%s", scr)
	}
	host := row[1]
	s.keys("/")
	s.text(host)
	s.waitFor("filter", "/ "+host, "[1/")
	s.keys("Enter")
	s.waitFor("filter applied", "/"+host, "[1/")

	// Host detail.
	s.keys("Enter")
	s.waitFor("host detail", "IDENTITY", "Host("+host+")", "ZERO TRUST ASSESSMENT", "esc back")
	s.keys("Escape")
	s.waitGone("back to hosts", "IDENTITY")
	s.waitFor("back to hosts", "HOSTNAME", "Hosts("+name+")")

	// Host groups of the tenant.
	s.keys(":")
	s.text("groups")
	s.keys("Enter")
	s.waitFor("groups", "Host groups", "MEMBERS")

	// Alerts, and one alert in full.
	s.keys("Tab")
	s.waitFor("alerts", "Alerts(", "SEVERITY")
	s.keys("Enter")
	s.waitFor("alert detail", "MITRE ATT&CK", "esc back")
	s.keys("Escape")
	s.waitGone("back to alerts", "MITRE ATT&CK")

	// Help: the global keys and the focused pane's.
	s.keys("?")
	s.waitFor("help", "Global", "next pane", "Alerts", "FQL filter (server)")
	// A key sent right after Escape would reach the program as alt+key, as on any terminal:
	// wait for the box to go first.
	s.keys("Escape")
	s.waitGone("help closed", "esc or ? closes")

	// Scope health: the matrix of scope × tenant (the home tenant and the child switched to
	// above among the columns) and a readiness line per integration set.
	s.keys(":")
	s.text("scopes")
	s.keys("Enter")
	scr = s.waitFor(":scopes", "Scopes(", "Scope health", "SCOPE", "IDENTIFIER", "R  W",
		"Hosts", "devices", "Host groups", "host-group", "Flight Control", "mssp",
		"Home tenant", name, "falcon-tui ", "NinjaOne multi-tenancy", "Cortex XSOAR", "NetBird EDR", "✓ granted")
	if !regexp.MustCompile(`(?m)^│. Hosts\s+devices\s+[✓✗○!?·]  [✓✗○!?·]`).MatchString(scr) {
		t.Fatalf("no matrix row for Hosts:\n%s", scr)
	}
	if !regexp.MustCompile(`(?m)^│[✓✗] falcon-tui\s+(ready|not ready)`).MatchString(scr) {
		t.Fatalf("no readiness line for falcon-tui:\n%s", scr)
	}

	// Quit: the program ends with status 0 and the terminal is given back.
	s.quit()
}
