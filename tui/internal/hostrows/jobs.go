package hostrows

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
)

// A Job is a sort, a compaction or a filter, computed off the UI goroutine. It holds a
// snapshot — the rows view at the time it was made, the order and the filter set it starts
// from — and nothing it reads is ever written again, so Run needs no lock and may run in a
// tea.Cmd. Rows appended while it runs are not in its result; Install adds them.
//
// Every job handed out must be run and its Result given to Install, even a cancelled one:
// until then the table counts the job as running (Busy) and hands out no compaction.
type Job struct {
	filter bool
	gen    int
	r      rows
	labels map[string]string

	// order jobs
	sort      Sort
	compact   bool     // same sort as base: merge base and fresh instead of sorting
	base      []uint32 // the order in force…
	baseKeys  []nameKey
	fresh     []uint32
	freshKeys []nameKey
	host      []uint32 // host-name order of rows [0, len(host)), from an earlier job
	hostKeys  []nameKey
	match     bitset // the filter's row set (a copy), to compute the view with; nil without
	matchID   int

	// filter jobs
	words   []string
	cache   []*wordBits
	baseID  int
	freshID int
}

// Result is what a Job computed; hand it to Table.Install on the UI goroutine.
type Result struct {
	job  *Job
	err  error
	took time.Duration

	base     []uint32
	baseKeys []nameKey // when the order is by host name
	host     []uint32
	hostKeys []nameKey
	baseView []uint32 // nil: not computed (no filter, or computed against another set)
	// freshView is a filter job's view of fresh as it read it: installed as is when fresh
	// has not changed since, which spares the UI goroutine a pass over fresh (up to a
	// quarter of the rows).
	freshView []uint32
	// room for fresh until the next compaction, allocated here rather than grown (copied,
	// and its memory faulted in at once) on the UI goroutine
	freshBuf    []uint32
	freshKeyBuf []nameKey
	match       bitset
	m           *matcher
	learnt      []*wordBits
}

// Err is the job's error: only its context's (cancelled or timed out).
func (r *Result) Err() error { return r.err }

// Took is how long Run took.
func (r *Result) Took() time.Duration { return r.took }

// Rows is the number of rows the job covered.
func (j *Job) Rows() int { return j.r.n }

func nextGen() int { return generation.Next() }

func (t *Table) orderJob(s Sort) *Job {
	t.order = pending{gen: nextGen(), active: true, sort: s}
	j := &Job{
		gen: t.order.gen, r: t.s.r, labels: t.labels, sort: s,
		// Merging fresh into base only works for the order both are in: the same sort, and
		// (for the tenant column) the same labels.
		compact: s == t.sort && sameLabels(t.ord.labels, t.labels) && len(t.fresh) > 0 && t.nb > 0,
		base:    t.base, baseKeys: t.baseKeys, fresh: t.fresh, host: t.host, hostKeys: t.hostKeys,
		matchID: t.matchID,
	}
	if t.m != nil {
		j.match = slices.Clone(t.match)
	}
	t.freshShared = true
	return j
}

func (t *Table) filterJob(text string) *Job {
	words := filterWords(text)
	t.filter = pending{gen: nextGen(), active: true, words: words}
	// The job reads fresh: the next Append must not merge into it in place.
	t.freshShared = true
	return &Job{
		filter: true, gen: t.filter.gen, r: t.s.r, labels: t.labels,
		words: words, cache: t.cache, base: t.base, baseID: t.baseID,
		fresh: t.fresh, freshID: t.freshID,
	}
}

// Run computes the job. It never touches the Table and may run on any goroutine; it stops
// early, with the context's error, when ctx is done.
func (j *Job) Run(ctx context.Context) *Result {
	start := time.Now()
	res := &Result{job: j}
	if j.filter {
		res.err = j.runFilter(ctx, res)
	} else {
		res.err = j.runOrder(ctx, res)
	}
	res.took = time.Since(start)
	return res
}

func (j *Job) runOrder(ctx context.Context, res *Result) error {
	r := &j.r
	o := newOrderer(r, j.sort, j.labels)
	byName := j.sort.By == Hostname
	switch {
	case j.compact && byName && j.baseKeys != nil:
		fresh := keyedRun{j.fresh, j.freshKeys}
		if len(fresh.keys) != len(fresh.rows) {
			fresh.keys = keysOf(r, j.fresh)
		}
		run := mergeKeyed(r, keyedRun{j.base, j.baseKeys}, fresh, j.sort.Desc)
		res.base, res.baseKeys = run.rows, run.keys
	case j.compact:
		res.base = merge(j.base, j.fresh, o.cmp)
	default:
		host, err := j.hostOrder(ctx)
		if err != nil {
			return err
		}
		res.host, res.hostKeys = host.rows, host.keys
		if res.base, err = orderBy(ctx, o, host.rows); err != nil {
			return err
		}
		if byName {
			res.baseKeys = host.keys
			if j.sort.Desc {
				res.baseKeys = slices.Clone(host.keys)
				slices.Reverse(res.baseKeys)
			}
		}
	}
	if byName && !j.sort.Desc {
		res.host, res.hostKeys = res.base, res.baseKeys
	}
	if j.match != nil {
		res.baseView = keepRows(res.base, j.match)
	}
	room := max(minFresh, r.n/4) + 4*minFresh
	res.freshBuf = make([]uint32, 0, room)
	if byName {
		res.freshKeyBuf = make([]nameKey, 0, room)
	}
	return ctx.Err()
}

