// Package vtable is a virtualised table: it knows how many rows there are, where the cursor
// and the window are, and asks its owner for the text of the cells it is about to draw. It
// never holds the rows, so moving the cursor or drawing a frame costs the same at 100 rows
// and at 100,000 — unlike bubbles/table, which rebuilds an O(n) slice on every move.
package vtable

import "charm.land/lipgloss/v2"

// Column describes one column.
type Column struct {
	Title string
	Width int  // fixed width in cells; 0 makes the column flexible
	Min   int  // a flexible column's minimum width
	Flex  int  // a flexible column's share of the space left over (default 1)
	Right bool // right-align (numbers)
	// Drop orders which columns give way when the table is too narrow: higher goes first;
	// 0 never goes.
	Drop int
}

// Cells is what the owner supplies for each row drawn.
type Cells interface {
	// Cell is the text and style (nil = plain) of a cell. The text is sanitised and
	// truncated here. Styles are pointers into the theme so that no cell allocates.
	Cell(row, col int) (string, *lipgloss.Style)
	// Marked reports whether the row carries a mark (only asked when the table has a gutter).
	Marked(row int) bool
}

// Model is the table's state. It is a value type, cheap to copy.
type Model struct {
	cols    []Column
	widths  []int // per column; 0 = dropped at this width
	n       int
	cursor  int
	offset  int
	width   int
	height  int
	focused bool
	gutter  bool // a two-cell mark column on the left

	sortCol  int // -1 = none
	sortDesc bool
}

// New returns a table with the given columns. gutter reserves a mark column.
func New(cols []Column, gutter bool) Model {
	m := Model{cols: cols, gutter: gutter, sortCol: -1}
	m.layout()
	return m
}

// SetColumns replaces the columns (e.g. the tenant column appears in all-tenants mode).
func (m *Model) SetColumns(cols []Column) {
	m.cols = cols
	if m.sortCol >= len(cols) {
		m.sortCol = -1
	}
	m.layout()
}

// Columns returns the columns.
func (m Model) Columns() []Column { return m.cols }

// SetSize sets the table's outer size, header included.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(0, width), max(0, height)
	m.layout()
	m.clamp()
}

// Width and Height are the table's size.
func (m Model) Width() int  { return m.width }
func (m Model) Height() int { return m.height }

// SetRows sets the row count, keeping the cursor in range.
func (m *Model) SetRows(n int) {
	m.n = max(0, n)
	m.clamp()
}

// Rows is the row count.
func (m Model) Rows() int { return m.n }

// Cursor is the index of the selected row (0 when there are none).
func (m Model) Cursor() int { return m.cursor }

// SetCursor moves the cursor to row i, scrolling as little as possible to show it.
func (m *Model) SetCursor(i int) {
	m.cursor = i
	m.clamp()
}

// Offset is the first row drawn.
func (m Model) Offset() int { return m.offset }

// Focus and Blur change how the cursor row is drawn.
func (m *Model) Focus()        { m.focused = true }
func (m *Model) Blur()         { m.focused = false }
func (m Model) Focused() bool  { return m.focused }
func (m Model) PageSize() int  { return max(1, m.height-1) }
func (m *Model) Up(k int)      { m.SetCursor(m.cursor - k) }
func (m *Model) Down(k int)    { m.SetCursor(m.cursor + k) }
func (m *Model) PageUp()       { m.Up(m.PageSize()) }
func (m *Model) PageDown()     { m.Down(m.PageSize()) }
func (m *Model) HalfPageUp()   { m.Up(max(1, m.PageSize()/2)) }
func (m *Model) HalfPageDown() { m.Down(max(1, m.PageSize()/2)) }
func (m *Model) Top()          { m.SetCursor(0) }
func (m *Model) Bottom()       { m.SetCursor(m.n - 1) }

// Scroll moves the window by k rows (mouse wheel), dragging the cursor along only when it
// would leave the window.
func (m *Model) Scroll(k int) {
	page := m.PageSize()
	m.offset = max(0, min(m.offset+k, m.n-page))
	if m.cursor < m.offset {
		m.cursor = m.offset
	}
	if m.cursor >= m.offset+page {
		m.cursor = m.offset + page - 1
	}
	m.clamp()
}

// SetSort records the sorted column and direction for the header's arrow (-1 = none).
// The sorted column may need a cell more (see layout).
func (m *Model) SetSort(col int, desc bool) {
	changed := col != m.sortCol
	m.sortCol, m.sortDesc = col, desc
	if changed {
		m.layout()
	}
}

// clamp keeps the cursor on a row and inside the window.
func (m *Model) clamp() {
	if m.n == 0 {
		m.cursor, m.offset = 0, 0
		return
	}
	m.cursor = max(0, min(m.cursor, m.n-1))
	page := m.PageSize()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+page {
		m.offset = m.cursor - page + 1
	}
	m.offset = max(0, min(m.offset, m.n-page))
}

// RowAt maps a y coordinate inside the table (0 = header) to a row. header is true for the
// header line; ok is false below the last row.
func (m Model) RowAt(y int) (row int, header, ok bool) {
	if y == 0 {
		return 0, true, true
	}
	row = m.offset + y - 1
	if y < 0 || y >= m.height || row >= m.n {
		return 0, false, false
	}
	return row, false, true
}

// ColumnAt maps an x coordinate to a column index (-1 for the gutter or a gap).
func (m Model) ColumnAt(x int) int {
	pos := 0
	if m.gutter {
		pos = 2
	}
	for i, w := range m.widths {
		if w == 0 {
			continue
		}
		if x >= pos && x < pos+w {
			return i
		}
		pos += w + 1
	}
	return -1
}
