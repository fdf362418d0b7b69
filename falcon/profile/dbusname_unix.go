//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package profile

import (
	"errors"

	"github.com/godbus/dbus/v5"
)

// dbusErrorName is the D-Bus error name (org.freedesktop.DBus.Error.ServiceUnknown, ...) behind
// err, or "". The name is stable where the message text differs between dbus-daemon and
// dbus-broker. Same build constraint as go-keyring's Secret Service backend: elsewhere godbus
// is not linked at all.
func dbusErrorName(err error) string {
	var de dbus.Error
	if errors.As(err, &de) {
		return de.Name
	}
	var pde *dbus.Error
	if errors.As(err, &pde) && pde != nil {
		return pde.Name
	}
	return ""
}