// hostOrder is the host-name order of every row of the snapshot: the cached one with the
// rows since sorted and merged in, or a full sort.
func (j *Job) hostOrder(ctx context.Context) (keyedRun, error) {
	r := &j.r
	if len(j.host) == 0 || len(j.host) > r.n || len(j.hostKeys) != len(j.host) {
		rows, keys, err := hostOrder(ctx, r, 0, r.n)
		return keyedRun{rows, keys}, err
	}
	cached := keyedRun{j.host, j.hostKeys}
	if len(j.host) == r.n {
		return cached, nil
	}
	rows, keys, err := hostOrder(ctx, r, len(j.host), r.n)
	if err != nil {
		return keyedRun{}, err
	}
	return mergeKeyed(r, cached, keyedRun{rows, keys}, false), ctx.Err()
}

func (j *Job) runFilter(ctx context.Context, res *Result) error {
	m := newMatcher(j.words, j.labels)
	m.extend(&j.r)
	match, learnt, err := matchRows(ctx, &j.r, j.r.n, m, j.cache)
	if err != nil {
		return err
	}
	res.m, res.match, res.learnt = m, match, learnt
	res.baseView = keepRows(j.base, match)
	res.freshView = keepRows(j.fresh, match)
	return ctx.Err()
}

// Do runs a job on the calling goroutine and installs it: for small tables, where a job
// takes less than a frame, and for tests.
func (t *Table) Do(ctx context.Context, j *Job) bool {
	if j == nil {
		return false
	}
	return t.Install(j.Run(ctx))
}

// Install puts a job's result in force, if the job is still the latest of its kind (a
// newer sort, filter or a Reset make older results stale; they are dropped and Install
// returns false). Rows appended while the job ran are sorted and filtered in here.
func (t *Table) Install(res *Result) bool {
	if res == nil {
		return false
	}
	j := res.job
	p := &t.order
	if j.filter {
		p = &t.filter
	}
	if !p.active || j.gen != p.gen {
		return false
	}
	p.active = false
	if res.err != nil {
		return false
	}
	if j.filter {
		t.installFilter(res)
	} else {
		t.installOrder(res)
	}
	return true
}

func (t *Table) installOrder(res *Result) {
	j := res.job
	n := j.r.n
	sameSort := j.sort == t.sort && sameLabels(t.ord.labels, j.labels)
	t.sort = j.sort
	if !sameSort {
		t.ord = newOrderer(&t.s.r, j.sort, j.labels)
	}
	t.base, t.baseKeys, t.nb = res.base, res.baseKeys, n
	t.baseID++
	if res.host != nil {
		t.host, t.hostKeys = res.host, res.hostKeys
	}
	// The rows appended while the job ran: in fresh already when the order is the same,
	// else sorted here (they are few: what arrived during one job).
	fresh, keys := res.freshBuf, res.freshKeyBuf
	if sameSort {
		keyed := len(t.freshKeys) == len(t.fresh) && j.sort.By == Hostname
		for i, r := range t.fresh {
			if int(r) >= n {
				fresh = append(fresh, r)
				if keyed {
					keys = append(keys, t.freshKeys[i])
				}
			}
		}
	} else {
		host, _, _ := hostOrder(context.Background(), &t.s.r, n, t.s.r.n)
		sorted, _ := orderBy(context.Background(), t.ord, host)
		fresh = append(fresh, sorted...)
	}
	if j.sort.By == Hostname && len(keys) != len(fresh) {
		keys = append(keys[:0], keysOf(&t.s.r, fresh)...)
	}
	if j.sort.By != Hostname {
		keys = nil
	}
	t.fresh, t.freshKeys, t.freshShared = fresh, keys, false
	t.freshID++
	defer t.dropDead() // rows replaced or removed while the job ran
	if t.m == nil {
		t.baseView, t.freshView = t.base, t.fresh
		return
	}
	if res.baseView != nil && j.matchID == t.matchID {
		t.baseView = res.baseView
	} else {
		t.baseView = keepRows(t.base, t.match)
	}
	t.freshView = keepRows(t.fresh, t.match)
}

func sameLabels(a, b map[string]string) bool {
	return len(a) == len(b) && maps.Equal(a, b)
}

func (t *Table) installFilter(res *Result) {
	j := res.job
	n := j.r.n
	t.words = j.words
	t.matchID++
	t.m = res.m
	t.m.extend(&t.s.r)
	t.match = res.match.grow(max(t.s.r.n-1, 0))
	for r := n; r < t.s.r.n; r++ {
		if t.m.matchOne(&t.s.r, r) {
			t.match.set(r)
		}
	}
	if j.baseID == t.baseID {
		t.baseView = res.baseView
	} else {
		t.baseView = keepRows(t.base, t.match)
	}
	if j.freshID == t.freshID {
		t.freshView = res.freshView // fresh unchanged: no row appended since, either
	} else {
		t.freshView = keepRows(t.fresh, t.match)
	}
	t.learn(res.learnt)
	t.dropDead() // rows replaced or removed while the job ran
}

// cachedWords is how many word sets the table keeps for the next keystrokes (each is a bit
// per row: 122 KiB at a million rows).
const cachedWords = 16

func (t *Table) learn(learnt []*wordBits) {
	cache := make([]*wordBits, 0, cachedWords)
	cache = append(cache, learnt...)
	for _, c := range t.cache {
		if len(cache) == cachedWords {
			break
		}
		if !slices.ContainsFunc(cache, func(x *wordBits) bool { return x.word == c.word }) {
			cache = append(cache, c)
		}
	}
	t.cache = cache
}
