package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

var t0 = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

func openTest(t *testing.T, dir string, kr profile.Keyring) *Store {
	t.Helper()
	s, err := Open(context.Background(), "default", kr, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

var errStop = errors.New("stop")

func cid(i int) string { return fmt.Sprintf("%032x", 0xc1d000+i) }

func testHosts(c string, n int) []falcon.Host {
	hs := make([]falcon.Host, n)
	for i := range hs {
		hs[i] = falcon.Host{
			DeviceID: fmt.Sprintf("%032x", 0xde0000+i), CID: c, Hostname: fmt.Sprintf("PLAINHOST-%05d", i),
			Platform: "Windows", OSVersion: "Windows 11", OSProductName: "Windows 11 Enterprise",
			AgentVersion: "7.10.18110.0", Containment: "normal", LocalIP: "10.1.2.3", ExternalIP: "198.51.100.7",
			MachineDomain: "corp.example", SiteName: "Frankfurt", LastLoginUser: "alice",
			LastSeen: t0.Add(-time.Duration(i) * time.Minute), Modified: t0.Add(-time.Hour),
			Tags: []string{"FalconGroupingTags/prod", "SensorGroupingTags/eu"}, Groups: []string{fmt.Sprintf("%032x", 0x9000)},
			SerialNumber: fmt.Sprintf("SN-%07d", i), MAC: fmt.Sprintf("00-50-56-%02x-%02x-%02x", i>>16&255, i>>8&255, i&255),
			OU: []string{"Workstations", "Frankfurt"}, FirstSeen: t0.Add(-90 * 24 * time.Hour),
			Policies: []falcon.Policy{{Type: "prevention", ID: fmt.Sprintf("%032x", 0xa000+i%3)},
				{Type: "sensor_update", ID: fmt.Sprintf("%032x", 0xb000)}},
		}
	}
	return hs
}

func populate(t *testing.T, s *Store, c string, n int) {
	t.Helper()
	ctx := context.Background()
	if err := s.PutTenants(ctx, []Tenant{{CID: c, Name: "PLAINTENANT", Hosts: n, Groups: 1, Alerts: 1, CountsAt: t0}}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutHosts(ctx, c, testHosts(c, n), t0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutGroups(ctx, c, []falcon.HostGroup{{ID: fmt.Sprintf("%032x", 0x9000), Name: "PLAINGROUP", Type: falcon.GroupType("static")}}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutMembers(ctx, c, fmt.Sprintf("%032x", 0x9000), []string{testHosts(c, 1)[0].DeviceID}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutAlerts(ctx, c, []falcon.Alert{{CompositeID: c + ":ind:" + c + ":1", Hostname: "PLAINHOST-00000", Name: "PLAINALERT", Severity: 70, Updated: t0}}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutToken(ctx, "PLAINCLIENTID", c, Token{Value: "PLAINTOKENVALUE" + strings.Repeat("x", 40), Expiry: t0.Add(30 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	kr := profiletest.New()
	s := openTest(t, dir, kr)
	ctx := context.Background()
	c := cid(1)
	populate(t, s, c, 50)

	var got []HostRow
	if err := s.Hosts(ctx, c, func(r HostRow) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	want := testHosts(c, 50)
	if len(got) != 50 {
		t.Fatalf("%d hosts, want 50", len(got))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i].Host, want[i]) || !got[i].SyncedAt.Equal(t0) {
			t.Fatalf("host %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	// Every field round-trips, empty ones too, and a replaced row replaces every field.
	bare := falcon.Host{DeviceID: want[0].DeviceID, CID: c}
	if err := s.PutHosts(ctx, c, []falcon.Host{bare}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var first HostRow
	_ = s.Hosts(ctx, c, func(r HostRow) error { first = r; return errStop })
	if !reflect.DeepEqual(first.Host, bare) || !first.SyncedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("replaced by a bare host: %+v", first)
	}
	if err := s.PutHosts(ctx, c, want[:1], t0); err != nil {
		t.Fatal(err)
	}
	ts, err := s.Tenants(ctx)
	if err != nil || len(ts) != 1 || ts[0].Name != "PLAINTENANT" || ts[0].Hosts != 50 || !ts[0].CountsAt.Equal(t0) {
		t.Fatalf("Tenants = %+v, %v", ts, err)
	}
	// Counts of -1 leave the stored ones.
	if err := s.PutTenants(ctx, []Tenant{{CID: c, Name: "renamed", Hosts: -1, Groups: -1, Alerts: -1}}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	ts, _ = s.Tenants(ctx)
	if ts[0].Name != "renamed" || ts[0].Hosts != 50 || !ts[0].SeenAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after a names-only update: %+v", ts[0])
	}
	if err := s.DeleteHosts(ctx, c, []string{want[0].DeviceID, want[1].DeviceID}); err != nil {
		t.Fatal(err)
	}
	ids, _ := s.HostIDs(ctx, c)
	if len(ids) != 48 || ids[0] != want[2].DeviceID {
		t.Fatalf("after DeleteHosts: %d ids, first %s", len(ids), ids[0])
	}
	gs, _ := s.Groups(ctx, c)
	ms, _ := s.Members(ctx, c, gs[0].ID)
	if len(gs) != 1 || gs[0].Name != "PLAINGROUP" || len(ms) != 1 {
		t.Fatalf("groups %+v members %v", gs, ms)
	}
	if err := s.PutGroups(ctx, c, nil, t0); err != nil {
		t.Fatal(err)
	}
	if ms, _ := s.Members(ctx, c, gs[0].ID); len(ms) != 0 {
		t.Fatalf("members of a dropped group stay: %v", ms)
	}
	as, _ := s.Alerts(ctx, c)
	if len(as) != 1 || as[0].Name != "PLAINALERT" || as[0].Severity != 70 {
		t.Fatalf("alerts %+v", as)
	}
	wm := Watermark{Modified: t0, DeltaAt: t0.Add(time.Minute), FullAt: t0.Add(-time.Hour)}
	if err := s.SetWatermark(ctx, c, wm); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Watermark(ctx, c); err != nil || got != wm {
		t.Fatalf("Watermark = %+v, %v", got, err)
	}
	tok, ok, err := s.Token(ctx, "PLAINCLIENTID", c)
	if err != nil || !ok || !strings.HasPrefix(tok.Value, "PLAINTOKENVALUE") || !tok.Expiry.Equal(t0.Add(30*time.Minute)) {
		t.Fatalf("Token = %v %v %v", tok, ok, err)
	}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(f, tok); strings.Contains(out, "PLAINTOKEN") {
			t.Fatalf("%s prints the token: %s", f, out)
		}
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Hosts != 48 || len(st.Tenants) != 1 || st.Tokens != 1 || st.Alerts != 1 || st.Bytes == 0 ||
		st.SchemaVersion != SchemaVersion || !st.Tenants[0].SyncedAt.Equal(t0) {
		t.Fatalf("Stats = %+v, %v", st, err)
	}
	if err := s.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Stats(ctx); st.Hosts != 0 || len(st.Tenants) != 0 || st.Tokens != 0 {
		t.Fatalf("after Clear: %+v", st)
	}
	if _, ok, _ := s.Token(ctx, "PLAINCLIENTID", c); ok {
		t.Fatal("a token survived Clear")
	}
}

func TestFilesModesAndKeyItem(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache", "falcon-tui")
	kr := profiletest.New()
	s := openTest(t, dir, kr)
	populate(t, s, cid(1), 3)
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("dir mode %v, %v", fi.Mode(), err)
	}
	for _, p := range []string{s.Path(), s.Path() + "-wal", s.Path() + "-shm"} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: mode %v, %v", filepath.Base(p), fi, err)
		}
	}
	if s.Path() != filepath.Join(dir, "default.db") {
		t.Fatalf("path %s", s.Path())
	}
	key, ok := kr.Peek(profile.Service, "store:default")
	if !ok || !validKey(key) || kr.Len() != 1 {
		t.Fatalf("keyring item: %v %d", ok, kr.Len())
	}
	// Reopening reads the same key: the data is still there.
	_ = s.Close()
	s2 := openTest(t, dir, kr)
	if s2.Notice() != nil {
		t.Fatalf("notice on a clean reopen: %v", s2.Notice())
	}
	if ids, _ := s2.HostIDs(context.Background(), cid(1)); len(ids) != 3 {
		t.Fatalf("after reopen: %d hosts", len(ids))
	}
	if k2, _ := kr.Peek(profile.Service, "store:default"); k2 != key {
		t.Fatal("the key changed on reopen")
	}
}

func TestDefaultDirFollowsXDGCache(t *testing.T) {
	d := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", d)
	got, err := DefaultDir()
	if err != nil || got != filepath.Join(d, "falcon-tui") {
		t.Fatalf("DefaultDir = %s, %v", got, err)
	}
}

// rawFiles returns the bytes of the database and its -wal and -shm files.
func rawFiles(t *testing.T, path string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if b, err := os.ReadFile(p); err == nil {
			out[filepath.Base(p)] = b
		}
	}
	return out
}

func TestNoPlaintextOnDisk(t *testing.T) {
	dir := t.TempDir()
	kr := profiletest.New()
	s := openTest(t, dir, kr)
	c := cid(7)
	populate(t, s, c, 2000)
	// A token as the client saves it (falcon.Config.TokenCache).
	s.TokenCache().Save(context.Background(), falcon.TokenKey{ClientID: "PLAINCLIENTID", CID: cid(8)},
		"CACHEDTOKENVALUE"+strings.Repeat("y", 40), time.Now().Add(30*time.Minute))
	if _, ok, _ := s.Token(context.Background(), "PLAINCLIENTID", cid(8)); !ok {
		t.Fatal("the token saved through the cache is not in the store")
	}
	needles := []string{"PLAINHOST", "PLAINTENANT", "PLAINGROUP", "PLAINALERT", "PLAINTOKENVALUE", "CACHEDTOKENVALUE", "PLAINCLIENTID",
		c, cid(8), "corp.example", "198.51.100.7",
		"FalconGroupingTags", "CREATE TABLE", "SQLite format"}
	check := func(when string) {
		files := rawFiles(t, s.Path())
		if len(files[filepath.Base(s.Path())]) == 0 {
			t.Fatalf("%s: no database file", when)
		}
		for name, b := range files {
			for _, n := range needles {
				if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(n))) {
					t.Errorf("%s: %s holds %q in plain text", when, name, n)
				}
			}
		}
	}
	if _, err := os.Stat(s.Path() + "-wal"); err != nil {
		t.Fatalf("the WAL should exist while open: %v", err)
	}
	check("open")
	_ = s.Close()
	check("closed")
}

func TestWrongKeySetsAsideAndRebuilds(t *testing.T) {
	dir := t.TempDir()
	kr := profiletest.New()
	s := openTest(t, dir, kr)
	populate(t, s, cid(1), 10)
	_ = s.Close()
	before := rawFiles(t, s.Path())[filepath.Base(s.Path())]

	_ = kr.Set(profile.Service, KeyUser("default"), strings.Repeat("ab", 32)) // another valid key
	s2 := openTest(t, dir, kr)
	n := s2.Notice()
	if n == nil || !strings.Contains(n.Reason, "decrypt") {
		t.Fatalf("notice = %v", n)
	}
	if ts, err := s2.Tenants(context.Background()); err != nil || len(ts) != 0 {
		t.Fatalf("rebuilt store: %v, %v", ts, err)
	}
	aside, err := os.ReadFile(n.Path)
	if err != nil || !bytes.Equal(aside, before) {
		t.Fatalf("the old database was not kept as it was at %s: %v", n.Path, err)
	}
	if !strings.HasPrefix(filepath.Base(n.Path), "default.db.broken-") {
		t.Fatalf("set aside as %s", n.Path)
	}
	// The new store works with the keyring's key.
	populate(t, s2, cid(2), 1)
}

func TestMissingKeySetsAside(t *testing.T) {
	dir := t.TempDir()
	kr := profiletest.New()
	s := openTest(t, dir, kr)
	populate(t, s, cid(1), 1)
	_ = s.Close()
	_ = kr.Delete(profile.Service, KeyUser("default"))
	s2 := openTest(t, dir, kr)
	if n := s2.Notice(); n == nil || !strings.Contains(n.Reason, "key") {
		t.Fatalf("notice = %v", n)
	}
	if ids, _ := s2.HostIDs(context.Background(), cid(1)); len(ids) != 0 {
		t.Fatal("data read without its key")
	}
}

func TestCorruptFileSetAsideAndRebuilt(t *testing.T) {
	for _, c := range []struct {
		name   string
		damage func(path string) error
	}{
		{"garbage", func(p string) error { return os.WriteFile(p, bytes.Repeat([]byte("not a database "), 1000), 0o600) }},
		{"truncated page", func(p string) error {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, b[:len(b)/2+100], 0o600)
		}},
		{"flipped header", func(p string) error {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for i := 0; i < 100; i++ {
				b[i] ^= 0xff
			}
			return os.WriteFile(p, b, 0o600)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			kr := profiletest.New()
			s := openTest(t, dir, kr)
			populate(t, s, cid(1), 200)
			_ = s.Close()
			if err := c.damage(s.Path()); err != nil {
				t.Fatal(err)
			}
			s2, err := Open(context.Background(), "default", kr, Options{Dir: dir})
			if err != nil {
				t.Fatalf("Open after damage: %v", err)
			}
			defer s2.Close()
			if s2.Notice() == nil {
				t.Fatal("a damaged store opened without a notice")
			}
			if _, err := os.Stat(s2.Notice().Path); err != nil {
				t.Fatalf("set-aside file: %v", err)
			}
			if ts, err := s2.Tenants(context.Background()); err != nil || len(ts) != 0 {
				t.Fatalf("rebuilt: %v %v", ts, err)
			}
		})
	}
}

func TestNoKeyringNoStore(t *testing.T) {
	dir := t.TempDir()
	kr := profiletest.New()
	kr.Fail("", errors.New(`The name org.freedesktop.secrets was not provided by any .service files`))
	_, err := Open(context.Background(), "default", kr, Options{Dir: dir})
	if !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Open = %v, want ErrNoKeyring", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "default.db")); err == nil {
		t.Fatal("a database was created without a key")
	}
	// A keyring that reads but cannot store a new key: no store either.
	kr2 := profiletest.New()
	kr2.Fail("set", errors.New("collection is locked"))
	if _, err := Open(context.Background(), "default", kr2, Options{Dir: dir}); !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Open with a read-only keyring = %v", err)
	}
	if _, err := Open(context.Background(), "default", nil, Options{Dir: dir}); !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Open with no keyring = %v", err)
	}
}

func TestRemoveLeavesNoStoreAndNoKey(t *testing.T) {
	dir := t.TempDir()
	kr := profiletest.New()
	_ = kr.Set(profile.Service, "default", "the profile secret") // the profile's own secret stays
	s := openTest(t, dir, kr)
	populate(t, s, cid(1), 5)
	_ = s.Close()
	other := openTest(t, dir, kr) // same dir, the store of another profile must stay
	_ = other
	s3, err := Open(context.Background(), "default2", kr, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_ = s3.Close()
	_ = os.WriteFile(filepath.Join(dir, "default.db.broken-20260101T000000Z"), []byte("x"), 0o600)
	_ = other.Close()

	r, err := Remove(context.Background(), "default", kr, dir)
	if err != nil || !r.Key || r.Files < 2 {
		t.Fatalf("Remove = %+v, %v", r, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "default.db*"))
	if len(left) != 0 {
		t.Fatalf("files left: %v", left)
	}
	if _, ok := kr.Peek(profile.Service, KeyUser("default")); ok {
		t.Fatal("the key is still in the keyring")
	}
	if _, ok := kr.Peek(profile.Service, "default"); !ok {
		t.Fatal("Remove deleted the profile's secret")
	}
	if _, err := os.Stat(filepath.Join(dir, "default2.db")); err != nil {
		t.Fatalf("another profile's store went too: %v", err)
	}
	if r, err := Remove(context.Background(), "default", kr, dir); err != nil || r.Key || r.Files != 0 {
		t.Fatalf("second Remove = %+v, %v", r, err)
	}
}

func TestMigrationFromVersion1(t *testing.T) {
	dir := t.TempDir()
	kr := profiletest.New()
	key, _, err := loadKey(context.Background(), kr, "default")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "default.db")
	// Build a version-1 database as the first release wrote it.
	saved := migrations
	migrations = saved[:1]
	db, err := openDB(context.Background(), path, key, time.Second)
	migrations = saved
	if err != nil {
		t.Fatal(err)
	}
	var v int
	_ = db.QueryRow("PRAGMA user_version").Scan(&v)
	if v != 1 {
		t.Fatalf("built version %d", v)
	}
	if _, err := db.Exec(`INSERT INTO tenants(cid, name) VALUES(?, 'old tenant')`, cid(1)); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()

	s := openTest(t, dir, kr)
	if s.Notice() != nil {
		t.Fatalf("a migration set the store aside: %v", s.Notice())
	}
	st, err := s.Stats(context.Background())
	if err != nil || st.SchemaVersion != SchemaVersion || SchemaVersion < 2 {
		t.Fatalf("version %d after migration, want %d: %v", st.SchemaVersion, SchemaVersion, err)
	}
	if ts, _ := s.Tenants(context.Background()); len(ts) != 1 || ts[0].Name != "old tenant" {
		t.Fatalf("version-1 data lost: %+v", ts)
	}
	populate(t, s, cid(1), 1) // the version-2 tables work
}

func TestNewerSchemaIsSetAside(t *testing.T) {
	dir := t.TempDir()
	kr := profiletest.New()
	s := openTest(t, dir, kr)
	if _, err := s.db.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion+5)); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	s2 := openTest(t, dir, kr)
	if n := s2.Notice(); n == nil || !strings.Contains(n.Reason, "newer") {
		t.Fatalf("notice = %v", n)
	}
}

