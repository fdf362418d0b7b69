package hostrows

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// Table is the hosts list: the loaded rows, their order and the filtered view the pane
// draws from, and the marks. It belongs to the UI goroutine; everything slow it offers as a
// Job that runs elsewhere on a snapshot and comes back as a Result to Install.
//
// The order is two sorted runs: base, rows [0, nb) as a job sorted them, and fresh, the
// rows appended since, merged in batch by batch. The view is the same two runs filtered.
// Position p of the view is found by a binary search over the two runs (see split), so
// nothing is ever rebuilt on a keypress, and an Append costs its own batch plus shifting
// fresh in place — not a pass over the million rows before it. When fresh grows past a
// quarter of base, Append hands out a compaction job that merges the two off the UI
// goroutine.
type Table struct {
	s      *store
	labels map[string]string // CID → tenant label; replaced, never written

	sort Sort
	ord  *orderer
	base []uint32 // never written once installed: jobs read it
	// baseKeys holds the name keys of base's rows when the order is by host name: a
	// compaction then merges reading keys in sequence (see mergeKeyed).
	baseKeys []nameKey
	nb       int
	fresh    []uint32 // merged into in place, unless a job holds it (freshShared)
	// freshKeys is baseKeys for fresh: the name keys alongside, when the order is by host
	// name, so that merging each batch in reads keys in sequence.
	freshKeys []nameKey
	// freshShared says a job holds fresh: the next Append merges into a copy.
	freshShared bool
	// freshID changes whenever fresh is replaced or merged into, so that a filter job's
	// view of fresh can be installed as computed when fresh is still what it read.
	freshID  int
	host     []uint32 // rows [0, len(host)) in host-name order: the last job's, for the next
	hostKeys []nameKey
	// baseID and matchID change whenever base or the filter's row set is replaced, so that
	// an Install knows whether what a job computed against still holds.
	baseID, matchID int

	typed     string   // the filter as typed
	words     []string // the filter in force
	m         *matcher // nil without a filter
	match     bitset   // rows passing the filter (when m != nil)
	baseView  []uint32
	freshView []uint32
	cache     []*wordBits

	order, filter pending

	marks, oddMarks bitset // by device number
	rowOf, oddRowOf []uint32

	// dead are the rows Upsert replaced and Remove took out (upsert.go): in no view.
	dead  bitset
	ndead int
}

// pending is a job kind's latest request: its generation and what it asked for.
type pending struct {
	gen    int
	active bool
	sort   Sort     // an order job's
	words  []string // a filter job's
}

// New returns an empty table sorted by host name.
func New() *Table {
	t := &Table{s: newStore(), labels: map[string]string{}}
	t.ord = newOrderer(&t.s.r, t.sort, t.labels)
	return t
}

// Len is the number of loaded rows.
func (t *Table) Len() int { return t.s.r.n - t.ndead }

// Shown is the number of rows in the view (the rows passing the filter).
func (t *Table) Shown() int { return len(t.baseView) + len(t.freshView) }

// At returns the row at position p of the view (0 ≤ p < Shown).
func (t *Table) At(p int) Row {
	i := split(t.baseView, t.freshView, p, t.ord.cmp)
	return Row(t.next(p-i, i))
}

// next is the element after j rows of baseView and i of freshView.
func (t *Table) next(j, i int) uint32 {
	if i < len(t.freshView) && (j == len(t.baseView) || t.ord.cmp(t.freshView[i], t.baseView[j]) < 0) {
		return t.freshView[i]
	}
	return t.baseView[j]
}

// Window appends the rows at positions from, from+1, … of the view to dst, at most n of
// them: what a frame draws, for one binary search.
func (t *Table) Window(dst []Row, from, n int) []Row {
	from = max(from, 0)
	n = min(n, t.Shown()-from)
	if n <= 0 {
		return dst
	}
	i := split(t.baseView, t.freshView, from, t.ord.cmp)
	j := from - i
	for range n {
		r := t.next(j, i)
		if i < len(t.freshView) && t.freshView[i] == r {
			i++
		} else {
			j++
		}
		dst = append(dst, Row(r))
	}
	return dst
}

