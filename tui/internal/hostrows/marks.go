package hostrows

// Marks are kept by device, as the hosts pane keeps them: a bit per device number. A mark
// outlives its row — a reload brings it back on the host as it loads again — and a host
// loaded twice is marked twice. Marking the whole view is one pass over the filter's row
// set writing bits, a few milliseconds at a million rows.

func (t *Table) markBit(row Row) (*bitset, int) {
	n := t.s.r.devnum(int(row))
	if n&oddDev != 0 {
		return &t.oddMarks, int(n &^ oddDev)
	}
	return &t.marks, int(n)
}

// Marked reports whether a row's host is marked.
func (t *Table) Marked(row Row) bool {
	set, i := t.markBit(row)
	return set.has(i)
}

// ToggleMark marks or unmarks a row's host and returns the new state.
func (t *Table) ToggleMark(row Row) bool {
	set, i := t.markBit(row)
	if set.has(i) {
		set.unset(i)
		return false
	}
	*set = set.grow(i)
	set.set(i)
	return true
}

// MarkAll marks every host in the view and returns how many hosts are marked in all.
func (t *Table) MarkAll() int {
	r := &t.s.r
	t.marks = t.marks.grow(int(r.hexCount))
	t.oddMarks = t.oddMarks.grow(int(r.oddCount))
	mark := func(row int) {
		if n := r.dev.at(row); n&oddDev == 0 {
			t.marks[n>>6] |= 1 << (n & 63)
		} else {
			t.oddMarks.set(int(n &^ oddDev))
		}
	}
	switch {
	case t.ndead > 0:
		// Dead rows' devices may be gone: mark what the view shows.
		for _, run := range [][]uint32{t.baseView, t.freshView} {
			for _, row := range run {
				mark(int(row))
			}
		}
	case t.m == nil:
		for k := 0; k*chunkLen < r.n; k++ {
			c := r.dev.chunk(k)
			for i := range min(chunkLen, r.n-k*chunkLen) {
				if n := c[i]; n&oddDev == 0 {
					t.marks[n>>6] |= 1 << (n & 63)
				} else {
					mark(k*chunkLen + i)
				}
			}
		}
	default:
		t.match.each(0, r.n, mark)
	}
	return t.MarkCount()
}

// MarkCount is the number of marked hosts, loaded or not.
func (t *Table) MarkCount() int { return t.marks.count() + t.oddMarks.count() }

// ClearMarks drops every mark and returns how many there were.
func (t *Table) ClearMarks() int {
	n := t.MarkCount()
	clear(t.marks)
	clear(t.oddMarks)
	return n
}

// MarkedRows returns the loaded rows whose host is marked, in the order in force (filtered
// out or not), as the pane's group edits take them.
func (t *Table) MarkedRows() []Row {
	if t.MarkCount() == 0 {
		return nil
	}
	all := t.base
	if len(t.fresh) > 0 {
		all = merge(t.base, t.fresh, t.ord.cmp)
	}
	var out []Row
	for _, r := range all {
		if t.Marked(Row(r)) && !t.isDead(int(r)) {
			out = append(out, Row(r))
		}
	}
	return out
}
