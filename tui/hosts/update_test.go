package hosts

import (
	"context"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// live is the pane on a simulated cloud, with helpers that run its commands for real.
type live struct {
	t     *testing.T
	m     Model
	cloud tuitest.Cloud
	r     *tuitest.Runner
}

func newLive(t *testing.T, readOnly bool, client string, opts ...falcontest.Option) *live {
	t.Helper()
	opts = append([]falcontest.Option{falcontest.WithTenants(2), falcontest.WithHosts(240)}, opts...)
	cloud := tuitest.StartAs(t, client, readOnly, opts...)
	m := New(pane.Deps{Client: cloud.Client, Styles: theme.New(true, theme.WithNoColor(true)), Now: tuitest.Clock, ReadOnly: readOnly})
	m.SetSize(120, 30)
	m.Focus()
	l := &live{t: t, m: m, cloud: cloud}
	l.r = tuitest.Drive(t, &l.m)
	return l
}

func (l *live) run(cmd tea.Cmd)      { l.t.Helper(); l.r.Run(cmd) }
func (l *live) press(keys ...string) { l.t.Helper(); l.r.Press(keys...) }
func (l *live) typeText(s string)    { l.t.Helper(); l.r.TypeText(s) }
func sent[T any](l *live) []T        { return tuitest.Sent[T](l.r) }

func (l *live) parent() string { return l.cloud.Server.ParentCID() }

// count is the server's count of a tenant's visible hosts.
func (l *live) count(cid, filter string) int {
	l.t.Helper()
	n, err := l.cloud.Client.Hosts.Count(context.Background(), cid, filter)
	if err != nil {
		l.t.Fatal(err)
	}
	return n
}

func (l *live) load(cid string) {
	l.t.Helper()
	l.run(l.m.SetTenant(cid))
	if err := l.m.Err(); err != nil {
		l.t.Fatalf("load: %v", err)
	}
}

func (l *live) names() []string {
	var out []string
	for _, h := range viewHosts(l.m) {
		out = append(out, strings.ToLower(sanitize.Text(h.Hostname)))
	}
	return out
}

func TestStreamLoadsEveryHostSorted(t *testing.T) {
	l := newLive(t, false, "full")
	l.load(l.parent())
	want := l.count(l.parent(), "")
	if shown, loaded := l.m.Count(); shown != want || loaded != want {
		t.Fatalf("count = %d shown, %d loaded; the tenant has %d hosts", shown, loaded, want)
	}
	if _, _, loading := l.m.Loading(); loading {
		t.Fatal("still loading after the stream ended")
	}
	if !slices.IsSorted(l.names()) {
		t.Fatal("rows are not sorted by hostname")
	}
	if total := l.m.total(); total != want {
		t.Fatalf("progress total = %d, want %d", total, want)
	}
}

func TestLocalFilterKeepsMarksAndCursor(t *testing.T) {
	l := newLive(t, false, "full")
	l.load(l.parent())
	l.press("space", "space") // marks rows 0 and 1, cursor on row 2
	marked := l.m.Marked()
	if len(marked) != 2 {
		t.Fatalf("marked %d hosts, want 2", len(marked))
	}
	l.press("/")
	if !l.m.Capturing() {
		t.Fatal("the filter prompt does not have the keyboard")
	}
	word := strings.ToLower(sanitize.Text(viewHosts(l.m)[5].Platform))
	l.typeText(word)
	l.press("enter")
	shown, loaded := l.m.Count()
	if shown == 0 || shown >= loaded {
		t.Fatalf("filter %q shows %d of %d", word, shown, loaded)
	}
	for _, h := range viewHosts(l.m) {
		if !strings.Contains(haystack(&h, l.m.names[h.CID]), word) {
			t.Fatalf("row %q does not match %q", h.Hostname, word)
		}
	}
	if got := l.m.Marked(); len(got) != 2 || got[0].DeviceID != marked[0].DeviceID {
		t.Fatal("marks did not survive filtering")
	}
	// Sorting keeps the cursor on its host.
	l.press("down", "down")
	h, _ := l.m.Selected()
	l.press("s", "s", "S")
	if now, _ := l.m.Selected(); now.DeviceID != h.DeviceID {
		t.Fatalf("cursor moved from %s to %s when sorting", h.Hostname, now.Hostname)
	}
	l.press("esc")
	if shown, loaded := l.m.Count(); shown != loaded {
		t.Fatalf("esc left %d of %d shown", shown, loaded)
	}
	if now, _ := l.m.Selected(); now.DeviceID != h.DeviceID {
		t.Fatal("cursor left its host when the filter was cleared")
	}
	l.press("ctrl+a")
	if got := len(l.m.Marked()); got != loaded {
		t.Fatalf("ctrl+a marked %d of %d", got, loaded)
	}
	l.press("ctrl+x")
	if got := len(l.m.Marked()); got != 0 {
		t.Fatalf("ctrl+x left %d marks", got)
	}
}

func TestFQLFilterRunsOnTheServer(t *testing.T) {
	l := newLive(t, false, "full")
	l.load(l.parent())
	const fql = "platform_name:'Windows'"
	want, err := l.cloud.Client.Hosts.Count(context.Background(), l.parent(), fql)
	if err != nil {
		t.Fatal(err)
	}
	l.press("f")
	l.typeText(fql)
	l.press("enter")
	if l.m.Capturing() {
		t.Fatalf("prompt still open; error %q", l.m.prompt.Err())
	}
	if shown, _ := l.m.Count(); shown != want || want == 0 {
		t.Fatalf("FQL shows %d hosts, the server counts %d", shown, want)
	}
	for _, h := range viewHosts(l.m) {
		if p := h.Platform; p != "Windows" {
			t.Fatalf("row with platform %q", p)
		}
	}
	if !strings.Contains(ansi.Strip(l.m.View()), "fql platform_name:'Windows'") {
		t.Fatal("the applied filter is not shown")
	}
}

func TestFQLRejectedShowsTheServersError(t *testing.T) {
	l := newLive(t, false, "full")
	l.load(l.parent())
	_, before := l.m.Count()
	l.press("f")
	l.typeText("platform_name:'Windows")
	l.press("enter")
	if !l.m.Capturing() || l.m.prompt.Err() == "" {
		t.Fatal("a rejected filter should leave the prompt open with the server's error")
	}
	view := l.m.View()
	if !strings.Contains(view, "✗ 400") {
		t.Fatalf("the error is not shown inline:\n%s", view)
	}
	if _, after := l.m.Count(); after != before {
		t.Fatalf("the rows of the previous filter were lost: %d → %d", before, after)
	}
	// Fixing the text and submitting again applies it.
	l.typeText("'")
	l.press("enter")
	if l.m.Capturing() || l.m.FQL() != "platform_name:'Windows'" {
		t.Fatalf("corrected filter not applied (err %q)", l.m.prompt.Err())
	}
}

// A filter the server rejects, submitted again (or followed by another rejected one), must
// leave the list exactly as it was: no row twice, none lost.
func TestFQLRejectedTwiceKeepsTheListAsItWas(t *testing.T) {
	l := newLive(t, false, "full")
	l.load(l.parent())
	_, before := l.m.Count()
	ids := func() []string {
		out := make([]string, 0, before)
		for _, h := range viewHosts(l.m) {
			out = append(out, h.DeviceID)
		}
		slices.Sort(out)
		return out
	}
	want := ids()
	l.press("f")
	l.typeText("foo:'x'")
	l.press("enter") // rejected
	l.press("enter") // the same, rejected again
	l.press("ctrl+u")
	l.typeText("bar:'y'")
	l.press("enter") // another rejected filter
	if _, after := l.m.Count(); after != before {
		t.Fatalf("rows after rejected filters: %d, want %d", after, before)
	}
	if got := ids(); !slices.Equal(got, want) {
		t.Fatal("the rows after rejected filters are not the rows before them")
	}
}

func TestGroupEditKeysSendTheHosts(t *testing.T) {
	l := newLive(t, false, "full")
	l.load(l.parent())
	l.press("a")
	got := sent[pane.EditMembershipMsg](l)
	if len(got) != 1 || got[0].Action != falcon.AddHosts || len(got[0].Hosts) != 1 {
		t.Fatalf("a without marks: %+v", got)
	}
	l.press("space", "space", "space", "x")
	got = sent[pane.EditMembershipMsg](l)
	if len(got) != 1 || got[0].Action != falcon.RemoveHosts || len(got[0].Hosts) != 3 {
		t.Fatalf("x with 3 marks: %d messages", len(got))
	}
	l.press("u")
	if len(sent[pane.UndoMsg](l)) != 1 {
		t.Fatal("u did not ask for an undo")
	}
}

func TestReadOnlyWriteKeysSayWhy(t *testing.T) {
	l := newLive(t, true, "full")
	l.load(l.parent())
	l.press("space", "a", "x", "u")
	if n := len(sent[pane.EditMembershipMsg](l)); n != 0 {
		t.Fatalf("%d edits requested in read-only mode", n)
	}
	l.press("a")
	msgs := sent[status.Msg](l)
	if len(msgs) != 1 || msgs[0].Text != "read-only: no write call is sent" {
		t.Fatalf("status = %+v", msgs)
	}
}

func TestAllTenantsAddsTheTenantColumn(t *testing.T) {
	l := newLive(t, false, "full")
	ts, err := l.cloud.Client.Tenants.List(context.Background())
	if err != nil || len(ts) < 2 {
		t.Fatalf("tenants: %v %v", ts, err)
	}
	l.m.SetTenants(ts)
	l.load(l.parent())
	l.press("t")
	want := 0
	for _, tn := range ts {
		want += l.count(tn.CID, "")
	}
	if shown, _ := l.m.Count(); shown != want {
		t.Fatalf("all tenants shows %d hosts, want %d", shown, want)
	}
	if !strings.Contains(l.m.View(), "TENANT") || !strings.Contains(l.m.Title(), "all 3 tenants") {
		t.Fatalf("no tenant column / title: %s", l.m.Title())
	}
	l.press("t")
	if shown, _ := l.m.Count(); shown != l.count(l.parent(), "") {
		t.Fatal("toggling back did not return to the current tenant")
	}
}

func TestMissingScopeSaysWhichOne(t *testing.T) {
	l := newLive(t, false, "alerts-only", falcontest.WithClient("alerts-only", "alerts:read"))
	// Without devices:read the client cannot learn its home CID: "" is the start tenant.
	l.run(l.m.SetTenant(""))
	if l.m.Err() == nil {
		t.Fatal("load without devices:read succeeded")
	}
	if v := l.m.View(); !strings.Contains(v, "needs `devices:read`") {
		t.Fatalf("view does not name the scope:\n%s", v)
	}
}

func TestStaleLoadIsDropped(t *testing.T) {
	l := newLive(t, false, "full")
	ts, _ := l.cloud.Client.Tenants.List(context.Background())
	first := l.m.SetTenant(l.parent())
	second := l.m.SetTenant(ts[1].CID)
	l.run(first) // its batches carry an old generation
	if shown, _ := l.m.Count(); shown != 0 {
		t.Fatalf("a superseded load put %d rows on screen", shown)
	}
	l.run(second)
	if shown, _ := l.m.Count(); shown != l.count(ts[1].CID, "") {
		t.Fatalf("current load shows %d rows", shown)
	}
}

func TestMouseClickSelectsAndOpens(t *testing.T) {
	l := newLive(t, false, "full")
	l.load(l.parent())
	click := func(y int) { l.r.Send(tea.MouseClickMsg{X: 5, Y: y, Button: tea.MouseLeft}) }
	click(5) // info line, header, then rows 0.. : y=5 is row 3
	if l.m.table.Cursor() != 3 {
		t.Fatalf("cursor = %d after clicking row 3", l.m.table.Cursor())
	}
	click(5)
	if got := sent[pane.NavigateMsg](l); len(got) != 1 || got[0].To != pane.Host {
		t.Fatal("a second click did not open the host")
	}
	l.r.Send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if l.m.table.Offset() != 3 {
		t.Fatalf("wheel scrolled to %d", l.m.table.Offset())
	}
}

// An empty list keeps its headings and says what is empty and why (issue 11, item 14).
func TestEmptyListSaysWhy(t *testing.T) {
	headed := func(t *testing.T, view string) {
		t.Helper()
		lines := strings.Split(ansi.Strip(view), "\n")
		if len(lines) < 2 || !strings.Contains(lines[1], "HOSTNAME") || !strings.Contains(lines[1], "LAST SEEN") {
			t.Fatalf("no headings over the empty list:\n%s", ansi.Strip(view))
		}
	}
	t.Run("local filter", func(t *testing.T) {
		l := newLive(t, false, "full")
		l.load(l.parent())
		l.press("/")
		l.typeText("zzqx nothing")
		l.press("enter")
		v := l.m.View()
		headed(t, v)
		if !strings.Contains(v, "no hosts match /zzqx nothing") {
			t.Fatalf("the empty filtered list does not say why:\n%s", ansi.Strip(v))
		}
	})
	t.Run("FQL filter", func(t *testing.T) {
		l := newLive(t, false, "full")
		l.load(l.parent())
		l.press("f")
		l.typeText("hostname:'no-such-host'")
		l.press("enter")
		if shown, _ := l.m.Count(); shown != 0 {
			t.Fatalf("FQL matched %d hosts", shown)
		}
		v := l.m.View()
		headed(t, v)
		if !strings.Contains(v, "no hosts match FQL hostname:'no-such-host'") {
			t.Fatalf("the empty FQL list does not say why:\n%s", ansi.Strip(v))
		}
	})
	t.Run("tenant without hosts", func(t *testing.T) {
		l := newLive(t, false, "full", falcontest.WithHosts(0))
		ts, err := l.cloud.Client.Tenants.List(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		l.m.SetTenants(ts)
		l.load(l.parent())
		v := l.m.View()
		headed(t, v)
		want := "no hosts in " + l.m.names[l.parent()]
		if l.m.names[l.parent()] == "" || !strings.Contains(v, want) {
			t.Fatalf("the empty tenant's list does not say %q:\n%s", want, ansi.Strip(v))
		}
	})
}