// TestMigrationToVersion4DropsColumnRows: the hosts table of version 3 (a column per field)
// becomes one encoded row per host; the old rows and the watermarks go, so that the next
// refresh reloads every tenant in full, and the tenants stay.
func TestMigrationToVersion4DropsColumnRows(t *testing.T) {
	dir := t.TempDir()
	kr := profiletest.New()
	key, _, err := loadKey(context.Background(), kr, "default")
	if err != nil {
		t.Fatal(err)
	}
	saved := migrations
	migrations = saved[:3]
	db, err := openDB(context.Background(), filepath.Join(dir, "default.db"), key, time.Second)
	migrations = saved
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO tenants(id, cid, name) VALUES(1, '` + cid(1) + `', 'kept')`,
		`INSERT INTO hosts VALUES(1, 'dev1', 'OLDHOST', 'Windows', '', '', '', 'normal', '', '', '', '', '', 0, 0, '', '', 0)`,
		`INSERT INTO watermarks(tid, modified, delta_at, full_at) VALUES(1, 100, 200, 300)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	_ = db.Close()

	s := openTest(t, dir, kr)
	ctx := context.Background()
	if s.Notice() != nil {
		t.Fatalf("the migration set the store aside: %v", s.Notice())
	}
	st, err := s.Stats(ctx)
	if err != nil || st.SchemaVersion != SchemaVersion || st.Hosts != 0 || len(st.Tenants) != 1 {
		t.Fatalf("after migration: %+v, %v", st, err)
	}
	if w, err := s.Watermark(ctx, cid(1)); err != nil || w != (Watermark{}) {
		t.Fatalf("watermark after migration: %+v, %v", w, err)
	}
	if ts, err := s.Tenants(ctx); err != nil || len(ts) != 1 || ts[0].Name != "kept" || !ts[0].SyncedAt.IsZero() {
		t.Fatalf("tenants after migration: %+v, %v", ts, err)
	}
	populate(t, s, cid(1), 3)
}

// TestTenantSyncedAt: a tenant's sync time is the later of its last delta and its last full
// reconciliation, zero when it was never synced.
func TestTenantSyncedAt(t *testing.T) {
	s := openTest(t, t.TempDir(), profiletest.New())
	ctx := context.Background()
	if err := s.PutTenants(ctx, []Tenant{{CID: cid(1), Name: "a"}, {CID: cid(2), Name: "b"}, {CID: cid(3), Name: "c"}}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWatermark(ctx, cid(1), Watermark{DeltaAt: t0.Add(2 * time.Minute), FullAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWatermark(ctx, cid(2), Watermark{DeltaAt: t0, FullAt: t0.Add(5 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	ts, err := s.Tenants(ctx)
	if err != nil || len(ts) != 3 {
		t.Fatalf("Tenants = %+v, %v", ts, err)
	}
	want := []time.Time{t0.Add(2 * time.Minute), t0.Add(5 * time.Minute), {}}
	for i, tn := range ts {
		if !tn.SyncedAt.Equal(want[i]) {
			t.Errorf("%s: SyncedAt %v, want %v", tn.Name, tn.SyncedAt, want[i])
		}
	}
}
