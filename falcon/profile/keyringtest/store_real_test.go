package keyringtest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/zalando/go-keyring"
)

// TestStoreKeyRealRoundTrip: the local store's key goes to the Secret Service under service
// falcon-tui, user store:PROFILE; a second open reads it back (the data is there); the key is
// in clear text in no file under the cache dir; store.Remove deletes the files and the key.
func TestStoreKeyRealRoundTrip(t *testing.T) {
	profiletest.RequireRealKeyring(t)
	name := "kt-" + randomHex(4)
	user := store.KeyUser(name)
	t.Cleanup(func() { _ = keyring.Delete(profile.Service, user) })
	dir := filepath.Join(t.TempDir(), "cache")
	ctx := context.Background()

	s, err := store.Open(ctx, name, profile.System(), store.Options{Dir: dir})
	if err != nil {
		t.Fatalf("Open against the real keyring: %v", err)
	}
	cid := randomHex(16)
	if err := s.PutHosts(ctx, cid, []falcon.Host{{DeviceID: randomHex(16), Hostname: "REALHOST"}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	key, err := keyring.Get(profile.Service, user)
	if err != nil || len(key) != 64 {
		t.Fatalf("the Secret Service holds no store key under (falcon-tui, %s): %v", user, err)
	}
	hits, _, err := profiletest.FilesContaining([]byte(key), dir)
	if err != nil || len(hits) > 0 {
		t.Fatalf("the key is in clear text in %v (%v)", hits, err)
	}

	s2, err := store.Open(ctx, name, profile.System(), store.Options{Dir: dir})
	if err != nil || s2.Notice() != nil {
		t.Fatalf("second open: %v, notice %v", err, s2.Notice())
	}
	if ids, err := s2.HostIDs(ctx, cid); err != nil || len(ids) != 1 {
		t.Fatalf("second open reads %v, %v", ids, err)
	}
	_ = s2.Close()

	r, err := store.Remove(ctx, name, profile.System(), dir)
	if err != nil || !r.Key || r.Files == 0 {
		t.Fatalf("Remove = %+v, %v", r, err)
	}
	if _, err := keyring.Get(profile.Service, user); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("after Remove the Secret Service says %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, name+".db*")); len(left) != 0 {
		t.Fatalf("files left: %v", left)
	}
	_ = os.Remove(dir)
}
