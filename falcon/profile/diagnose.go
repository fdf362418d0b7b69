package profile

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// Reason says why the OS keyring could not be used.
type Reason int

const (
	// ReasonOther: the keyring refused for a reason we do not recognise (the macOS Keychain
	// or Windows Credential Manager saying no, an unexpected D-Bus error). The raw error is
	// shown, since it is the only clue.
	ReasonOther Reason = iota
	// ReasonNoSessionBus: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset and no
	// dbus-launch to start one, or the address does not answer): headless Linux, SSH, CI.
	ReasonNoSessionBus
	// ReasonNoSecretService: a session bus, but nothing provides org.freedesktop.secrets.
	ReasonNoSecretService
	// ReasonLocked: the Secret Service answered, but its default collection is locked and
	// could not be unlocked, or does not exist (go-keyring never creates one).
	ReasonLocked
	// ReasonTimeout: the keyring did not answer in time (an unlock prompt nobody answers).
	ReasonTimeout
	// ReasonUnsupported: go-keyring has no backend for this platform.
	ReasonUnsupported
)

// Sentinels for errors.Is. Every *UnavailableError matches ErrKeyringUnavailable and the
// sentinel of its Reason.
var (
	ErrKeyringUnavailable = errors.New("profile: OS keyring unavailable")
	ErrNoSessionBus       = errors.New("profile: no D-Bus session bus")
	ErrNoSecretService    = errors.New("profile: no Secret Service on the session bus")
	ErrKeyringLocked      = errors.New("profile: keyring collection locked or missing")
	ErrKeyringTimeout     = errors.New("profile: the OS keyring did not answer")
	ErrKeyringUnsupported = errors.New("profile: no OS keyring on this platform")
)

var reasonSentinel = map[Reason]error{
	ReasonNoSessionBus:    ErrNoSessionBus,
	ReasonNoSecretService: ErrNoSecretService,
	ReasonLocked:          ErrKeyringLocked,
	ReasonTimeout:         ErrKeyringTimeout,
	ReasonUnsupported:     ErrKeyringUnsupported,
}

func (r Reason) String() string {
	switch r {
	case ReasonNoSessionBus:
		return "no-session-bus"
	case ReasonNoSecretService:
		return "no-secret-service"
	case ReasonLocked:
		return "locked"
	case ReasonTimeout:
		return "timeout"
	case ReasonUnsupported:
		return "unsupported"
	}
	return "other"
}

// UnavailableError is a keyring failure translated for the user: which case it is and what
// to do. Its message never includes a raw D-Bus error for the cases it recognises.
type UnavailableError struct {
	Reason  Reason
	Op      string // "store", "read" or "delete"
	Profile string
	GOOS    string
	WSL     bool          // running under Windows Subsystem for Linux
	Detail  string        // the recognised fact, e.g. "DBUS_SESSION_BUS_ADDRESS is not set ..."
	Timeout time.Duration // for ReasonTimeout
	Err     error         // go-keyring's error, for errors.As/Is and debugging
}

func (e *UnavailableError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrKeyringUnavailable) and errors.Is(err, ErrNoSessionBus) etc. work.
func (e *UnavailableError) Is(target error) bool {
	return target == ErrKeyringUnavailable || (target != nil && reasonSentinel[e.Reason] == target)
}

const envHint = "or skip the keyring: set FALCON_CLIENT_ID and FALCON_CLIENT_SECRET in the environment"

func (e *UnavailableError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cannot %s the secret of profile %q: ", e.Op, e.Profile)
	b.WriteString(e.what())
	b.WriteString(". ")
	b.WriteString(e.todo())
	return b.String()
}

func (e *UnavailableError) what() string {
	switch e.Reason {
	case ReasonNoSessionBus:
		return "no D-Bus session bus (" + e.Detail + "), so no Secret Service can be reached"
	case ReasonNoSecretService:
		return "the D-Bus session has no Secret Service (" + e.Detail + ")"
	case ReasonLocked:
		return "the Secret Service's default keyring collection is locked and was not unlocked, or does not exist"
	case ReasonTimeout:
		if e.Timeout <= 0 {
			return "the OS keyring did not answer (" + e.Detail + ")"
		}
		return fmt.Sprintf("the OS keyring did not answer within %s", e.Timeout)
	case ReasonUnsupported:
		return fmt.Sprintf("go-keyring has no OS keyring backend on %s", e.GOOS)
	}
	switch e.GOOS {
	case "darwin":
		return "the macOS Keychain refused: " + errText(e.Err)
	case "windows":
		return "the Windows Credential Manager refused: " + errText(e.Err)
	}
	return "the OS keyring refused: " + errText(e.Err)
}

