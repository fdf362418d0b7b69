package tui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// Bug (issue 11 item 9): `:profile foo` showed "connecting as profile foo…" and, when the
// failure arrived before that notice (the two ran as concurrent commands), the notice
// replaced the failure: the outcome was never reported.
func TestProfileFailureIsNeverHiddenByTheConnectingNotice(t *testing.T) {
	open := func(context.Context, string) (*falcon.Client, error) {
		return nil, errors.New(`profile "foo" is not logged in: run 'falcon-tui login --profile foo'`)
	}
	a := start(t, 120, 35, true, Options{OpenProfile: open, Profiles: func() []string { return nil }})
	var late []tea.Msg
	a.hold = func(msg tea.Msg) bool {
		if s, ok := msg.(status.Msg); ok && strings.HasPrefix(s.Text, "connecting as") {
			late = append(late, msg) // arrives after the failure, as it may in the real loop
			return true
		}
		return false
	}
	a.command("profile foo")
	a.hold = nil
	for _, msg := range late {
		a.r.Send(msg)
	}
	if bottom := a.line(-1); !strings.Contains(bottom, "not logged in") {
		t.Fatalf("status bar after a failed :profile: %q", bottom)
	}
}

// Bug (issue 11 item 8): `:profile` with no name said "unknown command :profile".
func TestBareProfileShowsUsageAndTheStoredProfiles(t *testing.T) {
	open := func(context.Context, string) (*falcon.Client, error) { return nil, errors.New("unused") }
	a := start(t, 160, 35, true, Options{OpenProfile: open, Profiles: func() []string { return []string{"eu-prod", "work"} }})
	a.command("profile")
	if bottom := a.line(-1); !strings.Contains(bottom, "usage: :profile NAME") || !strings.Contains(bottom, "eu-prod, work") {
		t.Fatalf("bare :profile: %q", bottom)
	}
	a = start(t, 100, 35, true, Options{OpenProfile: open, Profiles: func() []string { return nil }})
	a.command("profile")
	if bottom := a.line(-1); !strings.Contains(bottom, "usage: :profile NAME") || !strings.Contains(bottom, "no profile stored yet (falcon-tui login stores one)") {
		t.Fatalf("bare :profile without stored profiles: %q", bottom)
	}
	a.command("ctx")
	if bottom := a.line(-1); !strings.Contains(bottom, "usage: :ctx NAME") {
		t.Fatalf("bare :ctx: %q", bottom)
	}
}

// Bug (issue 11 item 21): a status message exactly as wide as the room left of the tasks
// and the meter ran into the spinner ("continues in the background⠧ group edit").
func TestStatusMessageNeverRunsIntoTheRightSide(t *testing.T) {
	a := start(t, 100, 30, true, Options{})
	right := ansi.StringWidth(a.m.joinRight(a.m.tasks(), a.m.rateMeter()))
	for _, extra := range []int{-1, 0, 1, 2} {
		// " · " + text + right == width + extra
		n := 100 - right - 3 + extra
		text := strings.Repeat("x", n-1) + "Z"
		a.r.Send(status.Msg{Level: status.LevelInfo, Text: text})
		bottom := a.line(-1)
		i := strings.Index(bottom, "API ")
		switch {
		case i < 0 && !strings.Contains(bottom, "Z"):
			t.Fatalf("extra %d: the meter gave way, yet the message is cut: %q", extra, bottom)
		case i == 0, i > 0 && !strings.HasSuffix(bottom[:i], " "):
			t.Fatalf("extra %d: the message runs into the meter: %q", extra, bottom)
		}
		// The edge case of the bug: exactly as wide as the room (no gap left): the
		// message is cut to keep the gap or the meter gives way, never touching.
		if extra == -1 && i < 0 {
			t.Fatalf("a message that fits beside the meter pushed it off: %q", bottom)
		}
	}
}

// Bug (issue 11 item 17): with no name for the tenant (the list not loaded), the header
// read "tenant b8498e67…dcf7 b8498e67…dcf7" and the pane "Hosts(current tenant)".
func TestUnnamedTenantIsLabelledByItsCIDOnce(t *testing.T) {
	a := newApp(t, Options{})
	a.hold = func(msg tea.Msg) bool { _, ok := msg.(pane.TenantsListedMsg); return ok }
	a.boot(140, 30, true)
	cid := strings.ToLower(a.m.cid)
	if cid == "" || len(a.m.tenants) != 0 {
		t.Fatalf("cid %q tenants %d", cid, len(a.m.tenants))
	}
	top := a.line(0)
	if strings.Count(top, cid[:8]) != 1 {
		t.Fatalf("header names the CID other than once: %q", top)
	}
	short := cid[:8] + "…" + cid[len(cid)-4:]
	a.mustShow("Hosts(" + short + ")[")
	if s := a.screen(); strings.Contains(s, "current tenant") {
		t.Fatalf("a title says \"current tenant\":\n%s", s)
	}
}

