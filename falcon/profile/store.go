package profile

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// DefaultTimeout bounds each keyring call. It is long because on a desktop the call may wait
// for the user to answer an unlock prompt; it exists because go-keyring waits for a prompt's
// answer forever.
const DefaultTimeout = 2 * time.Minute

// Options configures Open. The zero value is the real thing.
type Options struct {
	Dir     string        // settings directory; "" = DefaultDir()
	Keyring Keyring       // nil = System()
	Timeout time.Duration // per keyring call; 0 = DefaultTimeout
}

// Store reads and writes profiles: settings in Dir()/profiles.json, secrets in the keyring.
// A Store is safe for concurrent use within a process; two processes writing at once leave
// one's settings file or the other's (atomic rename), never a mix.
type Store struct {
	dir     string
	kr      Keyring
	timeout time.Duration
	env     environment
	mu      sync.Mutex // serialises read-modify-write of the settings file
}

// Open returns a store. It touches neither the disk nor the keyring.
func Open(o Options) (*Store, error) {
	s := &Store{dir: o.Dir, kr: o.Keyring, timeout: o.Timeout, env: systemEnvironment()}
	if s.dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return nil, err
		}
		s.dir = d
	}
	if s.kr == nil {
		s.kr = System()
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	return s, nil
}

// Dir is the settings directory.
func (s *Store) Dir() string { return s.dir }

// Keyring is the keyring the store uses: other secrets of a profile (the local store's key)
// are kept beside its client secret.
func (s *Store) Keyring() Keyring { return s.kr }

// Path is the settings file.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// List returns every profile's settings, sorted by name. It does not touch the keyring, so
// listing never triggers a keychain prompt.
func (s *Store) List() ([]Profile, error) {
	f, err := readSettings(s.Path())
	if err != nil {
		return nil, err
	}
	return f.Profiles, nil
}

// Get returns one profile's settings, or an error matching ErrNoProfile.
func (s *Store) Get(name string) (Profile, error) {
	if err := ValidateName(name); err != nil {
		return Profile{}, err
	}
	f, err := readSettings(s.Path())
	if err != nil {
		return Profile{}, err
	}
	if i := f.find(name); i >= 0 {
		return f.Profiles[i], nil
	}
	return Profile{}, fmt.Errorf("%w %q in %s", ErrNoProfile, name, s.Path())
}

// Secret reads a profile's secret from the keyring: an error matching ErrNoSecret when the
// keyring holds none, an *UnavailableError when the keyring cannot be used.
func (s *Store) Secret(ctx context.Context, name string) (string, error) {
	return s.read(ctx, "read", name)
}

// read is Secret with the operation named as the user sees it ("store" when login checks first).
func (s *Store) read(ctx context.Context, op, name string) (string, error) {
	if err := ValidateName(name); err != nil {
		return "", err
	}
	var secret string
	err := s.call(ctx, op, name, func() (err error) {
		secret, err = s.kr.Get(Service, name)
		return err
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// Pending is a profile write whose keyring has been checked. Commit it at most once.
type Pending struct {
	s         *Store
	name      string
	prior     string
	hadPrior  bool
	committed bool
}

// Prepare checks that the keyring answers for name (a read, so a locked or missing keyring is
// reported before anything is asked of the user or the cloud) and remembers the profile's
// current secret, so that Commit can put it back if the settings cannot be written.
func (s *Store) Prepare(ctx context.Context, name string) (*Pending, error) {
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	prior, err := s.read(ctx, "store", name)
	switch {
	case errors.Is(err, ErrNoSecret):
		return &Pending{s: s, name: name}, nil
	case err != nil:
		return nil, err
	}
	return &Pending{s: s, name: name, prior: prior, hadPrior: true}, nil
}

// Commit stores the secret in the keyring, then the settings. If the keyring write fails,
// nothing is stored. If the settings write fails, the keyring is put back as it was.
func (p *Pending) Commit(ctx context.Context, prof Profile, secret string) error {
	if p.committed {
		return errors.New("profile: Commit called twice")
	}
	if prof.Name != p.name {
		return fmt.Errorf("profile: prepared %q, committing %q", p.name, prof.Name)
	}
	if err := prof.Validate(); err != nil {
		return err
	}
	if secret == "" {
		return fmt.Errorf("%w profile %q: empty secret", ErrInvalid, prof.Name)
	}
	p.committed = true
	s := p.s
	if err := s.call(ctx, "store", p.name, func() error { return s.kr.Set(Service, p.name, secret) }); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := readSettings(s.Path())
	if err == nil {
		f.put(prof)
		err = writeSettings(s.dir, f)
	}
	if err == nil {
		return nil
	}
	// Undo the keyring write with a fresh context: the caller's may be what just ended.
	undoCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
	defer cancel()
	var undo error
	if p.hadPrior {
		undo = s.call(undoCtx, "restore", p.name, func() error { return s.kr.Set(Service, p.name, p.prior) })
	} else {
		undo = s.call(undoCtx, "delete", p.name, func() error { return s.kr.Delete(Service, p.name) })
		if errors.Is(undo, ErrNoSecret) {
			undo = nil
		}
	}
	if undo != nil {
		return fmt.Errorf("%w; and undoing the keyring write failed too: %w", err, undo)
	}
	return fmt.Errorf("%w (the keyring was left as it was)", err)
}

// Save is Prepare followed by Commit.
func (s *Store) Save(ctx context.Context, prof Profile, secret string) error {
	p, err := s.Prepare(ctx, prof.Name)
	if err != nil {
		return err
	}
	return p.Commit(ctx, prof, secret)
}

// Removed says what Remove found to delete.
type Removed struct {
	Settings bool // the profile had settings
	Secret   bool // the keyring held a secret for it
}

// Remove deletes the profile's secret, then its settings. When the keyring cannot be used it
// removes nothing: dropping the settings alone would leave a secret nobody can find.
func (s *Store) Remove(ctx context.Context, name string) (Removed, error) {
	var r Removed
	if err := ValidateName(name); err != nil {
		return r, err
	}
	err := s.call(ctx, "delete", name, func() error { return s.kr.Delete(Service, name) })
	switch {
	case err == nil:
		r.Secret = true
	case !errors.Is(err, ErrNoSecret):
		return r, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := readSettings(s.Path())
	if err != nil {
		return r, err
	}
	if f.remove(name) {
		r.Settings = true
		if err := writeSettings(s.dir, f); err != nil {
			return r, err
		}
	}
	return r, nil
}

// call runs one keyring operation with the store's timeout and translates its error:
// a missing secret becomes ErrNoSecret, anything else an *UnavailableError.
func (s *Store) call(ctx context.Context, op, name string, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(parent, s.timeout)
	defer cancel()
	done := make(chan error, 1)
	// go-keyring has no context: on timeout the goroutine is abandoned (the process is
	// about to report the error and usually exit).
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return s.translate(op, name, err)
	case <-ctx.Done():
		if err := parent.Err(); err != nil {
			return err // the caller gave up (Ctrl+C, its own deadline)
		}
		return &UnavailableError{Reason: ReasonTimeout, Op: op, Profile: name, GOOS: s.env.goos,
			WSL: s.env.wsl(), Timeout: s.timeout, Err: ctx.Err()}
	}
}

func (s *Store) translate(op, name string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, ErrNoSecret):
		return fmt.Errorf("%w for profile %q (service %q)", ErrNoSecret, name, Service)
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("profile %q: the secret is too large for the OS keyring: %w", name, err)
	}
	return s.env.diagnose(op, name, err)
}
