package store

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

// benchHosts are hosts shaped like a real estate's, every stored field filled: 32-hex ids,
// unique names, addresses and serials; a few platforms, OS and sensor versions, sites, tag
// sets, groups and policies shared by many hosts.
func benchHosts(c string, n int) []falcon.Host {
	hs := testHosts(c, n)
	type osv struct{ platform, version, product string }
	oses := []osv{{"Windows", "Windows 11", "Windows 11 Enterprise"}, {"Windows", "Windows 10", "Windows 10 Pro"},
		{"Windows", "Windows Server 2022", "Windows Server 2022 Datacenter"}, {"Mac", "Sonoma (14)", "macOS"},
		{"Linux", "Ubuntu 22.04", "Ubuntu"}, {"Linux", "RHEL 9.4", "Red Hat Enterprise Linux"}}
	sites := []string{"FRA", "LON", "NYC", "SYD"}
	agents := []string{"7.10.18110.0", "7.11.18305.0", "7.12.18502.0", "7.09.17904.0"}
	tagSets := [][]string{nil, {"FalconGroupingTags/prod"}, {"FalconGroupingTags/prod", "SensorGroupingTags/eu"},
		{"FalconGroupingTags/dev", "FalconGroupingTags/lab", "SensorGroupingTags/us"}}
	for i := range hs {
		h := &hs[i]
		o, site := oses[i*7%len(oses)], sites[i%len(sites)]
		h.DeviceID = fmt.Sprintf("%016x%016x", uint64(i)*0x9e3779b97f4a7c15, uint64(i)*0xbf58476d1ce4e5b9)
		h.Hostname = fmt.Sprintf("WKS-%s-%06d", site, i)
		h.Platform, h.OSVersion, h.OSProductName = o.platform, o.version, o.product
		h.AgentVersion = agents[i*3%len(agents)]
		if i%97 == 0 {
			h.Containment = "contained"
		}
		h.LocalIP = fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		h.ExternalIP = fmt.Sprintf("198.51.100.%d", i%len(sites))
		h.MachineDomain = "corp.example"
		h.SiteName = site
		h.LastLoginUser = fmt.Sprintf("user%03d", i*31%400)
		h.LastSeen = t0.Add(-time.Duration(i) * time.Second)
		h.FirstSeen = t0.Add(-time.Duration(i%1000) * time.Hour)
		h.Modified = t0.Add(-time.Duration(i%5000) * time.Second)
		h.Tags = tagSets[i%len(tagSets)]
		h.Groups = []string{fmt.Sprintf("%032x", 0x9000+i%20)}
		if i%3 == 0 {
			h.Groups = append(h.Groups, fmt.Sprintf("%032x", 0x9100+i%7))
		}
		h.SerialNumber = fmt.Sprintf("VMW-%08X", uint32(i)*2654435761)
		h.MAC = fmt.Sprintf("00-50-56-%02x-%02x-%02x", i>>16&255, i>>8&255, i&255)
		h.OU = []string{"Workstations", site}
		h.Policies = []falcon.Policy{
			{Type: "device_control", ID: fmt.Sprintf("%032x", 0xd000+i%2)},
			{Type: "firewall", ID: fmt.Sprintf("%032x", 0xf000)},
			{Type: "prevention", ID: fmt.Sprintf("%032x", 0xa000+i%3)},
			{Type: "sensor_update", ID: fmt.Sprintf("%032x", 0xb000+i%2)},
		}
	}
	return hs
}

// BenchmarkStore100k writes 100,000 hosts' rows in one transaction, reads them all back
// (Hosts), and reports the store's bytes per host (database file after a checkpoint).
func BenchmarkStore100k(b *testing.B) {
	const n = 100_000
	hs := benchHosts(cid(1), n)
	ctx := context.Background()
	var write, read time.Duration
	var bytes int64
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
		write += time.Since(start)
		start = time.Now()
		got := 0
		if err := s.Hosts(ctx, cid(1), func(HostRow) error { got++; return nil }); err != nil || got != n {
			b.Fatalf("read %d, %v", got, err)
		}
		read += time.Since(start)
		if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
		st, err := s.Stats(ctx)
		if err != nil {
			b.Fatal(err)
		}
		_ = s.Close()
		bytes = st.Bytes
	}
	b.ReportMetric(write.Seconds()/float64(b.N), "write-s")
	b.ReportMetric(read.Seconds()/float64(b.N), "read-s")
	b.ReportMetric(float64(bytes)/n, "bytes/host")
}

// BenchmarkReadHosts1M is a warm start's read at MSSP scale: 1,000 tenants of 1,000 hosts
// each, written one tenant per transaction (write-s), then all read and decoded with
// ReadHosts in batches of 1,000 (read-s, the figure that counts: docs/STORE.md).
func BenchmarkReadHosts1M(b *testing.B) {
	const tenants, per = 1000, 1000
	ctx := context.Background()
	dir := b.TempDir()
	s, err := Open(ctx, "default", profiletest.New(), Options{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	cids := make([]string, tenants)
	hs := benchHosts("", per*tenants)
	start := time.Now()
	for t := range tenants {
		cids[t] = cid(t)
		chunk := hs[t*per : (t+1)*per]
		for i := range chunk {
			chunk[i].CID = cids[t]
		}
		if err := s.PutHosts(ctx, cids[t], chunk, t0); err != nil {
			b.Fatal(err)
		}
	}
	write := time.Since(start)
	hs = nil
	if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	b.ResetTimer()
	var read time.Duration
	for b.Loop() {
		var kept [][]falcon.Host // as the explorer does: every batch is kept
		got := 0
		start := time.Now()
		err := s.ReadHosts(ctx, cids, 1000, func(hb HostBatch) error {
			got += len(hb.Hosts)
			kept = append(kept, hb.Hosts)
			return nil
		})
		if err != nil || got != tenants*per {
			b.Fatalf("read %d hosts: %v", got, err)
		}
		read += time.Since(start)
		kept = nil
		runtime.GC() // the next read starts without this one's garbage, as a start does
	}
	b.ReportMetric(read.Seconds()/float64(b.N), "read-s")
	b.ReportMetric(write.Seconds(), "write-s")
	b.ReportMetric(float64(st.Bytes)/(tenants*per), "bytes/host")
}
