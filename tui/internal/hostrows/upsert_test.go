package hostrows

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// liveModel follows which rows are live as the table should: rows are numbered in the
// order they were added (as the oracle and the table number them), a replaced or removed
// host's row is dead.
type liveModel struct {
	rowOf map[string]int // device id → its live row
	dead  map[int]bool
	devOf []string // row → device id
}

func newLiveModel() *liveModel { return &liveModel{rowOf: map[string]int{}, dead: map[int]bool{}} }

func (l *liveModel) add(hs []falcon.Host, replace bool) {
	for _, h := range hs {
		if old, ok := l.rowOf[h.DeviceID]; ok && replace {
			l.dead[old] = true
		}
		l.rowOf[h.DeviceID] = len(l.devOf)
		l.devOf = append(l.devOf, h.DeviceID)
	}
}

func (l *liveModel) remove(ids []string) int {
	n := 0
	for _, id := range ids {
		if row, ok := l.rowOf[id]; ok {
			l.dead[row] = true
			delete(l.rowOf, id)
			n++
		}
	}
	return n
}

// unique keeps the first host of each device id (a page of the API never repeats one).
func unique(hs []falcon.Host) []falcon.Host {
	seen := map[string]bool{}
	var out []falcon.Host
	for _, h := range hs {
		if !seen[h.DeviceID] {
			seen[h.DeviceID] = true
			out = append(out, h)
		}
	}
	return out
}

// checkLive compares the table's view with the oracle's (which knows no dead rows) less
// the dead rows, and checks Len, Position, Find and the marks against the model.
func checkLive(t *testing.T, tb *Table, o *oracle, l *liveModel, marked map[string]bool, what string) {
	t.Helper()
	var want []int
	for _, r := range o.view {
		if !l.dead[r] {
			want = append(want, r)
		}
	}
	got := engineView(tb)
	if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		i := firstDiff(got, want)
		t.Fatalf("%s: view of %d rows, want %d (first difference at %d: got %v, want %v; sort %v desc %v filter %q)", what, len(got), len(want), i,
			at(got, i, o), at(want, i, o), o.sortBy, o.desc, o.filter)
	}
	for p, r := range got {
		if tb.Position(Row(r)) != p {
			t.Fatalf("%s: Position(%d) = %d, want %d", what, r, tb.Position(Row(r)), p)
		}
	}
	for r := range l.dead {
		if tb.Position(Row(r)) != -1 {
			t.Fatalf("%s: dead row %d has position %d", what, r, tb.Position(Row(r)))
		}
	}
	if tb.Len() != len(l.rowOf) {
		t.Fatalf("%s: Len() = %d, %d hosts are live", what, tb.Len(), len(l.rowOf))
	}
	for id, row := range l.rowOf {
		if got, ok := tb.Find(id); !ok || int(got) != row {
			t.Fatalf("%s: Find(%s) = %d %v, want row %d", what, id, got, ok, row)
		}
	}
	seen := map[string]bool{}
	for _, r := range tb.MarkedRows() {
		id := tb.DeviceID(r)
		if seen[id] || l.dead[int(r)] || !marked[id] {
			t.Fatalf("%s: marked row %d (%s): twice %v, dead %v, marked %v", what, r, id, seen[id], l.dead[int(r)], marked[id])
		}
		seen[id] = true
	}
	n := 0
	for id, on := range marked {
		if _, live := l.rowOf[id]; live && on {
			n++
		}
	}
	if len(seen) != n {
		t.Fatalf("%s: %d marked rows, %d marked hosts are live", what, len(seen), n)
	}
}

func firstDiff(a, b []int) int {
	i := 0
	for i < min(len(a), len(b)) && a[i] == b[i] {
		i++
	}
	return i
}

// upsertSeeds is how many random sequences TestUpsertAndRemoveRandomly runs (400 passed
// when it was written; raise it locally when changing the engine).
var upsertSeeds = 20

