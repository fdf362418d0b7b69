package falcon

import (
	"bufio"
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// BenchmarkLoad100kHosts20Tenants loads 100,000 hosts over 20 tenants (the parent and 19
// Flight Control children, 5,000 hosts each) from the simulated cloud with 20 ms added to
// every reply, the way `falcon-tui hosts --all-tenants` does, with fresh tokens each time.
//
//	go test ./falcon -run '^$' -bench Load100k -benchtime 3x
//
// The load starts like the command: list the tenants (home token, children query,
// children details), then stream them all.
//
// Reported metrics:
//   - wall-ms: the load's wall time.
//   - bound-ms: the critical-path lower bound, per tenant the round trips that cannot
//     overlap (its token, each scroll page, then one detail call), measured on this run's
//     own replies (so it includes the simulator's time to render 5,000 hosts), and the
//     slowest tenant taken; wall/bound is what the client's scheduling adds.
//   - latency-bound-ms: the same path counting only the 20 ms added latency.
//   - requests, min-requests: what was sent vs per tenant 1 token + pages + detail calls,
//     plus the two calls that list the children.
//   - 429s: replies with status 429 (the target is none).
//   - bytes/host: heap retained by the Host records handed out, per host.
func BenchmarkLoad100kHosts20Tenants(b *testing.B) {
	const (
		tenants = 20
		perT    = 5000
		latency = 20 * time.Millisecond
	)
	srv := falcontest.NewServer(falcontest.WithTenants(tenants-1), falcontest.WithHosts(perT),
		falcontest.WithLatency(latency), falcontest.WithAlerts(0))
	defer srv.Close()
	cred := srv.Client("full")

	var wall, bound, ratio, reqs, minReqs, throttled, bph float64
	for b.Loop() {
		b.StopTimer()
		srv.ResetStats()
		var logBuf bytes.Buffer
		c, err := New(Config{ClientID: cred.ID, ClientSecret: cred.Secret, BaseURL: srv.URL,
			DebugLog: &syncWriter{w: &logBuf}})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()

		start := time.Now()
		list, err := c.Tenants.List(context.Background())
		if err != nil || len(list) != tenants {
			b.Fatalf("Tenants.List = %d tenants, %v", len(list), err)
		}
		cids := make([]string, len(list))
		for i, t := range list {
			cids[i] = t.CID
		}
		var all [][]Host
		n := 0
		for hosts, err := range c.Hosts.StreamTenants(context.Background(), cids, HostQuery{}) {
			if err != nil {
				b.Fatal(err)
			}
			all = append(all, hosts)
			n += len(hosts)
		}
		elapsed := time.Since(start)

		b.StopTimer()
		runtime.GC()
		runtime.GC() // twice: sync.Pool keeps reply buffers across one collection
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(all)
		if n < tenants*perT*99/100 { // hidden hosts (0.5%) are not listed
			b.Fatalf("loaded %d hosts", n)
		}
		st := srv.Stats()
		pages := (perT + c.scrollLimit - 1) / c.scrollLimit
		details := (perT + c.detailBatch - 1) / c.detailBatch
		wall = float64(elapsed.Milliseconds())
		bound = criticalPath(logBuf.String())
		ratio = wall / bound
		reqs = float64(st.RequestsTotal)
		minReqs = float64(tenants*(1+pages+details) + 2) // + the children query and details
		throttled = float64(st.Throttled429)
		bph = float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
		_ = c.Close(context.Background())
		b.StartTimer()
	}
	b.ReportMetric(wall, "wall-ms")
	b.ReportMetric(bound, "bound-ms")
	b.ReportMetric(ratio, "wall/bound")
	// home token, children query, children details, then a child token, its page, its details
	b.ReportMetric(float64(6*latency.Milliseconds()), "latency-bound-ms")
	b.ReportMetric(reqs, "requests")
	b.ReportMetric(minReqs, "min-requests")
	b.ReportMetric(throttled, "429s")
	b.ReportMetric(bph, "bytes/host")
}

// criticalPath reads the debug log and returns, in milliseconds, the longest chain of
// round trips that must happen one after another: the home token and the children
// listing, then per tenant its token (the home tenant has it already), every scroll page
// and the detail call that follows the last page (the longest detail call is taken, as any
// of them may be the last).
func criticalPath(log string) float64 {
	type path struct{ token, scroll, detail time.Duration }
	per := map[string]*path{}
	var pre time.Duration
	sc := bufio.NewScanner(strings.NewReader(log))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 {
			continue
		}
		tenant, target := f[1], f[3]
		var d time.Duration
		for _, x := range f {
			if v, ok := strings.CutPrefix(x, "dur="); ok {
				d, _ = time.ParseDuration(v)
			}
		}
		p := per[tenant]
		if p == nil {
			p = &path{}
			per[tenant] = p
		}
		switch {
		case strings.HasPrefix(target, "/mssp/"):
			pre += d
		case strings.HasPrefix(target, "/oauth2/token"):
			if p.token == 0 && len(per) == 1 && pre == 0 {
				pre += d // the first token, before the listing
				continue
			}
			p.token += d
		case strings.HasPrefix(target, pathDeviceScroll):
			p.scroll += d
		case strings.HasPrefix(target, pathDeviceEntities):
			p.detail = max(p.detail, d)
		}
	}
	var worst time.Duration
	for _, p := range per {
		worst = max(worst, p.token+p.scroll+p.detail)
	}
	return float64((pre + worst).Microseconds()) / 1000
}
