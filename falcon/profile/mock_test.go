package profile_test

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/zalando/go-keyring"
)

// These tests go through profile.System(), i.e. go-keyring's package functions, with
// go-keyring's own mock provider. keyring.MockInit swaps a process-wide provider, which is
// why the real-keyring tests live in another package (falcon/profile/keyringtest) and these
// tests never run in parallel.

func TestKeyringMockThroughGoKeyring(t *testing.T) {
	keyring.MockInit()
	s, err := profile.Open(profile.Options{Dir: filepath.Join(t.TempDir(), "cfg")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Save(ctx, prof("default"), testSecret); err != nil {
		t.Fatal(err)
	}
	// Stored where docs/CLI.md §4 says: service falcon-tui, user = profile name.
	if v, err := keyring.Get("falcon-tui", "default"); err != nil || v != testSecret {
		t.Fatalf("go-keyring holds %q, %v", v, err)
	}
	if v, err := s.Secret(ctx, "default"); err != nil || v != testSecret {
		t.Fatalf("Secret = %q, %v", v, err)
	}
	if r, err := s.Remove(ctx, "default"); err != nil || !r.Secret || !r.Settings {
		t.Fatalf("Remove = %+v, %v", r, err)
	}
	if _, err := keyring.Get("falcon-tui", "default"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("after Remove go-keyring says %v", err)
	}
	if _, err := s.Secret(ctx, "default"); !errors.Is(err, profile.ErrNoSecret) {
		t.Fatalf("Secret after Remove = %v, want ErrNoSecret", err)
	}
}

func TestKeyringMockRawErrorsAreDiagnosed(t *testing.T) {
	for _, c := range []struct {
		raw  error
		want error
	}{
		{&exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound}, profile.ErrNoSessionBus},
		{errors.New("The name org.freedesktop.secrets was not provided by any .service files"), profile.ErrNoSecretService},
		{errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), profile.ErrKeyringLocked},
		{keyring.ErrUnsupportedPlatform, profile.ErrKeyringUnsupported},
	} {
		keyring.MockInitWithError(c.raw)
		s, _ := profile.Open(profile.Options{Dir: filepath.Join(t.TempDir(), "cfg")})
		err := s.Save(context.Background(), prof("default"), testSecret)
		if !errors.Is(err, c.want) || !errors.Is(err, profile.ErrKeyringUnavailable) {
			t.Errorf("go-keyring error %q: Save = %v, want %v", c.raw, err, c.want)
		}
		assertNoSettings(t, s)
	}
	keyring.MockInit()
}
