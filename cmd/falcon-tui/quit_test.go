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
// pressed mid-load; how fast is the benchmark's business (the README's figures, measured
// with FALCON_TUI_QUIT_TENANTS=999: a thousand tenants, most still waiting for a token).
func TestQuitDuringABigLoadExits(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a simulated cloud of 120 tenants")
	}
	children := 120
	if v := os.Getenv("FALCON_TUI_QUIT_TENANTS"); v != "" {
		if _, err := fmt.Sscan(v, &children); err != nil {
			t.Fatal(err)
		}
	}
	srv := falcontest.NewServer(falcontest.WithTenants(children), falcontest.WithHosts(400),
		falcontest.WithLatency(20*time.Millisecond))
	t.Cleanup(srv.Close)
	full := srv.Client("full")
	s := startExplorerEnv(t, "quit", []string{"FALCON_CLIENT_ID=" + full.ID, "FALCON_CLIENT_SECRET=" + full.Secret, "XDG_CONFIG_HOME=" + t.TempDir()},
		"--base-url", srv.URL)
	s.waitFor("start", "Hosts(", "HOSTNAME")
	// t needs the tenant list, which may still be on its way: press it until it takes.
	all := fmt.Sprintf("all %d tenants", children+1)
	for deadline := time.Now().Add(waitTimeout); !strings.Contains(s.screen(), all); {
		if time.Now().After(deadline) {
			t.Fatalf("t never showed %q; last screen:\n%s", all, s.last)
		}
		s.keys("t")
		time.Sleep(time.Second)
	}
	time.Sleep(time.Second) // well into the load
	start := time.Now()
	s.quit()
	t.Logf("q to exit, mid-load of %d tenants: %v", children+1, time.Since(start).Round(time.Millisecond))
	if n := srv.Stats().ByOperation["POST /oauth2/token"]; n < 2 {
		t.Fatalf("%d token requests: the load was not in flight across tenants", n)
	}
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

// TestExplorerResidentMemory measures the explorer at a million hosts: 100 tenants of
// 10,000 hosts on a simulated cloud in this process, the binary in tmux showing all of them,
// its resident memory read from /proc once the load is complete, then q timed. It takes
// minutes and gigabytes, so it runs only when asked:
//
//	FALCON_TUI_RSS=1 go test ./cmd/falcon-tui -run TestExplorerResidentMemory -v -timeout 30m
//
// (FALCON_TUI_RSS_HOSTS=N sets the hosts per tenant.) The README's Benchmarks section has
// the figures.
func TestExplorerResidentMemory(t *testing.T) {
	if os.Getenv("FALCON_TUI_RSS") == "" {
		t.Skip("set FALCON_TUI_RSS=1 to measure the explorer's memory at a million hosts")
	}
	perTenant := 10_000
	if v := os.Getenv("FALCON_TUI_RSS_HOSTS"); v != "" {
		if _, err := fmt.Sscan(v, &perTenant); err != nil {
			t.Fatal(err)
		}
	}
	const tenants = 99 // children, with the parent: 100
	srv := falcontest.NewServer(falcontest.WithTenants(tenants), falcontest.WithHosts(perTenant))
	t.Cleanup(srv.Close)
	full := srv.Client("full")
	s := startExplorerEnv(t, "rss", []string{"FALCON_CLIENT_ID=" + full.ID, "FALCON_CLIENT_SECRET=" + full.Secret, "XDG_CONFIG_HOME=" + t.TempDir()},
		"--base-url", srv.URL)
	s.waitFor("start", "Hosts(", "HOSTNAME")
	pid, err := s.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}")
	if err != nil {
		t.Fatal(err)
	}
	// The pane runs a shell that runs the binary: its child.
	out, err := exec.Command("pgrep", "-P", strings.TrimSpace(pid), "falcon-tui").Output()
	if err != nil {
		t.Fatalf("pgrep: %v", err)
	}
	proc := strings.Fields(string(out))[0]
	start := time.Now()
	s.keys("t")
	s.waitFor("all tenants", fmt.Sprintf("all %d tenants", tenants+1))
	deadline := time.Now().Add(25 * time.Minute)
	var rss, hwm string
	for {
		scr := s.screen()
		if strings.Contains(scr, " hosts in ") && strings.Contains(scr, fmt.Sprintf("all %d tenants", tenants+1)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the load did not finish; last screen:\n%s", scr)
		}
		time.Sleep(time.Second)
	}
	loaded := time.Since(start)
	status, err := os.ReadFile("/proc/" + proc + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			rss = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			hwm = strings.TrimSpace(v)
		}
	}
	t.Logf("%d hosts over %d tenants: loaded in %v; VmRSS %s, VmHWM (peak) %s",
		(tenants+1)*perTenant, tenants+1, loaded.Round(time.Second), rss, hwm)
	q := time.Now()
	s.quit()
	t.Logf("q to exit: %v", time.Since(q).Round(time.Millisecond))
	var kb int
	if _, err := fmt.Sscan(rss, &kb); err != nil {
		t.Fatalf("VmRSS %q: %v", rss, err)
	}
	if kb > 1536*1024 {
		t.Fatalf("resident memory %s at %d hosts: over 1.5 GB", rss, (tenants+1)*perTenant)
	}
}
