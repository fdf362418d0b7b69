package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
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
	defer p.close(context.Background())

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

// envOptions are the global options of a session with the environment's credentials for
// srv's "full" client, at baseURL.
func envOptions(t *testing.T, srv *falcontest.Server, baseURL string) *globalOptions {
	t.Helper()
	fakeProfiles(t) // never the user's own profiles
	full := srv.Client("full")
	t.Setenv("FALCON_CLIENT_ID", full.ID)
	t.Setenv("FALCON_CLIENT_SECRET", full.Secret)
	g := defaultGlobalOptions()
	g.BaseURL = baseURL
	return g
}

// Bug: Close revoked the tokens with context.Background() and the transport waits minutes
// for a response, so after Ctrl+C a stalled /oauth2/revoke held the terminal. Every Close
// is bounded now, and still tries to revoke although Ctrl+C cancelled the context.
func TestSessionCloseDoesNotWaitOnAStalledRevoke(t *testing.T) {
	swap(t, &closeTimeout, 50*time.Millisecond)
	srv := newSim(t)
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var revokes atomic.Int32
	release := make(chan struct{})
	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/revoke" {
			revokes.Add(1)
			<-release // until the test ends: the cloud never answers
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(stalled.Close)
	defer close(release) // before the server's Close, which waits for its handlers

	s, err := openSession(context.Background(), envOptions(t, srv, stalled.URL))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Client.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Ctrl+C
	done := make(chan struct{})
	go func() {
		s.CloseContext(ctx)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("Close still waits on the stalled revoke")
	}
	if revokes.Load() == 0 {
		t.Fatal("the cancelled context stopped the revoke from being sent at all")
	}

	// The :profile clients too.
	p := &profileSessions{g: defaultGlobalOptions()}
	c, err := falcon.New(falcon.Config{ClientID: srv.Client("full").ID, ClientSecret: srv.Client("full").Secret, BaseURL: stalled.URL})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	p.clients = append(p.clients, c)
	done = make(chan struct{})
	go func() {
		p.close(ctx)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("closing the profile clients still waits on the stalled revoke")
	}
}

// --log FILE: an existing file (created with a looser mode) is made private, as a new one is.
func TestLogFileIsMadePrivate(t *testing.T) {
	srv := newSim(t)
	path := filepath.Join(t.TempDir(), "debug.log")
	if err := os.WriteFile(path, []byte("earlier run\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // whatever the umask
		t.Fatal(err)
	}
	g := envOptions(t, srv, srv.URL)
	g.LogFile = path
	s, err := openSession(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("log file mode %v, want -rw-------", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "earlier run\n") {
		t.Fatalf("the log was not appended to: %q", b)
	}
}
