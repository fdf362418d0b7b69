package falcontest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

func TestParseBandwidth(t *testing.T) {
	for in, want := range map[string]int64{
		"": 0, "0": 0,
		"100Mbit": 12_500_000, "100Mbit/s": 12_500_000, "100mbit": 12_500_000, "100Mbps": 12_500_000,
		"1Gbit": 125_000_000, "512kbit": 64_000, "8bit": 1, "2.5Gbit": 312_500_000,
		"10MB": 10_000_000, "10MB/s": 10_000_000, "800kB": 800_000, "800KB": 800_000, "1.5GB": 1_500_000_000,
		"64KiB": 65_536, "2MiB": 2 << 20, "1GiB": 1 << 30, "100B": 100, " 20 MB ": 20_000_000,
	} {
		got, err := falcontest.ParseBandwidth(in)
		if err != nil || got != want {
			t.Errorf("ParseBandwidth(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	// Bits and bytes differ eightfold: a unit must say which.
	for _, in := range []string{"100", "100M", "100Mb", "10mb", "fast", "-5MB", "1bit", "0.5B", "Mbit", "1e3MB", "100Xbit", "NaNMB"} {
		if got, err := falcontest.ParseBandwidth(in); err == nil {
			t.Errorf("ParseBandwidth(%q) = %d, want an error", in, got)
		}
	}
}

// countingClient is an HTTP client that counts the bytes it reads off the wire.
func countingClient(read *atomic.Int64) *http.Client {
	d := &net.Dialer{}
	// Uncompressed replies, so that the bytes on the wire can be held against the bodies
	// (TestRepliesAreGzipped covers compression).
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DisableCompression: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &countingConn{Conn: conn, read: read}, nil
		},
	}}
}

type countingConn struct {
	net.Conn
	read *atomic.Int64
}

func (c *countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.read.Add(int64(n))
	return n, err
}

// The bytes Stats reports are the bytes that reach the client: status
// line, headers and body, per operation.
func TestStatsBytesMatchTheWire(t *testing.T) {
	for _, bw := range []int64{0, 50 << 20} {
		s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(300), falcontest.WithBandwidth(bw))
		c := login(t, s, "full", "")
		var wire atomic.Int64
		c.http = countingClient(&wire)
		s.ResetStats()
		full := c.get("/devices/combined/devices/v1"+q("limit", "200")).want(t, 200)
		trimmed := c.get("/devices/combined/devices/v1"+q("limit", "200", "fields", "hostname")).want(t, 200)
		c.get("/devices/queries/devices/v1"+q("limit", "0")).want(t, 400)
		c.get("/no/such/path").want(t, 404)
		cl := s.Client("full")
		c.do("POST", "/oauth2/token?client_id="+cl.ID+"&client_secret="+cl.Secret, nil)
		st := s.Stats()
		if got := wire.Load(); st.BytesSent != got {
			t.Errorf("bandwidth %d: Stats.BytesSent %d, the client read %d", bw, st.BytesSent, got)
		}
		var sum int64
		for _, n := range st.BytesByOperation {
			sum += n
		}
		op := "GET /devices/combined/devices/v1"
		if sum != st.BytesSent || st.BytesByOperation["unknown"] == 0 || st.BytesByOperation["POST /oauth2/token"] == 0 ||
			st.BytesByOperation[op] < int64(len(full.body)+len(trimmed.body)) ||
			st.BytesByOperation[op] > int64(len(full.body)+len(trimmed.body))+2000 {
			t.Errorf("bandwidth %d: bytes by operation %v (total %d; bodies %d+%d)", bw, st.BytesByOperation, st.BytesSent, len(full.body), len(trimmed.body))
		}
	}
	// /_sim/stats serves them too, and a reset clears them.
	s := newServer(t, falcontest.WithHosts(10))
	login(t, s, "full", "")
	resp, err := http.Get(s.URL + "/_sim/stats")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		BytesSent        int64            `json:"bytes_sent"`
		BytesByOperation map[string]int64 `json:"bytes_by_operation"`
	}
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil || st.BytesSent == 0 || st.BytesByOperation["POST /oauth2/token"] != st.BytesSent {
		t.Errorf("/_sim/stats bytes: %+v %v", st, err)
	}
	s.ResetStats()
	if st := s.Stats(); st.BytesSent != 0 || len(st.BytesByOperation) != 0 {
		t.Errorf("after reset: %+v", st)
	}
}

