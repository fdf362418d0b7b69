package hosts

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// bigModel is fakeModel treated as a big list: every sort and filter is a job run as a
// command, as at a million rows.
func bigModel(t *testing.T, n int) Model {
	t.Helper()
	m := fakeModel(n, 120, 30, theme.New(true, theme.WithNoColor(true)))
	m.inline = 0
	return m
}

// drain runs cmd and what it leads to through the model.
func drain(t *testing.T, m *Model, cmd tea.Cmd) {
	t.Helper()
	tuitest.Drain(t, func(msg tea.Msg) tea.Cmd {
		var c tea.Cmd
		*m, c = m.Update(msg)
		return c
	}, cmd)
}

func press(m Model, k string) (Model, tea.Cmd) { return m.Update(tuitest.Key(k)) }

func infoLine(m Model) string {
	line, _, _ := strings.Cut(ansi.Strip(m.View()), "\n")
	return line
}

func TestBigListSortsOffTheUIGoroutine(t *testing.T) {
	m := bigModel(t, 3000)
	m, _ = press(m, "down")
	m, _ = press(m, "down")
	before := viewHosts(m)
	cur, _ := m.Selected()

	m, cmd := press(m, "s") // platform
	if cmd == nil {
		t.Fatal("sorting a big list returned no command")
	}
	if !strings.Contains(infoLine(m), "sorting…") {
		t.Fatalf("no sorting indicator while the job runs: %q", infoLine(m))
	}
	if got := viewHosts(m); !slices.EqualFunc(got, before, sameDevice) {
		t.Fatal("the view changed before the sort's result came back")
	}
	// The screen keeps answering keys meanwhile.
	m, _ = press(m, "up")
	if m.Cursor() != 1 {
		t.Fatalf("cursor = %d after up while sorting", m.Cursor())
	}
	m, _ = press(m, "down")

	drain(t, &m, cmd)
	if strings.Contains(infoLine(m), "sorting…") {
		t.Fatal("the indicator outlived the job")
	}
	got := viewHosts(m)
	if !slices.IsSortedFunc(got, func(a, b falcon.Host) int { return strings.Compare(a.Platform, b.Platform) }) {
		t.Fatal("rows are not sorted by platform once the job is installed")
	}
	if now, _ := m.Selected(); now.DeviceID != cur.DeviceID {
		t.Fatalf("cursor moved from %s to %s when the sort was installed", cur.Hostname, now.Hostname)
	}
}

func TestBigListFiltersOffTheUIGoroutineAndDropsStaleResults(t *testing.T) {
	m := bigModel(t, 3000)
	m, _ = press(m, "/")
	var cmds []tea.Cmd
	for _, k := range tuitest.Type("web") {
		var cmd tea.Cmd
		m, cmd = m.Update(k)
		cmds = append(cmds, cmd)
	}
	if !strings.Contains(infoLine(m), "filtering…") {
		t.Fatalf("no filtering indicator while the job runs: %q", infoLine(m))
	}
	if shown, loaded := m.Count(); shown != loaded {
		t.Fatalf("the view changed before the filter's result came back: %d of %d", shown, loaded)
	}
	// The last keystroke's result first, then the older ones: those are stale.
	for i := len(cmds) - 1; i >= 0; i-- {
		drain(t, &m, cmds[i])
	}
	shown, loaded := m.Count()
	if shown == 0 || shown == loaded {
		t.Fatalf("filter web shows %d of %d", shown, loaded)
	}
	for _, h := range viewHosts(m) {
		if !strings.Contains(haystack(&h, ""), "web") {
			t.Fatalf("row %q does not match web (a stale result was installed)", h.Hostname)
		}
	}
	if line := infoLine(m); strings.Contains(line, "filtering…") || !strings.Contains(line, "/web") {
		t.Fatalf("info line after the filter: %q", line)
	}
	// Esc on the prompt clears at once: no job.
	m, cmd := press(m, "esc")
	drain(t, &m, cmd)
	if shown, loaded := m.Count(); shown != loaded {
		t.Fatalf("esc left %d of %d shown", shown, loaded)
	}
}

// The live tests again with every sort and filter a job: the behaviour is the same.
func TestLocalFilterKeepsMarksAndCursorOnABigList(t *testing.T) {
	l := newLive(t, false, "full")
	l.m.inline = 0
	l.load(l.parent())
	l.press("space", "space")
	marked := l.m.Marked()
	l.press("/")
	word := strings.ToLower(sanitize.Text(viewHosts(l.m)[5].Platform))
	l.typeText(word)
	l.press("enter")
	shown, loaded := l.m.Count()
	if shown == 0 || shown >= loaded {
		t.Fatalf("filter %q shows %d of %d", word, shown, loaded)
	}
	if got := l.m.Marked(); len(got) != 2 || got[0].DeviceID != marked[0].DeviceID {
		t.Fatal("marks did not survive filtering")
	}
	l.press("down", "down")
	h, _ := l.m.Selected()
	l.press("s", "s", "S")
	if now, _ := l.m.Selected(); now.DeviceID != h.DeviceID {
		t.Fatalf("cursor moved from %s to %s when sorting", h.Hostname, now.Hostname)
	}
	l.press("esc")
	if now, _ := l.m.Selected(); now.DeviceID != h.DeviceID {
		t.Fatal("cursor left its host when the filter was cleared")
	}
	l.press("ctrl+a")
	if got := len(l.m.Marked()); got != loaded {
		t.Fatalf("ctrl+a marked %d of %d", got, loaded)
	}
}

func sameDevice(a, b falcon.Host) bool { return a.DeviceID == b.DeviceID }

// New tenant names re-sort a list sorted by tenant. SetTenants cannot return a command: on
// a big list its jobs start with the next Update, whatever the message.
func TestNewTenantNamesResortABigList(t *testing.T) {
	m := New(pane.Deps{Styles: theme.New(true, theme.WithNoColor(true)), Now: tuitest.Clock})
	m.SetSize(120, 30)
	m.inline = 0
	m.SetTenants([]falcon.Tenant{{CID: "c1", Name: "alpha"}, {CID: "c2", Name: "beta"}})
	m.gen, m.loading = 1, true
	for _, cid := range []string{"c1", "c2"} {
		m, _ = m.Update(hostsLoadedMsg{gen: 1, item: stream.Item[[]falcon.Host]{Value: fakeHosts(cid, 500, uint64(len(cid)+int(cid[1])))}})
	}
	drain(t, &m, m.sortTo(colTenant, false))
	if first := viewHosts(m)[0].CID; first != "c1" {
		t.Fatalf("sorted by tenant, alpha's hosts are not first: %s", first)
	}
	m.SetTenants([]falcon.Tenant{{CID: "c1", Name: "zulu"}, {CID: "c2", Name: "beta"}})
	m, cmd := m.Update(tea.FocusMsg{}) // any message
	if cmd == nil {
		t.Fatal("the re-sort SetTenants asked for did not start")
	}
	drain(t, &m, cmd)
	if first := viewHosts(m)[0].CID; first != "c2" {
		t.Fatalf("after renaming alpha to zulu, beta's hosts are not first: %s", first)
	}
}

// A page of 12,000 hosts is appended 5,000 rows an Update: the Update hands itself the rest
// of the page, keys are answered in between, and the stream is read on only once the whole
// page is in.
func TestABigPageIsAppendedInChunks(t *testing.T) {
	m := fakeModel(0, 120, 30, theme.New(true, theme.WithNoColor(true)))
	m.loading = true
	hosts := fakeHosts("c1", 12000, 7)
	m, cmd := m.Update(hostsLoadedMsg{gen: m.gen, item: stream.Item[[]falcon.Host]{Value: hosts}})
	if m.rows.Len() != appendChunk {
		t.Fatalf("the first Update appended %d rows, want %d", m.rows.Len(), appendChunk)
	}
	m, _ = press(m, "down") // the screen answers between the chunks
	var steps int
	for cmd != nil {
		var more hostsLoadedMsg
		found := false
		tuitest.Drain(t, func(msg tea.Msg) tea.Cmd {
			if h, ok := msg.(hostsLoadedMsg); ok && !found {
				more, found = h, true
			}
			return nil
		}, cmd)
		if !found {
			break
		}
		steps++
		m, cmd = m.Update(more)
	}
	if m.rows.Len() != 12000 || steps != 2 {
		t.Fatalf("%d rows after %d more Updates, want 12,000 after 2", m.rows.Len(), steps)
	}
	if row, ok := m.selectedRow(); !ok || m.table.Cursor() != 1 {
		t.Fatalf("the cursor moved off the second row (%v, %d)", row, m.table.Cursor())
	}
}
