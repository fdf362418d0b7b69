package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// runHostsAs runs `falcon-tui hosts` exactly as main does, with the named simulator
// client's credentials in the environment, against baseURL.
func runHostsAs(t *testing.T, srv *falcontest.Server, baseURL, client string, stdout io.Writer, args ...string) (int, string) {
	t.Helper()
	c := srv.Client(client)
	t.Setenv("FALCON_CLIENT_ID", c.ID)
	t.Setenv("FALCON_CLIENT_SECRET", c.Secret)
	t.Setenv("FALCON_MEMBER_CID", "")
	t.Setenv("FALCON_TUI_PROFILE", "")
	var errb bytes.Buffer
	code := run(context.Background(), append([]string{"--base-url", baseURL, "hosts"}, args...), stdout, &errb)
	return code, errb.String()
}

// visibleHosts is what a listing of tenant cid must hold: its hosts minus the hidden ones.
func visibleHosts(t *testing.T, srv *falcontest.Server, cid string) map[string]bool {
	t.Helper()
	cred := srv.Client("full")
	c, err := falcon.New(falcon.Config{ClientID: cred.ID, ClientSecret: cred.Secret, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	resp, err := c.Do(context.Background(), cid, &falcon.Request{Method: "GET", Path: "/devices/queries/devices-hidden/v1",
		Query: url.Values{"limit": {"5000"}}})
	if err != nil {
		t.Fatal(err)
	}
	var hidden []string
	_ = json.Unmarshal(resp.Resources, &hidden)
	out := map[string]bool{}
	for _, id := range srv.HostIDs(cid) {
		out[id] = true
	}
	for _, id := range hidden {
		delete(out, id)
	}
	return out
}

func TestHostsAllTenantsNDJSON(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(3), falcontest.WithHosts(250))
	t.Cleanup(srv.Close)
	var out bytes.Buffer
	code, errs := runHostsAs(t, srv, srv.URL, "full", &out, "--all-tenants")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if errs != "" {
		t.Errorf("stderr is not a terminal, yet got %q", errs)
	}
	got := map[string]map[string]int{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var r hostRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("not NDJSON: %q: %v", sc.Text(), err)
		}
		if got[r.CID] == nil {
			got[r.CID] = map[string]int{}
		}
		got[r.CID][r.DeviceID]++
	}
	for _, tn := range srv.Tenants() {
		want := visibleHosts(t, srv, tn.CID)
		if len(got[tn.CID]) != len(want) {
			t.Errorf("tenant %s: %d hosts listed, want %d", tn.CID, len(got[tn.CID]), len(want))
		}
		for id, n := range got[tn.CID] {
			if n != 1 || !want[id] {
				t.Errorf("tenant %s: host %s listed %d times (known: %v)", tn.CID, id, n, want[id])
			}
		}
	}
	if len(got) != len(srv.Tenants()) {
		t.Errorf("records carry %d distinct cids, want %d", len(got), len(srv.Tenants()))
	}
}

func TestHostsFormats(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(1), falcontest.WithHosts(40))
	t.Cleanup(srv.Close)
	child := srv.Tenants()[1].CID
	want := len(visibleHosts(t, srv, child))
	filter := []string{"--tenant", strings.ToUpper(child), "--sort", "hostname.asc"}

	var out bytes.Buffer
	if code, errs := runHostsAs(t, srv, srv.URL, "full", &out, append(filter, "--format", "json")...); code != 0 {
		t.Fatalf("json: exit %d %s", code, errs)
	}
	var recs []hostRecord
	if err := json.Unmarshal(out.Bytes(), &recs); err != nil || len(recs) != want {
		t.Fatalf("json: %d records, %v", len(recs), err)
	}
	for i, r := range recs {
		if r.CID != child || r.State == "" || r.LastSeen == "" {
			t.Errorf("json record %d = %+v", i, r)
		}
		if i > 0 && strings.ToLower(recs[i-1].Hostname) > strings.ToLower(r.Hostname) {
			t.Errorf("not sorted by hostname at %d", i)
		}
	}

	out.Reset()
	if code, errs := runHostsAs(t, srv, srv.URL, "full", &out, append(filter, "--format", "csv")...); code != 0 {
		t.Fatalf("csv: exit %d %s", code, errs)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) != want+1 || strings.Join(rows[0], ",") != strings.Join(csvColumns, ",") {
		t.Fatalf("csv: %d rows, %v, header %v", len(rows), err, rows[0])
	}
	if rows[1][0] != child {
		t.Errorf("csv cid column = %q", rows[1][0])
	}

	out.Reset()
	swap(t, &stdoutIsTerminal, func(io.Writer) bool { return true })
	if code, errs := runHostsAs(t, srv, srv.URL, "full", &out, filter...); code != 0 {
		t.Fatalf("table: exit %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if len(lines) != want+1 || !strings.HasPrefix(lines[0], "CID") || !strings.Contains(lines[0], "HOSTNAME") {
		t.Fatalf("default on a terminal is not the table:\n%s", out.String())
	}
	if !strings.HasPrefix(lines[1], child) {
		t.Errorf("table row lacks the cid: %q", lines[1])
	}

	// Empty result: valid empty documents.
	out.Reset()
	if code, _ := runHostsAs(t, srv, srv.URL, "full", &out, "--tenant", child, "--filter", "hostname:'no-such-host'", "--format", "json"); code != 0 || out.String() != "[]\n" {
		t.Errorf("empty json = %q (exit %d)", out.String(), code)
	}
}

