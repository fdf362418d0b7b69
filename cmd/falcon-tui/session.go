package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// session is what a command that talks to the API needs: a client, and where it came from.
type session struct {
	Client  *falcon.Client
	Profile string // profile name shown to the user ("demo" for --demo)
	Source  string // where the credentials came from: "environment", "keyring", "demo"
	// Me is the analyst's console login for "assign to me": FALCON_TUI_ME, else the
	// profile's (login --me); "" = not set.
	Me      string
	sim     *falcontest.Server
	logFile *os.File
	// store is the profile's local store, the client's token cache (nil = none); note says
	// why there is none, or that it was rebuilt, when the user did not ask for that.
	store *store.Store
	note  string
}

// tokenStoreFunc opens the store a session keeps its tokens in (see app.tokenStore).
type tokenStoreFunc func(context.Context) (*store.Store, string)

// openSession builds the client from the global options: the embedded simulated cloud for
// --demo, otherwise the resolved credentials. It does not contact the cloud; callers do
// (client.Connect) so that they can show progress and map errors to their own exit codes.
// ctx bounds the keyring read, which may wait on a desktop unlock prompt: Ctrl+C ends it.
func openSession(ctx context.Context, g *globalOptions) (*session, error) {
	return openSessionWith(ctx, g, nil)
}

// openStoreSession is openSession with the profile's local store as the client's token
// cache (docs/STORE.md), except for --demo: its simulator lives as long as the process. A
// store that was set aside and rebuilt is said on standard error, as every command that
// opens the store says it (docs/CLI.md §11).
func (a *app) openStoreSession(ctx context.Context) (*session, error) {
	s, err := openSessionWith(ctx, a.g, a.tokenStore)
	if err == nil && s.store != nil && s.store.Notice() != nil {
		fmt.Fprintf(a.stderr, "Note: %s.\n", s.store.Notice())
	}
	return s, err
}

// startNotice is what the explorer says once in its status bar about the store: why there
// is none this run, or that it was set aside and rebuilt ("" = nothing).
func (s *session) startNotice() string {
	if s.store != nil && s.store.Notice() != nil {
		return s.store.Notice().String()
	}
	return s.note
}

// openSessionWith is openSession; tokens, when not nil, opens the token cache.
func openSessionWith(ctx context.Context, g *globalOptions, tokens tokenStoreFunc) (*session, error) {
	s := &session{Profile: g.Profile}
	var cfg falcon.Config
	if g.Demo {
		// Only cmd/ knows about the simulator: to the client it is just another base URL.
		s.sim = falcontest.NewServer()
		full := s.sim.Client("full")
		cfg = falcon.Config{ClientID: full.ID, ClientSecret: full.Secret, BaseURL: s.sim.URL, Cloud: falcon.CloudAuto}
		s.Profile, s.Source = "demo", "demo"
	} else {
		c, err := resolveCredentialsContext(ctx, g)
		if err != nil {
			return nil, err
		}
		cfg, s.Source, s.Me = c.Config, c.Source, c.Me
	}
	if me := strings.TrimSpace(os.Getenv("FALCON_TUI_ME")); me != "" {
		s.Me = me
	}
	if g.BaseURL != "" {
		cfg.BaseURL = g.BaseURL
	}
	if g.MemberCID != "" {
		cfg.MemberCID = g.MemberCID
	}
	cfg.ReadOnly = g.ReadOnly
	cfg.UserAgent = "falcon-tui/" + version
	if g.maxRetries > 0 {
		cfg.MaxRetries = g.maxRetries
	}
	var debug io.Writer // nil, not a nil *os.File: the log checks for none
	if g.LogFile != "" {
		f, err := openLog(g.LogFile)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("debug log: %w", err)
		}
		s.logFile, debug = f, f
	}
	if tokens != nil && !g.Demo {
		s.store, s.note = tokens(ctx)
		if s.store != nil {
			cfg.TokenCache = s.store.TokenCache()
		}
		if s.note != "" && s.logFile != nil {
			fmt.Fprintf(s.logFile, "falcon-tui: %s\n", s.note)
		}
	}
	g.calls = falcon.NewCallLog(0, debug)
	cfg.CallLog = g.calls
	client, err := falcon.New(cfg)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.Client = client
	return s, nil
}

// openLog opens the --log file for appending. The log names tenants, hosts and groups: an
// existing file (created earlier, perhaps by another program with a looser umask) is made
// private too, since O_CREATE's mode applies only to a new one. Only a regular file is
// changed: --log /dev/stderr must not alter the terminal's permissions.
func openLog(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm() != 0o600 {
		if err := f.Chmod(0o600); err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("%s: making it private: %w", path, err)
		}
	}
	return f, nil
}

// closeTimeout bounds revoking the tokens at exit: a stalled /oauth2/revoke must not hold
// the terminal (the transport's own timeouts are minutes long). The tokens expire by
// themselves within 30 minutes anyway.
var closeTimeout = 3 * time.Second

// closeContext is the context of every Close: ctx's values without its cancellation
// (after Ctrl+C it is cancelled, and the tokens are still worth revoking), bounded.
func closeContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
}

// Close is CloseContext for callers without a context.
func (s *session) Close() { s.CloseContext(context.Background()) }

// CloseContext revokes tokens (for at most closeTimeout; none when the local store keeps
// them), closes the store, stops the embedded simulator and closes the log.
func (s *session) CloseContext(ctx context.Context) {
	cctx, cancel := closeContext(ctx)
	defer cancel()
	s.closeBy(cctx)
}

// closeBy is CloseContext with ctx as given: its deadline bounds the revokes.
func (s *session) closeBy(ctx context.Context) {
	if s.Client != nil {
		_ = s.Client.Close(ctx)
	}
	if s.store != nil {
		_ = s.store.Close() // after the client: it saves tokens until it closes
	}
	if s.sim != nil {
		s.sim.Close()
	}
	if s.logFile != nil {
		_ = s.logFile.Close()
	}
}
