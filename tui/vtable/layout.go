package vtable

import "github.com/charmbracelet/x/ansi"

// layout shares the width among the columns: fixed columns get their width, flexible ones
// split what is left by weight (at least their minimum). When even the minimums do not fit,
// columns are dropped in Drop order, highest first. The sorted column is at least one cell
// wider than its title, so that the sort arrow never covers the title's last letter.
func (m *Model) layout() {
	m.widths = make([]int, len(m.cols))
	avail := m.width
	if m.gutter {
		avail -= 2
	}
	dropped := make([]bool, len(m.cols))
	for {
		need, flex := 0, 0
		shown := 0
		for i, c := range m.cols {
			if dropped[i] {
				continue
			}
			c = m.sized(i)
			shown++
			if c.Width > 0 {
				need += c.Width
			} else {
				need += max(1, c.Min)
				flex += max(1, c.Flex)
			}
		}
		need += max(0, shown-1) // one-cell gaps
		if need <= avail || !dropOne(m.cols, dropped) {
			m.share(avail-need, flex, dropped)
			return
		}
	}
}

// sized is column i as laid out: the sorted column has room for its title and the arrow.
func (m Model) sized(i int) Column {
	c := m.cols[i]
	if i != m.sortCol {
		return c
	}
	need := ansi.StringWidth(c.Title) + 1
	if c.Width > 0 {
		c.Width = max(c.Width, need)
	} else {
		c.Min = max(c.Min, need)
	}
	return c
}

// dropOne marks the droppable column with the highest Drop; false when none is left.
func dropOne(cols []Column, dropped []bool) bool {
	best := -1
	for i, c := range cols {
		if !dropped[i] && c.Drop > 0 && (best < 0 || c.Drop > cols[best].Drop) {
			best = i
		}
	}
	if best < 0 {
		return false
	}
	dropped[best] = true
	return true
}

// share sets the widths, giving spare cells to flexible columns by weight. With no flexible
// column the spare is left as trailing blank space.
func (m *Model) share(spare, flex int, dropped []bool) {
	spare = max(0, spare)
	given, lastFlex := 0, -1
	for i, c := range m.cols {
		c = m.sized(i)
		switch {
		case dropped[i]:
			m.widths[i] = 0
		case c.Width > 0:
			m.widths[i] = c.Width
		default:
			extra := 0
			if flex > 0 {
				extra = spare * max(1, c.Flex) / flex
			}
			m.widths[i] = max(1, c.Min) + extra
			given += extra
			lastFlex = i
		}
	}
	if lastFlex >= 0 {
		m.widths[lastFlex] += spare - given // rounding remainder
	}
}

// ColumnWidth is the width a column got at the current size (0 = dropped).
func (m Model) ColumnWidth(col int) int {
	if col < 0 || col >= len(m.widths) {
		return 0
	}
	return m.widths[col]
}
