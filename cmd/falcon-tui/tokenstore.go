package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// tokenStoreTimeout bounds opening the local store at start: the store only saves token
// calls, so a keyring or a database that is slow to answer must not hold the start.
var tokenStoreTimeout = 2 * time.Second

// tokenStore opens the run's profile's local store for the client's token cache, so that a
// restart within a token's life spends no token call (docs/STORE.md). It returns nil when the
// store is off (--no-store, the profile's no_store) or cannot be used this run, with a note
// saying why when the user did not ask for it (no keyring, busy, unreadable); "" otherwise.
// A database set aside as damaged is not a note: the store's Notice says it.
func (a *app) tokenStore(ctx context.Context) (*store.Store, string) {
	return a.tokenStoreOf(ctx, a.g.Profile)
}

// tokenStoreOf is tokenStore for the named profile (the explorer's `:profile NAME`).
func (a *app) tokenStoreOf(ctx context.Context, name string) (*store.Store, string) {
	if storeOffFor(a.g, name) != "" {
		return nil, ""
	}
	ctx, cancel := context.WithTimeout(ctx, tokenStoreTimeout)
	defer cancel()
	kr, err := storeKeyring()
	if err != nil {
		return nil, "the local store is off for this run: " + err.Error()
	}
	s, err := store.Open(ctx, name, kr, store.Options{Dir: localStoreDir})
	switch {
	case errors.Is(err, store.ErrNoKeyring):
		return nil, "the OS keyring is unavailable, so the local store is off: access tokens are not kept between runs"
	case errors.Is(err, store.ErrBusy):
		return nil, "the local store is busy (another falcon-tui is using it): access tokens are not kept this run"
	case errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Sprintf("the local store did not open within %v (a keyring prompt, or another falcon-tui migrating it): access tokens are not kept this run", tokenStoreTimeout)
	case err != nil:
		return nil, fmt.Sprintf("the local store is off for this run: %v", err)
	}
	return s, ""
}
