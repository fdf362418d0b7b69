// Package profile stores falcon-tui's named API-client profiles in two halves: the non-secret
// settings (client id, cloud, base URL, member CID, tenant) in a 0600 JSON file under the user's
// config directory, and the client secret in the OS keyring (service "falcon-tui", user = the
// profile name) through github.com/zalando/go-keyring.
//
// The secret never touches the disk through this package: when no keyring is reachable the
// operations fail with an *UnavailableError that says which case it is (no D-Bus session bus,
// no Secret Service, a locked collection, WSL, an unsupported platform) and what to do, instead
// of go-keyring's raw D-Bus errors. There is deliberately no file fallback.
//
// Writes keep the two halves consistent: Prepare checks that the keyring answers (and remembers
// the profile's current secret), Commit stores the secret and then the settings, and puts the
// old secret back if the settings cannot be written.
package profile
