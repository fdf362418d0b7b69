package profile

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDisplaySettingsAreKeptBesideTheProfiles(t *testing.T) {
	dir := t.TempDir()
	// A file written before display settings existed loads, and keeps its profiles.
	old := `{"version": 1, "profiles": [{"name": "prod", "client_id": "abc", "cloud": "us-2"}]}`
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if d, err := s.Display("prod"); err != nil || d.HostColumns != nil {
		t.Fatalf("old file: %+v, %v", d, err)
	}
	cols := []string{"hostname", "zta", "serial"}
	if err := s.SetDisplay("prod", Display{HostColumns: cols}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDisplay("demo", Display{HostColumns: []string{"os"}}); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Display("prod"); !slices.Equal(d.HostColumns, cols) {
		t.Fatalf("prod columns = %v", d.HostColumns)
	}
	if p, err := s.Get("prod"); err != nil || p.ClientID != "abc" {
		t.Fatalf("the profile was lost: %+v, %v", p, err)
	}
	b, _ := os.ReadFile(s.Path())
	if !strings.Contains(string(b), `"display"`) || !strings.Contains(string(b), `"host_columns"`) {
		t.Fatalf("file:\n%s", b)
	}
	// Empty goes back to the default, and leaves no entry.
	if err := s.SetDisplay("demo", Display{}); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(s.Path())
	if strings.Contains(string(b), `"demo"`) {
		t.Fatalf("empty display kept:\n%s", b)
	}
	if err := s.SetDisplay("bad name", Display{HostColumns: cols}); err == nil {
		t.Fatal("bad profile name accepted")
	}
}
