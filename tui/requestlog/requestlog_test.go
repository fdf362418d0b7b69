package requestlog

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// fixedClock stops time for the client: every record is sent at tuitest.Now and takes 0 ms,
// so that the golden files do not move.
type fixedClock struct{}

func (fixedClock) Now() time.Time                                   { return tuitest.Now }
func (fixedClock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

func cloud(t *testing.T, size int, opts ...falcontest.Option) (*falcontest.Server, *falcon.Client) {
	t.Helper()
	all := append([]falcontest.Option{falcontest.WithSeed(7), falcontest.WithClock(tuitest.Clock),
		falcontest.WithTenants(1), falcontest.WithHosts(20), falcontest.WithAlerts(5)}, opts...)
	srv := falcontest.NewServer(all...)
	t.Cleanup(srv.Close)
	creds := srv.Client("full")
	c, err := falcon.New(falcon.Config{ClientID: creds.ID, ClientSecret: creds.Secret, BaseURL: srv.URL,
		Clock: fixedClock{}, CallLogSize: size, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return srv, c
}

func newPane(t *testing.T, c *falcon.Client, w, h int) (*Model, *tuitest.Runner) {
	m := New(pane.Deps{Client: c, Styles: tuitest.Styles(), Now: tuitest.Clock, Static: true})
	m.loc = time.UTC // the golden files do not depend on the machine's zone
	m.SetSize(w, h)
	m.Focus()
	return &m, tuitest.Drive(t, &m)
}

// browse makes a few calls: the tenants, a page of hosts, one refused FQL filter (400).
func browse(t *testing.T, srv *falcontest.Server, c *falcon.Client) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.Tenants.List(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Hosts.Count(ctx, srv.ParentCID(), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Hosts.Count(ctx, srv.ParentCID(), "platform_name:>>"); err == nil {
		t.Fatal("a bad filter was accepted")
	}
}

func TestNewestFirstWithTraceIDs(t *testing.T) {
	srv, c := cloud(t, 0)
	browse(t, srv, c)
	m, r := newPane(t, c, 140, 20)
	r.Run(m.Start(pane.Session{}))
	want := c.Calls().Snapshot()
	if len(m.view) != len(want) || len(want) < 4 {
		t.Fatalf("%d rows, the log holds %d", len(m.view), len(want))
	}
	got := m.Records()
	for i := range want {
		if got[i].Seq != want[i].Seq {
			t.Fatalf("row %d is call #%d, want #%d (newest first)", i, got[i].Seq, want[i].Seq)
		}
	}
	view := ansi.Strip(m.View())
	if !strings.Contains(view, want[0].TraceID) || want[0].TraceID == "" {
		t.Fatalf("the newest call's trace id %q is not on screen:\n%s", want[0].TraceID, view)
	}
	// The refused filter is the newest call: highlighted with a glyph as well as colour.
	if want[0].Status != 400 || !strings.Contains(view, "! 400") {
		t.Fatalf("the 400 is not marked:\n%s", view)
	}
	if strings.Contains(strings.ToLower(view), "bearer") {
		t.Fatal("a credential reached the screen")
	}
}

func TestFollowsNewCallsWithoutBlocking(t *testing.T) {
	srv, c := cloud(t, 0)
	m := New(pane.Deps{Client: c, Styles: tuitest.Styles(), Now: tuitest.Clock})
	m.SetSize(120, 20)
	wait := m.Start(pane.Session{})
	before := len(m.recs)
	got := make(chan tea.Msg, 1)
	go func() { got <- wait() }()
	if _, err := c.Hosts.Count(context.Background(), srv.ParentCID(), ""); err != nil {
		t.Fatal(err)
	}
	var msg tea.Msg
	select {
	case msg = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the wait did not end on a new record")
	}
	if _, ok := msg.(callsChangedMsg); !ok {
		t.Fatalf("the wait gave %T", msg)
	}
	m, next := m.Update(msg)
	if len(m.recs) <= before || next == nil {
		t.Fatalf("%d records after the change (was %d); next wait %v", len(m.recs), before, next != nil)
	}
	// A stale generation (a pane built again for another client) is dropped.
	if m2, cmd := m.Update(callsChangedMsg{gen: m.gen - 1}); cmd != nil || len(m2.recs) != len(m.recs) {
		t.Fatal("a stale change was acted on")
	}
}

func TestRingDropsAreShown(t *testing.T) {
	srv, c := cloud(t, 3)
	m, r := newPane(t, c, 120, 20)
	r.Run(m.Start(pane.Session{}))
	browse(t, srv, c) // more calls than the ring keeps
	r.Send(callsChangedMsg{gen: m.gen})
	if len(m.recs) != 3 || m.dropped == 0 {
		t.Fatalf("%d records, %d dropped", len(m.recs), m.dropped)
	}
	if title := m.Title(); !strings.Contains(title, "newest 3 kept") || !strings.Contains(title, "older dropped") {
		t.Fatalf("title %q does not say the ring's size and the drops", title)
	}
}

// A pane that keeps up with the log still lets the oldest go, and says so.
func TestPaneKeepsTheRingsSizeWhileFollowing(t *testing.T) {
	srv, c := cloud(t, 3)
	m, r := newPane(t, c, 120, 20)
	r.Run(m.Start(pane.Session{}))
	for range 4 {
		if _, err := c.Hosts.Count(context.Background(), srv.ParentCID(), ""); err != nil {
			t.Fatal(err)
		}
		r.Send(callsChangedMsg{gen: m.gen})
	}
	if len(m.recs) != 3 || m.dropped != 0 {
		t.Fatalf("%d records held, %d missed", len(m.recs), m.dropped)
	}
	if got := m.Records()[0].Seq; got != c.Calls().Last() {
		t.Fatalf("newest row is #%d, the log's newest #%d", got, c.Calls().Last())
	}
	if !strings.Contains(m.Title(), "older dropped (kept since") {
		t.Fatalf("title %q does not say the oldest calls were let go", m.Title())
	}
}

func TestFilterAndDetail(t *testing.T) {
	srv, c := cloud(t, 0)
	browse(t, srv, c)
	m, r := newPane(t, c, 120, 40)
	r.Run(m.Start(pane.Session{}))
	r.Press("/")
	r.TypeText("failed")
	r.Press("enter")
	if len(m.view) != 1 || m.recs[m.view[0]].Status != 400 {
		t.Fatalf("/failed shows %d rows", len(m.view))
	}
	r.Press("enter")
	if !m.detail {
		t.Fatal("enter did not open the call")
	}
	view := ansi.Strip(m.View())
	for _, want := range []string{"REQUEST PARAMETERS", "filter", "platform_name:>>", "RESPONSE HEADERS", "X-Cs-Traceid", "ERROR BODY", m.shown.TraceID} {
		if !strings.Contains(view, want) {
			t.Errorf("the call in full lacks %q:\n%s", want, view)
		}
	}
	r.Press("esc")
	if m.detail || m.filter == "" {
		t.Fatal("esc did not go back to the filtered list")
	}
	r.Press("esc")
	if m.filter != "" || len(m.view) != len(m.recs) {
		t.Fatal("esc did not clear the filter")
	}
}

func TestHostileErrorBodyIsCleaned(t *testing.T) {
	srv, c := cloud(t, 0, falcontest.WithHostile(true))
	browse(t, srv, c)
	m, r := newPane(t, c, 120, 60)
	r.Run(m.Start(pane.Session{}))
	for row := range m.view {
		m.table.SetCursor(row)
		r.Press("enter")
		if v := m.View(); strings.ContainsRune(ansi.Strip(v), 0x1b) {
			t.Fatalf("an escape sequence reached the screen: %q", v)
		}
		r.Press("esc")
	}
}

func TestGolden(t *testing.T) {
	srv, c := cloud(t, 0)
	browse(t, srv, c)
	for _, s := range tuitest.Sizes {
		t.Run(fmt.Sprintf("%dx%d", s.W, s.H), func(t *testing.T) {
			m, r := newPane(t, c, s.W, s.H)
			r.Run(m.Start(pane.Session{}))
			m.SetTenants([]falcon.Tenant{{CID: srv.ParentCID(), Name: "Parent"}})
			tuitest.RequireGolden(t, unstable(ansi.Strip(m.View())), s.W, s.H)
		})
	}
}

// unstable masks what changes from run to run at the same width: the simulator's trace ids
// are random, and reply sizes carry timings.
func unstable(view string) string {
	view = traceRE.ReplaceAllString(view, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
	return bytesRE.ReplaceAllStringFunc(view, func(s string) string { return strings.Repeat("n", len(s)-1) + "B" })
}

var (
	traceRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	bytesRE = regexp.MustCompile(`\b\d+B\b`)
)

// A call's path is read in full in its detail at any width: the first line is cut to the
// screen, the Request line wraps.
func TestDetailShowsTheWholePath(t *testing.T) {
	srv, c := cloud(t, 0)
	browse(t, srv, c)
	m, r := newPane(t, c, 80, 40)
	r.Run(m.Start(pane.Session{}))
	r.Press("/")
	r.TypeText("failed")
	r.Press("enter")
	r.Press("enter")
	if !m.detail {
		t.Fatal("enter did not open the call")
	}
	flat := strings.Join(strings.Fields(strings.ReplaceAll(ansi.Strip(m.View()), "│", "")), "")
	if want := strings.ReplaceAll(m.shown.Method+m.shown.Path, " ", ""); !strings.Contains(flat, want) {
		t.Fatalf("the detail never shows %q whole:\n%s", m.shown.Path, m.View())
	}
}
