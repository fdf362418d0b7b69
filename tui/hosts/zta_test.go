package hosts

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/internal/hostrows"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

const ztaGET = "GET /zero-trust-assessment/entities/assessments/v1"

func (l *live) ztaCalls() int64 { return l.cloud.Server.Stats().ByOperation[ztaGET] }

// scored is how many loaded rows have a score, and whether exactly the rows on screen do.
func (l *live) scored() (n int, onScreen bool) {
	m := l.m
	shown := m.rows.Window(nil, m.table.Offset(), m.table.PageSize())
	for i := range m.rows.Len() {
		if m.rows.HasScore(hostrows.Row(i)) {
			n++
		}
	}
	for _, r := range shown {
		if !m.rows.HasScore(r) {
			return n, false
		}
	}
	return n, true
}

func TestZTAScoresAreFetchedOnlyWhenShownAndOnlyForTheRowsOnScreen(t *testing.T) {
	l := newLive(t, false, "full", falcontest.WithTenants(1), falcontest.WithHosts(300))
	l.load(l.parent())
	if n := l.ztaCalls(); n != 0 {
		t.Fatalf("%d ZTA calls without the column or a threshold", n)
	}
	l.m.SetColumnChoice([]string{"hostname", "zta", "os"})
	l.press("j") // any Update asks for what is on screen
	page := l.m.table.PageSize()
	if n, ok := l.scored(); !ok || n == 0 || n > page {
		t.Fatalf("%d rows scored (page %d), on screen all scored: %v", n, page, ok)
	}
	if n := l.ztaCalls(); n != 1 {
		t.Fatalf("%d ZTA calls for one page of %d rows, want 1", n, page)
	}
	l.press("j", "k", "j")
	if n := l.ztaCalls(); n != 1 {
		t.Fatalf("moving on the same page asked again: %d calls", n)
	}
	l.press("pgdown")
	if n, ok := l.scored(); !ok || n > 2*page {
		t.Fatalf("after pgdn: %d scored, on screen all scored: %v", n, ok)
	}
	if n := l.ztaCalls(); n != 2 {
		t.Fatalf("%d ZTA calls after one page down, want 2", n)
	}
	// The scores are the server's.
	row := l.m.rows.At(l.m.table.Cursor())
	id := l.m.rows.DeviceID(row)
	want, err := l.cloud.Client.ZTA.Scores(context.Background(), l.parent(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := l.m.rows.Score(row); !ok || got != want[id] {
		t.Fatalf("score of %s = %d (%v), server says %d", id, got, ok, want[id])
	}
}

func TestZTASortAsksInBatchesOf100AndPutsUnknownLast(t *testing.T) {
	l := newLive(t, false, "full", falcontest.WithTenants(1), falcontest.WithHosts(450))
	l.load(l.parent())
	l.m.SetColumnChoice([]string{"hostname", "zta"})
	l.run(l.m.sortTo(colZTA, false))
	l.press("j")
	loaded := l.m.rows.Len()
	n, _ := l.scored()
	calls := l.ztaCalls()
	// Every loaded host asked once, in calls of at most 100 (the page asked first may make
	// one more, smaller call).
	if min := int64((loaded + 99) / 100); calls < min || calls > min+1 {
		t.Fatalf("%d calls for %d hosts", calls, loaded)
	}
	if n == 0 {
		t.Fatal("no score after a sort by ZTA")
	}
	var prev = -1
	seenUnknown := false
	for p := range l.m.rows.Shown() {
		s, ok := l.m.rows.Score(l.m.rows.At(p))
		switch {
		case !ok:
			seenUnknown = true
		case seenUnknown:
			t.Fatalf("row %d has a score after a row without one", p)
		case s < prev:
			t.Fatalf("row %d: score %d after %d", p, s, prev)
		default:
			prev = s
		}
	}
}

func TestZTAThresholdMarksHostsBelowIt(t *testing.T) {
	l := newLive(t, false, "full", falcontest.WithTenants(1), falcontest.WithHosts(60))
	l.load(l.parent())
	l.run(l.m.SetZTAThreshold(75))
	if n := l.ztaCalls(); n != 1 {
		t.Fatalf("a threshold without the column made %d calls, want 1 (the rows on screen)", n)
	}
	if title := l.m.Title(); !strings.Contains(title, "ZTA<75 ▼") {
		t.Fatalf("title %q does not show the threshold", title)
	}
	lines := strings.Split(ansi.Strip(l.m.View()), "\n")
	rows := l.m.rows.Window(nil, l.m.table.Offset(), l.m.table.PageSize())
	below := 0
	for i, r := range rows {
		line := lines[2+i]
		s, ok := l.m.rows.Score(r)
		marked := strings.Contains(line, "▼ "+l.m.rows.Hostname(r))
		if want := ok && s < 75; marked != want {
			t.Fatalf("%s (score %d, known %v) marked %v: %q", l.m.rows.Hostname(r), s, ok, marked, line)
		}
		if marked {
			below++
		}
	}
	if below == 0 || below == len(rows) {
		t.Fatalf("%d of %d rows below 75: the simulator's scores should straddle it", below, len(rows))
	}
	l.run(l.m.SetZTAThreshold(0))
	if strings.Contains(ansi.Strip(l.m.View()), "▼") || strings.Contains(l.m.Title(), "ZTA") {
		t.Fatal("threshold off still marks hosts")
	}
}

func TestZTAScopeMissingIsSaidOnceAndStopsAsking(t *testing.T) {
	l := newLive(t, false, "hostsonly", falcontest.WithTenants(1), falcontest.WithHosts(40), falcontest.WithClient("hostsonly", "devices:read"))
	l.load(l.parent())
	l.m.SetColumnChoice([]string{"hostname", "zta"})
	l.press("j")
	calls := l.ztaCalls()
	l.press("pgdown", "g", "G")
	if n := l.ztaCalls(); n != calls {
		t.Fatalf("kept asking without the scope: %d calls, then %d", calls, n)
	}
	if info := ansi.Strip(strings.SplitN(l.m.View(), "\n", 2)[0]); !strings.Contains(info, "ZTA needs `"+ZTAScope+"`") {
		t.Fatalf("info line %q does not name the missing scope", info)
	}
}

// The ZTA states in golden form: the column with scores, and the threshold's marks.
func TestZTAGolden(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			m := fakeModel(60, sz.w, sz.h, theme.New(true, theme.WithNoColor(false)))
			m.SetColumnChoice([]string{"hostname", "zta", "platform", "os", "last_seen", "state"})
			scores := map[string]int{}
			for i, h := range viewHosts(m) {
				if i%7 != 3 { // some hosts have no assessment
					scores[h.DeviceID] = (i * 37) % 101
				}
			}
			m, _ = m.Update(ztaScoresMsg{rows: m.rows, scores: scores})
			m.SetZTAThreshold(50)
			out := m.View()
			tuitest.AssertSize(t, out, sz.w, sz.h)
			if !slices.ContainsFunc(strings.Split(ansi.Strip(out), "\n"), func(l string) bool { return strings.Contains(l, "▼") }) {
				t.Fatal("no host marked")
			}
			tuitest.RequireGolden(t, widget.FitLine(m.Title(), sz.w)+"\n"+out, sz.w, sz.h+1)
		})
	}
}

func TestZTAFilterWordFetchesTheLoadedScores(t *testing.T) {
	l := newLive(t, false, "full", falcontest.WithTenants(1), falcontest.WithHosts(250))
	l.load(l.parent())
	l.press("/")
	l.typeText("zta<60")
	l.press("enter")
	loaded := l.m.rows.Len()
	if n, _ := l.scored(); n != loaded {
		t.Fatalf("a score filter left %d of %d hosts unscored", loaded-n, loaded)
	}
	if calls := l.ztaCalls(); calls > int64((loaded+99)/100)+1 {
		t.Fatalf("%d calls for %d hosts", calls, loaded)
	}
	below, err := l.cloud.Client.ZTA.CountBelow(context.Background(), l.parent(), 60)
	if err != nil {
		t.Fatal(err)
	}
	if shown, _ := l.m.Count(); shown != below || shown == 0 {
		t.Fatalf("/zta<60 shows %d hosts; the server counts %d below 60", shown, below)
	}
	for p := range l.m.rows.Shown() {
		if s, ok := l.m.rows.Score(l.m.rows.At(p)); !ok || s >= 60 {
			t.Fatalf("row %d: score %d (%v) passes zta<60", p, s, ok)
		}
	}
}
