package profiletest

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
)

// RequireEnv is set to 1 by .ci/keyring.sh inside its private D-Bus session. With it, tests of
// the real OS keyring run and fail when the keyring does not answer; without it they skip, so
// that a plain `go test` on a desktop never writes to the developer's own keyring.
const RequireEnv = "FALCON_TUI_REQUIRE_KEYRING"

// RequireRealKeyring skips t unless RequireEnv=1.
func RequireRealKeyring(t testing.TB) {
	t.Helper()
	if os.Getenv(RequireEnv) != "1" {
		t.Skipf("real-keyring test: run it with `bash .ci/keyring.sh run go test ...` (sets %s=1 in a private D-Bus session with an unlocked gnome-keyring)", RequireEnv)
	}
}

// FilesContaining walks dirs and returns every regular file whose bytes contain needle
// (missing dirs are skipped). It proves a secret reached no file on disk in clear text.
func FilesContaining(needle []byte, dirs ...string) ([]string, int, error) {
	var hits []string
	scanned := 0
	for _, dir := range dirs {
		if dir == "" {
			continue
		}
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) || os.IsPermission(err) {
					return nil
				}
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return nil // vanished or unreadable (a socket dir, a daemon's lock)
			}
			scanned++
			if bytes.Contains(b, needle) {
				hits = append(hits, path)
			}
			return nil
		})
		if err != nil {
			return hits, scanned, err
		}
	}
	return hits, scanned, nil
}

// Scenario is a way for the OS keyring to be unavailable, reproduced for real on Linux.
type Scenario struct {
	Name   string
	Reason string // profile.Reason.String() the diagnosis must give
	// Command returns a command that runs argv inside the scenario.
	Command func(t testing.TB, argv []string) *exec.Cmd
}

// Unavailable lists the keyring-unavailable cases that can be reproduced on this machine.
// Each needs only dbus (dbus-run-session, dbus-send) and gnome-keyring, as .ci/keyring.sh
// installs them; WSL is covered by synthetic tests only.
func Unavailable(t testing.TB) []Scenario {
	t.Helper()
	var out []Scenario
	if !userBusExists() {
		// godbus looks for /run/user/UID/bus before running dbus-launch: with that socket
		// present an unset address still finds a bus, so the case cannot be reproduced.
		out = append(out, Scenario{Name: "session bus address unset, no dbus-launch", Reason: "no-session-bus",
			Command: func(t testing.TB, argv []string) *exec.Cmd {
				cmd := exec.Command(argv[0], argv[1:]...)
				empty := t.TempDir() // PATH without dbus-launch
				cmd.Env = append(envWithout("DBUS_SESSION_BUS_ADDRESS", "PATH"), "PATH="+empty)
				return cmd
			}})
	}
	out = append(out,
		Scenario{Name: "session bus address does not answer", Reason: "no-session-bus",
			Command: func(t testing.TB, argv []string) *exec.Cmd {
				cmd := exec.Command(argv[0], argv[1:]...)
				cmd.Env = append(envWithout("DBUS_SESSION_BUS_ADDRESS"),
					"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"))
				return cmd
			}},
		Scenario{Name: "session bus without a Secret Service", Reason: "no-secret-service",
			Command: func(t testing.TB, argv []string) *exec.Cmd {
				return privateBus(t, "", argv)
			}},
		Scenario{Name: "gnome-keyring without an unlocked collection", Reason: "locked",
			Command: func(t testing.TB, argv []string) *exec.Cmd {
				// Started without --unlock, gnome-keyring has no login collection and, with
				// no display, no prompter to create one: go-keyring's unlock fails.
				return privateBus(t, "gnome-keyring-daemon --foreground --components=secrets", argv)
			}},
	)
	return out
}

// privateBus runs argv under dbus-run-session with a bus configuration that has no service
// directories, so nothing is auto-activated (and nothing outlives the bus). daemon, if set, is
// started first and argv runs once it owns org.freedesktop.secrets.
func privateBus(t testing.TB, daemon string, argv []string) *exec.Cmd {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "session.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(busConfig, dir)), 0o600); err != nil {
		t.Fatal(err)
	}
	data, runtime := filepath.Join(dir, "data"), filepath.Join(dir, "runtime")
	for _, d := range []string{data, runtime} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	script := `"$@"`
	if daemon != "" {
		script = daemon + ` >"$XDG_RUNTIME_DIR/daemon.log" 2>&1 &
d=$!
i=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
  i=$((i+1)); [ $i -lt 200 ] || { echo "daemon did not come up" >&2; cat "$XDG_RUNTIME_DIR/daemon.log" >&2; kill $d; exit 97; }
  sleep 0.05
done
rc=0; "$@" || rc=$?
kill $d 2>/dev/null; wait $d 2>/dev/null
exit $rc`
	}
	args := append([]string{"--config-file=" + conf, "--", "sh", "-c", script, "sh"}, argv...)
	cmd := exec.Command("dbus-run-session", args...)
	cmd.Env = append(envWithout("DBUS_SESSION_BUS_ADDRESS", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"),
		"XDG_DATA_HOME="+data, "XDG_RUNTIME_DIR="+runtime)
	return cmd
}

const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

func userBusExists() bool {
	u, err := user.Current()
	if err != nil {
		return false
	}
	_, err = os.Stat(filepath.Join("/run/user", u.Uid, "bus"))
	return err == nil
}

// envWithout is os.Environ() minus the named variables.
func envWithout(names ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			drop = drop || k == n
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}
