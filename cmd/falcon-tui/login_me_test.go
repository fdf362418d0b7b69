package main

import (
	"context"
	"testing"
)

// login --me keeps the analyst's console login with the profile for "assign to me"; a
// login without --me keeps it; the explorer's session carries it, and FALCON_TUI_ME wins.
func TestLoginMeIsStoredKeptAndReachesTheSession(t *testing.T) {
	_, _ = fakeProfiles(t)
	srv := newSim(t)
	full := srv.Client("full")
	args := append(loginArgs(srv, "triage", full.ID), "--me", "jane.doe@example.com")
	if code, out, errOut := cli(t, full.Secret, args...); code != exitOK {
		t.Fatalf("login exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := cli(t, full.Secret, loginArgs(srv, "triage", full.ID)...); code != exitOK {
		t.Fatalf("second login exit %d\n%s%s", code, out, errOut)
	}
	store, _ := openProfileStore()
	p, err := store.Get("triage")
	if err != nil || p.Me != "jane.doe@example.com" {
		t.Fatalf("profile %+v, %v; want me kept", p, err)
	}
	t.Setenv("FALCON_CLIENT_ID", "")
	t.Setenv("FALCON_CLIENT_SECRET", "")
	t.Setenv("FALCON_TUI_ME", "")
	g := defaultGlobalOptions()
	g.Profile = "triage"
	s, err := openSession(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Me != "jane.doe@example.com" {
		t.Fatalf("session me %q", s.Me)
	}
	t.Setenv("FALCON_TUI_ME", "ops@example.com")
	s2, err := openSession(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if s2.Me != "ops@example.com" {
		t.Fatalf("FALCON_TUI_ME did not win: %q", s2.Me)
	}
	if s.Client.Calls() == s2.Client.Calls() || g.calls != s2.Client.Calls() {
		t.Fatal("a session's client does not use the run's request log")
	}
	if got := profileMe("triage"); got != "ops@example.com" {
		t.Fatalf(":profile me with FALCON_TUI_ME %q", got)
	}
	t.Setenv("FALCON_TUI_ME", "")
	if got := profileMe("triage"); got != "jane.doe@example.com" {
		t.Fatalf(":profile me %q", got)
	}
	// `:profile NAME` opens a client on the same request log: the log pane and --log keep
	// every call of the run.
	c, err := openProfileClient(context.Background(), g, "triage")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if c.Calls() != s2.Client.Calls() {
		t.Fatal("the :profile client keeps a request log of its own")
	}
}
