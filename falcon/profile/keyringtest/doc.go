// Package keyringtest holds the tests of package profile against a real OS keyring (a
// Secret Service started by .ci/keyring.sh). They live apart from package profile because
// its unit tests call keyring.MockInit, which swaps go-keyring's process-wide provider: in
// their own test binary these tests can never be handed the mock.
package keyringtest
