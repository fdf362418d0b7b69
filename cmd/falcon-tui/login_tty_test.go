package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

// TestLoginRealFormInTmux drives the huh login form on a real terminal (a private tmux
// server): the secret is masked while typed, never on screen, and lands in the real keyring.
// The "binary" is this test binary running TestLoginHelperProcess, i.e. run() as main calls it.
func TestLoginRealFormInTmux(t *testing.T) {
	profiletest.RequireRealKeyring(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	cfg := isolate(t)
	srv := newSim(t)
	full := srv.Client("full")
	name := realProfileName(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	sock := fmt.Sprintf("falcon-tui-login-%d", os.Getpid())
	tmux := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("tmux", append([]string{"-L", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", sock, "kill-server").Run() })
	helperArgs := fmt.Sprintf(`["login","--profile",%q,"--base-url",%q]`, name, srv.URL)
	tmux("new-session", "-d", "-x", "100", "-y", "30",
		"-e", loginHelperEnv+"="+helperArgs, "-e", "XDG_CONFIG_HOME="+cfg,
		exe+" -test.run=^TestLoginHelperProcess$ -test.count=1; sleep 30")
	screen := func() string { return tmux("capture-pane", "-p", "-S", "-200") }
	// Poll the screen until it shows want (the form renders asynchronously).
	waitFor := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			s := screen()
			if strings.Contains(s, want) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("the screen never showed %q:\n%s", want, s)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	waitFor("API client ID")
	tmux("send-keys", "-l", full.ID)
	tmux("send-keys", "Enter")
	waitFor("┃ Client secret")
	tmux("send-keys", "-l", full.Secret)
	s := waitFor(strings.Repeat("*", len(full.Secret)))
	if strings.Contains(s, full.Secret) {
		t.Fatalf("the secret is on screen:\n%s", s)
	}
	tmux("send-keys", "Enter")
	waitFor("┃ Cloud")
	tmux("send-keys", "Enter") // auto
	s = waitFor("helper exit=")
	if !strings.Contains(s, "helper exit=0") || !strings.Contains(s, `Logged in: profile "`+name+`"`) {
		t.Fatalf("login did not succeed:\n%s", s)
	}
	if strings.Contains(s, full.Secret) {
		t.Fatalf("the secret is in the terminal's scrollback:\n%s", s)
	}
	if v, err := keyring.Get(profile.Service, name); err != nil || v != full.Secret {
		t.Fatalf("keyring: stored=%v err=%v", v == full.Secret, err)
	}
}