func (e *UnavailableError) todo() string {
	const doc = " (docs/LOGIN.md)"
	if e.WSL {
		switch e.Reason {
		case ReasonNoSessionBus, ReasonNoSecretService, ReasonLocked:
			return "This is WSL, which has no keyring out of the box: set FALCON_CLIENT_ID and FALCON_CLIENT_SECRET in the environment, " +
				"or install a Secret Service (sudo apt install dbus gnome-keyring) and start it with dbus-run-session and " +
				"gnome-keyring-daemon --unlock as for headless Linux" + doc
		}
	}
	switch e.Reason {
	case ReasonNoSessionBus:
		return "On a desktop, run falcon-tui from a terminal of your graphical session; over SSH or on a server, start a " +
			"session with dbus-run-session and unlock gnome-keyring in it with gnome-keyring-daemon --unlock" + doc + "; " + envHint
	case ReasonNoSecretService:
		return "Install and start a Secret Service provider: gnome-keyring (sudo apt install gnome-keyring), KWallet, or " +
			"KeePassXC with Secret Service integration enabled" + doc + "; " + envHint
	case ReasonLocked:
		return "Unlock it: log in to your desktop session, or unlock the \"Login\" keyring in Passwords and Keys (seahorse); " +
			"in a headless session start gnome-keyring with gnome-keyring-daemon --unlock, which creates and unlocks the login " +
			"collection" + doc + "; " + envHint
	case ReasonTimeout:
		return "An unlock or access prompt may be waiting on your desktop: answer it and retry; " + envHint
	case ReasonUnsupported:
		return "Set FALCON_CLIENT_ID and FALCON_CLIENT_SECRET in the environment instead"
	}
	switch e.GOOS {
	case "darwin":
		return "Unlock the login keychain (over SSH: security unlock-keychain ~/Library/Keychains/login.keychain-db) and " +
			"allow access if macOS asks" + doc + "; " + envHint
	case "windows":
		return "Check that Credential Manager works for your account (control keymgr.dll)" + doc + "; " + envHint
	}
	return "Check that your Secret Service works (for example with secret-tool or seahorse)" + doc + "; " + envHint
}

// errText is a raw error made safe to print on a terminal.
func errText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return printable(err.Error())
}

// printable drops control characters, so a hostile or garbled message cannot drive the terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}

// environment is what the diagnosis looks at, a seam so tests can play Linux, WSL or macOS.
type environment struct {
	goos        string
	getenv      func(string) string
	procVersion func() ([]byte, error)
}

func systemEnvironment() environment {
	return environment{
		goos:        runtime.GOOS,
		getenv:      os.Getenv,
		procVersion: func() ([]byte, error) { return os.ReadFile("/proc/version") },
	}
}

// wsl reports Windows Subsystem for Linux: WSL sets WSL_DISTRO_NAME in every shell, and its
// kernels say "microsoft" (WSL2) or "Microsoft" (WSL1) in /proc/version.
func (env environment) wsl() bool {
	if env.goos != "linux" {
		return false
	}
	if env.getenv("WSL_DISTRO_NAME") != "" {
		return true
	}
	b, err := env.procVersion()
	return err == nil && strings.Contains(strings.ToLower(string(b)), "microsoft")
}

// IsWSL reports whether this process runs under Windows Subsystem for Linux.
func IsWSL() bool { return systemEnvironment().wsl() }

// diagnose turns one of go-keyring's raw errors into an *UnavailableError. go-keyring exports
// only ErrNotFound (and ErrUnsupportedPlatform): everything else comes straight from godbus,
// the Secret Service, the Keychain or wincred, so the cases are recognised by type and text.
func (env environment) diagnose(op, name string, err error) *UnavailableError {
	e := &UnavailableError{Reason: ReasonOther, Op: op, Profile: name, GOOS: env.goos, WSL: env.wsl(), Err: err}
	msg := err.Error()
	dbusName := dbusErrorName(err)
	var execErr *exec.Error
	var opErr *net.OpError
	switch {
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		e.Reason = ReasonUnsupported
	case errors.As(err, &execErr) && strings.Contains(execErr.Name, "dbus-launch"),
		strings.Contains(msg, `"dbus-launch"`):
		// godbus falls back to running dbus-launch when DBUS_SESSION_BUS_ADDRESS is unset
		// and /run/user/UID/bus does not exist.
		e.Reason = ReasonNoSessionBus
		e.Detail = "DBUS_SESSION_BUS_ADDRESS is not set and dbus-launch is not installed to start a bus"
	case strings.Contains(msg, "couldn't determine address of session bus"):
		e.Reason = ReasonNoSessionBus
		e.Detail = "DBUS_SESSION_BUS_ADDRESS is not set and no session bus was found"
	case errors.As(err, &opErr) && opErr.Op == "dial",
		strings.Contains(msg, "dbus: authentication failed"):
		e.Reason = ReasonNoSessionBus
		e.Detail = fmt.Sprintf("DBUS_SESSION_BUS_ADDRESS=%s does not answer", printable(env.getenv("DBUS_SESSION_BUS_ADDRESS")))
	// go-keyring only ever calls org.freedesktop.secrets, so "no such name on the bus" means
	// no Secret Service. dbus-daemon says which name; dbus-broker only "not activatable".
	case dbusName == "org.freedesktop.DBus.Error.ServiceUnknown", dbusName == "org.freedesktop.DBus.Error.NameHasNoOwner",
		strings.Contains(msg, "org.freedesktop.secrets") && strings.Contains(msg, "not provided by any .service files"):
		e.Reason = ReasonNoSecretService
		e.Detail = "nothing provides org.freedesktop.secrets"
	case strings.HasPrefix(dbusName, "org.freedesktop.DBus.Error.Spawn."):
		e.Reason = ReasonNoSecretService
		e.Detail = "the provider of org.freedesktop.secrets failed to start: " + printable(msg)
	case strings.Contains(msg, "failed to unlock correct collection"),
		dbusName == "org.freedesktop.Secret.Error.IsLocked",
		dbusName == "org.freedesktop.Secret.Error.NoSuchObject":
		e.Reason = ReasonLocked
	case dbusName == "org.freedesktop.DBus.Error.NoReply", dbusName == "org.freedesktop.DBus.Error.Timeout":
		e.Reason = ReasonTimeout
		e.Detail = "the Secret Service did not reply to a D-Bus call"
	}
	return e
}
