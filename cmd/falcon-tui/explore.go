package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui"
)

// runExplore starts the interactive explorer. The frame is on screen at once: connecting
// (token, cloud discovery) happens inside the TUI, and a failure is shown full-screen there
// and repeated on standard error after the screen is restored.
func runExplore(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("falcon-tui", stderr)
	g.register(fs)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "falcon-tui: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	s, err := openSession(g)
	if err != nil {
		return fail(stderr, err)
	}
	profiles := &profileSessions{g: g}
	defer func() {
		profiles.close()
		s.Close()
	}()

	m := tui.New(tui.Options{
		Client:      s.Client,
		Profile:     s.Profile,
		Source:      s.Source,
		ReadOnly:    g.ReadOnly,
		StartCID:    strings.ToLower(strings.TrimSpace(g.MemberCID)),
		Context:     ctx,
		OpenProfile: profiles.openProfile,
		Profiles:    profileNames,
	})
	final, err := tea.NewProgram(m, tea.WithContext(ctx), tea.WithOutput(stdout)).Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		return fail(stderr, err)
	}
	if fm, ok := final.(tui.Model); ok {
		if cerr := fm.ConnectErr(); cerr != nil {
			return fail(stderr, cerr)
		}
	}
	return exitOK
}

// profileSessions opens the sessions `:profile NAME` asks for and closes them at exit.
type profileSessions struct {
	g        *globalOptions
	mu       sync.Mutex
	sessions []*session
}

func (p *profileSessions) openProfile(_ context.Context, name string) (*falcon.Client, error) {
	g := *p.g
	g.Profile, g.Demo, g.MemberCID, g.BaseURL = name, false, "", ""
	s, err := openSession(&g)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.sessions = append(p.sessions, s)
	p.mu.Unlock()
	return s.Client, nil
}

func (p *profileSessions) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.sessions {
		s.Close()
	}
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
