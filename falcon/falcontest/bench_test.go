package falcontest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// BenchmarkNewServer100k measures start-up with 100,000 hosts (4 tenants
// of 25,000). Goal: well under 2 s per op.
func BenchmarkNewServer100k(b *testing.B) {
	for b.Loop() {
		s := falcontest.NewServer(falcontest.WithHosts(25000))
		s.Close()
	}
}

// heapMB reports the live heap held by a server with the given hosts.
func heapMB(tenants, perTenant int) (float64, *falcontest.Server) {
	// Two collections empty sync.Pool victim caches left by earlier tests.
	runtime.GC()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s := falcontest.NewServer(falcontest.WithTenants(tenants), falcontest.WithHosts(perTenant))
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20), s
}

// BenchmarkHeap100k reports the heap of a 100,000-host server (heap-MB).
func BenchmarkHeap100k(b *testing.B) {
	for b.Loop() {
		mb, s := heapMB(3, 25000)
		b.ReportMetric(mb, "heap-MB")
		s.Close()
	}
}

// BenchmarkHeap1M reports the heap and start-up of a 1,000,000-host server
// (4 tenants of 250,000). Run explicitly: go test -run - -bench Heap1M -benchtime 1x
func BenchmarkHeap1M(b *testing.B) {
	for b.Loop() {
		mb, s := heapMB(3, 250000)
		b.ReportMetric(mb, "heap-MB")
		s.Close()
	}
}

// BenchmarkHeap1000Tenants reports the heap and start-up of the MSSP shape:
// 1,000 tenants of 1,000 hosts (the parent and 999 children).
func BenchmarkHeap1000Tenants(b *testing.B) {
	for b.Loop() {
		mb, s := heapMB(999, 1000)
		b.ReportMetric(mb, "heap-MB")
		s.Close()
	}
}

// TestHeap100k logs the heap a 100k-host server holds and keeps it bounded.
func TestHeap100k(t *testing.T) {
	mb, s := heapMB(3, 25000)
	defer s.Close()
	t.Logf("heap for 100,000 hosts: %.1f MB", mb)
	if mb > 200 {
		t.Errorf("heap for 100,000 hosts is %.1f MB, want < 200 MB", mb)
	}
}

// BenchmarkLoad100kHosts is the full host load of a 100,000-host tenant as
// a client does it: 20 scroll pages of 5,000 ids + 20 POST details calls.
func BenchmarkLoad100kHosts(b *testing.B) {
	s := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(100000))
	defer s.Close()
	c := login(b, s, "full", "")
	b.ResetTimer()
	var bytesRead int64
	for b.Loop() {
		n, offset := 0, ""
		for {
			path := "/devices/queries/devices-scroll/v1" + q("limit", "5000", "sort", "hostname.asc")
			if offset != "" {
				path = "/devices/queries/devices-scroll/v1" + q("limit", "5000", "offset", offset)
			}
			r := c.get(path)
			ids := r.ids(b)
			if len(ids) == 0 {
				break
			}
			var sp scrollPaging
			r.paging(b, &sp)
			offset = sp.Offset
			// Details are read but not decoded: this measures the server.
			body, _ := json.Marshal(map[string]any{"ids": ids})
			req, _ := http.NewRequest("POST", s.URL+"/devices/entities/devices/v2", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+c.tok)
			resp, err := c.http.Do(req)
			if err != nil || resp.StatusCode != 200 {
				b.Fatalf("details: %v", err)
			}
			nb, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			bytesRead += nb
			n += len(ids)
		}
		if n < 99000 {
			b.Fatalf("loaded %d hosts", n)
		}
	}
	b.ReportMetric(float64(bytesRead)/float64(b.N)/(1<<20), "detail-MB/op")
}

// BenchmarkGroupFilter100k counts a group's members through the hosts
// filter groups:'<id>' (how the UI sizes groups) on 100,000 hosts.
func BenchmarkGroupFilter100k(b *testing.B) {
	s := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(100000))
	defer s.Close()
	c := login(b, s, "full", "")
	groups := s.HostGroups(s.ParentCID())
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// A different group each time defeats the query cache.
		g := groups[i%len(groups)]
		if r := c.get("/devices/queries/devices/v1" + q("limit", "1", "filter", "groups:'"+g+"'+last_seen:>='now-1d'")); r.status != 200 {
			b.Fatal(r.status)
		}
	}
}

