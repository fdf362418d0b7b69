// Package tuitest is what the explorer's tests share: a simulated cloud with a connected
// client, a runner that executes commands and feeds their messages back the way the Bubble
// Tea loop does (one at a time, so results are deterministic), and key messages.
package tuitest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// Now is the fixed clock of every test: the simulator generates its timestamps relative to
// it and the panes measure "last seen" against it, so views are the same on every run.
var Now = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// Clock returns Now.
func Clock() time.Time { return Now }

// Cloud is a running simulator and a client connected to it as API client name.
type Cloud struct {
	Server *falcontest.Server
	Client *falcon.Client
}

// Start starts a simulator (seeded, on the fixed clock, plus opts) and connects a client as
// API client "full". Both are closed when the test ends.
func Start(tb testing.TB, opts ...falcontest.Option) Cloud {
	return StartAs(tb, "full", false, opts...)
}

// StartAs is Start with another API client and optionally read-only.
func StartAs(tb testing.TB, client string, readOnly bool, opts ...falcontest.Option) Cloud {
	tb.Helper()
	all := append([]falcontest.Option{falcontest.WithSeed(7), falcontest.WithClock(Clock)}, opts...)
	srv := falcontest.NewServer(all...)
	tb.Cleanup(srv.Close)
	c := Connect(tb, srv, client, falcon.Config{ReadOnly: readOnly})
	// The explorer's first load lists the tenants; doing the same here keeps the client's
	// tenant cache and request counts as the app sees them.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.Tenants.List(ctx); err != nil {
		tb.Fatal(err)
	}
	return Cloud{Server: srv, Client: c}
}

