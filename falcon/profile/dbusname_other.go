//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package profile

// dbusErrorName: no D-Bus on this platform (go-keyring uses the Keychain or Credential Manager).
func dbusErrorName(error) string { return "" }
