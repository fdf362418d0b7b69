package tui

import (
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/tenants"
)

// Tests for what a demanding user noticed in tmux; each names the bug it pins down.

// lastStatus is the newest status message the panes and the root sent.
func (a *app) lastStatus() status.Msg {
	a.t.Helper()
	got := tuitest.Sent[status.Msg](a.r)
	if len(got) == 0 {
		a.t.Fatal("no status message")
	}
	return got[len(got)-1]
}

func (a *app) line(i int) string {
	lines := strings.Split(a.screen(), "\n")
	if i < 0 {
		i += len(lines)
	}
	return lines[i]
}

// Bug: the groups frame said "Host groups(Home tenant)" even in a group's member list, and
// the scopes frame only "Scopes". Both now come from the panes' own titles.
func TestFrameTitlesOfGroupsAndScopes(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	a.command("groups")
	a.mustShow("Host groups(Home tenant)[")
	a.press("enter")
	title := a.groupsPane().Title()
	if !strings.HasPrefix(title, "Host groups(Home tenant) › ") {
		t.Fatalf("members title %q", title)
	}
	a.mustShow(title)
	child := a.m.tenants[1]
	a.command("ctx " + child.Name)
	a.command("groups")
	a.mustShow("Host groups(" + child.Name + ")[")

	a.command("scopes")
	a.mustShow("Scopes(3 tenants)[")
}

// Bug: text inputs keep a copy of their styles, so after a light/dark switch the groups
// pane's filter (and the other prompts) kept the old theme's colours.
func TestBackgroundSwitchReachesThePanes(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	a.command("groups")
	a.press("/")
	dark := a.groupsPane().View()
	a.r.Send(tea.BackgroundColorMsg{Color: color.RGBA{R: 0xfa, G: 0xfa, B: 0xfa, A: 0xff}})
	if a.m.st.IsDark {
		t.Fatal("the theme did not switch to light")
	}
	light := a.groupsPane().View()
	promptLine := func(v string) string {
		for _, l := range strings.Split(v, "\n") {
			if strings.Contains(ansi.Strip(l), "/ ") && strings.Contains(ansi.Strip(l), "filter by") {
				return l
			}
		}
		t.Fatalf("no filter prompt in:\n%s", ansi.Strip(v))
		return ""
	}
	if promptLine(dark) == promptLine(light) {
		t.Fatal("the filter prompt kept its dark colours after the switch to light")
	}
	if want := a.m.st.Accent.Render("/ "); !strings.Contains(promptLine(light), want) {
		t.Fatalf("prompt %q lacks the light accent %q", promptLine(light), want)
	}
}

// Task: each tenant's remaining/limit and 429s in the Tenants pane, live from the
// client's rate-limit subscription.
func TestTenantsShowEachTenantsRateLimit(t *testing.T) {
	a := start(t, 140, 35, true, Options{})
	a.command("tenants")
	a.mustShow("API REMAINING")
	// The clock tick reads every tenant's state: after loading, every row has a figure.
	a.r.Send(clockMsg{})
	for _, tn := range a.m.tenants {
		if s, ok := a.tenantsPane().Rate(tn.CID); !ok || s.Limit != 6000 {
			t.Fatalf("tenant %s: rate %+v", tn.Name, s)
		}
	}
	a.mustShow("/6,000")
	// A state from the subscription shows at once.
	child := a.m.tenants[1]
	a.m.rateGen = generation.Next() // as if the root had subscribed (tests run without timers)
	rate := func(s falcon.RateState) rateMsg {
		return rateMsg{gen: a.m.rateGen, item: stream.Item[falcon.RateState]{Value: s}}
	}
	a.r.Send(rate(falcon.RateState{CID: child.CID, Limit: 6000, Remaining: 123, Throttled: 4}))
	row := ""
	for _, l := range strings.Split(a.screen(), "\n") {
		if strings.Contains(l, child.Name) {
			row = l
		}
	}
	if !strings.Contains(row, "123/6,000 429×4") {
		t.Fatalf("row of %s: %q", child.Name, row)
	}
	a.r.Send(rate(falcon.RateState{CID: child.CID, Limit: 6000, Throttled: 5, RetryAfter: tuitest.Now.Add(7 * time.Second)}))
	a.mustShow("cooling 7s 429×5")
}

