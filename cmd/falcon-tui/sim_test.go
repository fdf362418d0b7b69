package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// syncBuffer is a bytes.Buffer safe for the command goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var simLine = []*regexp.Regexp{
	regexp.MustCompile(`^listening http://127\.0\.0\.1:\d+$`),
	regexp.MustCompile(`^tenant cid=[0-9a-f]{32} name="[^"]+" parent=([0-9a-f]{32}|-) hosts=\d+ hidden=\d+ groups=\d+ alerts=\d+$`),
	regexp.MustCompile(`^client name=\S+ id=[0-9a-f]{32} secret=[A-Za-z0-9]{40} scopes=[a-z-]+:(read|write)(,[a-z-]+:(read|write))*$`),
	regexp.MustCompile(`^ready$`),
}

func TestSimCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- runSim(ctx, []string{"--tenants", "2", "--hosts", "400", "--seed", "5", "--rate-limit", "100", "--hostile",
			"--bandwidth", "1Gbit", "--token-rate-limit", "50", "--churn", "0.02"}, &out, &errOut)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.HasSuffix(out.String(), "ready\n") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no ready line; stdout %q stderr %q", out.String(), errOut.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	// listening, 3 tenants (parent + 2), 3 clients, ready.
	kinds := []int{0, 1, 1, 1, 2, 2, 2, 3}
	if len(lines) != len(kinds) {
		t.Fatalf("lines:\n%s", out.String())
	}
	for i, l := range lines {
		if !simLine[kinds[i]].MatchString(l) {
			t.Errorf("line %d does not match docs/CLI.md §8: %q", i, l)
		}
	}
	if !strings.Contains(lines[1], "parent=-") || strings.Contains(lines[2], "parent=-") {
		t.Errorf("parent column: %q %q", lines[1], lines[2])
	}
	for i, name := range []string{"full", "analyst", "partial"} {
		if !strings.HasPrefix(lines[4+i], "client name="+name+" ") {
			t.Errorf("client line %d: %q", i, lines[4+i])
		}
	}
	// The printed credentials work against the printed URL.
	base := strings.TrimPrefix(lines[0], "listening ")
	f := strings.Fields(lines[4])
	id, secret := strings.TrimPrefix(f[2], "id="), strings.TrimPrefix(f[3], "secret=")
	resp, err := http.PostForm(base+"/oauth2/token", url.Values{"client_id": {id}, "client_secret": {secret}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("X-Ratelimit-Limit") != "50" {
		t.Errorf("token: %d, X-Ratelimit-Limit %q (want the --token-rate-limit)", resp.StatusCode, resp.Header.Get("X-Ratelimit-Limit"))
	}
	// hosts= is what the API serves, hidden= what the hidden-hosts query serves.
	total := func(path string) int {
		req, _ := http.NewRequest("GET", base+path+"?limit=1", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var env struct {
			Meta struct{ Pagination struct{ Total int } }
		}
		if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", path, resp.StatusCode, err)
		}
		return env.Meta.Pagination.Total
	}
	m := regexp.MustCompile(`hosts=(\d+) hidden=(\d+) `).FindStringSubmatch(lines[1])
	served, hidden := total("/devices/queries/devices/v1"), total("/devices/queries/devices-hidden/v1")
	if m == nil || m[1] != strconv.Itoa(served) || m[2] != strconv.Itoa(hidden) || served+hidden != 400 || hidden == 0 {
		t.Errorf("parent line %q: the API serves %d hosts and %d hidden ones", lines[1], served, hidden)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d, stderr %q", code, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sim did not stop when its context ended")
	}
	if _, err := http.Get(base + "/_sim/stats"); err == nil {
		t.Error("still serving after stop")
	}
}

func TestSimUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--faults", "500=2"}, {"--nope"}, {"--hosts", "-1"}, {"--rate-limit", "0"}, {"extra"},
		{"--bandwidth", "100M"}, {"--bandwidth", "fast"}, {"--token-rate-limit", "0"},
		{"--churn", "-0.1"}, {"--churn", "2"}, {"--churn", "NaN"}, {"--churn", "lots"},
	} {
		var out, errOut syncBuffer
		if code := runSim(context.Background(), args, &out, &errOut); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out.String() != "" {
			t.Errorf("%v printed %q", args, out.String())
		}
	}
	var out, errOut syncBuffer
	if code := runSim(context.Background(), []string{"-h"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "--token-lifetime") {
		t.Errorf("-h: %d %q", code, out.String())
	}
	if code := runSim(context.Background(), []string{"--addr", "256.0.0.1:1"}, &out, &errOut); code != 1 {
		t.Errorf("bad addr: exit %d", code)
	}
}

// TestSimChurnFlag: --churn reaches the simulator: over simulated time hosts go and come back.
func TestSimChurnFlag(t *testing.T) {
	fs := pflag.NewFlagSet("sim", pflag.ContinueOnError)
	o := simFlags(fs)
	if err := fs.Parse([]string{"--churn", "0.05", "--tenants", "0", "--hosts", "2000"}); err != nil {
		t.Fatal(err)
	}
	if err := o.check(); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := falcontest.NewServer(append(o.serverOptions(l, falcontest.Faults{}), falcontest.WithClock(clock))...)
	defer srv.Close()
	before := srv.Tenants()[0]
	mu.Lock()
	now = now.Add(10 * time.Minute)
	mu.Unlock()
	after := srv.Tenants()[0]
	if before.Hidden == after.Hidden && before.Hosts == after.Hosts {
		t.Fatalf("no host went or came back in 10 minutes at 5%%: %+v → %+v", before, after)
	}
}
