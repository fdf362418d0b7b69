package savedview

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/tui/pane"
)

func TestSaveGetListDelete(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "falcon-tui")
	s := Open(dir)
	if vs, err := s.List(); err != nil || len(vs) != 0 {
		t.Fatalf("no file: %v, %v", vs, err)
	}
	v := View{Name: "win-stale", Pane: pane.Hosts, Tenant: strings.Repeat("a", 32),
		State: pane.ViewState{FQL: "platform_name:'Windows'", Filter: "dc", Sort: "last_seen", Desc: true, AllTenants: true, Columns: []string{"hostname", "zta"}}}
	if err := s.Save(v); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(View{Name: "a-first", Pane: pane.Alerts}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get("win-stale")
	if err != nil || got.Tenant != v.Tenant || got.State.FQL != v.State.FQL || !got.State.Desc || !slices.Equal(got.State.Columns, v.State.Columns) {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if names := s.Names(); !slices.Equal(names, []string{"a-first", "win-stale"}) {
		t.Fatalf("names = %v (sorted by name)", names)
	}
	fi, err := os.Stat(s.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v, %v", fi.Mode().Perm(), err)
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Fatalf("dir mode %v", di.Mode().Perm())
	}
	// Saving again replaces.
	v.State.Filter = "dc2"
	if err := s.Save(v); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get("win-stale"); got.State.Filter != "dc2" || len(s.Names()) != 2 {
		t.Fatalf("replace: %+v, %v", got, s.Names())
	}
	if err := s.Delete("win-stale"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("win-stale"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted view: %v", err)
	}
	if err := s.Delete("win-stale"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}
}

func TestNamesAndBadFiles(t *testing.T) {
	s := Open(t.TempDir())
	for _, bad := range []string{"", " x", "a/b", "-x", strings.Repeat("x", 65), "a b"} {
		if err := s.Save(View{Name: bad, Pane: pane.Hosts}); err == nil {
			t.Errorf("name %q accepted", bad)
		}
	}
	if err := os.WriteFile(s.Path(), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.List(); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Fatalf("bad file: %v", err)
	}
	if err := os.WriteFile(s.Path(), []byte(`{"version": 9, "views": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.List(); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("newer file: %v", err)
	}
}
