package profile

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestProfileValidateName(t *testing.T) {
	for _, ok := range []string{"default", "a", "prod-eu.1", "Tenant_7", strings.Repeat("x", 64)} {
		if err := ValidateName(ok); err != nil {
			t.Errorf("ValidateName(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"", "-x", ".hidden", "a b", "a/b", `a\b`, "naïve", "x\x1b[31m", strings.Repeat("x", 65)} {
		err := ValidateName(bad)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("ValidateName(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestProfileValidateFields(t *testing.T) {
	good := Profile{Name: "p", ClientID: "0123456789abcdef0123456789abcdef", Cloud: "us-2"}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []Profile{
		{Name: "p"},
		{Name: "p", ClientID: "has space"},
		{Name: "p", ClientID: "id", BaseURL: "http://x\n"},
		{Name: "p", ClientID: "id", MemberCID: "\x1b]0;pwn\a"},
		{Name: "bad name", ClientID: "id"},
	} {
		if err := bad.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: Validate = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestProfileSettingsRoundTripAndModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "falcon-tui")
	when := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	f := settingsFile{Profiles: []Profile{
		{Name: "zeta", ClientID: "z", Cloud: "eu-1"},
		{Name: "alpha", ClientID: "a", Cloud: "us-2", BaseURL: "http://127.0.0.1:1", MemberCID: "m", TenantCID: "t", LoggedInAt: when},
	}}
	if err := writeSettings(dir, f); err != nil {
		t.Fatal(err)
	}
	got, err := readSettings(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Profiles) != 2 || got.Profiles[0].Name != "alpha" || got.Profiles[1].Name != "zeta" {
		t.Fatalf("profiles not sorted by name: %+v", got.Profiles)
	}
	if p := got.Profiles[0]; p.BaseURL != "http://127.0.0.1:1" || p.MemberCID != "m" || p.TenantCID != "t" || !p.LoggedInAt.Equal(when) {
		t.Fatalf("round trip lost fields: %+v", p)
	}
	if runtime.GOOS != "windows" {
		assertMode(t, dir, 0o700)
		assertMode(t, filepath.Join(dir, FileName), 0o600)
	}
	// No temp files left behind.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("dir holds %d entries, want only %s", len(entries), FileName)
	}
}

func TestProfileSettingsTightensExistingDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX modes on Windows")
	}
	dir := filepath.Join(t.TempDir(), "falcon-tui")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeSettings(dir, settingsFile{}); err != nil {
		t.Fatal(err)
	}
	assertMode(t, dir, 0o700)
}

func TestProfileSettingsMissingAndBroken(t *testing.T) {
	dir := t.TempDir()
	f, err := readSettings(filepath.Join(dir, "nope.json"))
	if err != nil || len(f.Profiles) != 0 {
		t.Fatalf("missing file: %+v, %v; want empty, nil", f, err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{not json"), 0o600)
	if _, err := readSettings(bad); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Fatalf("broken file: %v", err)
	}
	newer := filepath.Join(dir, "newer.json")
	b, _ := json.Marshal(settingsFile{Version: 99})
	os.WriteFile(newer, b, 0o600)
	if _, err := readSettings(newer); err == nil || !strings.Contains(err.Error(), "newer falcon-tui") {
		t.Fatalf("newer file: %v", err)
	}
}

func TestProfileDefaultDirFollowsUserConfigDir(t *testing.T) {
	base := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", base)
	t.Setenv("HOME", base)
	t.Setenv("AppData", base)
	want, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	got, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if got != filepath.Join(want, "falcon-tui") {
		t.Fatalf("DefaultDir = %s, want %s", got, filepath.Join(want, "falcon-tui"))
	}
	if runtime.GOOS == "linux" && got != filepath.Join(base, "falcon-tui") {
		t.Fatalf("on Linux DefaultDir = %s, want $XDG_CONFIG_HOME/falcon-tui", got)
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Fatalf("%s has mode %o, want %o", path, got, want)
	}
}

// WritePrivateFile replaces a file whole, mode 0600, and leaves no temporary file behind.
func TestWritePrivateFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "views.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WritePrivateFile(path, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if err != nil || string(b) != "new\n" || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file %q mode %v err %v", b, fi.Mode().Perm(), err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Fatalf("left behind: %v", es)
	}
	if err := WritePrivateFile(filepath.Join(dir, "missing", "x"), nil); err == nil {
		t.Fatal("a file in a missing directory was written")
	}
}
