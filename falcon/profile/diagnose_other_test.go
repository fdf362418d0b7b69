//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package profile

func platformDiagCases() []diagCase { return nil }
