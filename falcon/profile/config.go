package profile

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
	"unicode"
)

const (
	// Service is the keyring service every secret is stored under; the keyring user is the
	// profile name.
	Service = "falcon-tui"
	// DefaultName is the profile used when none is named.
	DefaultName = "default"
	// FileName is the settings file inside the config directory.
	FileName = "profiles.json"

	fileVersion = 1
)

var (
	// ErrNoProfile: no settings are stored under that name.
	ErrNoProfile = errors.New("profile: no such profile")
	// ErrNoSecret: the keyring answered but holds no secret for the profile.
	ErrNoSecret = errors.New("profile: no secret in the OS keyring")
	// ErrInvalid: a name or field that cannot be stored.
	ErrInvalid = errors.New("profile: invalid")
)

// Profile is the non-secret half of a profile. The secret lives only in the OS keyring.
type Profile struct {
	Name      string `json:"name"`
	ClientID  string `json:"client_id"`
	Cloud     string `json:"cloud"` // the cloud found at login ("us-2"), or "auto"
	BaseURL   string `json:"base_url,omitempty"`
	MemberCID string `json:"member_cid,omitempty"`
	// TenantCID is the home CID the credentials reported at login (informational).
	TenantCID  string    `json:"tenant_cid,omitempty"`
	LoggedInAt time.Time `json:"logged_in_at,omitzero"`
	// Me is the analyst's Falcon console login (or user UUID), for "assign to me" in alert
	// triage: the API cannot tell which person an API client acts for (docs/API.md §20).
	Me string `json:"me,omitempty"`
	// NoStore turns the encrypted local store off for this profile (docs/STORE.md), as
	// --no-store does for one run.
	NoStore bool `json:"no_store,omitempty"`
}

// settingsFile is the on-disk shape. Profiles are kept sorted by name so diffs stay small.
type settingsFile struct {
	Version  int       `json:"version"`
	Profiles []Profile `json:"profiles"`
	// Display is the explorer's display settings per profile name (also for sessions
	// without a stored profile: "demo", or the environment's credentials under the
	// profile name in force). Files written before it load without it.
	Display map[string]Display `json:"display,omitempty"`
}

// Display is what the explorer keeps of a profile's display between sessions. Nothing
// in it is a secret.
type Display struct {
	// HostColumns are the hosts list's columns, in order, as the column chooser left them
	// (column IDs: hostname, os, zta…); empty = the default for the terminal's width.
	HostColumns []string `json:"host_columns,omitempty"`
}

// DefaultDir is <os.UserConfigDir()>/falcon-tui: $XDG_CONFIG_HOME/falcon-tui (else
// ~/.config/falcon-tui) on Linux, ~/Library/Application Support/falcon-tui on macOS,
// %AppData%\falcon-tui on Windows.
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("profile: no config directory: %w", err)
	}
	return filepath.Join(base, "falcon-tui"), nil
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidateName accepts 1–64 letters, digits, '.', '_' and '-', starting with a letter or digit:
// the name is a keyring user and appears in messages, so nothing that could confuse either.
func ValidateName(name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("%w profile name %q: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", ErrInvalid, name)
	}
	return nil
}

// Validate checks every field before it is written.
func (p Profile) Validate() error {
	if err := ValidateName(p.Name); err != nil {
		return err
	}
	if p.ClientID == "" {
		return fmt.Errorf("%w profile %q: empty client id", ErrInvalid, p.Name)
	}
	for _, f := range []struct{ label, v string }{
		{"client id", p.ClientID}, {"cloud", p.Cloud}, {"base URL", p.BaseURL},
		{"member CID", p.MemberCID}, {"tenant CID", p.TenantCID}, {"me", p.Me},
	} {
		if len(f.v) > 512 || strings.IndexFunc(f.v, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0 {
			return fmt.Errorf("%w profile %q: %s must be at most 512 printable characters without spaces", ErrInvalid, p.Name, f.label)
		}
	}
	return nil
}

// readSettings reads path; a missing file is an empty set of profiles.
func readSettings(path string) (settingsFile, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return settingsFile{Version: fileVersion}, nil
	}
	if err != nil {
		return settingsFile{}, fmt.Errorf("profile: read settings: %w", err)
	}
	var f settingsFile
	if err := json.Unmarshal(b, &f); err != nil {
		return settingsFile{}, fmt.Errorf("profile: %s is not valid JSON (%v): fix or delete it", path, err)
	}
	if f.Version > fileVersion {
		return settingsFile{}, fmt.Errorf("profile: %s was written by a newer falcon-tui (version %d)", path, f.Version)
	}
	f.Version = fileVersion
	return f, nil
}

// writeSettings replaces path atomically (temp file + rename in the same directory), so a
// crash leaves the old or the new file, never half of one. The directory is 0700 and the
// file 0600: they hold no secret, but client ids and tenant CIDs are nobody else's business.
func writeSettings(dir string, f settingsFile) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("profile: create %s: %w", dir, err)
	}
	// MkdirAll leaves an existing directory alone; it is ours, so tighten it.
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	slices.SortFunc(f.Profiles, func(a, b Profile) int { return strings.Compare(a.Name, b.Name) })
	f.Version = fileVersion
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("profile: encode settings: %w", err)
	}
	if err := WritePrivateFile(filepath.Join(dir, FileName), append(b, '\n')); err != nil {
		return fmt.Errorf("profile: write settings: %w", err)
	}
	return nil
}

// WritePrivateFile replaces the file at path with data, atomically (a temporary file in
// the same directory, synced, then renamed over it) and with mode 0600: a reader sees the
// old file or the new one, never half of one. The directory must exist.
func WritePrivateFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*.tmp") // created 0600
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	committed = true
	return nil
}

func (f *settingsFile) find(name string) int {
	return slices.IndexFunc(f.Profiles, func(p Profile) bool { return p.Name == name })
}

// put adds or replaces p.
func (f *settingsFile) put(p Profile) {
	if i := f.find(p.Name); i >= 0 {
		f.Profiles[i] = p
		return
	}
	f.Profiles = append(f.Profiles, p)
}

// remove deletes name and reports whether it was there.
func (f *settingsFile) remove(name string) bool {
	i := f.find(name)
	if i < 0 {
		return false
	}
	f.Profiles = slices.Delete(f.Profiles, i, i+1)
	return true
}
