// Package store is falcon-tui's encrypted local database: one SQLite file per profile in the
// user cache directory, encrypted at rest with a random 256-bit key that lives in the OS
// keyring (docs/STORE.md). It remembers what was last seen — tenants, hosts' list rows, groups
// and members, recent alerts, sync watermarks and access tokens — so a start can show it at
// once. It knows nothing of the screen.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"
	_ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3" (SQLite compiled to Go: no cgo)
	_ "github.com/ncruces/go-sqlite3/vfs/adiantum"
	"github.com/zalando/go-keyring"

	"github.com/falcon-tui/falcon-tui/falcon/profile"
)

var (
	// ErrNoKeyring: the OS keyring cannot be used, so there is no store (never an unencrypted
	// one). Callers say so once and work without it.
	ErrNoKeyring = errors.New("store: the OS keyring is unavailable, so the local store is off")
	// ErrBusy: another falcon-tui process held the database for longer than the busy timeout.
	ErrBusy = errors.New("store: the local store is busy (another falcon-tui is writing to it)")
	// ErrClosed: the store was used after Close.
	ErrClosed = errors.New("store: closed")
)

const (
	// DefaultBusyTimeout is how long a write waits for another process's write to end.
	DefaultBusyTimeout = 5 * time.Second
	// keyringTimeout bounds a keyring call (a desktop may be showing an unlock prompt).
	keyringTimeout = 2 * time.Minute
)

// KeyUser is the keyring user (account) under which a profile's store key is kept, beside the
// profile's secret (user = the profile name) under service falcon-tui. A profile name cannot
// contain ':', so the two never meet.
func KeyUser(profileName string) string { return "store:" + profileName }

// Options configures Open. The zero value is the real thing.
type Options struct {
	// Dir holds the database files; "" = DefaultDir().
	Dir string
	// BusyTimeout is how long a write waits for another process; 0 = DefaultBusyTimeout.
	BusyTimeout time.Duration
	// Now is the clock for set-aside names; nil = time.Now.
	Now func() time.Time
}

// Notice says that the previous database could not be used and was set aside, renamed, not
// deleted; the store was rebuilt empty. Callers show it once.
type Notice struct {
	Path   string // where the old database now is
	Reason string // why it could not be used
}

func (n *Notice) String() string {
	return fmt.Sprintf("the local store could not be used (%s); it was set aside as %s and rebuilt empty", n.Reason, n.Path)
}

// Store is one profile's open database. It is safe for concurrent use, and two processes may
// open the same profile's store at once: SQLite's locking (WAL mode) lets readers go on while
// one writes, and a second writer waits up to the busy timeout, then gets ErrBusy.
type Store struct {
	db      *sql.DB
	path    string
	profile string
	notice  *Notice
	now     func() time.Time
}

// DefaultDir is $XDG_CACHE_HOME/falcon-tui, else <os.UserCacheDir()>/falcon-tui
// (~/.cache/falcon-tui on Linux, ~/Library/Caches/falcon-tui on macOS).
func DefaultDir() (string, error) {
	if x := os.Getenv("XDG_CACHE_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "falcon-tui"), nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("store: no cache directory: %w", err)
	}
	return filepath.Join(base, "falcon-tui"), nil
}

// Path is where the database of profile would be, under dir ("" = DefaultDir()).
func Path(dir, profileName string) (string, error) {
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return "", err
		}
		dir = d
	}
	return filepath.Join(dir, profileName+".db"), nil
}

