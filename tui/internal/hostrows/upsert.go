package hostrows

import "slices"

// Rows replaced and removed: the hosts pane applies a refresh of the local store to rows it
// already shows (docs/STORE.md, Refresh). Rows are never written in place — a Reader or a
// job may be reading them on another goroutine — so a replaced host gets a new row and its
// old row is only marked dead: it leaves every view, Len, Find, the marks' rows and every
// job's result as that result is installed. Dead rows keep their columns' memory until the
// next Reset or Clear (a load of the tenant afresh): a refresh that changed 1% of a million
// hosts leaves some 10,000 dead rows, under 2 MB.

// Upsert adds b's hosts as Append does, except that a host whose device id is already a
// live row replaces that row: the old row leaves every view at once, and its mark (kept by
// device) stays with the host. Hosts new to the table are appended. Like Append it returns
// the compaction job to run, or nil.
func (t *Table) Upsert(b *Batch) *Job {
	if b == nil || len(b.rows) == 0 {
		return nil
	}
	if b.in != t.s.in {
		b = t.s.in.Prepare(b.hosts)
	}
	var killed []uint32
	for i := range b.rows {
		if row, ok := t.rowOfDev(b.rows[i].dev); ok && t.kill(row) {
			killed = append(killed, uint32(row))
		}
	}
	t.dropRows(killed)
	return t.Append(b)
}

// Remove takes the live rows of these device ids out of every view (their marks go with
// them) and returns how many it removed; unknown ids are ignored.
func (t *Table) Remove(deviceIDs []string) int {
	var killed []uint32
	for _, id := range deviceIDs {
		dev, ok := t.s.in.lookup(id)
		if !ok {
			continue
		}
		row, ok := t.rowOfDev(dev)
		if !ok {
			continue
		}
		if t.kill(row) {
			killed = append(killed, uint32(row))
		}
		t.forget(dev)
	}
	t.dropRows(killed)
	return len(killed)
}

// rowOfDev is the live row of a device number.
func (t *Table) rowOfDev(dev uint32) (Row, bool) {
	of, i := t.rowOf, int(dev)
	if dev&oddDev != 0 {
		of, i = t.oddRowOf, int(dev&^oddDev)
	}
	if i >= len(of) || of[i] == 0 {
		return 0, false
	}
	return Row(of[i] - 1), true
}

// forget drops a device that has no row any more: Find no longer finds it, and its mark
// goes (a mark is on a host the list shows).
func (t *Table) forget(dev uint32) {
	if dev&oddDev != 0 {
		i := int(dev &^ oddDev)
		t.oddRowOf[i] = 0
		if t.oddMarks.has(i) {
			t.oddMarks.unset(i)
		}
		return
	}
	t.rowOf[dev] = 0
	if t.marks.has(int(dev)) {
		t.marks.unset(int(dev))
	}
}

// kill marks a row dead; false if it was already.
func (t *Table) kill(row Row) bool {
	if t.dead.has(int(row)) {
		return false
	}
	t.dead = t.dead.grow(int(row))
	t.dead.set(int(row))
	t.ndead++
	return true
}

// dropRows takes rows just killed out of both views: a few are found by binary search in
// the order in force (a total order: rows never tie) and the views copied around them;
// many, by one pass over the views (liveRows), which costs the same whatever their number.
func (t *Table) dropRows(killed []uint32) {
	switch {
	case len(killed) == 0:
	case len(killed) <= searchDrop:
		t.baseView = t.without(t.baseView, killed)
		t.freshView = t.without(t.freshView, killed)
	default:
		t.dropDead()
	}
}

// searchDrop is where a pass over the views beats a binary search per row (each search
// compares some twenty rows' names; a pass at a million rows takes milliseconds).
const searchDrop = 512

// without is view less the given rows (those it holds), as a new slice: views may be the
// runs themselves, which jobs read.
func (t *Table) without(view []uint32, rows []uint32) []uint32 {
	var at []int
	for _, r := range rows {
		if i := search(view, r, t.ord.cmp); i < len(view) && view[i] == r {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return view
	}
	slices.Sort(at)
	out := make([]uint32, 0, len(view)-len(at))
	prev := 0
	for _, i := range at {
		out = append(out, view[prev:i]...)
		prev = i + 1
	}
	return append(out, view[prev:]...)
}

// isDead reports whether a row was replaced or removed.
func (t *Table) isDead(row int) bool { return t.ndead > 0 && t.dead.has(row) }

// dropDead takes the dead rows out of both views. The views may be the runs themselves
// (no filter), which jobs read: the live rows go to new slices.
func (t *Table) dropDead() {
	t.baseView = t.liveRows(t.baseView)
	t.freshView = t.liveRows(t.freshView)
}

// liveRows is rows without the dead ones: rows itself when none is dead. One tight pass
// over the view (a couple of milliseconds at a million rows): a binary search per dead row
// in the order in force costs more, its comparisons reading the rows' names.
func (t *Table) liveRows(rows []uint32) []uint32 {
	if t.ndead == 0 {
		return rows
	}
	dead := t.dead
	isDead := func(r uint32) bool { w := int(r >> 6); return w < len(dead) && dead[w]&(1<<(r&63)) != 0 }
	i := 0
	for i < len(rows) && !isDead(rows[i]) {
		i++
	}
	if i == len(rows) {
		return rows
	}
	out := make([]uint32, i, len(rows))
	copy(out, rows[:i])
	for _, r := range rows[i+1:] {
		if !isDead(r) {
			out = append(out, r)
		}
	}
	return out
}
