package keyringtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
	"github.com/zalando/go-keyring"
)

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// TestKeyringRealRoundTrip: the secret goes to the Secret Service under service falcon-tui and
// user = profile name, reaches no file under the config or data dirs, is read back by a new
// store (a second run), and is gone after Remove.
func TestKeyringRealRoundTrip(t *testing.T) {
	profiletest.RequireRealKeyring(t)
	name := "kt-" + randomHex(4) // go test ./... runs packages in parallel against one keyring
	secret := "SECRET" + randomHex(17)
	cfg := filepath.Join(t.TempDir(), "falcon-tui")
	t.Cleanup(func() { _ = keyring.Delete(profile.Service, name) })
	ctx := context.Background()

	s, err := profile.Open(profile.Options{Dir: cfg})
	if err != nil {
		t.Fatal(err)
	}
	p := profile.Profile{Name: name, ClientID: randomHex(16), Cloud: "eu-1", LoggedInAt: time.Now().UTC()}
	if err := s.Save(ctx, p, secret); err != nil {
		t.Fatalf("Save against the real keyring: %v", err)
	}
	if got, err := keyring.Get(profile.Service, name); err != nil || got != secret {
		t.Fatalf("the Secret Service holds the secret: %v (err %v) under (falcon-tui, %s)", got == secret, err, name)
	}

	data := os.Getenv("XDG_DATA_HOME")
	if data == "" {
		t.Fatal("XDG_DATA_HOME is unset: run under .ci/keyring.sh so the keyring's files are in a known place")
	}
	hits, scanned, err := profiletest.FilesContaining([]byte(secret), cfg, data, os.Getenv("XDG_RUNTIME_DIR"))
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) > 0 {
		t.Fatalf("the secret is in clear text in %v", hits)
	}
	// The scan must have seen the settings file and the keyring's own storage.
	if _, err := os.Stat(filepath.Join(data, "keyrings")); err != nil || scanned < 2 {
		t.Fatalf("scanned %d files; keyring storage: %v", scanned, err)
	}

	// A second run: a fresh store reads the secret back from the keyring.
	s2, _ := profile.Open(profile.Options{Dir: cfg})
	got, err := s2.Secret(ctx, name)
	if err != nil || got != secret {
		t.Fatalf("second run: Secret = %v, %v", got == secret, err)
	}

	r, err := s2.Remove(ctx, name)
	if err != nil || !r.Secret || !r.Settings {
		t.Fatalf("Remove = %+v, %v", r, err)
	}
	if _, err := keyring.Get(profile.Service, name); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("after Remove the Secret Service says %v", err)
	}
	if _, err := s2.Secret(ctx, name); !errors.Is(err, profile.ErrNoSecret) {
		t.Fatalf("Secret after Remove = %v", err)
	}
}

func TestKeyringRealScanFindsClearText(t *testing.T) {
	// The scanner itself: a planted needle is found, so a clean result above means something.
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "a", "b"), 0o700)
	os.WriteFile(filepath.Join(dir, "a", "b", "f"), []byte("xxNEEDLEyy"), 0o600)
	hits, scanned, err := profiletest.FilesContaining([]byte("NEEDLE"), dir, filepath.Join(dir, "missing"))
	if err != nil || len(hits) != 1 || scanned != 1 {
		t.Fatalf("hits %v scanned %d err %v", hits, scanned, err)
	}
}

const helperEnv = "FALCON_TUI_KEYRING_HELPER"

// TestKeyringRealUnavailable reproduces each unavailable-keyring case for real (in a child
// process: godbus caches the session bus connection per process) and checks its diagnosis.
func TestKeyringRealUnavailable(t *testing.T) {
	profiletest.RequireRealKeyring(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range profiletest.Unavailable(t) {
		t.Run(sc.Name, func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "falcon-tui")
			cmd := sc.Command(t, []string{exe, "-test.run=^TestKeyringHelperProcess$", "-test.count=1"})
			cmd.Env = append(cmd.Env, helperEnv+"="+cfg)
			out, err := cmd.CombinedOutput()
			text := string(out)
			if err != nil {
				t.Fatalf("helper: %v\n%s", err, text)
			}
			if !strings.Contains(text, "REASON="+sc.Reason+"\n") {
				t.Fatalf("want reason %s, helper said:\n%s", sc.Reason, text)
			}
			if strings.Contains(text, "RAW-LEAK") {
				t.Fatalf("message carries the raw error:\n%s", text)
			}
			if _, err := os.Stat(cfg); !os.IsNotExist(err) {
				t.Fatalf("something was stored in %s (%v)", cfg, err)
			}
			t.Logf("%s", text)
		})
	}
}

// TestKeyringHelperProcess is the child of TestKeyringRealUnavailable: it tries to save a
// profile and prints the diagnosis.
func TestKeyringHelperProcess(t *testing.T) {
	cfg := os.Getenv(helperEnv)
	if cfg == "" {
		return // only meaningful as TestKeyringRealUnavailable's child
	}
	s, err := profile.Open(profile.Options{Dir: cfg, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Save(context.Background(), profile.Profile{Name: "helper", ClientID: "id", Cloud: "us-1"}, "helper-secret")
	var ue *profile.UnavailableError
	if !errors.As(err, &ue) {
		t.Fatalf("Save = %v, want an *UnavailableError", err)
	}
	msg := ue.Error()
	fmt.Printf("REASON=%s\nMESSAGE=%s\nRAW=%v\n", ue.Reason, msg, ue.Err)
	if ue.Reason != profile.ReasonOther && strings.Contains(msg, ue.Err.Error()) {
		fmt.Println("RAW-LEAK")
	}
}