// Hostile API strings never reach a terminal or a spreadsheet as control sequences.
func TestHostsSanitizesHostileStrings(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(300), falcontest.WithHostile(true))
	t.Cleanup(srv.Close)
	for _, format := range []string{"table", "csv"} {
		var out bytes.Buffer
		code, errs := runHostsAs(t, srv, srv.URL, "full", &out, "--format", format)
		if code != 0 {
			t.Fatalf("%s: exit %d %s", format, code, errs)
		}
		for _, r := range out.String() {
			if r == '\n' || r == '\r' && format == "csv" {
				continue
			}
			if unicode.IsControl(r) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("%s output holds %U", format, r)
			}
		}
		if format == "csv" {
			rows, err := csv.NewReader(&out).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range rows[1:] {
				for _, cell := range row {
					if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
						t.Errorf("csv cell starts a formula: %q", cell)
					}
				}
			}
		}
	}
	var out bytes.Buffer
	if code, _ := runHostsAs(t, srv, srv.URL, "full", &out, "--format", "ndjson"); code != 0 {
		t.Fatal("ndjson failed")
	}
	if bytes.ContainsRune(out.Bytes(), 0x1b) {
		t.Errorf("ndjson holds a raw ESC")
	}
}

// The first rows are written before the last page is fetched: the simulator holds the
// last scroll page back until output has started. A command that gathered everything
// first would wait out the gate's timeout and fail.
func TestHostsStreamsBeforeTheLastPage(t *testing.T) {
	srv := falcontest.NewUnstartedServer(falcontest.WithTenants(0), falcontest.WithHosts(12000))
	firstRow := make(chan struct{})
	var lastPageServed atomic.Bool
	var scrolls atomic.Int32
	gate := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/devices/queries/devices-scroll/v1" && scrolls.Add(1) == 3 {
			select {
			case <-firstRow:
			case <-time.After(20 * time.Second):
			}
			srv.Handler().ServeHTTP(w, r)
			lastPageServed.Store(true)
			return
		}
		srv.Handler().ServeHTTP(w, r)
	})
	hs := httptest.NewServer(gate)
	t.Cleanup(hs.Close)

	w := &firstWriteWriter{onFirst: func() {
		if lastPageServed.Load() {
			t.Errorf("the last page was fetched before the first row was written")
		}
		close(firstRow)
	}}
	code, errs := runHostsAs(t, srv, hs.URL, "full", w)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !w.fired || scrolls.Load() < 3 {
		t.Fatalf("the gate never engaged (%d scroll calls)", scrolls.Load())
	}
	if n := strings.Count(w.buf.String(), "\n"); n < 11900 {
		t.Errorf("%d records, want all visible of 12000", n)
	}
}

type firstWriteWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	fired   bool
	onFirst func()
}

func (w *firstWriteWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.fired {
		w.fired = true
		w.onFirst()
	}
	return w.buf.Write(p)
}

