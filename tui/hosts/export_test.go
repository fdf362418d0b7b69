package hosts

import (
	"strings"
	"sync"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
)

// The export's snapshot is the view when ctrl+s was pressed: rows read on another goroutine
// while the pane sorts, filters and takes more hosts stay those rows in that order (and
// -race finds no shared write).
func TestExportSnapshotOutlivesSortFilterAndLoad(t *testing.T) {
	m := fakeModel(3000, 120, 30, tuitest.Styles())
	m, _ = m.Update(tuitest.Key("s")) // by platform
	var want []string
	for _, h := range viewHosts(m) {
		want = append(want, h.DeviceID)
	}
	tbl, _, ok := m.Export()
	if !ok || tbl.Len != len(want) || tbl.Marked {
		t.Fatalf("Export: %d rows, ok %v, marked %v; the view has %d", tbl.Len, ok, tbl.Marked, len(want))
	}
	if got := strings.Join(tbl.Columns, ","); got != "device_id,hostname,platform_name,os,agent_version,last_seen,state,local_ip,groups" {
		t.Fatalf("columns %s", got)
	}
	got := make([]string, tbl.Len)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var row []string
		for i := 0; i < tbl.Len; i++ {
			row = tbl.Row(i, row[:0])
			got[i] = row[0]
		}
	}()
	m, _ = m.Update(tuitest.Key("S"))
	m.sortTo(colLastSeen, false)
	m.setFilter("web")
	m, _ = m.Update(hostsLoadedMsg{gen: m.gen, item: stream.Item[[]falcon.Host]{Value: fakeHosts("c1", 500, 99)}})
	wg.Wait()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatal("the exported rows changed with the view after the snapshot")
	}

	// Marked hosts only, in the view's order.
	for _, id := range []string{want[10], want[3]} {
		row, ok := m.rows.Find(id)
		if !ok {
			t.Fatalf("host %s not found", id)
		}
		m.rows.ToggleMark(row)
	}
	m.setFilter("")
	m.sortTo(colPlatform, false)
	tbl, _, _ = m.Export()
	if !tbl.Marked || tbl.Len != 2 {
		t.Fatalf("marked export: %d rows, marked %v", tbl.Len, tbl.Marked)
	}
	if a, b := tbl.Row(0, nil)[0], tbl.Row(1, nil)[0]; a != want[3] || b != want[10] {
		t.Fatalf("marked rows %s, %s; want %s, %s", a, b, want[3], want[10])
	}
}

// The export's columns are the ones the user chose (docs/KEYS.md, column chooser), in that
// order, named by their API field where they have one; the ZTA score is the one known when
// ctrl+s was pressed.
func TestExportFollowsTheChosenColumns(t *testing.T) {
	m := fakeModel(50, 120, 30, tuitest.Styles())
	m.SetColumnChoice([]string{"zta", "hostname", "platform", "groups"})
	first := viewHosts(m)[0]
	m.rows.SetScores(map[string]int{first.DeviceID: 42})
	tbl, _, ok := m.Export()
	if !ok {
		t.Fatal("no export")
	}
	if got := strings.Join(tbl.Columns, ","); got != "device_id,zta_score,hostname,platform_name,groups" {
		t.Fatalf("columns %s", got)
	}
	row := tbl.Row(0, nil)
	want := []string{first.DeviceID, "42", first.Hostname, first.Platform, strings.Join(first.Groups, ";")}
	if strings.Join(row, "|") != strings.Join(want, "|") {
		t.Fatalf("row %q, want %q", row, want)
	}
	m.rows.SetScores(map[string]int{first.DeviceID: 90})
	if got := tbl.Row(0, nil)[1]; got != "42" {
		t.Fatalf("the snapshot's score changed to %s after ctrl+s", got)
	}
}
