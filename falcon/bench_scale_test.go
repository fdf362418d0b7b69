package falcon

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// loadAllTenants lists the tenants and streams every tenant's hosts the way
// `falcon-tui hosts --all-tenants` does; it returns the number of hosts.
func loadAllTenants(b *testing.B, c *Client, q HostQuery) int {
	b.Helper()
	ctx := context.Background()
	list, err := c.Tenants.List(ctx)
	if err != nil {
		b.Fatalf("Tenants.List: %v", err)
	}
	cids := make([]string, len(list))
	for i, t := range list {
		cids[i] = t.CID
	}
	n := 0
	for hosts, err := range c.Hosts.StreamTenants(ctx, cids, q) {
		if err != nil {
			b.Fatal(err)
		}
		n += len(hosts)
	}
	return n
}

// BenchmarkLoadOverLink loads 100,000 hosts over 20 tenants (the parent and 19 Flight
// Control children, 5,000 hosts each) from the simulated cloud behind a WAN-like link:
// one 100 Mbit/s link shared by every connection and 20 ms added to every reply.
//
//	go test ./falcon -run '^$' -bench LoadOverLink -benchtime 3x
//
// Sub-benchmarks: fields=list reads the explorer's list fields (HostQuery.Fields =
// ListFields, the combined endpoint); full reads full records (scroll + entities), for
// comparison.
//
// Reported metrics:
//   - wall-ms: the load's wall time, from the tenant listing to the last host.
//   - bound-ms: the physical lower bound of a list load: the bytes a fields=list load
//     puts on the wire (measured on the same cloud) at the link's rate, plus the round
//     trips that cannot overlap (home token, children query and details, a child's token,
//     then the largest tenant's pages one after another) × the latency.
//   - wall/bound: target ≤ 1.25 for fields=list.
//   - bytes/host: reply bytes on the wire (headers included, tokens and tenant listing
//     too) per host loaded; target ≤ 400 for fields=list.
//   - requests, 429s (target 0).
func BenchmarkLoadOverLink(b *testing.B) {
	const (
		tenants = 20
		perT    = 5000
		latency = 20 * time.Millisecond
		rate    = 100_000_000 / 8 // 100 Mbit/s in bytes
	)
	srv := falcontest.NewServer(falcontest.WithTenants(tenants-1), falcontest.WithHosts(perT),
		falcontest.WithLatency(latency), falcontest.WithAlerts(0), falcontest.WithBandwidth(rate))
	defer srv.Close()
	cred := srv.Client("full")
	newClient := func() *Client {
		c, err := New(Config{ClientID: cred.ID, ClientSecret: cred.Secret, BaseURL: srv.URL})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}

	// The bytes a list load requires, measured once (the same for every run).
	srv.ResetStats()
	c := newClient()
	loadAllTenants(b, c, HostQuery{Fields: ListFields})
	listBytes := srv.Stats().BytesSent
	_ = c.Close(context.Background())
	pages := (perT + combinedLimit - 1) / combinedLimit
	bound := time.Duration(float64(listBytes)/rate*float64(time.Second)) + time.Duration(4+pages)*latency

	for _, run := range []struct {
		name string
		q    HostQuery
	}{
		{"fields=list", HostQuery{Fields: ListFields}},
		{"full", HostQuery{}},
	} {
		b.Run(run.name, func(b *testing.B) {
			var wall time.Duration
			var st falcontest.Stats
			n := 0
			for b.Loop() {
				b.StopTimer()
				srv.ResetStats()
				c := newClient()
				b.StartTimer()
				start := time.Now()
				n = loadAllTenants(b, c, run.q)
				wall = time.Since(start)
				b.StopTimer()
				st = srv.Stats()
				_ = c.Close(context.Background())
				b.StartTimer()
			}
			if n < tenants*perT*99/100 { // hidden hosts (0.5%) are not listed
				b.Fatalf("loaded %d hosts", n)
			}
			b.ReportMetric(float64(wall.Milliseconds()), "wall-ms")
			b.ReportMetric(float64(bound.Milliseconds()), "bound-ms")
			b.ReportMetric(float64(wall)/float64(bound), "wall/bound")
			b.ReportMetric(float64(st.BytesSent)/float64(n), "bytes/host")
			b.ReportMetric(float64(st.RequestsTotal), "requests")
			b.ReportMetric(float64(st.Throttled429), "429s")
		})
	}
}

// BenchmarkThousandTenants loads 1,000 tenants × 1,000 hosts (list fields) under the
// token endpoint's real budget of 300 calls a minute, then closes the client with a
// one-second budget. The budget makes it last about three minutes, so it runs only when
// asked for:
//
//	FALCON_BENCH_THOUSAND=1 go test ./falcon -run '^$' -bench ThousandTenants -benchtime 1x -timeout 20m
//
// Reported metrics:
//   - wall-s: from the tenant listing to the last host.
//   - bound-s: the token budget's bound: 1,000 tokens at 300 per sliding minute cannot
//     all be had before ⌊(1000−1)/300⌋ minutes; wall/bound (target ≤ 1.1).
//   - 429s: replies of 429, the token endpoint's included (target 0).
//   - token-calls: token and revoke requests sent.
//   - quit-ms: Close's duration with a one-second budget, every tenant holding a token.
func BenchmarkThousandTenants(b *testing.B) {
	if os.Getenv("FALCON_BENCH_THOUSAND") == "" || testing.Short() {
		b.Skip("takes minutes (the token budget): set FALCON_BENCH_THOUSAND=1 to run it")
	}
	const (
		tenants = 1000
		perT    = 1000
		limit   = 300
	)
	srv := falcontest.NewServer(falcontest.WithTenants(tenants-1), falcontest.WithHosts(perT),
		falcontest.WithAlerts(0), falcontest.WithTokenRateLimit(limit))
	defer srv.Close()
	cred := srv.Client("full")
	bound := time.Duration((tenants-1)/limit) * rateWindow
	var wall, quit time.Duration
	var st falcontest.Stats
	n := 0
	for b.Loop() {
		b.StopTimer()
		srv.ResetStats()
		c, err := New(Config{ClientID: cred.ID, ClientSecret: cred.Secret, BaseURL: srv.URL})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		n = loadAllTenants(b, c, HostQuery{Fields: ListFields})
		wall = time.Since(start)
		b.StopTimer()
		if pr := c.TokenProgress(); pr.Tenants != tenants {
			b.Errorf("%d tenants with a token, want %d", pr.Tenants, tenants)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		qs := time.Now()
		_ = c.Close(ctx)
		quit = time.Since(qs)
		cancel()
		st = srv.Stats()
		b.StartTimer()
	}
	if n < tenants*perT*99/100 {
		b.Fatalf("loaded %d hosts", n)
	}
	b.ReportMetric(wall.Seconds(), "wall-s")
	b.ReportMetric(bound.Seconds(), "bound-s")
	b.ReportMetric(float64(wall)/float64(bound), "wall/bound")
	b.ReportMetric(float64(st.Throttled429), "429s")
	b.ReportMetric(float64(st.ByOperation["POST /oauth2/token"]+st.ByOperation["POST /oauth2/revoke"]), "token-calls")
	b.ReportMetric(float64(quit.Milliseconds()), "quit-ms")
}