// Connect builds a client for API client name of srv, with base's other settings
// (read-only, retries), connects it, and closes it when the test ends.
func Connect(tb testing.TB, srv *falcontest.Server, name string, base falcon.Config) *falcon.Client {
	tb.Helper()
	creds := srv.Client(name)
	base.ClientID, base.ClientSecret, base.BaseURL = creds.ID, creds.Secret, srv.URL
	c, err := falcon.New(base)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Connect(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

// Drain runs cmd and every command the messages it produces lead to, feeding each message
// to update, until nothing is left. It returns every message seen, in order. Commands run
// one at a time, so the outcome does not depend on scheduling. A command that blocks (a
// timer) would block the test: models under test must not return timers.
func Drain(tb testing.TB, update func(tea.Msg) tea.Cmd, cmd tea.Cmd) []tea.Msg {
	tb.Helper()
	var seen []tea.Msg
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100_000 {
			tb.Fatal("commands did not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			seen = append(seen, msg)
			queue = append(queue, update(msg))
		}
	}
	return seen
}

// Key builds the key press a terminal would send for a key name as tea.KeyPressMsg.String
// spells it: "down", "enter", "ctrl+a", "shift+tab", "space", "a", "G", "?".
func Key(name string) tea.KeyPressMsg {
	special := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "space": tea.KeySpace,
		"backspace": tea.KeyBackspace, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"home": tea.KeyHome, "end": tea.KeyEnd, "delete": tea.KeyDelete,
	}
	var mod tea.KeyMod
	base := name
	for {
		switch {
		case strings.HasPrefix(base, "ctrl+") && len(base) > 5:
			mod |= tea.ModCtrl
			base = base[5:]
			continue
		case strings.HasPrefix(base, "shift+") && len(base) > 6:
			mod |= tea.ModShift
			base = base[6:]
			continue
		case strings.HasPrefix(base, "alt+") && len(base) > 4:
			mod |= tea.ModAlt
			base = base[4:]
			continue
		}
		break
	}
	if code, ok := special[base]; ok {
		k := tea.KeyPressMsg{Code: code, Mod: mod}
		if code == tea.KeySpace && mod == 0 {
			k.Text = " "
		}
		return k
	}
	r, _ := utf8.DecodeRuneInString(base)
	k := tea.KeyPressMsg{Code: r, Mod: mod}
	if mod == 0 {
		k.Text = base
	}
	if mod == 0 && r >= 'A' && r <= 'Z' {
		k.Code = r + ('a' - 'A')
		k.ShiftedCode = r
		k.Mod = tea.ModShift
	}
	return k
}

// Type returns the key presses that type s.
func Type(s string) []tea.KeyPressMsg {
	var out []tea.KeyPressMsg
	for _, r := range s {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// AssertSize fails unless out is exactly width × height cells: the pane contract.
func AssertSize(tb testing.TB, out string, width, height int) {
	tb.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) != height {
		tb.Fatalf("view has %d lines, want %d", len(lines), height)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != width {
			tb.Fatalf("line %d is %d cells wide, want %d: %q", i, got, width, ansi.Strip(l))
		}
	}
}

// Sizes and themes every golden view is rendered at.
var Sizes = []struct{ W, H int }{{100, 30}, {140, 40}}

// Themes are the dark and light variants, named for the golden files.
var Themes = []struct {
	Name string
	Dark bool
}{{"dark", true}, {"light", false}}

// Runner owns a model behind an update function, runs its commands and collects what it
// sends up.
type Runner struct {
	TB     testing.TB
	Update func(tea.Msg) tea.Cmd
	Seen   []tea.Msg
	// Up, when set, picks the messages that go up past the model (to the root): they are
	// kept in Seen and not delivered, as a pane or overlay under test would never get them.
	Up func(tea.Msg) bool
}

// Drive returns a Runner for the value model at m (a pane, the group-edit overlay): every
// message goes through its Update, which replaces *m.
func Drive[M interface{ Update(tea.Msg) (M, tea.Cmd) }](tb testing.TB, m *M) *Runner {
	return &Runner{TB: tb, Update: func(msg tea.Msg) tea.Cmd {
		var cmd tea.Cmd
		*m, cmd = (*m).Update(msg)
		return cmd
	}}
}

// Run drains cmd.
func (r *Runner) Run(cmd tea.Cmd) {
	r.TB.Helper()
	update := r.Update
	if r.Up != nil {
		update = func(msg tea.Msg) tea.Cmd {
			if r.Up(msg) {
				return nil
			}
			return r.Update(msg)
		}
	}
	r.Seen = append(r.Seen, Drain(r.TB, update, cmd)...)
}

// Send delivers msg and drains what it leads to.
func (r *Runner) Send(msg tea.Msg) {
	r.TB.Helper()
	r.Run(r.Update(msg))
}

// Press sends key presses by name.
func (r *Runner) Press(keys ...string) {
	r.TB.Helper()
	for _, k := range keys {
		r.Send(Key(k))
	}
}

// TypeText sends the key presses that type s.
func (r *Runner) TypeText(s string) {
	r.TB.Helper()
	for _, k := range Type(s) {
		r.Send(k)
	}
}

// Sent returns the messages of type T seen since the last call and forgets them all.
func Sent[T any](r *Runner) []T {
	out := Of[T](r.Seen)
	r.Seen = nil
	return out
}

// Of is the messages of type T in msgs, in order.
func Of[T any](msgs []tea.Msg) []T {
	var out []T
	for _, msg := range msgs {
		if v, ok := msg.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// StatusTexts are the texts of the status messages in msgs, in order.
func StatusTexts(msgs []tea.Msg) []string {
	var out []string
	for _, s := range Of[status.Msg](msgs) {
		out = append(out, s.Text)
	}
	return out
}

// LastStatus is the text of the newest status message seen ("" when there is none).
func (r *Runner) LastStatus() string {
	texts := StatusTexts(r.Seen)
	if len(texts) == 0 {
		return ""
	}
	return texts[len(texts)-1]
}

// Driver plays the root for one value model under test (a pane, the group-edit overlay): it
// delivers keys and messages, runs every command to the end, feeds the results back to M,
// and keeps in Seen every message, with the ones up picks never delivered (they are for
// the root).
type Driver[M interface{ Update(tea.Msg) (M, tea.Cmd) }] struct {
	Runner
	M M
}

// NewDriver returns a Driver of m; up picks the messages that go up past it.
func NewDriver[M interface{ Update(tea.Msg) (M, tea.Cmd) }](tb testing.TB, m M, up func(tea.Msg) bool) *Driver[M] {
	d := &Driver[M]{M: m}
	d.Runner = *Drive(tb, &d.M)
	d.Up = up
	return d
}

// Typed returns m after the key presses that type s, each sent through its Update (their
// commands are not run).
func Typed[M interface{ Update(tea.Msg) (M, tea.Cmd) }](m M, s string) M {
	for _, k := range Type(s) {
		m, _ = m.Update(k)
	}
	return m
}

// Styles are the dark theme with colour, as golden files of one theme are drawn.
func Styles() *theme.Styles { return theme.New(true, theme.WithNoColor(false)) }

// MsgOf runs a command that must give one message of type T, and returns it.
func MsgOf[T any](tb testing.TB, cmd tea.Cmd) T {
	tb.Helper()
	var want T
	if cmd == nil {
		tb.Fatalf("no command, want a %T", want)
	}
	got := cmd()
	msg, ok := got.(T)
	if !ok {
		tb.Fatalf("command gave %T, want %T", got, want)
	}
	return msg
}

// StatusOf runs a command that must be a plain status message and returns it.
func StatusOf(tb testing.TB, cmd tea.Cmd) status.Msg {
	tb.Helper()
	return MsgOf[status.Msg](tb, cmd)
}

// RequireGolden compares out without its colours (diffs stay readable) with the test's
// golden file, after checking it is exactly width × height cells.
func RequireGolden(tb testing.TB, out string, width, height int) {
	tb.Helper()
	plain := ansi.Strip(out)
	AssertSize(tb, plain, width, height)
	golden.RequireEqual(tb, plain)
}

// FakeHosts makes n hosts of tenant cid named prefix-001…, Linux, last seen at a fixed
// time; device ids are cid's first 24 characters and a counter.
func FakeHosts(cid, prefix string, n int) []falcon.Host {
	hs := make([]falcon.Host, n)
	for i := range hs {
		hs[i] = falcon.Host{
			DeviceID: fmt.Sprintf("%s%08x", cid[:24], i+1),
			CID:      cid,
			Hostname: fmt.Sprintf("%s-%03d", prefix, i+1),
			Platform: "Linux",
			LastSeen: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC),
		}
	}
	return hs
}