// Open opens (creating on first use) the store of profileName, with its key from kr. No usable
// keyring → an error matching ErrNoKeyring. A database that cannot be opened, decrypted or
// migrated is set aside and rebuilt empty; Notice then says so.
func Open(ctx context.Context, profileName string, kr profile.Keyring, o Options) (*Store, error) {
	if err := profile.ValidateName(profileName); err != nil {
		return nil, err
	}
	if kr == nil {
		return nil, fmt.Errorf("%w: none given", ErrNoKeyring)
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = DefaultBusyTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	path, err := Path(o.Dir, profileName)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil { // ours: tighten an existing one
		return nil, fmt.Errorf("store: %w", err)
	}

	key, created, err := loadKey(ctx, kr, profileName)
	if err != nil {
		return nil, err
	}
	s := &Store{path: path, profile: profileName, now: o.Now}
	if created && exists(path) {
		// A database without its key (the key was deleted, or this is another machine's
		// keyring): nobody can read it.
		if s.notice, err = setAside(path, "its key is not in the keyring", o.Now()); err != nil {
			return nil, err
		}
	}
	db, err := openDB(ctx, path, key, o.BusyTimeout)
	if err != nil && !errors.Is(err, ErrBusy) && ctx.Err() == nil {
		if s.notice, err = setAside(path, reason(err), o.Now()); err != nil {
			return nil, err
		}
		db, err = openDB(ctx, path, key, o.BusyTimeout)
	}
	if err != nil {
		return nil, err
	}
	s.db = db
	return s, nil
}

// openDB opens, checks the key and migrates the database at path.
func openDB(ctx context.Context, path, key string, busy time.Duration) (*sql.DB, error) {
	// The database and its -shm file are created 0600 before SQLite sees them (its Go VFS
	// would use the umask's mode); modeof gives the -wal file the database's mode.
	for _, p := range []string{path, path + "-shm"} {
		f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		_ = f.Close()
		if err := os.Chmod(p, 0o600); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	q := url.Values{}
	q.Set("vfs", "adiantum")
	q.Set("modeof", path)
	q.Set("_txlock", "immediate") // a writer takes the write lock at BEGIN: no upgrade deadlocks
	q.Add("_pragma", "hexkey('"+key+"')")
	// 16 KiB pages (for a new database; an existing one keeps its own): a quarter of the
	// reads, writes and log frames of SQLite's 4 KiB for the same rows, which made writing
	// hosts a fifth faster and reading them a tenth (docs/STORE.md).
	q.Add("_pragma", "page_size(16384)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "journal_mode(wal)")
	q.Add("_pragma", "synchronous(normal)")
	q.Add("_pragma", "temp_store(memory)") // temporary files never reach the disk
	q.Add("_pragma", "foreign_keys(on)")
	dsn := (&url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(path), RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, classify(err)
	}
	db.SetMaxOpenConns(4)
	db.SetConnMaxIdleTime(time.Minute)
	if err := migrate(ctx, db); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// migrate brings the schema to SchemaVersion, one step per transaction.
func migrate(ctx context.Context, db *sql.DB) error {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return classify(err)
	}
	if v > len(migrations) {
		return &schemaError{fmt.Sprintf("schema version %d is newer than this falcon-tui's %d", v, len(migrations))}
	}
	for v < len(migrations) {
		err := inTx(ctx, db, func(tx *sql.Tx) error {
			// Read again inside the write lock: another process may have migrated meanwhile.
			if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
				return err
			}
			if v >= len(migrations) {
				return nil
			}
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return &schemaError{fmt.Sprintf("migration to version %d: %v", v+1, err)}
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1))
			return err
		})
		if err != nil {
			return err
		}
		if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			return classify(err)
		}
	}
	return nil
}

type schemaError struct{ msg string }

func (e *schemaError) Error() string { return "store: " + e.msg }

// inTx runs fn in one (immediate) transaction.
func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return classify(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return classify(err)
	}
	return classify(tx.Commit())
}

// classify turns SQLite's busy errors into ErrBusy; others pass through.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sqlite3.BUSY) || errors.Is(err, sqlite3.LOCKED) {
		if errors.Is(err, ErrBusy) {
			return err
		}
		return fmt.Errorf("%w: %w", ErrBusy, err)
	}
	return err
}

// reason is a short why for a Notice.
func reason(err error) string {
	switch {
	case errors.Is(err, sqlite3.NOTADB):
		return "it cannot be decrypted with the key in the keyring, or is not a database"
	case errors.Is(err, sqlite3.CORRUPT):
		return "it is corrupt"
	}
	var se *schemaError
	if errors.As(err, &se) {
		return strings.TrimPrefix(se.Error(), "store: ")
	}
	return err.Error()
}

