package hostrows

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"testing"
	"time"
)

// Benchmarks at 1k, 100k and 1M rows (go test ./tui/internal/hostrows -run '^$' -bench .).
// Times are the engine's only: generating the fake hosts is not counted. The figures are
// in doc.go.

var benchSizes = []int{1_000, 100_000, 1_000_000}

func sizeName(n int) string {
	if n >= 1_000_000 {
		return fmt.Sprintf("%dM", n/1_000_000)
	}
	return fmt.Sprintf("%dk", n/1_000)
}

// feedStats is what feeding a table cost, in CPU time (see cpu_linux_test.go).
type feedStats struct {
	prepare, ui, maxAppend, jobs time.Duration
	maxWall                      time.Duration
	calls                        []time.Duration // each UI call's thread CPU
}

// pct is the p-th percentile of the UI calls' CPU.
func (s feedStats) pct(p int) time.Duration {
	c := slices.Clone(s.calls)
	slices.Sort(c)
	return c[min(len(c)-1, len(c)*p/100)]
}

func (s feedStats) total() time.Duration { return s.prepare + s.ui + s.jobs }

// feedTable appends n fake hosts in batches of batch rows as the pane would: Prepare in the
// stream's command, Append on the UI goroutine, every compaction job Append hands out run
// in a command. Here all on one goroutine, but timed apart.
func feedTable(tb *Table, e *fakeEstate, n, batch int) feedStats {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var st feedStats
	ctx := context.Background()
	ui := func(f func()) {
		p0, t0, w0 := processCPU(), threadCPU(), time.Now()
		f()
		st.ui += processCPU() - p0
		st.maxAppend = max(st.maxAppend, threadCPU()-t0)
		st.calls = append(st.calls, threadCPU()-t0)
		st.maxWall = max(st.maxWall, time.Since(w0))
	}
	for done := 0; done < n; done += batch {
		hosts := e.benchHosts(min(batch, n-done))
		p0 := processCPU()
		prepared := tb.Ingest().Prepare(hosts)
		st.prepare += processCPU() - p0
		var job *Job
		ui(func() { job = tb.Append(prepared) })
		if job != nil {
			p0 := processCPU()
			res := job.Run(ctx)
			st.jobs += processCPU() - p0
			ui(func() { tb.Install(res) })
		}
	}
	return st
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkAppend feeds n rows in 5,000-row batches: total cost (UI + compaction jobs),
// the slowest single Append (UI goroutine), and the live heap per row afterwards.
func BenchmarkAppend(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			var st feedStats
			var perRow float64
			for i := 0; i < b.N; i++ {
				e := newFakeEstate(20, 1)
				before := liveHeap()
				tb := New()
				tb.SetTenants(e.labels)
				st = feedTable(tb, e, n, 5_000)
				perRow = float64(liveHeap()-before) / float64(n)
				runtime.KeepAlive(tb)
			}
			b.ReportMetric(ms(st.total()), "feed-ms")
			b.ReportMetric(ms(st.prepare), "prepare-ms")
			b.ReportMetric(ms(st.ui), "ui-ms")
			b.ReportMetric(ms(st.jobs), "jobs-ms")
			b.ReportMetric(ms(st.pct(50)), "p50-append-ms")
			b.ReportMetric(ms(st.pct(99)), "p99-append-ms")
			b.ReportMetric(ms(st.maxAppend), "max-append-ms")
			b.ReportMetric(perRow, "B/row")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkFeedRatio feeds 100k and 1M rows (in 5,000- and 10,000-row batches) and reports
// how many times the 100k cost the 1M cost: the bound is 12. The two sizes are fed
// in turn, five times each; the ratio of the median feeds is reported, and that of the
// cheapest beside it (CPU time on a shared machine is noisy). Each feed starts as in a new
// process: the heap collected and its free memory handed back to the system, so that every
// feed pays for the page faults of the memory it fills (a tenth of the cost at 1M) instead
// of the smaller feed reusing what the larger one left.
func BenchmarkFeedRatio(b *testing.B) {
	for _, batch := range []int{5_000, 10_000} {
		b.Run(fmt.Sprintf("batch%dk", batch/1000), func(b *testing.B) {
			var small, large []feedStats
			for b.Loop() {
				small, large = nil, nil
				for range 5 {
					debug.FreeOSMemory()
					small = append(small, feedTable(New(), newFakeEstate(20, 1), 100_000, batch))
					debug.FreeOSMemory()
					large = append(large, feedTable(New(), newFakeEstate(20, 1), 1_000_000, batch))
				}
			}
			byTotal := func(a, b feedStats) int { return cmp.Compare(a.total(), b.total()) }
			slices.SortFunc(small, byTotal)
			slices.SortFunc(large, byTotal)
			s, l := small[len(small)/2], large[len(large)/2]
			b.ReportMetric(ms(s.total()), "100k-ms")
			b.ReportMetric(ms(l.total()), "1M-ms")
			b.ReportMetric(float64(l.total())/float64(s.total()), "ratio")
			b.ReportMetric(float64(large[0].total())/float64(small[0].total()), "ratio-min")
			b.ReportMetric(ms(l.prepare), "1M-prepare-ms")
			b.ReportMetric(ms(l.ui), "1M-ui-ms")
			b.ReportMetric(ms(l.jobs), "1M-jobs-ms")
			b.ReportMetric(ms(l.pct(50)), "1M-p50-append-ms")
			b.ReportMetric(ms(l.pct(99)), "1M-p99-append-ms")
			b.ReportMetric(ms(l.maxAppend), "1M-max-append-ms")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// benchTables keeps one loaded table per size for the benchmarks that do not change rows.
var benchTables = map[int]*Table{}

func loadedTable(n int) *Table {
	if tb, ok := benchTables[n]; ok {
		return tb
	}
	e := newFakeEstate(20, 1)
	tb := New()
	tb.SetTenants(e.labels)
	feedTable(tb, e, n, 10_000)
	if j := tb.SetSort(Sort{Now: fixedNow}); j != nil { // settle: one base, no fresh
		tb.Do(context.Background(), j)
	}
	benchTables[n] = tb
	return tb
}

// BenchmarkSort runs a sort job and installs it. "cold" sorts have no host-name order to
// start from (the first sort after a load that was not by host name); the others reuse the
// one the load left.
func BenchmarkSort(b *testing.B) {
	ctx := context.Background()
	cases := []struct {
		name string
		s    Sort
		cold bool
	}{
		{"hostname-cold", Sort{By: Hostname}, true},
		{"hostname-desc", Sort{By: Hostname, Desc: true}, false},
		{"os", Sort{By: OS}, false},
		{"os-cold", Sort{By: OS}, true},
		{"lastseen", Sort{By: LastSeen}, false},
		{"state", Sort{By: State}, false},
		{"tenant", Sort{By: Tenant}, false},
		{"localip", Sort{By: LocalIP}, false},
	}
	for _, n := range benchSizes {
		for _, c := range cases {
			b.Run(sizeName(n)+"/"+c.name, func(b *testing.B) {
				tb := loadedTable(n)
				host, hostKeys := tb.host, tb.hostKeys
				c.s.Now = fixedNow
				var install, cpu time.Duration
				runs := 0
				for b.Loop() {
					if c.cold {
						tb.host, tb.hostKeys = nil, nil
					}
					p0 := processCPU()
					res := tb.SetSort(c.s).Run(ctx)
					cpu += processCPU() - p0
					runs++
					t0 := time.Now()
					tb.Install(res)
					install = max(install, time.Since(t0))
				}
				b.ReportMetric(ms(cpu)/float64(runs), "cpu-ms")
				b.ReportMetric(ms(install), "install-ms")
				tb.Do(ctx, tb.SetSort(Sort{Now: fixedNow}))
				tb.host, tb.hostKeys = host, hostKeys
			})
		}
	}
}

// BenchmarkFilter measures a `/` keystroke: the filter job and its install.
//   - first:     the first letter typed ("a"), a scan of every row;
//   - hex:       a word that may be in device IDs ("ab"), the costliest scan;
//   - refine:    one more letter on a word typed before ("api-prod-0" → "api-prod-00");
//   - backspace: back to a word typed before;
//   - two-words: a second word after a space ("prod w").
func BenchmarkFilter(b *testing.B) {
	ctx := context.Background()
	type step struct{ from, to string }
	cases := []struct {
		name string
		step step
	}{
		{"first", step{"", "a"}},
		{"hex", step{"", "ab"}},
		{"rare", step{"", "zq"}},
		{"refine", step{"api-prod-0", "api-prod-00"}},
		{"backspace", step{"api-prod-00", "api-prod-0"}},
		{"two-words", step{"prod", "prod w"}},
	}
	for _, n := range benchSizes {
		for _, c := range cases {
			b.Run(sizeName(n)+"/"+c.name, func(b *testing.B) {
				tb := loadedTable(n)
				var install, worst, cpu time.Duration
				runs := 0
				for b.Loop() {
					b.StopTimer()
					tb.SetFilter("")
					tb.cache = nil
					// type the starting text a key at a time, as a user would
					for i := 1; i <= len(c.step.from); i++ {
						tb.Do(ctx, tb.SetFilter(c.step.from[:i]))
					}
					if c.name == "backspace" {
						tb.Do(ctx, tb.SetFilter(c.step.to))
						tb.Do(ctx, tb.SetFilter(c.step.from))
					}
					b.StartTimer()
					t0, p0 := time.Now(), processCPU()
					res := tb.SetFilter(c.step.to).Run(ctx)
					cpu += processCPU() - p0
					runs++
					t1 := time.Now()
					tb.Install(res)
					install = max(install, time.Since(t1))
					worst = max(worst, time.Since(t0))
				}
				b.ReportMetric(ms(cpu)/float64(runs), "cpu-ms")
				b.ReportMetric(ms(install), "install-ms")
				b.ReportMetric(ms(worst), "worst-ms")
				tb.SetFilter("")
				tb.cache = nil
			})
		}
	}
}

// BenchmarkMarkAll marks every host in the view, with and without a filter (UI goroutine).
func BenchmarkMarkAll(b *testing.B) {
	ctx := context.Background()
	for _, n := range benchSizes {
		for _, filter := range []string{"", "prod"} {
			name := "all"
			if filter != "" {
				name = "filtered"
			}
			b.Run(sizeName(n)+"/"+name, func(b *testing.B) {
				tb := loadedTable(n)
				if j := tb.SetFilter(filter); j != nil {
					tb.Do(ctx, j)
				}
				var cpu time.Duration
				runs := 0
				runtime.LockOSThread()
				for b.Loop() {
					tb.ClearMarks()
					t0 := threadCPU()
					tb.MarkAll()
					cpu += threadCPU() - t0
					runs++
				}
				runtime.UnlockOSThread()
				b.ReportMetric(ms(cpu)/float64(runs), "cpu-ms")
				tb.ClearMarks()
				tb.SetFilter("")
			})
		}
	}
}

// BenchmarkFrame is what a keypress costs the list: the cursor's row, a 40-row window and
// the cells of those rows, in the middle of the view.
func BenchmarkFrame(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			tb := loadedTable(n)
			// some fresh rows too, so that the window merges two runs
			tb.AppendHosts(newFakeEstate(20, 9).hosts(5_000))
			buf := make([]Row, 0, 40)
			p := tb.Shown() / 2
			b.ReportAllocs()
			for b.Loop() {
				_ = tb.At(p)
				buf = tb.Window(buf[:0], p-20, 40)
				for _, r := range buf {
					_ = tb.Hostname(r)
					_ = tb.Platform(r)
					_ = tb.OSName(r)
					_ = tb.LastSeen(r)
					_ = tb.State(r, fixedNow)
					_ = tb.GroupCount(r)
				}
				_ = tb.Position(buf[10])
			}
		})
	}
}
