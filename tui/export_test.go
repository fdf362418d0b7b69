package tui

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// exported presses the keys (or runs the command) of an export and returns the file it
// names in its notice, read as CSV (header first).
func (a *app) exportCSV(keys ...string) (string, [][]string) {
	a.t.Helper()
	a.r.Seen = nil
	a.press(keys...)
	st := a.r.LastStatus()
	m := regexp.MustCompile(`^exported ([\d,]+) .* to (.+)$`).FindStringSubmatch(st)
	if m == nil {
		a.t.Fatalf("no export notice; status %q", st)
	}
	path := m[2]
	recs := readCSV(a.t, path)
	if n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", "")); n != len(recs)-1 {
		a.t.Fatalf("the notice says %s rows, the file has %d", m[1], len(recs)-1)
	}
	return path, recs
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func column(recs [][]string, name string) []string {
	i := -1
	for j, c := range recs[0] {
		if c == name {
			i = j
		}
	}
	var out []string
	for _, r := range recs[1:] {
		if i >= 0 {
			out = append(out, r[i])
		}
	}
	return out
}

// shownDeviceIDs walks the hosts list from the top and returns the device ids in order.
func (a *app) shownDeviceIDs() []string {
	a.t.Helper()
	h := a.hostsPane()
	n, _ := h.Count()
	a.press("home")
	var out []string
	for i := 0; i < n; i++ {
		s, _ := a.hostsPane().Selected()
		out = append(out, s.DeviceID)
		a.press("down")
	}
	a.press("home")
	return out
}

func TestExportHostsKeepsFilterSortAndMarks(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	a := start(t, 120, 35, true, Options{})

	// Sorted by platform, filtered to Windows: the file holds the rows shown, in order.
	a.press("s")
	a.press("/")
	a.r.TypeText("windows")
	a.press("enter")
	shown, loaded := a.hostsPane().Count()
	if shown == 0 || shown == loaded {
		t.Fatalf("the filter shows %d of %d hosts", shown, loaded)
	}
	want := a.shownDeviceIDs()
	path, recs := a.exportCSV("ctrl+s")
	if dir := filepath.Join(data, "falcon-tui", "exports"); filepath.Dir(path) != dir {
		t.Fatalf("exported to %s, want a file in %s", path, dir)
	}
	if !regexp.MustCompile(`/hosts-home-tenant-\d{8}-\d{6}\.csv$`).MatchString(path) {
		t.Fatalf("file name %s", path)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file mode: %v %v", fi, err)
	}
	if got := strings.Join(recs[0], ","); got != "device_id,hostname,platform_name,os,agent_version,last_seen,state,local_ip,groups" {
		t.Fatalf("header %s", got)
	}
	if got := column(recs, "device_id"); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("rows %v\nwant the screen's %v", got, want)
	}
	for _, p := range column(recs, "platform_name") {
		if p != "Windows" {
			t.Fatalf("a %s host in an export of Windows hosts", p)
		}
	}

	// A second export in the same second gets a name of its own: nothing is overwritten.
	path2, _ := a.exportCSV("ctrl+s")
	if path2 == path {
		t.Fatalf("the second export overwrote %s", path)
	}

	// Marked rows only, in the order on screen.
	a.press("home", "space", "down", "space")
	_, recs = a.exportCSV("ctrl+s")
	if got := column(recs, "device_id"); len(got) != 2 || got[0] != want[0] || got[1] != want[2] {
		t.Fatalf("marked export %v, want %s and %s", got, want[0], want[2])
	}
	if st := a.r.LastStatus(); !strings.HasPrefix(st, "exported 2 marked hosts to ") {
		t.Fatalf("status %q", st)
	}
}

func TestExportCommandFormatsAndPaths(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := start(t, 120, 35, true, Options{})
	dir := t.TempDir()
	path := filepath.Join(dir, "all.json")
	a.command("export json " + path)
	if st := a.r.LastStatus(); !strings.HasSuffix(st, " to "+path) {
		t.Fatalf(":export json PATH said %q", st)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatal(err)
	}
	if shown, _ := a.hostsPane().Count(); len(rows) != shown || rows[0]["device_id"] == "" {
		t.Fatalf("%d JSON rows, the screen shows %d", len(rows), shown)
	}
	// The same path again: refused, the file kept.
	a.command("export ndjson " + path)
	if st := a.r.LastStatus(); !strings.Contains(st, "exists") {
		t.Fatalf("an export over an existing file said %q", st)
	}
	if after, _ := os.ReadFile(path); string(after) != string(b) {
		t.Fatal("the existing file changed")
	}
	// The format from the extension; NDJSON is a line per row.
	nd := filepath.Join(dir, "h.ndjson")
	a.command("export " + nd)
	b, _ = os.ReadFile(nd)
	if n := strings.Count(string(b), "\n"); n != len(rows) {
		t.Fatalf("%d NDJSON lines, want %d", n, len(rows))
	}
	// Completion offers the formats.
	a.press(":")
	a.r.TypeText("exp")
	var texts []string
	for _, s := range a.m.cmd.match {
		texts = append(texts, s.text)
	}
	if got := strings.Join(texts, ","); got != "export,export csv,export json,export ndjson" {
		t.Fatalf("completions of :exp: %s", got)
	}
	a.press("esc")
}