// Bug (issue 11 item 4): without mssp:read, `t` said "this API client sees one tenant
// only" and `:ctx NAME` said `no tenant "NAME"`: neither named the missing scope.
func TestHiddenChildrenAreNamedByTAndCtx(t *testing.T) {
	a := start(t, 140, 30, true, Options{})
	a.r.Send(pane.TenantsListedMsg{Tenants: []falcon.Tenant{{CID: a.m.cid, ChildrenHidden: true}}})
	a.press("t")
	if bottom := a.line(-1); !strings.Contains(bottom, "child tenants hidden: needs mssp:read") {
		t.Fatalf("t: %q", bottom)
	}
	// Where the children's names would be offered: under the :ctx candidates.
	a.press(":")
	a.r.TypeText("ctx ")
	a.mustShow("ctx Home tenant", "child tenants hidden: needs mssp:read")
	a.press("esc")
	a.command("ctx Globex")
	if bottom := a.line(-1); !strings.Contains(bottom, `no tenant "Globex": child tenants hidden: needs mssp:read`) {
		t.Fatalf(":ctx: %q", bottom)
	}
	// With every child listed, :ctx of an unknown name says only that.
	a.r.Send(pane.TenantsListedMsg{Tenants: []falcon.Tenant{{CID: a.m.cid}}})
	a.command("ctx Globex")
	if bottom := a.line(-1); strings.Contains(bottom, "hidden") {
		t.Fatalf(":ctx with no hidden children: %q", bottom)
	}
	a.press("t")
	if bottom := a.line(-1); !strings.Contains(bottom, "no Flight Control children") {
		t.Fatalf("t with no children: %q", bottom)
	}
}

// Bug (issue 11 item 18): the help box left the table's columns showing beside it (a
// column of the group's members at the right edge): on the box's rows nothing but the
// frame's borders is drawn outside it.
func TestHelpOverlayCoversTheRowsItSpans(t *testing.T) {
	for _, w := range []int{80, 100, 120, 160} {
		a := start(t, w, 30, true, Options{})
		a.command("groups")
		a.press("enter")
		a.press("?")
		if a.m.overlay != overlayHelp {
			t.Fatal("? did not open the help")
		}
		rows, in := 0, false
		for _, l := range strings.Split(a.screen(), "\n") {
			r := []rune(l)
			inner := strings.TrimSpace(string(r[1 : len(r)-1])) // inside the frame's borders
			if strings.HasPrefix(inner, "╭") {
				in = true
			}
			if !in {
				continue
			}
			rows++
			first, last := []rune(inner)[0], []rune(inner)[len([]rune(inner))-1]
			if !strings.ContainsRune("╭│╰", first) || !strings.ContainsRune("╮│╯", last) {
				t.Fatalf("width %d: something beside the help box: %q", w, l)
			}
			if strings.HasPrefix(inner, "╰") {
				break
			}
		}
		if rows == 0 {
			t.Fatalf("width %d: no help box rows:\n%s", w, a.screen())
		}
	}
}

// Issue 11 item 7: the command bar's candidates are on screen: `:ctx ` lists the tenants,
// ↓ moves a visible selection, and tab inserts the candidate that was shown selected; `:a`
// suggests alerts.
func TestCommandBarShowsItsCandidates(t *testing.T) {
	a := start(t, 120, 35, true, Options{NoColor: true})
	a.press(":")
	a.r.TypeText("ctx ")
	for _, tn := range a.m.tenants {
		a.mustShow("ctx " + tenantLabel(tn))
	}
	a.press("down")
	want := "ctx " + tenantLabel(a.m.tenants[1])
	selected := ""
	for _, l := range strings.Split(a.m.Render(), "\n") {
		if i := strings.Index(l, "\x1b[7m"); i >= 0 && strings.Contains(l, "switch to") {
			selected = ansi.Strip(l[i:])
		}
	}
	if !strings.HasPrefix(strings.TrimSpace(selected), want) {
		t.Fatalf("after ↓ the row shown selected is %q, want %q", selected, want)
	}
	a.press("tab")
	if got := a.m.cmd.input.Value(); got != want {
		t.Fatalf("tab inserted %q, want the row shown selected %q", got, want)
	}
	a.press("esc", ":")
	a.r.TypeText("a")
	a.mustShow("alerts  newest alerts", "tab completes")
}
