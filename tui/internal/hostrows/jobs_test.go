package hostrows

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// TestAppendWhileJobRuns runs sort and filter jobs on other goroutines while batches keep
// arriving on this one (go test -race checks that they share nothing mutable); the rows
// that came in meanwhile must be in the installed result.
func TestAppendWhileJobRuns(t *testing.T) {
	// Heavy and independent of the other tests: let it use the other core.
	t.Parallel()
	e := newFakeEstate(4, 3)
	o := &oracle{tenants: e.labels, now: fixedNow}
	tb := New()
	tb.SetTenants(e.labels)
	var compaction *Job
	add := func(n int) {
		b := e.hosts(n)
		o.add(b)
		// Compaction jobs are not run until the end (the next sort or filter supersedes
		// them): fresh must cope alone meanwhile.
		if j := tb.AppendHosts(b); j != nil {
			compaction = j
		}
	}
	add(30_000)
	steps := []func() *Job{
		func() *Job {
			o.sortBy, o.desc = Sensor, true
			o.resort()
			return tb.SetSort(Sort{By: Sensor, Desc: true, Now: fixedNow})
		},
		func() *Job { o.setFilter("prod 1"); return tb.SetFilter("prod 1") },
		func() *Job { o.setFilter("prod 10"); return tb.SetFilter("prod 10") },
		func() *Job {
			o.sortBy, o.desc = LocalIP, false
			o.resort()
			return tb.SetSort(Sort{By: LocalIP, Now: fixedNow})
		},
		func() *Job { o.setFilter("customer 002"); return tb.SetFilter("customer 002") },
		func() *Job {
			o.sortBy = Hostname
			o.resort()
			return tb.SetSort(Sort{By: Hostname, Now: fixedNow})
		},
	}
	for i, step := range steps {
		job := step()
		done := make(chan *Result)
		go func() { done <- job.Run(context.Background()) }()
		for range 3 {
			add(2_000)
		}
		res := <-done
		if !tb.Install(res) {
			t.Fatalf("step %d: the latest job's result was refused", i)
		}
		checkView(t, tb, o, fmt.Sprintf("step %d", i))
	}
	// a compaction running while rows keep coming
	compaction = nil
	add(20_000)
	job := compaction
	if job == nil {
		t.Fatalf("no compaction offered with fresh at %d rows over %d", len(tb.fresh), tb.nb)
	}
	done := make(chan *Result)
	go func() { done <- job.Run(context.Background()) }()
	add(3_000)
	if !tb.Install(<-done) {
		t.Fatal("compaction refused")
	}
	if tb.nb < 80_000 || len(tb.fresh) != 3_000 {
		t.Fatalf("after compaction base has %d rows and fresh %d", tb.nb, len(tb.fresh))
	}
	checkView(t, tb, o, "after compaction")
}

func TestStaleResultsAreDropped(t *testing.T) {
	e := newFakeEstate(2, 1)
	tb := New()
	tb.AppendHosts(e.hosts(5_000))
	ctx := context.Background()

	older := tb.SetSort(Sort{By: OS, Now: fixedNow})
	newer := tb.SetSort(Sort{By: Sensor, Now: fixedNow})
	if tb.Install(older.Run(ctx)) {
		t.Fatal("a superseded sort was installed")
	}
	if s, _ := tb.Busy(); !s {
		t.Fatal("not busy while the newer sort runs")
	}
	if !tb.Install(newer.Run(ctx)) || tb.Sort().By != Sensor {
		t.Fatal("the newer sort was not installed")
	}
	if tb.Install(newer.Run(ctx)) {
		t.Fatal("a result was installed twice")
	}

	f1, f2 := tb.SetFilter("web"), tb.SetFilter("db")
	if tb.Install(f1.Run(ctx)) {
		t.Fatal("a superseded filter was installed")
	}
	if !tb.Install(f2.Run(ctx)) {
		t.Fatal("the newer filter was refused")
	}

	// a Reset makes every running job stale
	s, f := tb.SetSort(Sort{By: Platform, Now: fixedNow}), tb.SetFilter("win")
	tb.Reset()
	if tb.Install(s.Run(ctx)) || tb.Install(f.Run(ctx)) {
		t.Fatal("a job from before Reset was installed")
	}
	if tb.Sort().By != Platform || tb.Filter() != "win" || !tb.Filtered() {
		t.Fatalf("Reset lost what was asked for: sort %v filter %q", tb.Sort().By, tb.Filter())
	}

	// clearing the filter needs no job and drops the running one
	f = tb.SetFilter("linux")
	if tb.SetFilter("") != nil || tb.Filtered() {
		t.Fatal("clearing the filter should be immediate")
	}
	if tb.Install(f.Run(ctx)) {
		t.Fatal("a filter typed before clearing was installed")
	}
	if _, busy := tb.Busy(); busy {
		t.Fatal("still filtering after the filter was cleared")
	}
}

func TestCancelledJob(t *testing.T) {
	e := newFakeEstate(2, 1)
	tb := New()
	tb.AppendHosts(e.hosts(50_000))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := tb.SetSort(Sort{By: LastSeen, Now: fixedNow}).Run(ctx)
	if res.Err() == nil {
		t.Fatal("a cancelled job reported no error")
	}
	if tb.Install(res) || tb.Sort().By != Hostname {
		t.Fatal("a cancelled job changed the order")
	}
	if s, _ := tb.Busy(); s {
		t.Fatal("still sorting after the job came back cancelled")
	}
	res = tb.SetFilter("prod").Run(ctx)
	if res.Err() == nil || tb.Install(res) || tb.Filtered() {
		t.Fatal("a cancelled filter was installed")
	}
}

func TestSetTenantsReordersAndRefilters(t *testing.T) {
	e := newFakeEstate(5, 2)
	hosts := e.hosts(3_000)
	tb := New()
	tb.AppendHosts(hosts)
	tb.Do(context.Background(), tb.SetSort(Sort{By: Tenant, Now: fixedNow}))
	tb.Do(context.Background(), tb.SetFilter("customer 00"))
	if tb.Shown() != 0 {
		t.Fatalf("%d rows match a tenant name before the names are known", tb.Shown())
	}
	jobs := tb.SetTenants(e.labels)
	if len(jobs) != 2 {
		t.Fatalf("SetTenants returned %d jobs, want a sort and a filter", len(jobs))
	}
	for _, j := range jobs {
		tb.Do(context.Background(), j)
	}
	o := &oracle{tenants: e.labels, sortBy: Tenant, now: fixedNow}
	o.add(hosts)
	o.setFilter("customer 00")
	checkView(t, tb, o, "after SetTenants")
}

// TestSetTenantsAfterCompaction: with base and fresh both holding rows, new labels must
// give a full re-sort, not a merge of two runs sorted under the old labels.
func TestSetTenantsAfterCompaction(t *testing.T) {
	e := newFakeEstate(30, 6)
	old := map[string]string{}
	for cid := range e.labels {
		old[cid] = "x" + cid // another order entirely
	}
	tb := New()
	tb.SetTenants(old)
	tb.Do(context.Background(), tb.SetSort(Sort{By: Tenant, Now: fixedNow}))
	o := &oracle{tenants: e.labels, sortBy: Tenant, now: fixedNow}
	for range 3 {
		b := e.hosts(9_000)
		o.add(b)
		if j := tb.AppendHosts(b); j != nil {
			tb.Do(context.Background(), j)
		}
	}
	b := e.hosts(2_000)
	o.add(b)
	tb.AppendHosts(b)
	if tb.nb == 0 || len(tb.fresh) == 0 {
		t.Fatalf("want rows in base and fresh, have %d and %d", tb.nb, len(tb.fresh))
	}
	for _, j := range tb.SetTenants(e.labels) {
		tb.Do(context.Background(), j)
	}
	checkView(t, tb, o, "after new labels")
}

func TestMarks(t *testing.T) {
	e := newFakeEstate(3, 5)
	hosts := e.hosts(5_000)
	tb := New()
	tb.AppendHosts(hosts)
	ctx := context.Background()

	r := tb.At(10)
	if !tb.ToggleMark(r) || !tb.Marked(r) || tb.MarkCount() != 1 {
		t.Fatal("toggle did not mark")
	}
	if tb.ToggleMark(r) || tb.Marked(r) || tb.MarkCount() != 0 {
		t.Fatal("second toggle did not unmark")
	}

	tb.Do(ctx, tb.SetFilter("prod"))
	shown := tb.Shown()
	if got := tb.MarkAll(); got != shown {
		t.Fatalf("MarkAll over a %d-row view marks %d hosts", shown, got)
	}
	for p := range tb.Shown() {
		if !tb.Marked(tb.At(p)) {
			t.Fatalf("row at %d not marked", p)
		}
	}
	tb.SetFilter("")
	unmarked := 0
	for p := range tb.Shown() {
		if !tb.Marked(tb.At(p)) {
			unmarked++
		}
	}
	if unmarked != tb.Len()-shown {
		t.Fatalf("%d rows unmarked, want %d", unmarked, tb.Len()-shown)
	}
	// MarkedRows: the marked rows in the order in force
	marked := tb.MarkedRows()
	var want []Row
	for p := range tb.Shown() {
		if r := tb.At(p); tb.Marked(r) {
			want = append(want, r)
		}
	}
	if !slices.Equal(marked, want) {
		t.Fatal("MarkedRows is not the marked rows in table order")
	}

	// a reload keeps the marks, by device
	ids := map[string]bool{}
	for _, r := range marked {
		ids[tb.DeviceID(r)] = true
	}
	tb.Reset()
	if tb.MarkCount() != len(ids) {
		t.Fatalf("after Reset %d marks, want %d", tb.MarkCount(), len(ids))
	}
	tb.AppendHosts(hosts[2_500:])
	tb.AppendHosts(hosts[:2_500])
	for p := range tb.Shown() {
		r := tb.At(p)
		if tb.Marked(r) != ids[tb.DeviceID(r)] {
			t.Fatalf("after reload %s marked=%v", tb.DeviceID(r), tb.Marked(r))
		}
	}
	if n := tb.ClearMarks(); n != len(ids) || tb.MarkCount() != 0 {
		t.Fatalf("ClearMarks cleared %d, %d left", n, tb.MarkCount())
	}
	tb.MarkAll()
	if tb.MarkCount() != tb.Len() {
		t.Fatalf("MarkAll without a filter: %d of %d", tb.MarkCount(), tb.Len())
	}

	// the same device loaded twice is marked twice, as in the pane
	dup := New()
	h := hosts[0]
	dup.AppendHosts([]falcon.Host{h, h, hosts[1]})
	dup.ToggleMark(0)
	if !dup.Marked(1) || dup.Marked(2) || dup.MarkCount() != 1 {
		t.Fatal("marks are not by device")
	}
}

// TestRandomOperations drives the table and the pane's data with the same random sequence
// of appends, sorts, filters and reloads — jobs installed late, out of turn or never — and
// compares the views after every step.
func TestRandomOperations(t *testing.T) {
	// Heavy and independent of the other tests: let it use the other core.
	t.Parallel()
	tenants, labels := nastyLabels()
	filters := []string{"", "web", "web-0", "1", "10.0", "acme", "pci", "win", "é", "a b", "7.1", "zz"}
	for seed := range uint64(12) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 42))
			hosts := nastyHosts(6000, seed+100, tenants)
			fake := newFakeEstate(3, seed)
			o := &oracle{tenants: labels, now: fixedNow}
			tb := New()
			tb.SetTenants(labels)
			var held []*Result
			ctx := context.Background()
			for step := range 120 {
				switch x := r.IntN(10); {
				case x < 4 && len(hosts) > 0:
					n := min(len(hosts), 1+r.IntN(600))
					b := hosts[:n]
					if r.IntN(3) == 0 {
						b = fake.hosts(n)
					} else {
						hosts = hosts[n:]
					}
					o.add(b)
					if j := tb.AppendHosts(b); j != nil {
						held = append(held, j.Run(ctx))
					}
				case x < 6:
					s := Sort{By: allColumns[r.IntN(len(allColumns))], Desc: r.IntN(2) == 0, Now: fixedNow}
					o.sortBy, o.desc = s.By, s.Desc
					o.resort()
					held = append(held, tb.SetSort(s).Run(ctx))
				case x < 8:
					f := filters[r.IntN(len(filters))]
					o.setFilter(f)
					if j := tb.SetFilter(f); j != nil {
						held = append(held, j.Run(ctx))
					}
				case x < 9 && r.IntN(4) == 0:
					o.hosts, o.hay, o.lname, o.order, o.view = nil, nil, nil, nil, nil
					tb.Reset()
				}
				// Install some of what finished, in any order: stale ones must be refused.
				held = installSome(tb, held, r)
				if s, f := tb.Busy(); !s && !f {
					checkView(t, tb, o, fmt.Sprintf("step %d", step))
				}
			}
			installAll(ctx, tb, held)
			checkView(t, tb, o, "at the end")
		})
	}
}

