// Package profiletest provides an in-memory profile.Keyring for tests of code that uses
// package profile. Unlike go-keyring's MockInit it is a value, not a swap of go-keyring's
// global provider, so tests using it can share a binary with tests of the real keyring.
package profiletest

import (
	"sync"

	"github.com/zalando/go-keyring"
)

// Keyring is an in-memory keyring with injectable failures. Safe for concurrent use.
type Keyring struct {
	mu    sync.Mutex
	items map[[2]string]string
	errs  map[string]error // by op: "set", "get", "delete"
	calls map[string]int
}

// New returns an empty keyring.
func New() *Keyring {
	return &Keyring{items: map[[2]string]string{}, errs: map[string]error{}, calls: map[string]int{}}
}

// Fail makes every later call of op ("set", "get", "delete", or "" for all) return err;
// a nil err clears it.
func (k *Keyring) Fail(op string, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	ops := []string{op}
	if op == "" {
		ops = []string{"set", "get", "delete"}
	}
	for _, o := range ops {
		if err == nil {
			delete(k.errs, o)
		} else {
			k.errs[o] = err
		}
	}
}

// Calls is how many times op was called, failures included.
func (k *Keyring) Calls(op string) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.calls[op]
}

// Peek returns a stored secret without counting a call.
func (k *Keyring) Peek(service, user string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.items[[2]string{service, user}]
	return v, ok
}

// Len is the number of stored secrets.
func (k *Keyring) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.items)
}

func (k *Keyring) begin(op string) error {
	k.mu.Lock()
	k.calls[op]++
	return k.errs[op]
}

func (k *Keyring) Set(service, user, secret string) error {
	err := k.begin("set")
	defer k.mu.Unlock()
	if err != nil {
		return err
	}
	k.items[[2]string{service, user}] = secret
	return nil
}

func (k *Keyring) Get(service, user string) (string, error) {
	err := k.begin("get")
	defer k.mu.Unlock()
	if err != nil {
		return "", err
	}
	v, ok := k.items[[2]string{service, user}]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (k *Keyring) Delete(service, user string) error {
	err := k.begin("delete")
	defer k.mu.Unlock()
	if err != nil {
		return err
	}
	key := [2]string{service, user}
	if _, ok := k.items[key]; !ok {
		return keyring.ErrNotFound
	}
	delete(k.items, key)
	return nil
}
