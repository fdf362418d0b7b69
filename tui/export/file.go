package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultDir is where exports go unless a path is given: $XDG_DATA_HOME/falcon-tui/exports,
// else ~/.local/share/falcon-tui/exports (the XDG base directory default; the config's
// directory, profile.DefaultDir, follows $XDG_CONFIG_HOME the same way).
func DefaultDir() (string, error) {
	base := os.Getenv("XDG_DATA_HOME")
	if !filepath.IsAbs(base) { // the specification says to ignore a relative value
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("export: no data directory: %w", err)
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "falcon-tui", "exports"), nil
}

// FileName names an export after what it holds and when: hosts-acme-20261204-153012.csv.
// The tenant label is reduced to lower-case letters, digits and dashes ("" leaves it out).
func FileName(view, tenant string, at time.Time, f Format) string {
	parts := []string{slug(view)}
	if t := slug(tenant); t != "" {
		parts = append(parts, t)
	}
	parts = append(parts, at.Format("20060102-150405"))
	return strings.Join(parts, "-") + "." + string(f)
}

// slug keeps a-z, 0-9 and single dashes, at most 40 characters: a tenant's name is API text
// and must not make a path (no separator, no dot-dot, no control character).
func slug(s string) string {
	var b strings.Builder
	dash := false
loop:
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break loop
		}
	}
	return strings.Trim(b.String(), "-")
}

// ErrExists says the path given is taken: an export never overwrites a file.
var ErrExists = errors.New("file exists; exports never overwrite a file")

// Create creates path for writing, mode 0600, and fails with ErrExists when something is
// there already. With numbered true, a taken path becomes name-2.ext, name-3.ext… instead
// (for the default names, two exports within a second). The directory is created (0700)
// when missing.
func Create(path string, numbered bool) (*os.File, string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, "", err
	}
	ext := filepath.Ext(path)
	stem := strings.TrimSuffix(path, ext)
	try := path
	for i := 2; ; i++ {
		f, err := os.OpenFile(try, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		switch {
		case err == nil:
			return f, try, nil
		case !errors.Is(err, fs.ErrExist):
			return nil, "", err
		case !numbered || i > 99:
			return nil, "", fmt.Errorf("%s: %w", try, ErrExists)
		}
		try = fmt.Sprintf("%s-%d%s", stem, i, ext)
	}
}