// Bug: at 80 columns the key hints were cut mid-word and ran into the spinner
// ("? help  : command…⠹ hosts"); the header ended in "tenant Home tenant b…".
func TestNarrowBarsDropWholeParts(t *testing.T) {
	a := start(t, 80, 24, true, Options{Profile: "work", Source: "environment"})
	a.m.rate = falcon.RateState{Limit: 6000, Remaining: 5412, Requests1m: 588, Throttled: 2}
	bottom := a.line(-1)
	if strings.Contains(bottom, "…") || !strings.Contains(bottom, "? help") || !strings.Contains(bottom, "429×2") {
		t.Fatalf("status bar %q", bottom)
	}
	top := a.line(0)
	if strings.Contains(top, "…") || !strings.Contains(top, "tenant Home tenant") {
		t.Fatalf("header %q", top)
	}
	// A warning longer than the room beside the meter pushes the meter away until it expires.
	a.r.Send(status.Msg{Level: status.LevelWarn, Text: `profile "eu" is not logged in: run 'falcon-tui login --profile eu'`})
	if bottom := a.line(-1); !strings.Contains(bottom, "--profile eu'") || strings.Contains(bottom, "API ") {
		t.Fatalf("status bar with a long warning %q", bottom)
	}
	a.r.Send(tea.WindowSizeMsg{Width: 60, Height: 20})
	if top := a.line(0); strings.Contains(top, "…") || strings.Contains(top, "environment") || !strings.Contains(top, "profile work") {
		t.Fatalf("header at 60 columns %q", top)
	}
	a.r.Send(tea.WindowSizeMsg{Width: 50, Height: 20})
	if top := a.line(0); strings.Contains(top, "…") || strings.Contains(top, "cloud") || !strings.Contains(top, "tenant Home tenant") {
		t.Fatalf("header at 50 columns %q", top)
	}
}

// Bug: the local host filter was shown, and edited again, in lower case ("RED" became "red").
func TestHostFilterKeepsWhatWasTyped(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	h, _ := a.hostsPane().Selected()
	a.press("/")
	a.r.TypeText(strings.ToUpper(h.Hostname))
	a.press("enter")
	if shown, _ := a.hostsPane().Count(); shown != 1 {
		t.Fatalf("filter %q shows %d hosts", strings.ToUpper(h.Hostname), shown)
	}
	a.mustShow("/" + strings.ToUpper(h.Hostname))
	a.press("/")
	a.mustShow("/ " + strings.ToUpper(h.Hostname))
}

// Bug: on a short terminal the help box cut the hosts pane's keys off (a, x, u) with no
// sign that there were more.
func TestHelpSaysWhenItScrolls(t *testing.T) {
	a := start(t, 80, 24, true, Options{})
	a.press("?")
	a.mustShow("↓ more", "j/k scroll")
	if strings.Contains(a.screen(), "undo group edit") {
		t.Fatal("the whole help fits; the test needs a taller pane help")
	}
	for range 40 {
		a.press("j")
	}
	a.mustShow("↑ more", "undo group edit")
	if a.m.helpOff != a.m.helpMaxOff() {
		t.Fatalf("help scrolled to %d past its end %d", a.m.helpOff, a.m.helpMaxOff())
	}
	a.press("k")
	a.mustShow("↑↓ more")
}

