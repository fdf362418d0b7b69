package profile_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

const testSecret = "Zq8xSECRETvalue0123456789abcdefghijklmnop"

var lockedErr = errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")

func newStore(t *testing.T) (*profile.Store, *profiletest.Keyring) {
	t.Helper()
	kr := profiletest.New()
	s, err := profile.Open(profile.Options{Dir: filepath.Join(t.TempDir(), "falcon-tui"), Keyring: kr})
	if err != nil {
		t.Fatal(err)
	}
	return s, kr
}

func prof(name string) profile.Profile {
	return profile.Profile{Name: name, ClientID: "0123456789abcdef0123456789abcdef", Cloud: "us-2",
		TenantCID: "fedcba9876543210fedcba9876543210", LoggedInAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
}

func TestProfileStoreSaveGetSecretRemove(t *testing.T) {
	s, kr := newStore(t)
	ctx := context.Background()
	if err := s.Save(ctx, prof("prod"), testSecret); err != nil {
		t.Fatal(err)
	}
	if v, ok := kr.Peek(profile.Service, "prod"); !ok || v != testSecret {
		t.Fatalf("keyring holds %q, %v; want the secret under service falcon-tui, user prod", v, ok)
	}
	b, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(testSecret)) {
		t.Fatal("the settings file holds the secret")
	}
	got, err := s.Get("prod")
	if err != nil || got != prof("prod") {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	secret, err := s.Secret(ctx, "prod")
	if err != nil || secret != testSecret {
		t.Fatalf("Secret = %q, %v", secret, err)
	}

	r, err := s.Remove(ctx, "prod")
	if err != nil || !r.Settings || !r.Secret {
		t.Fatalf("Remove = %+v, %v; want both halves removed", r, err)
	}
	if kr.Len() != 0 {
		t.Fatal("secret still in the keyring")
	}
	if _, err := s.Get("prod"); !errors.Is(err, profile.ErrNoProfile) {
		t.Fatalf("Get after Remove = %v, want ErrNoProfile", err)
	}
	// Idempotent: a second Remove finds nothing and is not an error.
	r, err = s.Remove(ctx, "prod")
	if err != nil || r.Settings || r.Secret {
		t.Fatalf("second Remove = %+v, %v", r, err)
	}
}

func TestProfileStoreListSortedWithoutKeyring(t *testing.T) {
	s, kr := newStore(t)
	ctx := context.Background()
	for _, n := range []string{"zeta", "alpha", "mid"} {
		if err := s.Save(ctx, prof(n), testSecret+n); err != nil {
			t.Fatal(err)
		}
	}
	gets := kr.Calls("get")
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range list {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "alpha,mid,zeta" {
		t.Fatalf("List = %v", names)
	}
	if kr.Calls("get") != gets {
		t.Fatal("List read the keyring")
	}
}

func TestProfileStoreSecretMissing(t *testing.T) {
	s, _ := newStore(t)
	_, err := s.Secret(context.Background(), "nobody")
	if !errors.Is(err, profile.ErrNoSecret) || errors.Is(err, profile.ErrKeyringUnavailable) {
		t.Fatalf("Secret of an unknown profile = %v; want ErrNoSecret only", err)
	}
}

func TestProfileStorePrepareFailsOnUnavailableKeyring(t *testing.T) {
	s, kr := newStore(t)
	kr.Fail("", lockedErr)
	_, err := s.Prepare(context.Background(), "prod")
	if !errors.Is(err, profile.ErrKeyringLocked) {
		t.Fatalf("Prepare = %v, want ErrKeyringLocked", err)
	}
	var ue *profile.UnavailableError
	if !errors.As(err, &ue) || ue.Op != "store" || ue.Profile != "prod" {
		t.Fatalf("error %#v", err)
	}
	assertNoSettings(t, s)
}

func TestProfileStoreCommitKeyringWriteFailsStoresNothing(t *testing.T) {
	s, kr := newStore(t)
	ctx := context.Background()
	p, err := s.Prepare(ctx, "prod")
	if err != nil {
		t.Fatal(err)
	}
	kr.Fail("set", errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	err = p.Commit(ctx, prof("prod"), testSecret)
	if !errors.Is(err, profile.ErrNoSecretService) {
		t.Fatalf("Commit = %v, want ErrNoSecretService", err)
	}
	if kr.Len() != 0 {
		t.Fatal("something in the keyring")
	}
	assertNoSettings(t, s)
	if err := p.Commit(ctx, prof("prod"), testSecret); err == nil {
		t.Fatal("a second Commit was accepted")
	}
}

func TestProfileStoreSettingsFailureRollsBackKeyring(t *testing.T) {
	ctx := context.Background()
	t.Run("new profile: secret deleted again", func(t *testing.T) {
		kr := profiletest.New()
		blocker := filepath.Join(t.TempDir(), "file")
		os.WriteFile(blocker, nil, 0o600)
		// The settings directory cannot be created below a regular file.
		s, _ := profile.Open(profile.Options{Dir: filepath.Join(blocker, "falcon-tui"), Keyring: kr})
		err := s.Save(ctx, prof("prod"), testSecret)
		if err == nil || !strings.Contains(err.Error(), "keyring was left as it was") {
			t.Fatalf("Save = %v", err)
		}
		if kr.Len() != 0 {
			t.Fatal("the new secret stayed in the keyring")
		}
	})
	t.Run("existing profile: old secret restored", func(t *testing.T) {
		s, kr := newStore(t)
		if err := s.Save(ctx, prof("prod"), "old-secret"); err != nil {
			t.Fatal(err)
		}
		// Make the settings file unparsable: the read-modify-write fails after the keyring write.
		os.WriteFile(s.Path(), []byte("{garbage"), 0o600)
		err := s.Save(ctx, prof("prod"), testSecret)
		if err == nil {
			t.Fatal("Save succeeded over a broken settings file")
		}
		if v, _ := kr.Peek(profile.Service, "prod"); v != "old-secret" {
			t.Fatalf("keyring holds %q, want the old secret back", v)
		}
	})
}

func TestProfileStoreRemoveWithUnavailableKeyringRemovesNothing(t *testing.T) {
	s, kr := newStore(t)
	ctx := context.Background()
	if err := s.Save(ctx, prof("prod"), testSecret); err != nil {
		t.Fatal(err)
	}
	kr.Fail("delete", lockedErr)
	_, err := s.Remove(ctx, "prod")
	if !errors.Is(err, profile.ErrKeyringLocked) {
		t.Fatalf("Remove = %v", err)
	}
	if _, err := s.Get("prod"); err != nil {
		t.Fatalf("settings removed although the secret could not be: %v", err)
	}
}

func TestProfileStoreRejectsBadInput(t *testing.T) {
	s, kr := newStore(t)
	ctx := context.Background()
	if err := s.Save(ctx, prof("bad name"), testSecret); !errors.Is(err, profile.ErrInvalid) {
		t.Fatalf("bad name: %v", err)
	}
	if err := s.Save(ctx, prof("ok"), ""); !errors.Is(err, profile.ErrInvalid) {
		t.Fatalf("empty secret: %v", err)
	}
	p, _ := s.Prepare(ctx, "one")
	if err := p.Commit(ctx, prof("two"), testSecret); err == nil {
		t.Fatal("Commit accepted another profile's name")
	}
	if kr.Calls("set") != 0 {
		t.Fatal("invalid input reached the keyring")
	}
	assertNoSettings(t, s)
}

// blockingKeyring never answers, like go-keyring waiting on an unlock prompt nobody sees.
type blockingKeyring struct{ release chan struct{} }

func (b blockingKeyring) Set(_, _, _ string) error        { <-b.release; return nil }
func (b blockingKeyring) Get(_, _ string) (string, error) { <-b.release; return "", nil }
func (b blockingKeyring) Delete(_, _ string) error        { <-b.release; return nil }

func blockingStore(t *testing.T, timeout time.Duration) *profile.Store {
	t.Helper()
	b := blockingKeyring{make(chan struct{})}
	t.Cleanup(func() { close(b.release) })
	s, err := profile.Open(profile.Options{Dir: t.TempDir(), Keyring: b, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestKeyringTimeoutAndCancel(t *testing.T) {
	s := blockingStore(t, time.Millisecond)
	_, err := s.Secret(context.Background(), "prod")
	if !errors.Is(err, profile.ErrKeyringTimeout) || !strings.Contains(err.Error(), "prompt may be waiting") {
		t.Fatalf("blocked keyring = %v, want ErrKeyringTimeout", err)
	}

	// A caller that gives up (before or during the call) gets its own context error, not a
	// keyring diagnosis.
	s = blockingStore(t, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	if _, err := s.Secret(ctx, "prod"); !errors.Is(err, context.Canceled) || errors.Is(err, profile.ErrKeyringUnavailable) {
		t.Fatalf("cancelled = %v", err)
	}
}

func assertNoSettings(t *testing.T, s *profile.Store) {
	t.Helper()
	if _, err := os.Stat(s.Path()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("settings file exists (or %v): nothing should have been stored", err)
	}
}