// TestPrepareElsewhere prepares batches on other goroutines, several at once, while the
// table appends and jobs run (go test -race), and checks the result against the pane.
func TestPrepareElsewhere(t *testing.T) {
	e := newFakeEstate(4, 8)
	var batches [][]falcon.Host
	for range 12 {
		batches = append(batches, e.hosts(1_500))
	}
	tb := New()
	tb.SetTenants(e.labels)
	in := tb.Ingest()
	prepared := make([]chan *Batch, len(batches))
	for i, b := range batches {
		prepared[i] = make(chan *Batch, 1)
		go func() { prepared[i] <- in.Prepare(b) }()
	}
	o := &oracle{tenants: e.labels, now: fixedNow}
	job := tb.SetFilter("prod")
	done := make(chan *Result)
	go func() { done <- job.Run(context.Background()) }()
	for i, ch := range prepared {
		o.add(batches[i])
		if j := tb.Append(<-ch); j != nil {
			tb.Do(context.Background(), j)
		}
	}
	tb.Install(<-done)
	o.setFilter("prod")
	checkView(t, tb, o, "prepared elsewhere")
}

// TestClearPreparesAgain: a batch prepared before Clear refers to the old interning tables;
// Append prepares it again.
func TestClearPreparesAgain(t *testing.T) {
	e := newFakeEstate(2, 4)
	tb := New()
	tb.AppendHosts(e.hosts(1_000))
	tb.ToggleMark(0)
	hosts := e.hosts(1_000)
	stale := tb.Ingest().Prepare(hosts)
	tb.Clear()
	if tb.MarkCount() != 0 || tb.Len() != 0 {
		t.Fatal("Clear kept marks or rows")
	}
	tb.Append(stale)
	for i, h := range hosts {
		if got := tb.Host(Row(i)); !hostEqual(got, listFields(h)) {
			t.Fatalf("row %d after Clear: %+v", i, got)
		}
	}
}

// TestReloadReusesNames: reloading the same hosts finds every value interned already and
// writes no host name again.
func TestReloadReusesNames(t *testing.T) {
	hosts := newFakeEstate(2, 4).hosts(5_000)
	tb := New()
	tb.AppendHosts(hosts)
	in := tb.Ingest()
	arena, devices := in.texts[textHostname].size, in.hexCount
	for range 3 {
		tb.Reset()
		tb.AppendHosts(hosts)
	}
	if in.texts[textHostname].size != arena || in.hexCount != devices {
		t.Fatalf("reloads grew the tables: arena %d → %d bytes, devices %d → %d",
			arena, in.texts[textHostname].size, devices, in.hexCount)
	}
}

// installSome installs about half of held, in random order (stale results must be refused),
// and returns the rest.
func installSome(tb *Table, held []*Result, r *rand.Rand) []*Result {
	r.Shuffle(len(held), func(i, j int) { held[i], held[j] = held[j], held[i] })
	keep := held[:0]
	for _, res := range held {
		if r.IntN(2) == 0 {
			tb.Install(res)
		} else {
			keep = append(keep, res)
		}
	}
	return keep
}

// installAll installs what is held, then runs whatever is still asked for: it must come
// through.
func installAll(ctx context.Context, tb *Table, held []*Result) {
	for _, res := range held {
		tb.Install(res)
	}
	if s, f := tb.Busy(); s || f {
		if s {
			tb.Do(ctx, tb.SetSort(tb.Sorting()))
		}
		if f {
			tb.Do(ctx, tb.filterJob(tb.Filter()))
		}
	}
}