func TestExportAlertsGroupsMembersScopes(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := start(t, 120, 35, true, Options{})

	// Alerts by severity: the order on screen, every alert shown.
	a.command("alerts")
	a.press("s")
	_, recs := a.exportCSV("ctrl+s")
	if n := len(a.alertsPane().Alerts()); len(recs)-1 != n || n == 0 {
		t.Fatalf("%d alert rows, %d alerts", len(recs)-1, n)
	}
	first, _ := a.alertsPane().Selected()
	if column(recs, "composite_id")[0] != first.CompositeID {
		t.Fatal("the first exported alert is not the first on screen")
	}
	prev := 101
	for _, s := range column(recs, "severity") {
		n, _ := strconv.Atoi(s)
		if n > prev {
			t.Fatalf("severities not in the screen's order: %v", column(recs, "severity"))
		}
		prev = n
	}

	// Groups: one row per group shown.
	a.command("groups")
	_, recs = a.exportCSV("ctrl+s")
	if !regexp.MustCompile(`Host groups\([^)]*\)\[` + strconv.Itoa(len(recs)-1) + `\]`).MatchString(a.screen()) {
		t.Fatalf("%d group rows; screen:\n%s", len(recs)-1, a.screen())
	}
	// A group's members, then only the marked one.
	a.press("enter")
	path, recs := a.exportCSV("ctrl+s")
	if !strings.Contains(filepath.Base(path), "members-") || len(recs) < 2 {
		t.Fatalf("members export %s with %d rows", path, len(recs)-1)
	}
	a.press("down", "space")
	_, marked := a.exportCSV("ctrl+s")
	if len(marked) != 2 || marked[1][0] != recs[2][0] {
		t.Fatalf("marked members export %v, want %v", marked, recs[2][0])
	}
	a.press("esc")

	// Scopes: a row per scope and tenant.
	a.command("scopes")
	_, recs = a.exportCSV("ctrl+s")
	tenants := map[string]bool{}
	for _, c := range column(recs, "cid") {
		tenants[c] = true
	}
	if nt := len(a.m.tenants); len(tenants) != nt || (len(recs)-1)%nt != 0 || column(recs, "read")[0] == "" {
		t.Fatalf("scopes export: %d rows over %d tenants: %v", len(recs)-1, len(tenants), recs[:2])
	}

	// Tenants have nothing to export, and say so.
	a.command("tenants")
	a.r.Seen = nil
	a.press("ctrl+s")
	if st := a.r.LastStatus(); !strings.HasPrefix(st, "nothing to export in Tenants") {
		t.Fatalf("ctrl+s in tenants said %q", st)
	}
}

// API text cannot run as a formula in a spreadsheet, nor carry escape sequences.
func TestExportNeutralisesHostileText(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := start(t, 120, 35, true, Options{}, falcontest.WithHostile(true))
	_, recs := a.exportCSV("ctrl+s")
	for _, r := range recs[1:] {
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Fatalf("cell %q starts a formula", c)
			}
			if strings.ContainsAny(c, "\x1b\x07\u009b") {
				t.Fatalf("cell %q holds a control character", c)
			}
		}
	}
}

// The notice says an export runs until its result arrives, whatever order the commands
// finish in; then it names the file.
func TestExportSaysItRunsThenWhereItWent(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := start(t, 120, 35, true, Options{})
	var held []exportedMsg
	a.hold = func(msg tea.Msg) bool {
		if e, ok := msg.(exportedMsg); ok {
			held = append(held, e)
			return true
		}
		return false
	}
	a.press("ctrl+s")
	shown, _ := a.hostsPane().Count()
	if cur, _ := a.m.status.Current(); cur.Text != "exporting "+strconv.Itoa(shown)+" hosts…" || len(held) != 1 {
		t.Fatalf("while the export runs the status says %q (%d results)", cur.Text, len(held))
	}
	a.hold = nil
	a.r.Send(held[0])
	if cur, _ := a.m.status.Current(); !strings.HasPrefix(cur.Text, "exported "+strconv.Itoa(shown)+" hosts to ") {
		t.Fatalf("after the export the status says %q", cur.Text)
	}
}
