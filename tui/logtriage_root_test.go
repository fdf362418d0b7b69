package tui

import (
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// startStatic is start with the panes built for a test that drains every command: the
// request log does not wait on new records.
func startStatic(t *testing.T, w, h int) *app {
	t.Helper()
	a := newApp(t, Options{})
	a.m.buildPanes()
	a.boot(w, h, true)
	return a
}

func TestLShowsTheRequestLogFromAnyPane(t *testing.T) {
	a := startStatic(t, 170, 30)
	a.press("tab") // Groups: its load is in the log too
	a.press("L")
	if a.m.top() != pane.Log {
		t.Fatalf("L showed %v", a.m.top())
	}
	calls := a.cloud.Client.Calls().Snapshot()
	if len(calls) == 0 || calls[0].TraceID == "" {
		t.Fatal("no call recorded")
	}
	a.mustShow("Request log[", calls[0].TraceID, "/devices/combined/host-groups/v1")
	// Every call of the session, not only those made since the pane opened: the first
	// token request too.
	a.press("/")
	a.r.TypeText("oauth2 home")
	a.press("enter")
	a.mustShow("/oauth2/token", "201")
	if strings.Contains(a.screen(), "/devices/") {
		t.Fatalf("the filter kept other calls:\n%s", a.screen())
	}
}

func TestLogCommandAndItsTab(t *testing.T) {
	a := startStatic(t, 140, 30)
	a.command("log")
	if a.m.top() != pane.Log {
		t.Fatalf(":log showed %v", a.m.top())
	}
	a.press("enter")
	a.mustShow("Request log › call #", "RESPONSE HEADERS", "X-Cs-Traceid")
	a.press("esc")
	a.mustShow("Request log[")
	if a.m.top() != pane.Log {
		t.Fatal("esc left the log")
	}
	a.press("tab")
	if a.m.top() != pane.Tenants {
		t.Fatalf("tab after the log went to %v", a.m.top())
	}
}

// Who "me" is follows `:profile`: it belongs to the profile, and the panes built for the
// new client get it.
func TestProfileSwitchTakesThatProfilesMe(t *testing.T) {
	_, open, _ := otherProfile(t, 25)
	a := start(t, 120, 35, true, Options{OpenProfile: open, Me: "demo@example.com",
		MeOf: func(name string) string { return name + "@example.com" }})
	a.command("profile work")
	if a.m.opts.Profile != "work" || a.m.opts.Me != "work@example.com" {
		t.Fatalf("profile %q, me %q", a.m.opts.Profile, a.m.opts.Me)
	}
}
