package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// q must give the terminal back while a big load is in flight: every tenant's hosts
// streaming, their counts, the tenants' health counts, tokens being fetched against the
// token endpoint's budget. Before, the exit waited on all of it (36.8 s with 1,000 tenants
// at a million hosts). This test checks that the process ends, with status 0, once q is
// pressed mid-load; how fast is the benchmark's business (the README's figures).
func TestQuitDuringABigLoadExits(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a simulated cloud of 120 tenants")
	}
	srv := falcontest.NewServer(falcontest.WithTenants(120), falcontest.WithHosts(400),
		falcontest.WithLatency(20*time.Millisecond))
	t.Cleanup(srv.Close)
	full := srv.Client("full")
	s := startExplorerEnv(t, "quit", []string{"FALCON_CLIENT_ID=" + full.ID, "FALCON_CLIENT_SECRET=" + full.Secret},
		"--base-url", srv.URL)
	s.waitFor("start", "Hosts(", "HOSTNAME")
	s.keys("t")
	s.waitFor("all tenants", "all 121 tenants")
	start := time.Now()
	s.quit()
	t.Logf("q to exit, mid-load of 121 tenants: %v", time.Since(start).Round(time.Millisecond))
	if n := srv.Stats().ByOperation["POST /oauth2/token"]; n < 2 {
		t.Fatalf("%d token requests: the load was not in flight across tenants", n)
	}
}

// startExplorerEnv is startExplorer with credentials in the environment.
func startExplorerEnv(t *testing.T, name string, env []string, args ...string) *tmuxSession {
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
	targs := []string{"new-session", "-d", "-s", "e2e", "-x", "120", "-y", "35", "-e", "TERM=xterm-256color",
		"-e", "XDG_CONFIG_HOME=" + t.TempDir()}
	for _, e := range env {
		targs = append(targs, "-e", e)
	}
	if out, err := s.tmux(append(targs, cmd)...); err != nil {
		t.Fatalf("tmux new-session: %v %s", err, out)
	}
	return s
}

// The explorer's exit gives revoking the tokens exitBudget, not closeTimeout (which bounds
// the other commands' Close): with a revoke that never answers, the exit does not wait.
func TestExitDoesNotWaitOnRevokes(t *testing.T) {
	swap(t, &closeTimeout, time.Hour)
	swap(t, &exitBudget, 50*time.Millisecond)
	srv := newSim(t)
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var revokes atomic.Int32
	release := make(chan struct{})
	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/revoke" {
			revokes.Add(1)
			<-release
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(stalled.Close)
	defer close(release)

	s, err := openSession(context.Background(), envOptions(t, srv, stalled.URL))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Client.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		closeAtExit(context.Background(), s, &profileSessions{g: defaultGlobalOptions()})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the exit waits on a revoke that never answers")
	}
	if revokes.Load() == 0 {
		t.Fatal("no revoke was even tried")
	}
}