// fetchAll reads one combined-devices page per client, all at once, and
// returns the wall time and the bytes the server sent meanwhile.
func fetchAll(t *testing.T, s *falcontest.Server, cs []*client, path string) (time.Duration, int64) {
	t.Helper()
	s.ResetStats()
	var wg sync.WaitGroup
	start := time.Now()
	for _, c := range cs {
		wg.Go(func() {
			req, _ := http.NewRequest("GET", s.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+c.tok)
			req.Header.Set("Accept-Encoding", "identity") // the link test sends full-size replies
			resp, err := c.http.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		})
	}
	wg.Wait()
	return time.Since(start), s.Stats().BytesSent
}

// One link carries every connection: whether one client reads or four
// read at once, the bytes take at least bytes/rate — four connections do
// not get four links. (How close to the bound a load comes is measured by
// BenchmarkListOverLink100k; the pacing arithmetic by TestLinkBooking.)
func TestBandwidthIsOneSharedLink(t *testing.T) {
	const rate = 8_000_000 // 64 Mbit/s
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(600), falcontest.WithBandwidth(rate))
	var cs []*client
	for range 4 {
		cs = append(cs, login(t, s, "full", ""))
	}
	path := "/devices/combined/devices/v1" + q("limit", "150") // ~0.5 MB of full records
	for _, n := range []int{1, 4} {
		wall, sent := fetchAll(t, s, cs[:n], path)
		bound := time.Duration(float64(sent) / rate * float64(time.Second))
		t.Logf("%d connection(s): %d bytes in %v, bound %v (%.3f×)", n, sent, wall, bound, wall.Seconds()/bound.Seconds())
		if sent < int64(n)*400_000 {
			t.Fatalf("%d connection(s) sent only %d bytes", n, sent)
		}
		// Never faster than the link, less the slack a new reply may reclaim.
		if wall < bound-5*time.Millisecond {
			t.Errorf("%d connection(s): %d bytes in %v, faster than %d B/s allows (%v)", n, sent, wall, rate, bound)
		}
	}
}

// A client that accepts gzip gets compressed replies (as from the API's gateway), which
// inflate to the very reply an uncompressed request gets; Stats counts the compressed bytes.
func TestRepliesAreGzipped(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(300))
	c := login(t, s, "full", "")
	path := s.URL + "/devices/combined/devices/v1" + q("limit", "200", "sort", "hostname.asc")
	get := func(enc string) (*http.Response, []byte, int64) {
		t.Helper()
		s.ResetStats()
		req, _ := http.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+c.tok)
		req.Header.Set("Accept-Encoding", enc) // set by hand: the transport leaves the body as sent
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body, s.Stats().BytesSent
	}
	plainResp, plain, plainSent := get("identity")
	zResp, z, zSent := get("gzip, deflate")
	if plainResp.Header.Get("Content-Encoding") != "" || zResp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q without gzip, %q with", plainResp.Header.Get("Content-Encoding"), zResp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	inflated, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	strip := regexp.MustCompile(`"(query_time|trace_id|next|expires_at)":("[^"]*"|[^,}]*)`) // differ from call to call
	if a, b := strip.ReplaceAll(plain, nil), strip.ReplaceAll(inflated, nil); !bytes.Equal(a, b) {
		i := 0
		for i < min(len(a), len(b)) && a[i] == b[i] {
			i++
		}
		t.Fatalf("the gzipped reply inflates to another body (%d vs %d bytes), from %q vs %q", len(b), len(a), b[i:min(i+80, len(b))], a[i:min(i+80, len(a))])
	}
	if zSent*3 > plainSent {
		t.Fatalf("gzip sent %d bytes against %d uncompressed", zSent, plainSent)
	}
	t.Logf("200 full records: %d bytes plain, %d gzipped", plainSent, zSent)
}
