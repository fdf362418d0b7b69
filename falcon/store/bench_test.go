package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

// benchHosts are list rows shaped like a real estate's: 32-hex ids, varied names and times.
func benchHosts(c string, n int) []falcon.Host {
	hs := testHosts(c, n)
	for i := range hs {
		hs[i].DeviceID = fmt.Sprintf("%016x%016x", uint64(i)*0x9e3779b97f4a7c15, uint64(i)*0xbf58476d1ce4e5b9)
		hs[i].Hostname = fmt.Sprintf("WKS-%s-%06d", []string{"FRA", "LON", "NYC", "SYD"}[i%4], i)
		hs[i].LocalIP = fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		hs[i].LastSeen = t0.Add(-time.Duration(i) * time.Second)
	}
	return hs
}

// BenchmarkStore100k writes 100,000 hosts' list rows in one transaction, reads them all back,
// and reports the store's bytes per host (database file after a checkpoint).
func BenchmarkStore100k(b *testing.B) {
	const n = 100_000
	hs := benchHosts(cid(1), n)
	ctx := context.Background()
	for b.Loop() {
		dir := b.TempDir()
		s, err := Open(ctx, "default", profiletest.New(), Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := s.PutHosts(ctx, cid(1), hs, t0); err != nil {
			b.Fatal(err)
		}
		write := time.Since(start)
		start = time.Now()
		got := 0
		if err := s.Hosts(ctx, cid(1), func(HostRow) error { got++; return nil }); err != nil || got != n {
			b.Fatalf("read %d, %v", got, err)
		}
		read := time.Since(start)
		if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
		st, err := s.Stats(ctx)
		if err != nil {
			b.Fatal(err)
		}
		_ = s.Close()
		b.ReportMetric(write.Seconds(), "write-s")
		b.ReportMetric(read.Seconds(), "read-s")
		b.ReportMetric(float64(st.Bytes)/n, "bytes/host")
	}
}
