package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui"
)

// runExplore starts the interactive explorer (falcon-tui with no command). The frame is on
// screen at once: connecting (token, cloud discovery) happens inside the TUI, and a failure
// is shown full-screen there and repeated on standard error after the screen is restored.
func runExplore(ctx context.Context, a *app) error {
	g, stdout := a.g, a.stdout
	// The profile's local store keeps the access tokens (docs/STORE.md); what there is to
	// say about it goes to the status bar, not to a terminal the screen is about to cover.
	s, err := openSessionWith(ctx, g, a.tokenStore)
	if err != nil {
		return err
	}
	profiles := &profileSessions{g: g, tokens: a.tokenStoreOf}
	defer closeAtExit(ctx, s, profiles)

	opts := tui.Options{
		Client:      s.Client,
		Profile:     s.Profile,
		Source:      s.Source,
		ReadOnly:    g.ReadOnly,
		Me:          s.Me,
		MeOf:        profileMe,
		StartCID:    strings.ToLower(strings.TrimSpace(g.MemberCID)),
		Context:     ctx,
		OpenProfile: profiles.openProfile,
		Profiles:    profileNames,
		Notice:      s.startNotice(),
		Store:       s.store,
		StoreOf:     profiles.storeOf,
	}
	if err := exploreSettings(&opts, &a.x, g); err != nil {
		return err
	}
	m := tui.New(opts)
	final, err := tea.NewProgram(m, tea.WithContext(ctx), tea.WithOutput(stdout)).Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		return err
	}
	if fm, ok := final.(tui.Model); ok {
		if cerr := fm.ConnectErr(); cerr != nil {
			// The screen said it in the user's terms; repeat it so after the screen is gone.
			cfg := falcon.Config{BaseURL: s.Client.BaseURL(), Cloud: s.Client.Cloud(), MemberCID: g.MemberCID}
			return explainConnectError(cerr, cfg)
		}
	}
	return nil
}

// exitBudget bounds what the explorer does after its screen is gone: revoking every token
// (of the session and of the :profile clients, all at once; none that the local store
// keeps for the next start), closing the stores, stopping the embedded simulator, closing
// the log. With a thousand tenants' tokens the revokes alone outlast any
// patience; they are best effort (tokens expire by themselves within 30 minutes), so the
// exit gives them this much and no more. It stays under a second so that q returns the
// terminal within one, the program's own shutdown included.
var exitBudget = 800 * time.Millisecond

// closeAtExit closes the session and the profile clients within exitBudget, and never
// waits longer: a Close that overstays its deadline is left behind as the process exits.
func closeAtExit(ctx context.Context, s *session, profiles *profileSessions) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), exitBudget)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		wg.Go(func() { profiles.closeBy(cctx) })
		s.closeBy(cctx)
		wg.Wait()
	}()
	select {
	case <-done:
	case <-cctx.Done():
	}
}

// profileSessions opens the clients `:profile NAME` asks for and closes them at exit.
type profileSessions struct {
	g *globalOptions
	// tokens opens a profile's local store for its client's token cache (nil = none).
	tokens   func(ctx context.Context, profile string) (*store.Store, string)
	mu       sync.Mutex
	clients  []*falcon.Client
	stores   []*store.Store // closed after the clients
	byClient map[*falcon.Client]*store.Store
}

// storeOf is the local store opened with client c (nil: none), for the explorer to start
// the profile's panes from.
func (p *profileSessions) storeOf(c *falcon.Client) *store.Store {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.byClient[c]
}

// openProfile builds and connects a client from the named profile only: neither the
// environment credentials nor --cloud/--base-url/--member-cid (which described the profile
// the explorer started with) apply to it; --read-only and --log do.
func (p *profileSessions) openProfile(ctx context.Context, name string) (*falcon.Client, error) {
	var st *store.Store
	var cache falcon.TokenCache
	if p.tokens != nil && profile.ValidateName(name) == nil {
		// Best effort and quiet: the status bar is for the switch's own outcome.
		if st, _ = p.tokens(ctx, name); st != nil {
			cache = st.TokenCache()
		}
	}
	c, err := openProfileClientWith(ctx, p.g, name, cache)
	if err != nil {
		if st != nil {
			_ = st.Close()
		}
		return nil, profileError(name, err)
	}
	p.mu.Lock()
	p.clients = append(p.clients, c)
	if st != nil {
		p.stores = append(p.stores, st)
		if p.byClient == nil {
			p.byClient = map[*falcon.Client]*store.Store{}
		}
		p.byClient[c] = st
	}
	p.mu.Unlock()
	return c, nil
}

// close revokes the tokens of every profile client, all at once, for at most closeTimeout
// (see closeContext). The explorer closed those it replaced already; closing again sends
// nothing for tokens already revoked.
func (p *profileSessions) close(ctx context.Context) {
	cctx, cancel := closeContext(ctx)
	defer cancel()
	p.closeBy(cctx)
}

// closeBy closes every profile client, all at once, with ctx as given (its deadline bounds
// the revokes).
func (p *profileSessions) closeBy(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range p.clients {
		wg.Go(func() { _ = c.Close(ctx) })
	}
	wg.Wait()
	for _, st := range p.stores {
		_ = st.Close()
	}
	p.stores = nil
}

// shortError is an error with a message fit for the one-line status bar; the cause stays
// reachable with errors.Is.
type shortError struct {
	msg string
	err error
}

func (e *shortError) Error() string { return e.msg }
func (e *shortError) Unwrap() error { return e.err }

// profileError says what to do about a profile that cannot be opened, in one line: the long
// command-line advice (environment variables, --demo) does not apply to `:profile`.
func profileError(name string, err error) error {
	switch {
	case errors.Is(err, profile.ErrNoProfile):
		return &shortError{fmt.Sprintf("profile %q is not logged in: run 'falcon-tui login --profile %s'", name, name), err}
	case profile.ValidateName(name) != nil:
		return &shortError{fmt.Sprintf("%q is not a profile name (letters, digits, '.', '_', '-')", name), err}
	}
	return err
}

// profileMe is who "me" is after `:profile NAME`: FALCON_TUI_ME, else that profile's login
// (login --me); "" when neither is set or the store cannot be read.
func profileMe(name string) string {
	if me := strings.TrimSpace(os.Getenv("FALCON_TUI_ME")); me != "" {
		return me
	}
	st, err := openProfileStore()
	if err != nil {
		return ""
	}
	p, err := st.Get(name)
	if err != nil {
		return ""
	}
	return p.Me
}

// profileNames lists the stored profiles for `:profile` completion (none when the store
// cannot be read: completion is a convenience).
func profileNames() []string {
	st, err := openProfileStore()
	if err != nil {
		return nil
	}
	ps, err := st.List()
	if err != nil {
		return nil
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return names
}