// Position returns the view position of a row, or -1 when the filter hides it.
func (t *Table) Position(row Row) int {
	if int(row) >= t.s.r.n || (t.m != nil && !t.match.has(int(row))) || t.isDead(int(row)) {
		return -1
	}
	x := uint32(row)
	return search(t.baseView, x, t.ord.cmp) + search(t.freshView, x, t.ord.cmp)
}

// Find returns the row of a device (the last one loaded with that ID).
func (t *Table) Find(deviceID string) (Row, bool) {
	n, ok := t.s.in.lookup(deviceID)
	if !ok {
		return 0, false
	}
	return t.rowOfDev(n)
}

// Ingest returns the table's interning state, for Prepare on another goroutine. Take it
// on the UI goroutine (when building the command that reads the next batch): Clear
// replaces it.
func (t *Table) Ingest() *Ingest { return t.s.in }

// AppendHosts prepares and appends a batch on the calling goroutine: for small batches
// and tests. The pane prepares in its stream command and calls Append.
func (t *Table) AppendHosts(hosts []falcon.Host) *Job { return t.Append(t.s.in.Prepare(hosts)) }

// Append adds a prepared batch: its rows are in the view (sorted and filtered as it is)
// when it returns. A batch prepared before a Clear is prepared again here. It may return a
// compaction job for the caller to run off the UI goroutine.
func (t *Table) Append(b *Batch) *Job {
	if b == nil || len(b.rows) == 0 {
		return nil
	}
	if b.in != t.s.in {
		b = t.s.in.Prepare(b.hosts)
	}
	start := t.s.r.n
	t.s.add(b.rows)
	for row := start; row < t.s.r.n; row++ {
		t.noteRow(Row(row))
	}
	// The batch comes sorted by host name; any other order is a stable radix sort away.
	fresh := make([]uint32, len(b.order))
	for i, k := range b.order {
		fresh[i] = uint32(start) + k
	}
	switch {
	case t.sort.By == Hostname:
		keys := make([]nameKey, len(b.order))
		for i, k := range b.order {
			keys[i] = b.rows[k].name
		}
		if t.sort.Desc {
			slices.Reverse(fresh)
			slices.Reverse(keys)
		}
		run, batch := keyedRun{t.fresh, t.freshKeys}, keyedRun{fresh, keys}
		if t.freshShared {
			run = mergeKeyed(&t.s.r, run, batch, t.sort.Desc)
		} else {
			run = mergeInPlaceKeyed(&t.s.r, run, batch, t.sort.Desc)
		}
		t.fresh, t.freshKeys = run.rows, run.keys
	default:
		fresh, _ = orderBy(context.Background(), t.ord, fresh)
		if t.freshShared {
			t.fresh = merge(t.fresh, fresh, t.ord.cmp)
		} else {
			t.fresh = mergeInPlace(t.fresh, fresh, t.ord.cmp)
		}
	}
	t.freshShared = false
	t.freshID++
	switch {
	case t.m == nil && t.ndead == 0:
		t.freshView = t.fresh
	case t.m == nil:
		// fresh holds rows Upsert or Remove killed since the last compaction. (The view
		// cannot take the batch's rows by a merge: it may share fresh's array, which the
		// merge above has just rewritten.)
		t.freshView = t.liveRows(t.fresh)
	default:
		t.m.extend(&t.s.r)
		t.match = t.match.grow(t.s.r.n - 1)
		kept := fresh[:0]
		for _, row := range fresh {
			if t.m.matchOne(&t.s.r, int(row)) {
				t.match.set(int(row))
				kept = append(kept, row)
			}
		}
		t.freshView = mergeInPlace(t.freshView, kept, t.ord.cmp)
	}
	return t.Maintain()
}