// setAside renames path (and its -wal and -shm files) to <path>.broken-<timestamp>, never
// deleting anything, and returns the notice to show.
func setAside(path, why string, now time.Time) (*Notice, error) {
	to := path + ".broken-" + now.UTC().Format("20060102T150405Z")
	for i := 2; exists(to); i++ {
		to = fmt.Sprintf("%s.broken-%s-%d", path, now.UTC().Format("20060102T150405Z"), i)
	}
	if err := os.Rename(path, to); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("store: set aside %s: %w", path, err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Rename(path+suffix, to+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("store: set aside %s: %w", path+suffix, err)
		}
	}
	return &Notice{Path: to, Reason: why}, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// loadKey reads the profile's store key from the keyring, creating one on first use.
func loadKey(ctx context.Context, kr profile.Keyring, profileName string) (key string, created bool, err error) {
	user := KeyUser(profileName)
	err = keyringCall(ctx, func() (err error) {
		key, err = kr.Get(profile.Service, user)
		return err
	})
	switch {
	case err == nil && validKey(key):
		return key, false, nil
	case err == nil, notFound(err):
		// No key yet (or one that is not ours to use): make one.
	default:
		return "", false, noKeyring(err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", false, fmt.Errorf("store: %w", err)
	}
	key = hex.EncodeToString(b)
	if err := keyringCall(ctx, func() error { return kr.Set(profile.Service, user, key) }); err != nil {
		return "", false, noKeyring(err)
	}
	// Two first starts at once each make a key; the last one written wins. Reading it back
	// makes both use that one (and shows that the keyring really keeps it).
	var stored string
	if err := keyringCall(ctx, func() (err error) {
		stored, err = kr.Get(profile.Service, user)
		return err
	}); err != nil {
		return "", false, noKeyring(err)
	} else if !validKey(stored) {
		return "", false, noKeyring(errors.New("the keyring did not keep the new key"))
	}
	return stored, true, nil
}

func validKey(k string) bool {
	b, err := hex.DecodeString(k)
	return err == nil && len(b) == 32
}

func notFound(err error) bool {
	return errors.Is(err, keyring.ErrNotFound) || errors.Is(err, profile.ErrNoSecret)
}

func noKeyring(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrNoKeyring, err)
}

// keyringCall runs fn with keyringTimeout, giving up when ctx ends: go-keyring has no context
// and may wait for an unlock prompt forever (the goroutine is then abandoned).
func keyringCall(ctx context.Context, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, keyringTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Notice is non-nil when Open set the previous database aside.
func (s *Store) Notice() *Notice { return s.notice }

// Close closes the database. The store's files stay.
func (s *Store) Close() error {
	if s.db == nil {
		return nil
	}
	// A checkpoint folds the WAL back into the (encrypted) main file.
	_, _ = s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	err := s.db.Close()
	s.db = nil
	return err
}

// Removed says what Remove deleted.
type Removed struct {
	Files int  // database files, set-aside ones included
	Key   bool // the keyring held a key
}

// Remove deletes profileName's store — its database, its -wal and -shm files and any set-aside
// copies — and its key in the keyring (logout). A missing store or key is not an error.
func Remove(ctx context.Context, profileName string, kr profile.Keyring, dir string) (Removed, error) {
	var r Removed
	if err := profile.ValidateName(profileName); err != nil {
		return r, err
	}
	path, err := Path(dir, profileName)
	if err != nil {
		return r, err
	}
	matches, _ := filepath.Glob(globEscape(path) + "*")
	var errs []error
	for _, m := range matches {
		base := strings.TrimPrefix(m, path)
		if base != "" && base != "-wal" && base != "-shm" && base != "-journal" && !strings.HasPrefix(base, ".broken-") {
			continue // another profile's file that merely starts with this name
		}
		if err := os.Remove(m); err == nil {
			r.Files++
		} else if !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if kr != nil {
		err := keyringCall(ctx, func() error { return kr.Delete(profile.Service, KeyUser(profileName)) })
		switch {
		case err == nil:
			r.Key = true
		case !notFound(err):
			errs = append(errs, noKeyring(err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return r, fmt.Errorf("store: remove: %w", err)
	}
	return r, nil
}

func globEscape(p string) string {
	r := strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`)
	if filepath.Separator == '\\' {
		return p
	}
	return r.Replace(p)
}
