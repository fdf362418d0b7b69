package profile

import (
	"errors"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/zalando/go-keyring"
)

// fakeEnv plays an operating system for the diagnosis.
func fakeEnv(goos string, env map[string]string, procVersion string) environment {
	return environment{
		goos:   goos,
		getenv: func(k string) string { return env[k] },
		procVersion: func() ([]byte, error) {
			if procVersion == "" {
				return nil, errors.New("no /proc/version")
			}
			return []byte(procVersion), nil
		},
	}
}

const debianKernel = "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12) #1 SMP Debian 6.1.76-1"

type diagCase struct {
	name     string
	goos     string
	env      map[string]string
	err      error
	reason   Reason
	sentinel error
	want     []string // substrings of the message: which case and what to do
	notWant  []string // raw error text that must not leak
}

func TestKeyringDiagnoseSyntheticErrors(t *testing.T) {
	linux := "linux"
	cases := []diagCase{
		{
			name: "no session bus, no dbus-launch", goos: linux,
			err:    &exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound},
			reason: ReasonNoSessionBus, sentinel: ErrNoSessionBus,
			want:    []string{"no D-Bus session bus", "DBUS_SESSION_BUS_ADDRESS is not set", "dbus-run-session", "gnome-keyring-daemon --unlock", "FALCON_CLIENT_ID", "FALCON_CLIENT_SECRET", "docs/LOGIN.md"},
			notWant: []string{"exec:", "executable file not found"},
		},
		{
			name: "no session bus, godbus could not find one", goos: linux,
			err:    errors.New("dbus: couldn't determine address of session bus"),
			reason: ReasonNoSessionBus, sentinel: ErrNoSessionBus,
			want:    []string{"no D-Bus session bus", "no session bus was found"},
			notWant: []string{"couldn't determine"},
		},
		{
			name: "session bus address does not answer", goos: linux,
			env: map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"},
			err: &net.OpError{Op: "dial", Net: "unix", Addr: &net.UnixAddr{Name: "/run/user/1000/bus", Net: "unix"},
				Err: syscall.ENOENT},
			reason: ReasonNoSessionBus, sentinel: ErrNoSessionBus,
			want:    []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus does not answer"},
			notWant: []string{"dial unix", "no such file or directory"},
		},
		{
			name: "no Secret Service provider (dbus-daemon text)", goos: linux,
			err:    errors.New("The name org.freedesktop.secrets was not provided by any .service files"),
			reason: ReasonNoSecretService, sentinel: ErrNoSecretService,
			want:    []string{"no Secret Service", "gnome-keyring", "KeePassXC", "FALCON_CLIENT_ID"},
			notWant: []string{".service files"},
		},
		{
			name: "collection locked or absent", goos: linux,
			err:    errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"),
			reason: ReasonLocked, sentinel: ErrKeyringLocked,
			want:    []string{"locked", "Unlock it", "gnome-keyring-daemon --unlock", "FALCON_CLIENT_ID"},
			notWant: []string{"failed to unlock correct collection", "aliases/default"},
		},
		{
			name: "unsupported platform", goos: "plan9",
			err:    keyring.ErrUnsupportedPlatform,
			reason: ReasonUnsupported, sentinel: ErrKeyringUnsupported,
			want: []string{"plan9", "FALCON_CLIENT_ID"},
		},
		{
			name: "macOS keychain refuses", goos: "darwin",
			err:    errors.New("The user name or passphrase you entered is not correct."),
			reason: ReasonOther,
			want:   []string{"macOS Keychain refused", "passphrase you entered", "security unlock-keychain", "FALCON_CLIENT_ID"},
		},
		{
			name: "Windows credential manager refuses", goos: "windows",
			err:    errors.New("A specified logon session does not exist."),
			reason: ReasonOther,
			want:   []string{"Windows Credential Manager refused", "logon session", "FALCON_CLIENT_ID"},
		},
		{
			name: "unknown Linux error is shown, sanitised", goos: linux,
			err:    errors.New("weird \x1b[31mfailure"),
			reason: ReasonOther,
			want:   []string{"OS keyring refused: weird [31mfailure", "secret-tool"},
		},
	}
	cases = append(cases, platformDiagCases()...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := fakeEnv(c.goos, c.env, debianKernel)
			e := env.diagnose("store", "prod", c.err)
			checkDiagnosis(t, e, c)
		})
	}
}

