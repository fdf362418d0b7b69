package profile

import "github.com/zalando/go-keyring"

// Keyring is the part of an OS keyring the store uses: go-keyring's package functions, or a
// fake in tests. Get and Delete report a missing secret as keyring.ErrNotFound (or ErrNoSecret).
type Keyring interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// System is the OS keyring through go-keyring: the macOS Keychain, the Windows Credential
// Manager, or the freedesktop Secret Service over D-Bus. It follows go-keyring's global
// provider, so keyring.MockInit() in a test replaces it for the whole test binary.
func System() Keyring { return goKeyring{} }

type goKeyring struct{}

func (goKeyring) Set(service, user, secret string) error   { return keyring.Set(service, user, secret) }
func (goKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (goKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }
