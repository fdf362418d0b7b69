package vtable

import (
	"fmt"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/tui/theme"
)

type rows struct {
	n      int
	marked map[int]bool
	asked  map[int]bool
}

func (r rows) Cell(row, col int) (string, *lipgloss.Style) {
	r.asked[row] = true
	if col == 1 && row == 3 {
		return "\x1b[31mred\x1b[0m サーバー名前-very-long-name", nil
	}
	return fmt.Sprintf("r%d c%d", row, col), nil
}
func (r rows) Marked(row int) bool { return r.marked[row] }

var cols = []Column{
	{Title: "NAME", Min: 8, Flex: 2},
	{Title: "WIDE", Min: 6, Flex: 1},
	{Title: "FIXED", Width: 7, Right: true},
	{Title: "OPTIONAL", Width: 10, Drop: 1},
}

func TestViewIsExactAndVirtual(t *testing.T) {
	m := New(cols, true)
	m.SetSize(60, 10)
	m.SetRows(100_000)
	m.Focus()
	m.SetCursor(50_000)
	r := rows{n: 100_000, marked: map[int]bool{50_000: true}, asked: map[int]bool{}}
	out := m.View(theme.New(true), r)
	lines := strings.Split(out, "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != 60 {
			t.Fatalf("line %d is %d cells: %q", i, w, ansi.Strip(l))
		}
	}
	if len(r.asked) != 9 {
		t.Fatalf("asked for %d rows, want the 9 visible", len(r.asked))
	}
	if !r.asked[50_000] || !strings.Contains(ansi.Strip(out), "● r50000") {
		t.Fatal("cursor row not drawn with its mark")
	}
}

func TestCellsAreSanitisedAndTruncated(t *testing.T) {
	m := New(cols, false)
	m.SetSize(40, 6)
	m.SetRows(5)
	out := m.View(theme.New(true, theme.WithNoColor(true)), rows{asked: map[int]bool{}})
	if strings.Contains(out, "\x1b[31m") {
		t.Fatal("an escape sequence from a cell reached the view")
	}
	for _, l := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(l); w != 40 {
			t.Fatalf("line %d cells: %q", w, ansi.Strip(l))
		}
	}
}

func TestLayoutDropsAndShares(t *testing.T) {
	m := New(cols, false)
	m.SetSize(80, 5)
	if m.ColumnWidth(3) == 0 {
		t.Fatal("optional column dropped although it fits")
	}
	total := 0
	for i := range cols {
		total += m.ColumnWidth(i)
	}
	if total+3 != 80 {
		t.Fatalf("columns use %d of 80 cells", total+3)
	}
	if m.ColumnWidth(0) <= m.ColumnWidth(1) {
		t.Fatal("flex 2 column not wider than flex 1")
	}
	m.SetSize(30, 5)
	if m.ColumnWidth(3) != 0 {
		t.Fatal("optional column kept although the minimums do not fit")
	}
}

func TestMovementAndMouse(t *testing.T) {
	m := New(cols, true)
	m.SetSize(60, 11) // header + 10 rows
	m.SetRows(25)
	m.PageDown()
	if m.Cursor() != 10 || m.Offset() != 1 {
		t.Fatalf("page down: cursor %d offset %d", m.Cursor(), m.Offset())
	}
	m.Bottom()
	if m.Cursor() != 24 || m.Offset() != 15 {
		t.Fatalf("bottom: cursor %d offset %d", m.Cursor(), m.Offset())
	}
	m.Scroll(-100)
	if m.Offset() != 0 || m.Cursor() != 9 {
		t.Fatalf("scroll up: cursor %d offset %d", m.Cursor(), m.Offset())
	}
	if row, header, ok := m.RowAt(3); !ok || header || row != 2 {
		t.Fatalf("RowAt(3) = %d %v %v", row, header, ok)
	}
	if _, header, _ := m.RowAt(0); !header {
		t.Fatal("RowAt(0) is not the header")
	}
	if c := m.ColumnAt(3); c != 0 {
		t.Fatalf("ColumnAt(3) = %d", c)
	}
	m.SetRows(3)
	if m.Cursor() != 2 {
		t.Fatalf("cursor %d after the rows shrank to 3", m.Cursor())
	}
	m.SetRows(0)
	m.Down(1)
	if m.Cursor() != 0 {
		t.Fatal("cursor moved in an empty table")
	}
}

// Bug (issue 11 item 15): the sort arrow overwrote the heading's last letter ("PLATFOR▲")
// when the title filled its column: the sorted column gets a cell for the arrow.
func TestSortArrowNeverCoversTheTitle(t *testing.T) {
	cols := []Column{
		{Title: "HOSTNAME", Min: 8, Flex: 1},
		{Title: "PLATFORM", Width: 8},
		{Title: "LAST SEEN", Width: 9, Right: true},
		{Title: "GROUP", Min: 5, Flex: 1},
	}
	st := theme.New(true, theme.WithNoColor(true))
	for col, want := range []string{"HOSTNAME▲", "PLATFORM▼", "LAST SEEN▲", "GROUP▼"} {
		m := New(cols, false)
		m.SetSize(60, 3)
		m.SetRows(1)
		m.SetSort(col, col%2 == 1)
		head := strings.Split(ansi.Strip(m.View(st, rows{n: 1, asked: map[int]bool{}})), "\n")[0]
		if !strings.Contains(head, want) {
			t.Errorf("sorted by %d: header %q lacks %q", col, head, want)
		}
		if w := ansi.StringWidth(head); w != 60 {
			t.Errorf("sorted by %d: header %d cells wide", col, w)
		}
	}
}
