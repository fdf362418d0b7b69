//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package profile

import "github.com/godbus/dbus/v5"

// platformDiagCases are the D-Bus errors go-keyring passes through from godbus, recognised by
// their error name (the text differs between dbus-daemon and dbus-broker).
func platformDiagCases() []diagCase {
	dbusErr := func(name, text string) error { return dbus.Error{Name: name, Body: []any{text}} }
	return []diagCase{
		{
			name: "no Secret Service (dbus-broker)", goos: "linux",
			err:    dbusErr("org.freedesktop.DBus.Error.ServiceUnknown", "The name is not activatable"),
			reason: ReasonNoSecretService, sentinel: ErrNoSecretService,
			want:    []string{"nothing provides org.freedesktop.secrets", "gnome-keyring"},
			notWant: []string{"not activatable"},
		},
		{
			name: "no Secret Service (dbus-daemon, typed)", goos: "linux",
			err:    &dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}},
			reason: ReasonNoSecretService, sentinel: ErrNoSecretService,
			want: []string{"no Secret Service"},
		},
		{
			name: "Secret Service provider fails to start", goos: "linux",
			err:    dbusErr("org.freedesktop.DBus.Error.Spawn.ChildExited", "Process org.freedesktop.secrets exited with status 1"),
			reason: ReasonNoSecretService, sentinel: ErrNoSecretService,
			want: []string{"failed to start", "exited with status 1"},
		},
		{
			name: "item locked", goos: "linux",
			err:    dbusErr("org.freedesktop.Secret.Error.IsLocked", "Cannot get secret of a locked object"),
			reason: ReasonLocked, sentinel: ErrKeyringLocked,
			want:    []string{"locked", "Unlock it"},
			notWant: []string{"Cannot get secret"},
		},
		{
			name: "D-Bus call without reply", goos: "linux",
			err:    dbusErr("org.freedesktop.DBus.Error.NoReply", "Did not receive a reply"),
			reason: ReasonTimeout, sentinel: ErrKeyringTimeout,
			want: []string{"did not answer", "did not reply to a D-Bus call"},
		},
	}
}