// Bug: the keys of docs/CLI.md §10 did nothing, silently, in views without them (/ in Scopes,
// space in Tenants, enter in Scopes).
func TestUnusedKeysSayWhy(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	a.command("scopes")
	a.press("/")
	if got := a.lastStatus().Text; got != "no filter in Scopes (? lists its keys)" {
		t.Fatalf("/ in Scopes: %q", got)
	}
	// enter in Scopes now opens the full detail (issue 11 item 23); esc closes it.
	a.press("enter")
	a.mustShow("full detail", "back to the matrix")
	a.press("esc")
	if s := a.screen(); strings.Contains(s, "back to the matrix") || !strings.Contains(s, "SCOPE") {
		t.Fatalf("esc did not close the full detail:\n%s", s)
	}
	a.command("tenants")
	a.press("space")
	if got := a.lastStatus().Text; got != "no marking in Tenants (? lists its keys)" {
		t.Fatalf("space in Tenants: %q", got)
	}
	// A view that has the key says nothing extra.
	n := len(tuitest.Sent[status.Msg](a.r))
	a.command("alerts")
	a.press("/", "esc")
	if got := tuitest.Sent[status.Msg](a.r); len(got) != n {
		t.Fatalf("/ in Alerts sent %+v", got[n:])
	}
}

// Bug: `:profile NAME` of an unknown profile said "Could not connect: no credentials:
// profile: no such profile: profile …", cut off by the meter.
func TestProfileFailureIsOneClearLine(t *testing.T) {
	if got := profileFailure("eu", errProfile(`profile "eu" is not logged in: run 'falcon-tui login --profile eu'`)); got != `profile "eu" is not logged in: run 'falcon-tui login --profile eu'` {
		t.Fatalf("unknown profile: %q", got)
	}
	if got := profileFailure("eu", falcon.ErrInvalidCredentials); got != "profile eu: The API client ID or secret was rejected" {
		t.Fatalf("rejected secret: %q", got)
	}
}

type errProfile string

func (e errProfile) Error() string { return string(e) }

// Bug: the task list said "tenants 0/0" while the list itself was loading, and nothing while
// a group's members loaded.
func TestTasksNameWhatLoads(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	*a.tenantsPane() = tenants.New(pane.Deps{Client: a.m.client, Styles: a.m.st})
	_ = a.tenantsPane().Load() // not run: the list is on its way
	a.command("groups")
	_ = a.groupsPane().SetTenant(a.m.cid) // not run either
	got := ansi.Strip(a.m.tasks())
	if !strings.Contains(got, "tenants") || strings.Contains(got, "0/0") || !strings.Contains(got, "groups") {
		t.Fatalf("tasks %q", got)
	}
}

// Bug: at 80 columns the completion box was wider than the screen and lost its right
// border ("switch to b8498e67…dcf7 …" ran off the edge).
func TestCompletionBoxFitsNarrowScreens(t *testing.T) {
	for _, w := range []int{80, 60, 40} {
		a := start(t, w, 24, true, Options{})
		a.press(":")
		a.r.TypeText("ctx ")
		rows := 0
		for _, l := range strings.Split(a.screen(), "\n") {
			if !strings.Contains(l, "ctx ") || strings.HasPrefix(l, " :") {
				continue
			}
			rows++
			// frame left, box left, box right, frame right
			if n := strings.Count(l, "│"); n != 4 {
				t.Fatalf("%d columns: completion row with %d borders: %q", w, n, l)
			}
		}
		if rows == 0 {
			t.Fatalf("%d columns: no completion rows:\n%s", w, a.screen())
		}
	}
}

// Bug: at 60 columns the help box cut every description of the view's keys to two letters
// ("↓/j do…"): the view's keys now go under the global ones.
func TestHelpStacksOnNarrowScreens(t *testing.T) {
	a := start(t, 60, 16, true, Options{})
	a.press("?")
	for range 40 {
		if strings.Contains(a.screen(), "half page down") {
			break
		}
		a.press("j")
	}
	a.mustShow("half page down")
	for _, l := range strings.Split(a.screen(), "\n") {
		if strings.Contains(l, "ctrl+d") && strings.Contains(l, "…") {
			t.Fatalf("a description is cut: %q", l)
		}
	}
}
