package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// q quits at once whatever is in flight: it cancels everything the client runs (streams,
// counts, probes: all descend from clientCtx), so nothing holds the exit, and what still
// arrives before the program reads its quit message is dropped without any work or any
// further command.
func TestQuitCancelsWhatIsInFlight(t *testing.T) {
	a := start(t, 120, 35, true, Options{}, falcontest.WithTenants(6), falcontest.WithHosts(300))
	// Keep back every reply from here on: they are in flight when q is pressed.
	var held []tea.Msg
	a.hold = func(msg tea.Msg) bool {
		if _, ok := msg.(tea.KeyPressMsg); ok {
			return false
		}
		held = append(held, msg)
		return true
	}
	a.press("t") // every tenant's hosts, with their counts
	if len(held) == 0 {
		t.Fatal("nothing in flight: the test does not test anything")
	}
	ctx := a.m.clientCtx
	a.press("q")
	if !a.quit {
		t.Fatal("q did not quit")
	}
	if ctx.Err() == nil {
		t.Fatal("the client's calls and streams were left running after q")
	}
	a.hold = nil
	for _, msg := range held {
		next, cmd := a.m.Update(msg)
		a.m = next.(Model)
		if cmd != nil {
			t.Fatalf("after q, %T still led to a command", msg)
		}
	}
	if s := a.m.Render(); s != "" {
		t.Fatalf("the screen after q is not empty:\n%s", s)
	}
}