// Each kind of failure has its own, actionable message; exit 1 for errors, 2 for usage.
func TestHostsErrorMessages(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(1), falcontest.WithHosts(20),
		falcontest.WithBlockedClient("analyst"), falcontest.WithClient("groups-only", "host-group:read"))
	t.Cleanup(srv.Close)
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()

	cases := map[string]struct {
		base, client string
		args         []string
		secret       string
		code         int
		want         string
	}{
		"bad secret":  {srv.URL, "full", nil, "not-the-secret-not-the-secret-not-the-se", exitError, "refused the client id or secret"},
		"blocked ip":  {srv.URL, "analyst", nil, "", exitError, "denied this IP address"},
		"unreachable": {deadURL, "full", nil, "", exitError, "cannot reach " + deadURL},
		"no scope": {srv.URL, "groups-only", nil, "", exitError,
			"lacks scope devices:read — add 'Hosts: Read' to the API client"},
		"not child":  {srv.URL, "full", []string{"--member-cid", strings.Repeat("ab", 16)}, "", exitError, "is not a Flight Control child"},
		"bad filter": {srv.URL, "full", []string{"--filter", "hostname:'x"}, "", exitError, "check --filter"},
		"bad format": {srv.URL, "full", []string{"--format", "xml"}, "", exitUsage, "want table, csv, json or ndjson"},
		"bad tenant": {srv.URL, "full", []string{"--tenant", "nope"}, "", exitUsage, "not a CID"},
		"both":       {srv.URL, "full", []string{"--tenant", srv.ParentCID(), "--all-tenants"}, "", exitUsage, "exclude each other"},
		"bad sort":   {srv.URL, "full", []string{"--sort", "hostname asc"}, "", exitUsage, "--sort"},
		"extra arg":  {srv.URL, "full", []string{"foo"}, "", exitUsage, "unexpected argument"},
	}
	seen := map[string]string{}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := srv.Client(tc.client)
			secret := c.Secret
			if tc.secret != "" {
				secret = tc.secret
			}
			t.Setenv("FALCON_CLIENT_ID", c.ID)
			t.Setenv("FALCON_CLIENT_SECRET", secret)
			t.Setenv("FALCON_MEMBER_CID", "")
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"--base-url", tc.base, "hosts"}, tc.args...), &out, &errb)
			if code != tc.code || !strings.Contains(errb.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errb.String(), tc.code, tc.want)
			}
			if strings.Contains(errb.String(), secret) {
				t.Errorf("the secret is printed")
			}
			if prev, dup := seen[errb.String()]; dup && tc.code == exitError {
				t.Errorf("same message as %s", prev)
			}
			seen[errb.String()] = name
		})
	}
}

func TestHostsProgressOnlyOnATerminal(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(2), falcontest.WithHosts(60))
	t.Cleanup(srv.Close)
	swap(t, &stderrIsTerminal, func(io.Writer) bool { return true })
	var out bytes.Buffer
	code, errs := runHostsAs(t, srv, srv.URL, "full", &out, "--all-tenants", "--format", "csv")
	if code != exitOK || !strings.Contains(errs, "loading hosts…") {
		t.Errorf("exit %d, stderr %q: want a progress line", code, errs)
	}
	if strings.Contains(out.String(), "loading") {
		t.Errorf("progress leaked into standard output")
	}
}

// A tenant that fails does not stop the others; the exit code says something failed.
func TestHostsOneTenantFailsOthersContinue(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(2), falcontest.WithHosts(30))
	t.Cleanup(srv.Close)
	var out bytes.Buffer
	bogus := strings.Repeat("cd", 16)
	code, errs := runHostsAs(t, srv, srv.URL, "full", &out, "--tenant", srv.Tenants()[1].CID, "--tenant", bogus, "--format", "ndjson")
	if code != exitError || !strings.Contains(errs, "tenant "+bogus) || !strings.Contains(errs, "not a Flight Control child") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if n := strings.Count(out.String(), "\n"); n < 25 {
		t.Errorf("the good tenant's hosts are missing (%d lines)", n)
	}
}