func (t *Table) noteRow(row Row) {
	n := t.s.r.devnum(int(row))
	if n&oddDev != 0 {
		i := int(n &^ oddDev)
		t.oddRowOf = grow32(t.oddRowOf, i)
		t.oddRowOf[i] = uint32(row) + 1
		return
	}
	t.rowOf = grow32(t.rowOf, int(n))
	t.rowOf[n] = uint32(row) + 1
}

func grow32(s []uint32, i int) []uint32 {
	if i < len(s) {
		return s
	}
	return append(s, make([]uint32, i+1-len(s))...)
}

// minFresh is the size fresh may reach before a compaction, whatever the size of base.
const minFresh = 1 << 14

// Maintain returns a compaction job when fresh has outgrown a quarter of base and no order
// job is already running (the one running will absorb fresh anyway). Base grows
// geometrically, by a quarter at each compaction, so all compactions together copy each
// row about five times: linear. (A smaller share would keep fresh smaller, but copy rows
// more often; a larger one would make every Append shift more of fresh.)
func (t *Table) Maintain() *Job {
	if t.order.active || len(t.fresh) <= max(minFresh, t.nb/4) {
		return nil
	}
	return t.orderJob(t.sort)
}

// Reset drops every row, for a reload: marks stay (they are kept by device and come back
// on the hosts as they load again), and so do the sort, the filter and the interning
// tables. Jobs still running are stale.
func (t *Table) Reset() {
	t.s.clearRows()
	t.dead, t.ndead = nil, 0
	clear(t.rowOf)
	clear(t.oddRowOf)
	if t.order.active {
		t.sort = t.order.sort
	}
	t.ord = newOrderer(&t.s.r, t.sort, t.labels)
	t.base, t.baseKeys, t.fresh, t.freshKeys, t.host, t.hostKeys, t.nb = nil, nil, nil, nil, nil, nil, 0
	t.freshID++
	t.baseID++
	t.order = pending{gen: nextGen()}
	if t.filter.active {
		t.words = t.filter.words
	}
	t.filter = pending{gen: nextGen()}
	t.setMatcher(t.words)
	t.cache = nil
	t.refreshViews()
}

// Clear is Reset for another set of hosts (another tenant): the marks and the interning
// tables go too, and a new Ingest starts.
func (t *Table) Clear() {
	t.s.in = newIngest()
	t.marks, t.oddMarks, t.rowOf, t.oddRowOf = nil, nil, nil, nil
	t.Reset()
}

// SetTenants sets the tenant labels (CID → name) the tenant column sorts by and the filter
// searches. It returns the jobs that bring the order and the view up to date with them.
func (t *Table) SetTenants(labels map[string]string) []*Job {
	t.labels = maps.Clone(labels)
	if t.labels == nil {
		t.labels = map[string]string{}
	}
	t.cache = nil
	var jobs []*Job
	if s := t.Sorting(); s.By == Tenant {
		jobs = append(jobs, t.orderJob(s))
	}
	if len(t.words) > 0 || t.filter.active {
		jobs = append(jobs, t.filterJob(t.typed))
	}
	return jobs
}

// Sort is the order in force; Sorting the one asked for last (in force once its job is
// installed).
func (t *Table) Sort() Sort { return t.sort }

func (t *Table) Sorting() Sort {
	if t.order.active {
		return t.order.sort
	}
	return t.sort
}

// SetSort asks for another order and returns the job computing it. Until the job's result
// is installed the view keeps the order in force.
func (t *Table) SetSort(s Sort) *Job { return t.orderJob(s) }

// Filter is the filter as last typed.
func (t *Table) Filter() string { return t.typed }

// Filtered reports whether a filter is in force.
func (t *Table) Filtered() bool { return t.m != nil }

// SetFilter asks for another filter and returns the job computing it, or nil when there is
// nothing to compute (the same words, or no words: then the view is already updated).
func (t *Table) SetFilter(text string) *Job {
	t.typed = text
	words := filterWords(text)
	if slices.Equal(words, t.words) || len(words) == 0 {
		t.filter = pending{gen: nextGen()} // whatever runs is not wanted any more
		if !slices.Equal(words, t.words) {
			t.words = nil
			t.setMatcher(nil)
			t.refreshViews()
		}
		return nil
	}
	return t.filterJob(text)
}

