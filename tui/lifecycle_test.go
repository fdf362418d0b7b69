package tui

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// typeName is a message's type as fmt spells it ("hosts.hostsLoadedMsg"): the panes' result
// messages are unexported, and a test holding one back only needs to recognise it.
func typeName(msg tea.Msg) string { return fmt.Sprintf("%T", msg) }

// collect runs cmd (and the commands of any batch) without delivering what they return.
func collect(t *testing.T, cmd tea.Cmd) []tea.Msg {
	return tuitest.Drain(t, func(tea.Msg) tea.Cmd { return nil }, cmd)
}

// hostStreamsRunning counts the goroutines of the client's host streams (scroll, detail
// workers, the pulled iterator itself). A stream whose iterator was stopped has none left
// once the goroutine its context's end started (which only marks it stopped) has run.
func hostStreamsRunning() int {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "falcon.(*hostStream)") || strings.Contains(g, "falcon.(*Client).streamHosts") {
			n++
		}
	}
	return n
}

// settled is count() once it reaches 0, or its last value after a second: a goroutine that
// a context's end has just started (and that exits at once) is not one left running.
func settled(count func() int) int {
	n := count()
	for deadline := time.Now().Add(time.Second); n != 0 && time.Now().Before(deadline); n = count() {
		time.Sleep(5 * time.Millisecond)
	}
	return n
}

// otherProfile is a second simulated cloud, opened by `:profile work`.
func otherProfile(t *testing.T, hosts int) (*falcontest.Server, func(context.Context, string) (*falcon.Client, error), *int) {
	t.Helper()
	srv := falcontest.NewServer(falcontest.WithSeed(99), falcontest.WithClock(tuitest.Clock),
		falcontest.WithTenants(0), falcontest.WithHosts(hosts))
	t.Cleanup(srv.Close)
	opened := 0
	open := func(_ context.Context, name string) (*falcon.Client, error) {
		if name != "work" {
			return nil, fmt.Errorf("no profile %q", name)
		}
		opened++
		c := srv.Client("full")
		cl, err := falcon.New(falcon.Config{ClientID: c.ID, ClientSecret: c.Secret, BaseURL: srv.URL})
		if err == nil {
			t.Cleanup(func() { _ = cl.Close(context.Background()) })
		}
		return cl, err
	}
	return srv, open, &opened
}

// Bug: `:profile` rebuilt the panes without ending the old ones' loads, and every pane's
// generation started again at 1, so the old profile's next batch of hosts (generation 1,
// in flight during the switch) passed the new hosts pane's check: the old tenant's hosts
// were appended to the new list and the old stream went on being pulled.
func TestProfileSwitchEndsTheOldClientsStream(t *testing.T) {
	other, open, _ := otherProfile(t, 25)
	// Three pages of 10,000 hosts (the combined endpoint's page, docs/API.md §6); every
	// call slow enough for a switch to land mid-load.
	a := newApp(t, Options{OpenProfile: open}, falcontest.WithTenants(0), falcontest.WithHosts(25000),
		falcontest.WithLatency(20*time.Millisecond))
	var held []tea.Msg
	a.hold = func(msg tea.Msg) bool {
		if len(held) == 0 && typeName(msg) == "hosts.hostsLoadedMsg" {
			held = append(held, msg)
			return true
		}
		return false
	}
	a.boot(120, 35, true)
	a.hold = nil
	if len(held) != 1 {
		t.Fatal("the first batch of hosts never came")
	}
	// The first batch lands; the pane asks for the next, which is in flight (as Bubble
	// Tea runs commands: on another goroutine) while the user switches profile.
	next, cmd := a.m.Update(held[0])
	a.m = next.(Model)
	// A page is appended 5,000 rows an Update: the rest of it comes back as a message of
	// its own, at once; only the Update that appends the page's last rows reads on.
	for _, msg := range collect(t, cmd) {
		if typeName(msg) == "hosts.hostsLoadedMsg" {
			next, cmd = a.m.Update(msg)
			a.m = next.(Model)
		}
	}
	if _, loaded := a.hostsPane().Count(); loaded != 10000 {
		t.Fatalf("first batch: %d hosts", loaded)
	}
	inflight := make(chan []tea.Msg, 1)
	go func() { inflight <- collect(t, cmd) }()

	a.command("profile work")
	if a.m.opts.Profile != "work" || !a.m.connected {
		t.Fatalf("profile %q connected %v", a.m.opts.Profile, a.m.connected)
	}
	for _, msg := range <-inflight {
		a.r.Send(msg) // the old stream's reply reaches the new panes
	}
	shown, loaded := a.hostsPane().Count()
	if loaded != 25 || shown != 25 {
		t.Fatalf("after :profile the hosts list has %d/%d hosts, want the new profile's 25", shown, loaded)
	}
	for range 25 {
		if h, ok := a.hostsPane().Selected(); !ok || h.CID != other.ParentCID() {
			t.Fatalf("row of another tenant after :profile: %+v", h)
		}
		a.press("down")
	}
	// The old stream was stopped: none of its goroutines is left to send a request, so
	// the old cloud's request count no longer grows.
	if n := settled(hostStreamsRunning); n != 0 {
		t.Fatalf("%d host-stream goroutines still running", n)
	}
	before := a.cloud.Server.Stats().RequestsTotal
	a.press("ctrl+r") // more work for the new client
	if after := a.cloud.Server.Stats().RequestsTotal; after != before {
		t.Fatalf("the old cloud got %d more requests after the switch", after-before)
	}
}