// JSON and NDJSON keep hostile strings exact but never raw: encoding/json escapes only C0,
// so DEL, C1, bidi overrides, zero-width characters and BOMs are written as \u escapes.
func TestHostsJSONEscapesHostileRunes(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(300), falcontest.WithHostile(true))
	t.Cleanup(srv.Close)

	// What the API holds, read through the client: the records must decode to exactly this.
	cred := srv.Client("full")
	c, err := falcon.New(falcon.Config{ClientID: cred.ID, ClientSecret: cred.Secret, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	want := map[string]string{}
	hostile := 0
	for hosts, err := range c.Hosts.Stream(context.Background(), "", falcon.HostQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		for i := range hosts {
			r := record(&hosts[i], time.Now())
			r.State = ""
			b, _ := json.Marshal(r)
			want[r.DeviceID] = string(b)
			if strings.ContainsAny(r.Hostname+strings.Join(r.Tags, ""), "\x1b\u202e\u200b\ufeff") {
				hostile++
			}
		}
	}
	if hostile == 0 {
		t.Fatal("the simulator seeded no hostile strings")
	}

	for _, format := range []string{"json", "ndjson"} {
		var out bytes.Buffer
		if code, errs := runHostsAs(t, srv, srv.URL, "full", &out, "--format", format); code != exitOK {
			t.Fatalf("%s: exit %d %s", format, code, errs)
		}
		for _, r := range out.String() {
			if r == '\n' {
				continue
			}
			if r == 0x1b || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x202e || r == 0x200b || r == 0xfeff ||
				r == 0x2028 || r == 0x2029 || unicode.In(r, unicode.Cc, unicode.Cf) {
				t.Fatalf("%s output holds a raw %U", format, r)
			}
		}
		var recs []hostRecord
		if format == "json" {
			if err := json.Unmarshal(out.Bytes(), &recs); err != nil {
				t.Fatalf("json: %v", err)
			}
		} else {
			sc := bufio.NewScanner(&out)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				var r hostRecord
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
					t.Fatalf("ndjson line %q: %v", sc.Text(), err)
				}
				recs = append(recs, r)
			}
		}
		if len(recs) != len(want) {
			t.Fatalf("%s: %d records, want %d", format, len(recs), len(want))
		}
		for _, r := range recs {
			r.State = ""
			b, _ := json.Marshal(r)
			if string(b) != want[r.DeviceID] {
				t.Errorf("%s: record %s decodes to\n%s\nwant\n%s", format, r.DeviceID, b, want[r.DeviceID])
			}
		}
	}
}

func TestHostsJSONEscapeRunes(t *testing.T) {
	in := "a\x1b[2J\x7f\u009b31m\u0085\u200b\u200d\u202e\u2066\ufeff\u2028\u2029\U000E0041é東🔥\ufffd<&>"
	src, _ := json.Marshal(in)
	got := string(appendSafeJSON(nil, src))
	want := `"a\u001b[2J\u007f\u009b31m\u0085\u200b\u200d\u202e\u2066\ufeff\u2028\u2029\udb40\udc41é東🔥` + "\ufffd" + `\u003c\u0026\u003e"`
	if got != want {
		t.Errorf("escaped\n%s\nwant\n%s", got, want)
	}
	var back string
	if err := json.Unmarshal([]byte(got), &back); err != nil || back != in {
		t.Errorf("round trip = %q, %v", back, err)
	}
	// Plain ASCII is passed through untouched; invalid UTF-8 becomes \ufffd.
	if got := string(appendSafeJSON(nil, []byte(`{"a":"b c"}`))); got != `{"a":"b c"}` {
		t.Errorf("ascii changed: %s", got)
	}
	if got := string(appendSafeJSON(nil, []byte("\"\x9b\""))); got != `"\ufffd"` {
		t.Errorf("raw C1 byte = %s", got)
	}
}

// Per-tenant error lines quote the server's errors[].message: like every other error
// line, they are stripped of escape sequences and bidi controls.
func TestHostsErrorLinesAreSanitized(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(1), falcontest.WithHosts(20))
	t.Cleanup(srv.Close)
	const hostile = "bad filter \x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\u202eevil"
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/devices/queries/") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			body, _ := json.Marshal(map[string]any{
				"meta":      map[string]any{"query_time": 0.01, "powered_by": "device-api", "trace_id": "t-1"},
				"errors":    []map[string]any{{"code": 400, "message": hostile}},
				"resources": []any{},
			})
			w.Write(body)
			return
		}
		srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	var out bytes.Buffer
	tenants := srv.Tenants()
	code, errs := runHostsAs(t, srv, hs.URL, "full", &out, "--tenant", tenants[0].CID, "--tenant", tenants[1].CID)
	if code != exitError {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if strings.ContainsAny(errs, "\x1b\x07\u202e") {
		t.Errorf("stderr holds raw control characters: %q", errs)
	}
	for _, tn := range tenants {
		if !strings.Contains(errs, "tenant "+tn.CID) {
			t.Errorf("no error line for tenant %s: %q", tn.CID, errs)
		}
	}
	if !strings.Contains(errs, "check --filter") || !strings.Contains(errs, "bad filter") || !strings.Contains(errs, "evil") {
		t.Errorf("the message lost its words: %q", errs)
	}
}

// A --tenant CID that is not a child is named in the message. It was lost: the message took
// the CID from the configuration (--member-cid, empty here) instead of the refused token
// request, and read "member CID  is not a Flight Control child".
func TestHostsNotAChildNamesTheCID(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(1), falcontest.WithHosts(5))
	t.Cleanup(srv.Close)
	bogus := strings.Repeat("ab", 16)
	var out bytes.Buffer
	code, errs := runHostsAs(t, srv, srv.URL, "full", &out, "--tenant", bogus)
	if code != exitError || !strings.Contains(errs, "member CID "+bogus+" is not a Flight Control child") {
		t.Errorf("exit %d, stderr %q; want 1 naming %s", code, errs, bogus)
	}
	if out.Len() != 0 {
		t.Errorf("standard output: %q", out.String())
	}
}