// Busy reports which kinds of job are running: the pane shows "sorting…"/"filtering…".
func (t *Table) Busy() (sorting, filtering bool) { return t.order.active, t.filter.active }

func (t *Table) setMatcher(words []string) {
	t.matchID++
	if len(words) == 0 {
		t.m, t.match = nil, nil
		return
	}
	t.m = newMatcher(words, t.labels)
	t.m.extend(&t.s.r)
	t.match = newBitset(t.s.r.n)
	for row := range t.s.r.n {
		if t.m.matchOne(&t.s.r, row) {
			t.match.set(row)
		}
	}
}

// refreshViews derives both views from the order and the filter's row set.
func (t *Table) refreshViews() {
	t.baseView = t.liveRows(t.filterRows(t.base))
	t.freshView = t.liveRows(t.filterRows(t.fresh))
}

func (t *Table) filterRows(rows []uint32) []uint32 {
	if t.m == nil {
		return rows
	}
	return keepRows(rows, t.match)
}

func keepRows(rows []uint32, set bitset) []uint32 {
	out := make([]uint32, 0, len(rows)/2)
	for _, r := range rows {
		if set.has(int(r)) {
			out = append(out, r)
		}
	}
	return slices.Clip(out)
}

// Host returns a row's list fields as a falcon.Host (the full record is the host detail's
// to fetch). Its Tags and Groups are shared: read-only.
func (t *Table) Host(row Row) falcon.Host { return t.s.r.host(int(row)) }

// Per-field reads for drawing cells without building a whole falcon.Host.

func (t *Table) Hostname(row Row) string { return t.s.r.textRaw(textHostname, int(row)) }
func (t *Table) DeviceID(row Row) string { return t.s.r.deviceID(t.s.r.devnum(int(row))) }
func (t *Table) CID(row Row) string      { return t.s.r.symVal(symCID, int(row)) }
func (t *Table) Platform(row Row) string { return t.s.r.symVal(symPlatform, int(row)) }
func (t *Table) OSName(row Row) string   { return t.s.r.dicts[dictOS].vals[t.s.r.osSym(int(row))] }
func (t *Table) Sensor(row Row) string   { return t.s.r.symVal(symSensor, int(row)) }
func (t *Table) LocalIP(row Row) string  { return t.s.r.ipRaw(ipLocal, int(row)) }
func (t *Table) GroupCount(row Row) int  { return len(t.s.r.setList(setGroups, int(row))) }
func (t *Table) Serial(row Row) string   { return t.s.r.symVal(symSerial, int(row)) }
func (t *Table) MAC(row Row) string      { return t.s.r.symVal(symMAC, int(row)) }
func (t *Table) ExternalIP(row Row) string {
	return t.s.r.symVal(symExternalIP, int(row))
}
func (t *Table) Domain(row Row) string      { return t.s.r.symVal(symDomain, int(row)) }
func (t *Table) Site(row Row) string        { return t.s.r.symVal(symSite, int(row)) }
func (t *Table) Containment(row Row) string { return t.s.r.symVal(symContainment, int(row)) }
func (t *Table) SensorPolicy(row Row) string {
	return t.s.r.symVal(symSensorPolicy, int(row))
}
func (t *Table) OU(row Row) []string   { return t.s.r.setList(setOU, int(row)) }
func (t *Table) Tags(row Row) []string { return t.s.r.setList(setTags, int(row)) }
func (t *Table) FirstSeen(row Row) time.Time {
	return unpackTime(t.s.r.time[timeFirstSeen].at(int(row)))
}
func (t *Table) Groups(row Row) []string { return t.s.r.setList(setGroups, int(row)) }
func (t *Table) LastSeen(row Row) time.Time {
	return unpackTime(t.s.r.time[timeLastSeen].at(int(row)))
}

// State is the row's state at now (falcon.Host.State).
func (t *Table) State(row Row, now time.Time) falcon.HostState {
	return t.s.r.state(int(row), packTime(now))
}