// TestUpsertAndRemoveRandomly: appends, replacements, removals, sorts, filters and marks in
// random order, with jobs installed late or never, always show exactly the live rows, each
// device once, in the order and filter in force, with marks following the device.
func TestUpsertAndRemoveRandomly(t *testing.T) {
	t.Parallel()
	tenants, labels := nastyLabels()
	filters := []string{"", "web", "1", "acme", "win", "zz"}
	for seed := range uint64(upsertSeeds) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			pool := unique(nastyHosts(3000, seed+500, tenants))
			o := &oracle{tenants: labels, now: fixedNow}
			l := newLiveModel()
			marked := map[string]bool{}
			tb := New()
			tb.SetTenants(labels)
			var held []*Result
			ctx := context.Background()
			run := func(j *Job) {
				if j != nil {
					held = append(held, j.Run(ctx))
				}
			}
			for step := range 150 {
				switch x := r.IntN(12); {
				case x < 3: // new hosts, or hosts seen before changed: an upsert
					n := 1 + r.IntN(300)
					var b []falcon.Host
					for range n {
						h := pool[r.IntN(len(pool))]
						h.LastSeen = fixedNow.Add(-time.Duration(r.IntN(30*24)) * time.Hour) // it checked in again
						b = append(b, h)
					}
					b = unique(b)
					o.add(b)
					l.add(b, true)
					run(tb.Upsert(tb.Ingest().Prepare(b)))
				case x < 4 && len(l.rowOf) > 0: // removals
					var ids []string
					for _, id := range slices.Sorted(maps.Keys(l.rowOf)) { // in an order the seed decides
						if r.IntN(8) == 0 {
							ids = append(ids, id)
						}
					}
					ids = append(ids, "not-a-device")
					if got, want := tb.Remove(ids), l.remove(ids); got != want {
						t.Fatalf("step %d: Remove = %d, want %d", step, got, want)
					}
					for _, id := range ids {
						delete(marked, id) // a mark goes with its host's row
					}
				case x < 6:
					s := Sort{By: allColumns[r.IntN(len(allColumns))], Desc: r.IntN(2) == 0, Now: fixedNow}
					o.sortBy, o.desc = s.By, s.Desc
					o.resort()
					run(tb.SetSort(s))
				case x < 8:
					f := filters[r.IntN(len(filters))]
					o.setFilter(f)
					run(tb.SetFilter(f))
				case x < 9 && tb.Shown() > 0:
					row := tb.At(r.IntN(tb.Shown()))
					id := tb.DeviceID(row)
					marked[id] = tb.ToggleMark(row)
				case x < 10:
					tb.MarkAll()
					for _, row := range tb.View() {
						marked[tb.DeviceID(row)] = true
					}
				}
				held = installSome(tb, held, r)
				if s, f := tb.Busy(); !s && !f {
					checkLive(t, tb, o, l, marked, fmt.Sprintf("step %d", step))
				}
			}
			installAll(ctx, tb, held)
			checkLive(t, tb, o, l, marked, "at the end")
		})
	}
}

// BenchmarkUpsert is a refresh applied to a million-row list: 10,000 changed hosts
// replacing their rows (Upsert, in 5,000-row batches as the pane applies them), 10,000
// hosts removed (Remove), against 10,000 new hosts appended (Append), each in the UI
// goroutine's CPU time; the compaction jobs they hand out run elsewhere and are not counted.
// upsert-100-ms is a small tenant's delta (100 hosts) into the same list.
func BenchmarkUpsert(b *testing.B) {
	const n, changed = 1_000_000, 10_000
	runtime.LockOSThread() // threadCPU reads this thread's clock
	defer runtime.UnlockOSThread()
	e := newFakeEstate(20, 1)
	tb := New()
	tb.SetTenants(e.labels)
	feedTable(tb, e, n, 10_000)
	ids := make([]string, 0, n)
	for _, r := range tb.View() {
		ids = append(ids, tb.DeviceID(r))
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var upsert, appendNew, remove, few time.Duration
	for b.Loop() {
		// Changed hosts: rows of devices already listed, with new values.
		var batches, fresh []*Batch
		for range changed / 5000 {
			hs := slices.Clone(e.benchHosts(5000))
			for i := range hs {
				hs[i].DeviceID = ids[rnd.IntN(len(ids))]
			}
			batches = append(batches, tb.Ingest().Prepare(unique(hs)))
			fresh = append(fresh, tb.Ingest().Prepare(slices.Clone(e.benchHosts(5000))))
		}
		for _, bt := range batches {
			c0 := threadCPU()
			j := tb.Upsert(bt)
			upsert += threadCPU() - c0
			if j != nil {
				tb.Install(j.Run(context.Background()))
			}
		}
		for _, bt := range fresh {
			c0 := threadCPU()
			j := tb.Append(bt)
			appendNew += threadCPU() - c0
			if j != nil {
				tb.Install(j.Run(context.Background()))
			}
		}
		gone := make([]string, changed)
		for i := range gone {
			gone[i] = ids[rnd.IntN(len(ids))]
		}
		c0 := threadCPU()
		tb.Remove(gone)
		remove += threadCPU() - c0
		// A small tenant's delta: a hundred hosts changed.
		hs := slices.Clone(e.benchHosts(100))
		for i := range hs {
			hs[i].DeviceID = tb.DeviceID(tb.At(rnd.IntN(tb.Shown())))
		}
		small := tb.Ingest().Prepare(unique(hs))
		c0 = threadCPU()
		tb.Upsert(small)
		few += threadCPU() - c0
	}
	per := func(d time.Duration) float64 { return ms(d) / float64(b.N) }
	b.ReportMetric(per(upsert), "upsert-10k-ms")
	b.ReportMetric(per(few), "upsert-100-ms")
	b.ReportMetric(per(appendNew), "append-10k-ms")
	b.ReportMetric(per(remove), "remove-10k-ms")
	b.ReportMetric(0, "ns/op")
}