// A query the API rejects writes nothing to standard output, in any format: no CSV or table
// header, no "[]", so that a script cannot take the failure for an empty listing. An empty
// listing still gets its empty document (TestHostsFormats).
func TestHostsNothingOnStdoutBeforeTheFirstPage(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(2), falcontest.WithHosts(5))
	t.Cleanup(srv.Close)
	for _, format := range []string{"table", "csv", "json", "ndjson"} {
		for _, scope := range [][]string{nil, {"--all-tenants"}} {
			t.Run(format+strings.Join(scope, ""), func(t *testing.T) {
				swap(t, &stdoutIsTerminal, func(io.Writer) bool { return format == "table" })
				var out bytes.Buffer
				args := append([]string{"--filter", "foo:'x'", "--format", format}, scope...)
				code, errs := runHostsAs(t, srv, srv.URL, "full", &out, args...)
				if code != exitError || !strings.Contains(errs, "check --filter") {
					t.Fatalf("exit %d, stderr %q", code, errs)
				}
				if out.Len() != 0 {
					t.Errorf("standard output after a rejected filter: %q", out.String())
				}
			})
		}
	}
}

// --fields fetches and prints only the fields asked for: CSV columns and JSON keys are
// those fields (after cid and device_id), the table shows the columns it has data for,
// "list" is the explorer's set, and an unknown name is a usage error.
func TestHostsFields(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(1), falcontest.WithHosts(40), falcontest.WithAlerts(0))
	t.Cleanup(srv.Close)
	child := srv.Tenants()[1].CID
	want := len(visibleHosts(t, srv, child))
	base := []string{"--tenant", child, "--sort", "hostname.asc"}

	var out bytes.Buffer
	srv.ResetStats()
	if code, errs := runHostsAs(t, srv, srv.URL, "full", &out, append(base, "--fields", "hostname,tags", "--format", "csv")...); code != 0 {
		t.Fatalf("csv: exit %d %s", code, errs)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) != want+1 || strings.Join(rows[0], ",") != "cid,device_id,hostname,tags" {
		t.Fatalf("csv: %d rows, %v, header %v", len(rows), err, rows[0])
	}
	if rows[1][0] != child || rows[1][2] == "" {
		t.Errorf("csv row = %q", rows[1])
	}
	if st := srv.Stats(); st.ByOperation["GET /devices/combined/devices/v1"] == 0 || st.ByOperation["POST /devices/entities/devices/v2"] != 0 {
		t.Errorf("--fields did not read the combined endpoint: %v", st.ByOperation)
	}

	out.Reset()
	if code, errs := runHostsAs(t, srv, srv.URL, "full", &out, append(base, "--fields", "list", "--format", "ndjson")...); code != 0 {
		t.Fatalf("ndjson: exit %d %s", code, errs)
	}
	sc := bufio.NewScanner(&out)
	n := 0
	for sc.Scan() {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		for _, f := range falcon.ListFields {
			if _, ok := m[f]; !ok {
				t.Fatalf("record lacks list field %s: %s", f, sc.Text())
			}
		}
		if _, ok := m["state"]; !ok || len(m) != len(falcon.ListFields)+1 {
			t.Fatalf("record keys: %s", sc.Text())
		}
		if !strings.HasPrefix(sc.Text(), `{"cid":`) {
			t.Fatalf("keys out of column order: %s", sc.Text())
		}
		n++
	}
	if n != want {
		t.Errorf("ndjson: %d records, want %d", n, want)
	}

	out.Reset()
	swap(t, &stdoutIsTerminal, func(io.Writer) bool { return true })
	if code, errs := runHostsAs(t, srv, srv.URL, "full", &out, append(base, "--fields", "hostname")...); code != 0 {
		t.Fatalf("table: exit %d %s", code, errs)
	}
	head := strings.Fields(strings.SplitN(out.String(), "\n", 2)[0])
	if strings.Join(head, " ") != "CID HOSTNAME DEVICE ID" {
		t.Errorf("table header = %q", head)
	}

	if code, errs := runHostsAs(t, srv, srv.URL, "full", io.Discard, "--fields", "hostname,nope"); code != 2 || !strings.Contains(errs, `"nope" is not a host field`) {
		t.Errorf("unknown field: exit %d, %s", code, errs)
	}
}
