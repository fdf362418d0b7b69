package main

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startExplorerWithStore runs the explorer with its local store on. The store's key goes
// to the OS keyring, so this runs only inside the private, throwaway Secret Service of
// .ci/keyring.sh (which sets FALCON_TUI_REQUIRE_KEYRING=1): a test never writes the
// keyring of the machine it runs on. The store's key is removed when the test ends.
func startExplorerWithStore(t *testing.T, name string, env []string, args ...string) *tmuxSession {
	t.Helper()
	if os.Getenv("FALCON_TUI_REQUIRE_KEYRING") != "1" {
		t.Skip("needs the private Secret Service of .ci/keyring.sh (FALCON_TUI_REQUIRE_KEYRING=1)")
	}
	return startExplorerRaw(t, name, env, args...)
}

var hostsTitle = regexp.MustCompile(`Hosts\([^)]*\)\[([\d,]+)\]`)

// TestWarmStartEndToEnd: start, quit, start again — the second run shows the same hosts at
// once, from the encrypted local store, with their age, and refreshes them.
func TestWarmStartEndToEnd(t *testing.T) {
	if os.Getenv("FALCON_TUI_REQUIRE_KEYRING") != "1" {
		t.Skip("needs the private Secret Service of .ci/keyring.sh (FALCON_TUI_REQUIRE_KEYRING=1)")
	}
	// Each reply waits a second: the refresh after the restart cannot hide the stored rows.
	sim := startSim(t, "--tenants", "1", "--hosts", "2000", "--latency", "1s")
	cache := t.TempDir()
	profile := fmt.Sprintf("e2e-warm-%d", os.Getpid())
	env := []string{"XDG_CACHE_HOME=" + cache, "XDG_CONFIG_HOME=" + t.TempDir(),
		"FALCON_CLIENT_ID=" + sim.id, "FALCON_CLIENT_SECRET=" + sim.secret}
	args := []string{"--profile", profile, "--base-url", sim.url}
	t.Cleanup(func() {
		// The store and its key leave the keyring with the profile.
		cmd := exec.Command(e2eBinary(t), "logout", "--profile", profile)
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+cache)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("logout: %v\n%s", err, out)
		}
	})

	first := startExplorerWithStore(t, "warm1", env, args...)
	scr := first.waitFor("first load", "Hosts(", "hosts · refreshed in")
	m := hostsTitle.FindStringSubmatch(scr)
	if m == nil {
		t.Fatalf("no hosts count on screen:\n%s", scr)
	}
	count := m[1]
	first.quit()

	start := time.Now()
	second := startExplorerWithStore(t, "warm2", env, args...)
	scr = second.waitFor("warm start", "Hosts(", "as of ")
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("the stored hosts took %v to show", took)
	}
	if m := hostsTitle.FindStringSubmatch(scr); m == nil || m[1] != count {
		t.Fatalf("the stored list is not the %s hosts of the first run:\n%s", count, scr)
	}
	if !strings.Contains(scr, "refreshing") && !strings.Contains(scr, "connecting") {
		t.Fatalf("the stored rows do not say a refresh is coming:\n%s", scr)
	}
	second.keys("BTab") // Tenants: each tenant's age
	second.waitFor("tenants", "Tenants[2]", "SYNCED")
	second.keys("Tab")
	second.waitFor("refreshed", "hosts · refreshed in")
	second.waitGone("refreshed", "as of ")
	second.quit()
}
