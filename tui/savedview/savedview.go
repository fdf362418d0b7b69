// Package savedview keeps the explorer's saved views (`:save NAME`, `:view NAME`,
// `falcon-tui --view NAME`): a readable JSON file, views.json, in the config directory
// next to profiles.json. Views are global, not per profile: a view names its tenant by CID,
// and restoring it under a profile that cannot see that tenant says so. A view holds a
// pane, a tenant, filters, a sort and columns — never a credential or a token.
package savedview

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// FileName is the views file inside the config directory.
const FileName = "views.json"

const fileVersion = 1

// ErrNotFound: no view of that name.
var ErrNotFound = errors.New("no such view")

// View is one saved view.
type View struct {
	Name string `json:"name"`
	// Pane is the pane on screen (hosts, alerts…).
	Pane pane.Kind `json:"pane"`
	// Tenant is the CID of the tenant it showed ("" = the client's start tenant).
	Tenant string `json:"tenant,omitempty"`
	// Profile is the profile it was saved under (informational).
	Profile string         `json:"profile,omitempty"`
	State   pane.ViewState `json:"state"`
	Saved   time.Time      `json:"saved,omitzero"`
}

type file struct {
	Version int    `json:"version"`
	Views   []View `json:"views"`
}

// Store is the views file.
type Store struct{ path string }

// Open returns the store of the views file in dir (the config directory).
func Open(dir string) *Store { return &Store{path: filepath.Join(dir, FileName)} }

// Path is the views file.
func (s *Store) Path() string { return s.path }

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidateName accepts 1–64 letters, digits, '.', '_' and '-', starting with a letter or
// digit: a view name is typed after `:view` and completed there.
func ValidateName(name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("%q is not a view name: use 1-64 letters, digits, '.', '_' or '-'", name)
	}
	return nil
}

// List returns the views by name (none when the file does not exist).
func (s *Store) List() ([]View, error) {
	f, err := s.read()
	return f.Views, err
}

// Names lists the view names.
func (s *Store) Names() []string {
	vs, _ := s.List()
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Name
	}
	return out
}

// Get returns the named view; ErrNotFound says there is none.
func (s *Store) Get(name string) (View, error) {
	f, err := s.read()
	if err != nil {
		return View{}, err
	}
	if i := f.find(name); i >= 0 {
		return f.Views[i], nil
	}
	return View{}, fmt.Errorf("%w %q", ErrNotFound, name)
}

// Save adds or replaces v.
func (s *Store) Save(v View) error {
	if err := ValidateName(v.Name); err != nil {
		return err
	}
	f, err := s.read()
	if err != nil {
		return err
	}
	if i := f.find(v.Name); i >= 0 {
		f.Views[i] = v
	} else {
		f.Views = append(f.Views, v)
	}
	return s.write(f)
}

// Delete removes the named view; ErrNotFound says there was none.
func (s *Store) Delete(name string) error {
	f, err := s.read()
	if err != nil {
		return err
	}
	i := f.find(name)
	if i < 0 {
		return fmt.Errorf("%w %q", ErrNotFound, name)
	}
	f.Views = slices.Delete(f.Views, i, i+1)
	return s.write(f)
}

func (f *file) find(name string) int {
	return slices.IndexFunc(f.Views, func(v View) bool { return v.Name == name })
}

func (s *Store) read() (file, error) {
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return file{Version: fileVersion}, nil
	}
	if err != nil {
		return file{}, fmt.Errorf("views: %w", err)
	}
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return file{}, fmt.Errorf("views: %s is not valid JSON (%v): fix or delete it", s.path, err)
	}
	if f.Version > fileVersion {
		return file{}, fmt.Errorf("views: %s was written by a newer falcon-tui (version %d)", s.path, f.Version)
	}
	return f, nil
}

// write replaces the file atomically (temp file + rename), 0600 in a 0700 directory.
func (s *Store) write(f file) error {
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("views: %w", err)
	}
	f.Version = fileVersion
	slices.SortFunc(f.Views, func(a, b View) int { return strings.Compare(a.Name, b.Name) })
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("views: %w", err)
	}
	if err := profile.WritePrivateFile(s.path, append(b, '\n')); err != nil {
		return fmt.Errorf("views: %w", err)
	}
	return nil
}
