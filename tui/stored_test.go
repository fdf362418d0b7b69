package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
)

// appOn is newApp on a simulator the test already runs (two explorer runs on one cloud).
func appOn(t *testing.T, srv *falcontest.Server, now func() time.Time, opts Options) *app {
	t.Helper()
	creds := srv.Client("full")
	c, err := falcon.New(falcon.Config{ClientID: creds.ID, ClientSecret: creds.Secret, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	opts.Client, opts.Now, opts.Profile, opts.Source = c, now, "default", "keyring"
	a := &app{t: t, m: New(opts), cloud: tuitest.Cloud{Server: srv, Client: c}}
	a.m.noTimers = true
	a.m.buildPanes() // again, static: the periodic refresh is a timer
	a.r = &tuitest.Runner{TB: t, Update: func(msg tea.Msg) tea.Cmd {
		if a.hold != nil && a.hold(msg) {
			return nil
		}
		next, cmd := a.m.Update(msg)
		a.m = next.(Model)
		return cmd
	}}
	return a
}

// storedCloud is a simulator on the tests' clock and an empty store on a temp dir.
func storedCloud(t *testing.T, opts ...falcontest.Option) (*falcontest.Server, *store.Store) {
	t.Helper()
	srv := falcontest.NewServer(append([]falcontest.Option{falcontest.WithSeed(7), falcontest.WithClock(tuitest.Clock)}, opts...)...)
	t.Cleanup(srv.Close)
	s, err := store.Open(context.Background(), "default", profiletest.New(), store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return srv, s
}

// TestWarmStartShowsTheStoredEstateBeforeConnecting: a first run fills the store; the next
// shows the tenants and hosts it holds while its connect is still in flight, with their
// age in the header, and refreshes them once connected.
func TestWarmStartShowsTheStoredEstateBeforeConnecting(t *testing.T) {
	srv, s := storedCloud(t, falcontest.WithTenants(2), falcontest.WithHosts(120), falcontest.WithAlerts(20))

	first := appOn(t, srv, tuitest.Clock, Options{Store: s})
	first.boot(120, 35, true) // on Hosts
	shown, loaded := first.hostsPane().Count()
	if loaded == 0 {
		t.Fatalf("the first run loaded no hosts:\n%s", first.screen())
	}
	stored, err := s.Tenants(context.Background())
	if err != nil || len(stored) != 3 {
		t.Fatalf("the store holds %d tenants after the first run (%v), want 3", len(stored), err)
	}

	// The second run, 20 minutes later on its clock, whose connect has not answered yet.
	later := tuitest.Now.Add(20 * time.Minute)
	second := appOn(t, srv, func() time.Time { return later }, Options{Store: s})
	var held []tea.Msg
	second.hold = func(msg tea.Msg) bool {
		if _, ok := msg.(connectedMsg); ok {
			held = append(held, msg)
			return true
		}
		return false
	}
	srv.ResetStats()
	second.boot(120, 35, true)
	if len(held) != 1 || second.m.connected {
		t.Fatal("the connect was not held")
	}
	screen := second.screen()
	for _, want := range []string{"Connecting", "Getting a token"} {
		if strings.Contains(screen, want) {
			t.Fatalf("a warm start shows the connect screen (%q) instead of the stored estate:\n%s", want, screen)
		}
	}
	if s2, l2 := second.hostsPane().Count(); s2 != shown || l2 != loaded {
		t.Fatalf("the stored hosts list shows %d/%d, the first run %d/%d:\n%s", s2, l2, shown, loaded, screen)
	}
	if !strings.Contains(screen, "as of 20m ago") {
		t.Fatalf("the header does not say how old the stored hosts are:\n%s", screen)
	}
	if !strings.Contains(screen, "connecting…") {
		t.Fatalf("the header does not say the explorer is still connecting:\n%s", screen)
	}
	second.press("shift+tab") // Tenants
	screen = second.screen()
	for _, tn := range stored {
		if tn.Name != "" && !strings.Contains(screen, tn.Name) {
			t.Fatalf("the stored tenant %q is not listed:\n%s", tn.Name, screen)
		}
	}
	if !strings.Contains(screen, "SYNCED") || !strings.Contains(screen, "20m ago") {
		t.Fatalf("the tenants do not say how old their stored hosts are:\n%s", screen)
	}
	second.press("tab") // back to Hosts
	for op, n := range srv.Stats().ByOperation {
		if strings.Contains(op, "/devices/") && n > 0 {
			t.Fatalf("the stored rows were shown after %d %s calls: they need none", n, op)
		}
	}

	// Connected: the shown tenant refreshes and the age goes.
	second.hold = nil
	for _, msg := range held {
		second.r.Send(msg)
	}
	second.r.Send(clockMsg{})
	screen = second.screen()
	if strings.Contains(screen, "as of 20m ago") || strings.Contains(screen, "connecting…") {
		t.Fatalf("after the refresh the header still says the rows are old:\n%s", screen)
	}
	if _, l3 := second.hostsPane().Count(); l3 != loaded {
		t.Fatalf("after the refresh the list holds %d hosts, the server %d", l3, loaded)
	}
}

// TestLoadsAreRecorded: the groups, a group's members and the tenant's alerts the panes
// load go to the store as listed.
func TestLoadsAreRecorded(t *testing.T) {
	srv, s := storedCloud(t, falcontest.WithTenants(0), falcontest.WithHosts(60), falcontest.WithAlerts(40))
	ctx := context.Background()
	a := appOn(t, srv, tuitest.Clock, Options{Store: s})
	a.boot(120, 35, true)
	cid := srv.ParentCID()
	a.command("groups")
	listed, err := a.cloud.Client.HostGroups.List(ctx, cid, "")
	if err != nil {
		t.Fatal(err)
	}
	groups, err := s.Groups(ctx, cid)
	if err != nil || len(groups) == 0 || len(groups) != len(listed) {
		t.Fatalf("stored groups %d (%v), the server lists %d", len(groups), err, len(listed))
	}
	a.press("enter") // the first group's members
	recorded := 0
	for _, g := range groups {
		members, err := s.Members(ctx, cid, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) == 0 {
			continue
		}
		recorded++
		want, err := a.cloud.Client.HostGroups.MemberCount(ctx, cid, g.ID)
		if err != nil || len(members) != want {
			t.Fatalf("stored members of %s: %d, the server lists %d (%v)", g.Name, len(members), want, err)
		}
	}
	if recorded != 1 {
		t.Fatalf("%d groups' members recorded, want the one opened", recorded)
	}
	a.command("alerts")
	stored, err := s.Alerts(ctx, cid)
	if err != nil || len(stored) == 0 {
		t.Fatalf("stored alerts %d (%v)", len(stored), err)
	}
}