// A result of a pane built for the old client never reaches the new one, and the old
// client's rate-limit subscription no longer feeds the meter.
func TestProfileSwitchDropsTheOldClientsMessages(t *testing.T) {
	_, open, _ := otherProfile(t, 25)
	a := start(t, 120, 35, true, Options{OpenProfile: open})
	a.m.rateGen = generation.Next() // as if subscribed (tests run without timers)
	oldRates := a.m.rateGen
	a.command("profile work")
	next, cmd := a.m.Update(rateMsg{gen: oldRates, item: stream.Item[falcon.RateState]{Value: falcon.RateState{CID: a.m.cid, Limit: 6000, Remaining: 1}}})
	a.m = next.(Model)
	if cmd != nil || a.m.rate.Remaining == 1 {
		t.Fatal("the old client's rate subscription still feeds the meter")
	}
	// A connect reply of the old client does not reset the new one.
	next, _ = a.m.Update(connectedMsg{client: a.cloud.Client, err: fmt.Errorf("stale")})
	if a.m = next.(Model); a.m.connErr != nil {
		t.Fatal("the old client's connect reply was taken for the new one's")
	}
}

// startEdit starts adding the first host to a static group and holds the run's progress
// back, so the edit stays running until the test delivers it.
func startEdit(t *testing.T, a *app) (release func()) {
	t.Helper()
	gs, err := a.cloud.Client.HostGroups.List(context.Background(), a.m.cid, "")
	if err != nil {
		t.Fatal(err)
	}
	var g *falcon.HostGroup
	for i := range gs {
		if gs[i].Type == falcon.GroupStatic {
			g = &gs[i]
			break
		}
	}
	h, ok := a.hostsPane().Selected()
	if g == nil || !ok {
		t.Fatal("no static group or no host")
	}
	var held []tea.Msg
	a.hold = func(msg tea.Msg) bool {
		switch typeName(msg) {
		case "groupedit.runProgressMsg", "groupedit.runFinishedMsg":
			held = append(held, msg)
			return true
		}
		return false
	}
	a.r.Send(pane.EditMembershipMsg{Action: falcon.AddHosts, Hosts: []falcon.Host{h}, Group: g})
	a.press("enter")
	if !a.m.edit.Running() {
		t.Fatalf("the edit is not running:\n%s", a.screen())
	}
	return func() {
		a.hold = nil
		for len(held) > 0 {
			msg := held[0]
			held = held[1:]
			a.r.Send(msg)
		}
	}
}

func (a *app) lastStatusText() string {
	msgs := tuitest.Sent[status.Msg](a.r)
	if len(msgs) == 0 {
		return ""
	}
	return msgs[len(msgs)-1].Text
}