func checkDiagnosis(t *testing.T, e *UnavailableError, c diagCase) {
	t.Helper()
	if e.Reason != c.reason {
		t.Fatalf("reason = %v, want %v", e.Reason, c.reason)
	}
	if !errors.Is(e, ErrKeyringUnavailable) {
		t.Error("does not match ErrKeyringUnavailable")
	}
	if c.sentinel != nil && !errors.Is(e, c.sentinel) {
		t.Errorf("does not match %v", c.sentinel)
	}
	for _, other := range []error{ErrNoSessionBus, ErrNoSecretService, ErrKeyringLocked, ErrKeyringTimeout, ErrKeyringUnsupported} {
		if other != c.sentinel && errors.Is(e, other) {
			t.Errorf("also matches %v", other)
		}
	}
	// dbus.Error is not comparable, so check the chain by text rather than errors.Is.
	if raw := errors.Unwrap(e); raw == nil || raw.Error() != c.err.Error() {
		t.Errorf("Unwrap = %v, want the raw error %v", raw, c.err)
	}
	msg := e.Error()
	if !strings.HasPrefix(msg, `cannot store the secret of profile "prod": `) {
		t.Errorf("message does not say what failed: %q", msg)
	}
	for _, w := range c.want {
		if !strings.Contains(msg, w) {
			t.Errorf("message lacks %q:\n%s", w, msg)
		}
	}
	for _, w := range c.notWant {
		if strings.Contains(msg, w) {
			t.Errorf("message leaks raw %q:\n%s", w, msg)
		}
	}
	if strings.ContainsAny(msg, "\x1b\a\r\n") {
		t.Errorf("message holds control characters: %q", msg)
	}
}

func TestKeyringDiagnoseWSL(t *testing.T) {
	for _, c := range []struct {
		name, goos, procVersion string
		env                     map[string]string
		want                    bool
	}{
		{"WSL_DISTRO_NAME", "linux", debianKernel, map[string]string{"WSL_DISTRO_NAME": "Ubuntu"}, true},
		{"WSL2 kernel", "linux", "Linux version 5.15.153.1-microsoft-standard-WSL2 (root@65c7)", nil, true},
		{"WSL1 kernel", "linux", "Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com)", nil, true},
		{"plain Linux", "linux", debianKernel, nil, false},
		{"no /proc", "linux", "", nil, false},
		{"macOS with the variable set", "darwin", "", map[string]string{"WSL_DISTRO_NAME": "x"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := fakeEnv(c.goos, c.env, c.procVersion)
			if got := env.wsl(); got != c.want {
				t.Fatalf("wsl() = %v, want %v", got, c.want)
			}
			e := env.diagnose("read", "default", &exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound})
			msg := e.Error()
			if e.WSL != c.want || strings.Contains(msg, "This is WSL") != c.want {
				t.Fatalf("WSL=%v, message: %s", e.WSL, msg)
			}
			if c.want {
				// The WSL hint still names the case, and offers both ways out.
				for _, w := range []string{"no D-Bus session bus", "FALCON_CLIENT_ID and FALCON_CLIENT_SECRET", "sudo apt install dbus gnome-keyring"} {
					if !strings.Contains(msg, w) {
						t.Errorf("WSL message lacks %q: %s", w, msg)
					}
				}
			}
		})
	}
}

func TestKeyringDiagnoseWSLEveryLinuxCase(t *testing.T) {
	env := fakeEnv("linux", map[string]string{"WSL_DISTRO_NAME": "Ubuntu-24.04"}, "")
	for _, raw := range []error{
		&exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound},
		errors.New("The name org.freedesktop.secrets was not provided by any .service files"),
		errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"),
	} {
		msg := env.diagnose("store", "p", raw).Error()
		if !strings.Contains(msg, "This is WSL") {
			t.Errorf("%v: no WSL hint: %s", raw, msg)
		}
	}
}