// listFields are the host-list columns a list load asks for (the explorer's
// columns plus what filtering, marks and the groups count need).
const listFields = "device_id,cid,hostname,platform_name,os_version,agent_version,last_seen,status,local_ip,groups,product_type_desc,host_hidden_status"

// serveAll pages through combined devices with fields (full records when
// empty), 10,000 a page, and returns the hosts and body bytes read. Only
// meta is decoded, so the figures are the server's and the wire's. It
// reports failures as an error: it also runs on other goroutines.
func serveAll(c *client, fields string) (hosts int, read int64, err error) {
	next := ""
	for {
		kv := []string{"limit", "10000"}
		if fields != "" {
			kv = append(kv, "fields", fields)
		}
		if next != "" {
			kv = append(kv, "offset", next)
		}
		req, _ := http.NewRequest("GET", c.srv.URL+"/devices/combined/devices/v1"+q(kv...), nil)
		req.Header.Set("Authorization", "Bearer "+c.tok)
		resp, err := c.http.Do(req)
		if err != nil {
			return hosts, read, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			return hosts, read, fmt.Errorf("status %d, %v: %.300s", resp.StatusCode, err, body)
		}
		var meta struct {
			Pagination struct{ Next string }
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return hosts, read, fmt.Errorf("body: %.100s", body)
		}
		if tok, err := dec.Token(); err != nil || tok != "meta" {
			return hosts, read, fmt.Errorf("body: %.100s", body)
		}
		if err := dec.Decode(&meta); err != nil {
			return hosts, read, err
		}
		hosts += bytes.Count(body, []byte(`{"device_id":`))
		read += int64(len(body))
		if meta.Pagination.Next == "" {
			return hosts, read, nil
		}
		next = meta.Pagination.Next
	}
}

func benchServe100k(b *testing.B, fields string) {
	s := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(100000))
	defer s.Close()
	c := login(b, s, "full", "")
	b.ResetTimer()
	var hosts, n int64
	for b.Loop() {
		h, nb, err := serveAll(c, fields)
		if err != nil {
			b.Fatal(err)
		}
		hosts, n = hosts+int64(h), n+nb
	}
	b.ReportMetric(float64(n)/float64(hosts), "B/host")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(hosts), "ns/host")
}

// BenchmarkServeListFields100k serves a 100,000-host tenant with the list
// fields, 10,000 a page (how list loads fetch hosts).
func BenchmarkServeListFields100k(b *testing.B) { benchServe100k(b, listFields) }

// BenchmarkServeFullRecords100k is the same load with full records.
func BenchmarkServeFullRecords100k(b *testing.B) { benchServe100k(b, "") }

// BenchmarkListOverLink100k loads 100,000 list-field hosts (4 tenants of
// 25,000, fetched in parallel, 10,000 a page) across a 100 Mbit/s link and
// reports the wall time against the link's bound for the bytes sent
// (wall/bound, 1.00 = the link never idles).
func BenchmarkListOverLink100k(b *testing.B) {
	const rate = 12_500_000 // 100 Mbit/s
	s := falcontest.NewServer(falcontest.WithTenants(3), falcontest.WithHosts(25000), falcontest.WithBandwidth(rate))
	defer s.Close()
	var cs []*client
	for _, tn := range s.Tenants() {
		cid := tn.CID
		if tn.Parent == "" {
			cid = ""
		}
		cs = append(cs, login(b, s, "full", cid))
	}
	for _, c := range cs { // warm the id order and buffers
		if _, _, err := serveAll(c, "hostname"); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	var wall time.Duration
	var sent, hosts int64
	for b.Loop() {
		s.ResetStats()
		start := time.Now()
		var wg sync.WaitGroup
		var n atomic.Int64
		errs := make(chan error, len(cs))
		for _, c := range cs {
			wg.Go(func() {
				h, _, err := serveAll(c, listFields)
				n.Add(int64(h))
				errs <- err
			})
		}
		wg.Wait()
		for range cs {
			if err := <-errs; err != nil {
				b.Fatal(err)
			}
		}
		wall += time.Since(start)
		sent += s.Stats().BytesSent
		hosts += n.Load()
	}
	bound := float64(sent) / rate
	b.ReportMetric(float64(sent)/float64(hosts), "B/host")
	b.ReportMetric(wall.Seconds()/float64(b.N), "wall-s/op")
	b.ReportMetric(bound/float64(b.N), "bound-s/op")
	b.ReportMetric(wall.Seconds()/bound, "wall/bound")
}
