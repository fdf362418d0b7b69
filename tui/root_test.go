package tui

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/alerts"
	"github.com/falcon-tui/falcon-tui/tui/hostgroups"
	"github.com/falcon-tui/falcon-tui/tui/hosts"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/tenants"
)

// app is the explorer on a simulated cloud, started the way main starts it (New, Init,
// a window size), with every command run to completion.
type app struct {
	t     *testing.T
	m     Model
	r     *tuitest.Runner
	cloud tuitest.Cloud
	quit  bool
	// hold, when set, keeps back the messages it returns true for (they are not delivered):
	// a test delivers them later, as a result still in flight would arrive.
	hold func(tea.Msg) bool
}

func start(t *testing.T, w, h int, dark bool, opts Options, simOpts ...falcontest.Option) *app {
	t.Helper()
	a := newApp(t, opts, simOpts...)
	a.boot(w, h, dark)
	return a
}

// newApp builds the explorer on a simulated cloud without starting it.
func newApp(t *testing.T, opts Options, simOpts ...falcontest.Option) *app {
	t.Helper()
	simOpts = append([]falcontest.Option{falcontest.WithTenants(2), falcontest.WithHosts(60), falcontest.WithAlerts(80)}, simOpts...)
	srv := falcontest.NewServer(append([]falcontest.Option{falcontest.WithSeed(7), falcontest.WithClock(tuitest.Clock)}, simOpts...)...)
	t.Cleanup(srv.Close)
	creds := srv.Client("full")
	c, err := falcon.New(falcon.Config{ClientID: creds.ID, ClientSecret: creds.Secret, BaseURL: srv.URL, ReadOnly: opts.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	opts.Client, opts.Now = c, tuitest.Clock
	if opts.Profile == "" {
		opts.Profile, opts.Source = "demo", "demo"
	}
	a := &app{t: t, m: New(opts), cloud: tuitest.Cloud{Server: srv, Client: c}}
	a.m.noTimers = true
	a.r = &tuitest.Runner{TB: t, Update: func(msg tea.Msg) tea.Cmd {
		if _, ok := msg.(tea.QuitMsg); ok {
			a.quit = true
			return nil
		}
		if a.hold != nil && a.hold(msg) {
			return nil
		}
		next, cmd := a.m.Update(msg)
		a.m = next.(Model)
		return cmd
	}}
	return a
}

// boot starts the explorer the way main does: a window size, the terminal's background,
// Init, and the first clock tick.
func (a *app) boot(w, h int, dark bool) {
	a.t.Helper()
	a.r.Send(tea.WindowSizeMsg{Width: w, Height: h})
	bg := color.RGBA{R: 0x10, G: 0x10, B: 0x10, A: 0xff}
	if !dark {
		bg = color.RGBA{R: 0xfa, G: 0xfa, B: 0xfa, A: 0xff}
	}
	a.r.Send(tea.BackgroundColorMsg{Color: bg})
	a.r.Run(a.m.Init())
	a.r.Send(clockMsg{}) // refresh the rate meter as the 1 s clock would
}

func (a *app) screen() string { return ansi.Strip(a.m.Render()) }

func (a *app) press(keys ...string) {
	a.t.Helper()
	a.r.Press(keys...)
}

func (a *app) command(text string) {
	a.t.Helper()
	a.press(":")
	a.r.TypeText(text)
	a.press("enter")
}

func (a *app) mustShow(want ...string) {
	a.t.Helper()
	s := a.screen()
	for _, w := range want {
		if !strings.Contains(s, w) {
			a.t.Fatalf("screen lacks %q:\n%s", w, s)
		}
	}
}

func TestStartsOnHostsOfTheHomeTenant(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	if a.m.top() != pane.Hosts || !a.m.connected {
		t.Fatalf("focus %v connected %v", a.m.top(), a.m.connected)
	}
	if a.m.cid != a.cloud.Server.ParentCID() {
		t.Fatalf("current tenant %q, want the home CID", a.m.cid)
	}
	a.mustShow("profile demo", "tenant Home tenant", "Hosts(Home tenant)", "HOSTNAME", "API ")
	tuitest.AssertSize(t, a.m.Render(), 120, 35)
}

// The path of the end-to-end test, driven by key messages.
func TestTenantsSwitchHostsFilterDetailGroupsAlertsHelpQuit(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	a.command("tenants")
	if a.m.top() != pane.Tenants {
		t.Fatal(":tenants did not show the tenants")
	}
	a.press("down", "enter")
	child := a.m.tenants[1]
	if a.m.cid != child.CID || a.hostsPane().Tenant() != child.CID || a.m.top() != pane.Hosts {
		t.Fatalf("enter on a child: cid %s, hosts %s, focus %v", a.m.cid, a.hostsPane().Tenant(), a.m.top())
	}
	a.mustShow("tenant "+child.Name, "Hosts("+child.Name+")")
	shown, loaded := a.hostsPane().Count()
	if loaded == 0 || shown != loaded {
		t.Fatalf("child hosts: %d/%d", shown, loaded)
	}
	h, _ := a.hostsPane().Selected()
	a.press("/")
	if !a.m.pane(a.m.top()).Capturing() {
		t.Fatal("filter prompt does not capture")
	}
	a.r.TypeText(strings.ToLower(h.Hostname))
	a.press("q") // typed into the filter, not quit
	if a.quit {
		t.Fatal("q in the filter prompt quit")
	}
	a.press("backspace", "enter")
	if shown, _ := a.hostsPane().Count(); shown != 1 {
		t.Fatalf("filter %q shows %d hosts", h.Hostname, shown)
	}
	a.press("enter")
	if a.m.top() != pane.Host {
		t.Fatal("enter did not open the host")
	}
	a.mustShow("IDENTITY", h.DeviceID, "esc back")
	a.press("esc")
	if a.m.top() != pane.Hosts {
		t.Fatal("esc did not go back to the hosts")
	}
	a.press("tab")
	if a.m.tab() != pane.Groups {
		t.Fatal("tab did not go to the groups")
	}
	a.mustShow("Host groups")
	a.press("tab")
	if a.m.tab() != pane.Alerts {
		t.Fatal("tab did not go to the alerts")
	}
	a.mustShow("Alerts(Hooli Media)[", "SEVERITY")
	a.press("enter")
	if a.m.top() != pane.Alert {
		t.Fatal("enter did not open the alert")
	}
	a.mustShow("MITRE ATT&CK")
	a.press("esc", "?")
	if a.m.overlay != overlayHelp {
		t.Fatal("? did not open the help")
	}
	a.mustShow("Global", "next pane", "Alerts", "FQL filter (server)")
	a.press("esc", "q")
	if !a.quit {
		t.Fatal("q did not quit")
	}
}

func TestHostAlertsFromDetailAndBack(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	a.command("alerts")
	al, _ := a.alertsPane().Selected()
	a.command("hosts")
	a.press("/")
	a.r.TypeText(strings.ToLower(al.Hostname))
	a.press("enter", "enter", "enter")
	if a.m.top() != pane.HostAlerts {
		t.Fatalf("focus %v, want host alerts", a.m.top())
	}
	a.mustShow("Alerts(" + al.Hostname + ")")
	a.press("esc", "esc")
	if a.m.top() != pane.Hosts || len(a.m.stack) != 1 {
		t.Fatalf("esc twice left %v", a.m.stack)
	}
	// The host's alerts must not have replaced the tenant's: both panes see every result.
	a.command("alerts")
	hostsSeen := map[string]bool{}
	for _, x := range a.alertsPane().Alerts() {
		hostsSeen[x.DeviceID] = true
	}
	if len(hostsSeen) < 2 {
		t.Fatalf("the tenant's alerts list holds %d hosts' alerts", len(hostsSeen))
	}
}

func TestCommandCompletionAndCtx(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	child := a.m.tenants[2]
	a.press(":")
	a.r.TypeText("ctx " + strings.ToLower(child.Name[:3]))
	if len(a.m.cmd.match) == 0 {
		t.Fatal("no completion for ctx + a tenant prefix")
	}
	a.mustShow("ctx " + child.Name)
	a.press("tab")
	if a.m.cmd.input.Value() != "ctx "+child.Name {
		t.Fatalf("tab completed to %q", a.m.cmd.input.Value())
	}
	a.press("enter")
	if a.m.cid != child.CID {
		t.Fatalf(":ctx switched to %s", a.m.cid)
	}
	a.command("ctx " + a.cloud.Server.ParentCID()[:8])
	if a.m.cid != a.cloud.Server.ParentCID() {
		t.Fatal(":ctx by CID prefix did not switch back")
	}
	a.command("bogus")
	a.mustShow("unknown command :bogus")
	a.command("ctx nosuchtenant")
	a.mustShow(`no tenant "nosuchtenant"`)
}

func TestConnectFailureIsFullScreen(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithSeed(7), falcontest.WithClock(tuitest.Clock))
	t.Cleanup(srv.Close)
	c, err := falcon.New(falcon.Config{ClientID: srv.Client("full").ID, ClientSecret: "wrong", BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Client: c, Now: tuitest.Clock, Profile: "work", Source: "keyring"})
	m.noTimers = true
	r := &tuitest.Runner{TB: t, Update: func(msg tea.Msg) tea.Cmd {
		next, cmd := m.Update(msg)
		m = next.(Model)
		return cmd
	}}
	r.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
	// Before the first token arrives the frame is already there, saying what it waits for.
	if s := ansi.Strip(m.Render()); !strings.Contains(s, "Connecting to "+strings.TrimPrefix(srv.URL, "http://")) || strings.Contains(s, "discovering") || !strings.Contains(s, "q quit") {
		t.Fatalf("connecting screen:\n%s", s)
	}
	r.Run(m.Init())
	if m.ConnectErr() == nil {
		t.Fatal("a wrong secret connected")
	}
	s := ansi.Strip(m.Render())
	if !strings.Contains(s, "The API client ID or secret was rejected") || !strings.Contains(s, "r retries") {
		t.Fatalf("screen:\n%s", s)
	}
	golden.RequireEqual(t, []byte(m.Render()))
}

func TestReadOnlyUndoAndEdits(t *testing.T) {
	a := start(t, 120, 35, true, Options{ReadOnly: true})
	a.mustShow("READ-ONLY")
	a.press("u")
	if got := tuitest.Sent[status.Msg](a.r); len(got) == 0 || got[len(got)-1].Text != "read-only: no write call is sent" {
		t.Fatalf("u in read-only: %+v", got)
	}
	a.press("a")
	if a.m.edit.Active() {
		t.Fatal("the group-edit overlay opened in read-only mode")
	}
	a.mustShow("read-only: no write call is sent")
}

func TestGroupEditOverlayOpensFromHosts(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	a.press("space", "space", "a")
	if !a.m.edit.Active() {
		t.Fatalf("a with marks did not open the overlay:\n%s", a.screen())
	}
	a.press("q") // the overlay is modal: q must not quit
	if a.quit {
		t.Fatal("q quit through the overlay")
	}
	a.press("esc", "esc")
	if a.m.edit.Active() {
		t.Fatal("esc did not close the overlay")
	}
}

func TestMouseTabsAndRows(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	x := 1 + len(" Tenants ") + 1 + len(" Hosts ") + 1 + len(" Groups ") + 1 + 2 // inside " Alerts "
	a.r.Send(tea.MouseClickMsg{X: x, Y: 1, Button: tea.MouseLeft})
	if a.m.tab() != pane.Alerts {
		t.Fatalf("click on the Alerts tab went to %v", a.m.tab())
	}
	a.command("hosts")
	// Frame top is row 2; inside: info line (3), header (4), rows from 5.
	a.r.Send(tea.MouseClickMsg{X: 10, Y: 8, Button: tea.MouseLeft})
	h, _ := a.hostsPane().Selected()
	if row := a.hostsPane().Cursor(); row != 3 {
		t.Fatalf("click selected row %d (%s)", row, h.Hostname)
	}
}

func TestResizeKeepsExactSize(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	for _, sz := range []struct{ w, h int }{{80, 24}, {60, 16}, {200, 60}, {30, 8}, {12, 5}, {100, 30}} {
		a.r.Send(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		for _, view := range []string{"hosts", "tenants", "alerts", "groups", "scopes"} {
			a.command(view)
			tuitest.AssertSize(t, a.m.Render(), sz.w, sz.h)
		}
	}
}

// fixTenantRates gives every tenant a fixed rate-limit state (the live ones depend on which
// concurrent reply came last): one cooling down, one nearly spent, one untouched.
func fixTenantRates(a *app) {
	states := []falcon.RateState{
		{Limit: 6000, Remaining: 5412, Throttled: 2, RetryAfter: tuitest.Now.Add(3 * time.Second)},
		{Limit: 6000, Remaining: 310, Throttled: 1},
		{Limit: 6000, Remaining: 5990},
	}
	for i, t := range a.m.tenants {
		s := states[i%len(states)]
		s.CID = t.CID
		a.tenantsPane().SetRate(s)
	}
}

func TestGolden(t *testing.T) {
	screens := map[string]func(a *app){
		"hosts":   func(a *app) { a.press("down", "space") },
		"tenants": func(a *app) { a.command("tenants") },
		"help":    func(a *app) { a.press("?") },
		"command": func(a *app) { a.press(":"); a.r.TypeText("ctx ") },
		"detail":  func(a *app) { a.press("down", "down", "enter") },
		"alerts":  func(a *app) { a.command("alerts") },
	}
	for name, do := range screens {
		for _, sz := range tuitest.Sizes {
			for _, th := range tuitest.Themes {
				t.Run(fmt.Sprintf("%s/%dx%d/%s", name, sz.W, sz.H, th.Name), func(t *testing.T) {
					a := start(t, sz.W, sz.H, th.Dark, Options{})
					do(a)
					// The pool's remaining count depends on which concurrent reply came
					// last; a fixed state keeps the file stable and shows a cool-down.
					a.m.rate = falcon.RateState{Limit: 6000, Remaining: 5412, Requests1m: 588, Throttled: 2,
						RetryAfter: tuitest.Now.Add(3 * time.Second)}
					fixTenantRates(a)
					out := a.m.Render()
					tuitest.AssertSize(t, out, sz.W, sz.H)
					golden.RequireEqual(t, []byte(out))
				})
			}
		}
	}
}

func TestRateMeterFollowsTheClient(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	r := a.m.rate
	if r.Limit != 6000 || r.Remaining <= 0 || r.Remaining >= r.Limit || r.Requests1m == 0 {
		t.Fatalf("rate state after loading: %+v", r)
	}
	a.mustShow("API "+fmt.Sprintf("%d,%03d", r.Remaining/1000, r.Remaining%1000)+"/6,000", "/min")
	a.m.rate.RetryAfter = tuitest.Now.Add(4 * time.Second)
	a.m.rate.Throttled = 3
	a.mustShow("429×3", "cooling 4s")
	// Issue 11 item 10: the server refuses everything while cooling down; the remaining
	// count of its last good reply is stale.
	a.mustShow("API 0/6,000")
	if s := a.screen(); strings.Contains(s, fmt.Sprintf("API %d,%03d/6,000", r.Remaining/1000, r.Remaining%1000)) {
		t.Fatalf("the meter shows the stale remaining count while cooling:\n%s", s)
	}
}

// The status bar says how many token calls wait for the token endpoint's budget, and for
// how long it refuses after a 429 (issue 12: progress while a thousand tenants authenticate).
func TestTokenWaitsAreShown(t *testing.T) {
	a := start(t, 160, 35, true, Options{})
	a.m.tokens = falcon.TokenProgress{Tenants: 305, Waiting: 40, Background: 655,
		ResumeAt: tuitest.Now.Add(12 * time.Second)}
	a.mustShow("tokens 305 · 40 waiting (+655 background) · resumes in 12s")
	a.m.tokens = falcon.TokenProgress{Tenants: 1000}
	if s := a.screen(); strings.Contains(s, "tokens ") {
		t.Fatalf("token progress shown with nothing waiting:\n%s", s)
	}
}

func TestProfileSwitchReconnects(t *testing.T) {
	other := falcontest.NewServer(falcontest.WithSeed(99), falcontest.WithClock(tuitest.Clock),
		falcontest.WithTenants(0), falcontest.WithHosts(25))
	t.Cleanup(other.Close)
	open := func(_ context.Context, name string) (*falcon.Client, error) {
		if name != "work" {
			return nil, fmt.Errorf("no profile %q", name)
		}
		c := other.Client("full")
		return falcon.New(falcon.Config{ClientID: c.ID, ClientSecret: c.Secret, BaseURL: other.URL})
	}
	a := start(t, 120, 35, true, Options{OpenProfile: open, Profiles: func() []string { return []string{"work"} }})
	a.press(":")
	a.r.TypeText("prof")
	a.mustShow("profile work")
	a.press("esc")
	a.command("profile nope")
	a.mustShow("profile nope", "no profile")
	a.command("profile work")
	if a.m.opts.Profile != "work" || !a.m.connected {
		t.Fatalf("profile %q connected %v", a.m.opts.Profile, a.m.connected)
	}
	if shown, _ := a.hostsPane().Count(); shown == 0 || a.m.cid != other.ParentCID() {
		t.Fatalf("after :profile: %d hosts in %s", shown, a.m.cid)
	}
	a.mustShow("profile work (keyring)", "Hosts(Home tenant)")
}

// paneModel is the pane of kind k as its own model, changed in place.
func paneModel[M any](t testing.TB, m Model, k pane.Kind) *M {
	t.Helper()
	p, ok := pane.As[*M](m.pane(k))
	if !ok {
		t.Fatalf("pane %s is not a %T", k, p)
	}
	return p
}

func (a *app) hostsPane() *hosts.Model     { return paneModel[hosts.Model](a.t, a.m, pane.Hosts) }
func (a *app) tenantsPane() *tenants.Model { return paneModel[tenants.Model](a.t, a.m, pane.Tenants) }
func (a *app) groupsPane() *hostgroups.Model {
	return paneModel[hostgroups.Model](a.t, a.m, pane.Groups)
}
func (a *app) alertsPane() *alerts.Model { return paneModel[alerts.Model](a.t, a.m, pane.Alerts) }
