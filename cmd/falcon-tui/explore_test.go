package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/profile"
)

// `:profile NAME` opens the named profile only: with FALCON_CLIENT_ID/SECRET set and --cloud,
// --base-url and --member-cid given at start, the switched-to client still comes from the
// profile's own settings and secret (the bug: it went through openSession, which took the
// environment credentials and the flags).
func TestExploreProfileSwitchUsesTheNamedProfileOnly(t *testing.T) {
	fakeProfiles(t)
	srv := newSim(t)
	full := srv.Client("full")
	saveProfile(t, profile.Profile{Name: "sim", ClientID: full.ID, Cloud: "auto", BaseURL: srv.URL}, full.Secret)
	t.Setenv("FALCON_CLIENT_ID", "env-id")
	t.Setenv("FALCON_CLIENT_SECRET", "env-secret")
	g := defaultGlobalOptions()
	g.Cloud, g.BaseURL, g.MemberCID, g.ReadOnly = "eu-1", "http://127.0.0.1:1", "not-a-child", true
	p := &profileSessions{g: g}
	defer p.close()

	c, err := p.openProfile(context.Background(), "sim")
	if err != nil {
		t.Fatal(err)
	}
	if c.ClientID() != full.ID || c.BaseURL() != srv.URL || !c.ReadOnly() {
		t.Fatalf("client %s at %s read-only=%v; want the profile's, read-only kept", c.ClientID(), c.BaseURL(), c.ReadOnly())
	}
	if len(p.clients) != 1 {
		t.Fatalf("%d clients kept for closing at exit", len(p.clients))
	}
}

// An unknown profile says what to do in one status-bar line, not the command line's advice
// about environment variables and --demo, and not "Could not connect".
func TestExploreProfileErrorsFitOneLine(t *testing.T) {
	fakeProfiles(t)
	t.Setenv("FALCON_CLIENT_ID", "env-id")
	t.Setenv("FALCON_CLIENT_SECRET", "env-secret")
	p := &profileSessions{g: defaultGlobalOptions()}
	_, err := p.openProfile(context.Background(), "eu")
	if !errors.Is(err, profile.ErrNoProfile) {
		t.Fatalf("unknown profile: %v", err)
	}
	if want := `profile "eu" is not logged in: run 'falcon-tui login --profile eu'`; err.Error() != want {
		t.Fatalf("message %q, want %q", err, want)
	}
	_, err = p.openProfile(context.Background(), "no such/name")
	if err == nil || !strings.Contains(err.Error(), "is not a profile name") || !errors.Is(err, profile.ErrInvalid) {
		t.Fatalf("bad name: %v", err)
	}
}

// blockingKeyring stands for a desktop keyring waiting on its unlock prompt.
type blockingKeyring struct {
	entered chan struct{}
	release chan struct{}
}

func (k *blockingKeyring) Set(string, string, string) error { return nil }
func (k *blockingKeyring) Delete(string, string) error      { return nil }
func (k *blockingKeyring) Get(string, string) (string, error) {
	close(k.entered)
	<-k.release
	return "", errors.New("released")
}

// Ctrl+C (the command's context ending) interrupts a keyring read that waits on an unlock
// prompt: openSession returns instead of hanging until the prompt is answered.
func TestOpenSessionKeyringReadFollowsTheContext(t *testing.T) {
	_, dir := fakeProfiles(t)
	saveProfile(t, profile.Profile{Name: "locked", ClientID: "id", Cloud: "us-1"}, "secret")
	secrets.reset()
	t.Cleanup(secrets.reset)
	kr := &blockingKeyring{entered: make(chan struct{}), release: make(chan struct{})}
	t.Cleanup(func() { close(kr.release) })
	swap(t, &openProfileStore, func() (*profile.Store, error) {
		return profile.Open(profile.Options{Dir: dir, Keyring: kr})
	})
	t.Setenv("FALCON_CLIENT_ID", "")
	t.Setenv("FALCON_CLIENT_SECRET", "")
	g := defaultGlobalOptions()
	g.Profile = "locked"
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-kr.entered
		cancel()
	}()
	s, err := openSession(ctx, g)
	if !errors.Is(err, context.Canceled) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("openSession while the keyring waits, then Ctrl+C: %v", err)
	}
}