// Bug: q quit while a group edit ran in the background, abandoning it without a word and
// losing its per-host report. The first q (or ctrl+c) now says so; a second one quits.
func TestQuitWhileAGroupEditRunsAsksFirst(t *testing.T) {
	for _, tc := range []struct {
		name  string
		keys  []string // before the last key, which must quit
		quits string
		hide  bool // run in the background first (esc)
	}{
		{"q twice", []string{"q"}, "q", false},
		{"q twice, box hidden", []string{"q"}, "q", true},
		{"ctrl+c twice", []string{"ctrl+c"}, "ctrl+c", false},
		{"ctrl+c then q", []string{"ctrl+c"}, "q", true},
		{"another key disarms", []string{"q", "down", "q"}, "q", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := start(t, 120, 35, true, Options{})
			release := startEdit(t, a)
			if tc.hide {
				a.press("esc")
			}
			tuitest.Sent[status.Msg](a.r)
			a.press(tc.keys...)
			if a.quit {
				t.Fatalf("%v quit while the edit ran", tc.keys)
			}
			if got := a.lastStatusText(); got != editRunningQuit {
				t.Fatalf("status %q, want the warning", got)
			}
			a.mustShow("press q again to abandon it")
			a.press(tc.quits)
			if !a.quit {
				t.Fatalf("a second %s did not quit", tc.quits)
			}
			release()
		})
	}
	t.Run(":q then q", func(t *testing.T) {
		a := start(t, 120, 35, true, Options{})
		defer startEdit(t, a)()
		a.press("esc")
		a.command("q")
		if a.quit {
			t.Fatal(":q quit while the edit ran")
		}
		a.press("q")
		if !a.quit {
			t.Fatal("q after :q did not quit")
		}
	})
	t.Run(":q! quits at once", func(t *testing.T) {
		a := start(t, 120, 35, true, Options{})
		defer startEdit(t, a)()
		a.press("esc")
		a.command("q!")
		if !a.quit {
			t.Fatal(":q! did not quit")
		}
	})
	t.Run("once the edit is done q quits", func(t *testing.T) {
		a := start(t, 120, 35, true, Options{})
		startEdit(t, a)()
		if a.m.edit.Running() {
			t.Fatal("the edit did not finish")
		}
		a.press("esc", "q")
		if !a.quit {
			t.Fatal("q did not quit after the edit finished")
		}
	})
}

// ctrl+c twice quits from anywhere: the command bar, a text input of the overlay.
func TestCtrlCTwiceAlwaysQuits(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	a.press(":", "ctrl+c")
	if a.quit || a.m.overlay != overlayNone {
		t.Fatalf("first ctrl+c in the command bar: quit %v overlay %v", a.quit, a.m.overlay)
	}
	a.press("ctrl+c")
	if !a.quit {
		t.Fatal("second ctrl+c did not quit")
	}
	b := start(t, 120, 35, true, Options{})
	b.press("space", "a", "/") // the picker's filter has the keyboard
	if !b.m.edit.Active() {
		t.Fatal("the overlay did not open")
	}
	b.press("ctrl+c")
	if !b.quit {
		t.Fatal("ctrl+c in the overlay did not quit")
	}
}

// Switching profile would abandon a running edit (and its undo): refused until it ends.
func TestProfileRefusedWhileAGroupEditRuns(t *testing.T) {
	_, open, opened := otherProfile(t, 25)
	a := start(t, 120, 35, true, Options{OpenProfile: open})
	release := startEdit(t, a)
	a.press("esc")
	tuitest.Sent[status.Msg](a.r)
	a.command("profile work")
	if got := a.lastStatusText(); got != editRunningProfile {
		t.Fatalf("status %q", got)
	}
	if *opened != 0 || a.m.opts.Profile != "demo" {
		t.Fatalf("profile opened %d times, now %q", *opened, a.m.opts.Profile)
	}
	// A profile that finished connecting just as an edit started is not swapped in either.
	c, _ := open(context.Background(), "work")
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	a.r.Send(profileOpenedMsg{name: "work", client: c})
	if a.m.client == c || a.m.opts.Profile != "demo" || !a.m.edit.Running() {
		t.Fatal("the profile was swapped in under a running edit")
	}
	release()
	a.command("profile work")
	if a.m.opts.Profile != "work" {
		t.Fatalf("after the edit: profile %q", a.m.opts.Profile)
	}
}

// Every tenant switch asked for the host-group:write probe (an empty PATCH) again, and the
// Groups pane asked for its own: one probe per tenant and client now, none read-only.
func TestWriteProbeOncePerTenantAndClient(t *testing.T) {
	const opProbe = "PATCH /devices/entities/host-groups/v1"
	for _, readOnly := range []bool{false, true} {
		a := start(t, 120, 35, true, Options{ReadOnly: readOnly})
		a.command("groups")
		for range 3 {
			for _, tn := range a.m.tenants {
				a.command("ctx " + strings.ToLower(tn.CID))
			}
		}
		want := int64(len(a.m.tenants))
		if readOnly {
			want = 0
		}
		if n := a.cloud.Server.Stats().ByOperation[opProbe]; n != want {
			t.Fatalf("read-only %v: %d probes for %d tenants", readOnly, n, len(a.m.tenants))
		}
	}
}
