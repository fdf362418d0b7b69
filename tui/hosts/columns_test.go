package hosts

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

func headings(m Model) []string {
	var out []string
	for _, c := range m.Columns() {
		out = append(out, c.Heading)
	}
	return out
}

func pressAll(m Model, keys ...string) (Model, []tea.Cmd) {
	var cmds []tea.Cmd
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(tuitest.Key(k))
		cmds = append(cmds, cmd)
	}
	return m, cmds
}

// chosenMsgs runs commands and keeps the column choices they send up.
func chosenMsgs(t *testing.T, cmds []tea.Cmd) []pane.ColumnsChosenMsg {
	t.Helper()
	var out []pane.ColumnsChosenMsg
	for _, cmd := range cmds {
		if cmd == nil {
			continue
		}
		for _, msg := range tuitest.Drain(t, func(tea.Msg) tea.Cmd { return nil }, cmd) {
			if c, ok := msg.(pane.ColumnsChosenMsg); ok {
				out = append(out, c)
			}
		}
	}
	return out
}

func TestColumnChooserShowsHidesAndMoves(t *testing.T) {
	m := fakeModel(50, 120, 40, theme.New(true, theme.WithNoColor(true)))
	m, _ = pressAll(m, "C")
	if !m.Capturing() {
		t.Fatal("the chooser does not have the keyboard")
	}
	out := ansi.Strip(m.View())
	if strings.Contains(out, "tenant") {
		t.Fatalf("the tenant column is offered (all-tenants mode brings it):\n%s", out)
	}
	for _, want := range []string{"[x] hostname", "[x] OS", "[ ] serial", "[ ] ZTA", "[ ] sensor policy", "[ ] first seen"} {
		if !strings.Contains(out, want) {
			t.Fatalf("chooser lacks %q:\n%s", want, out)
		}
	}
	// Hide the platform (second), then bring ZTA (last) up to the second place.
	m, _ = pressAll(m, "j", "space")
	for range int(numColumns) {
		m, _ = pressAll(m, "j")
	}
	m, _ = pressAll(m, "space")
	for range len(m.chooser.order) - 2 {
		m, _ = pressAll(m, "K")
	}
	m, cmds := pressAll(m, "enter")
	if m.Capturing() {
		t.Fatal("enter left the chooser open")
	}
	want := []string{"HOSTNAME", "ZTA", "OS", "SENSOR", "LAST SEEN", "STATE", "LOCAL IP", "GROUPS"}
	if got := headings(m); !slices.Equal(got, want) {
		t.Fatalf("columns = %v, want %v", got, want)
	}
	msgs := chosenMsgs(t, cmds)
	if len(msgs) != 1 || msgs[0].Kind != pane.Hosts ||
		!slices.Equal(msgs[0].Columns, []string{"hostname", "zta", "os", "sensor", "last_seen", "state", "local_ip", "groups"}) {
		t.Fatalf("choice sent up = %+v", msgs)
	}
	if !strings.Contains(ansi.Strip(m.View()), "ZTA") {
		t.Fatal("the table does not show the ZTA heading")
	}
}

func TestColumnChooserEscKeepsTheColumns(t *testing.T) {
	m := fakeModel(20, 120, 30, theme.New(true, theme.WithNoColor(true)))
	before := headings(m)
	m, cmds := pressAll(m, "C", "space", "j", "space", "J", "esc")
	if got := headings(m); !slices.Equal(got, before) {
		t.Fatalf("esc changed the columns: %v, was %v", got, before)
	}
	if len(chosenMsgs(t, cmds)) != 0 {
		t.Fatal("esc sent a choice up")
	}
	// d goes back to the default, and says so to the root (nil: nothing kept).
	m.SetColumnChoice([]string{"hostname", "mac"})
	m, cmds = pressAll(m, "C", "d")
	if got := headings(m); !slices.Equal(got, before) {
		t.Fatalf("d left %v, want the default %v", got, before)
	}
	if msgs := chosenMsgs(t, cmds); len(msgs) != 1 || msgs[0].Columns != nil {
		t.Fatalf("d sent %+v", msgs)
	}
}

func TestWideTerminalsShowMoreColumnsByDefault(t *testing.T) {
	m := fakeModel(20, 120, 30, theme.New(true, theme.WithNoColor(true)))
	base := headings(m)
	m.SetSize(160, 30)
	if got := headings(m); !slices.Equal(got, append(slices.Clone(base), "DOMAIN", "SITE", "EXTERNAL IP")) {
		t.Fatalf("at 160 columns: %v", got)
	}
	m.SetSize(220, 30)
	if got := headings(m); !slices.Equal(got, append(slices.Clone(base), "DOMAIN", "SITE", "EXTERNAL IP", "TAGS", "CONTAINMENT")) {
		t.Fatalf("at 220 columns: %v", got)
	}
	// A choice is the user's: the width no longer adds columns.
	m.SetColumnChoice([]string{"hostname", "os", "nonsense-from-a-newer-version"})
	if got := headings(m); !slices.Equal(got, []string{"HOSTNAME", "OS"}) {
		t.Fatalf("chosen at 220 columns: %v", got)
	}
	for _, sz := range []int{100, 160, 220} {
		m.SetSize(sz, 30)
		tuitest.AssertSize(t, m.View(), sz, 30)
	}
}

func TestLoadAsksForTheFieldsOfTheColumns(t *testing.T) {
	got := loadFields([]column{colHostname, colSerial, colMAC, colOU, colFirstSeen, colSensorPolicy, colZTA, colDomain})
	if !slices.Equal(got[:len(falcon.ListFields)], falcon.ListFields) {
		t.Fatalf("fields do not start with falcon.ListFields: %v", got)
	}
	extra := got[len(falcon.ListFields):]
	if want := []string{"serial_number", "mac_address", "ou", "first_seen", "device_policies"}; !slices.Equal(extra, want) {
		t.Fatalf("extra fields = %v, want %v", extra, want)
	}
	// What a width adds must not need a reload.
	all := append(append(slices.Clone(defaultColumns), wideColumns...), widerColumns...)
	if extra := loadFields(all)[len(falcon.ListFields):]; len(extra) != 0 {
		t.Fatalf("the default columns need %v beyond falcon.ListFields", extra)
	}
}

func TestNewColumnsShowAndSortTheirFields(t *testing.T) {
	m := New(pane.Deps{Styles: theme.New(true, theme.WithNoColor(true)), Now: tuitest.Clock})
	m.SetSize(200, 10)
	m.SetColumnChoice([]string{"hostname", "serial", "mac", "ou", "first_seen", "sensor_policy", "containment", "tags"})
	hosts := []falcon.Host{
		{DeviceID: strings.Repeat("a", 32), Hostname: "alpha", SerialNumber: "SN-200", MAC: "aa-bb", OU: []string{"Servers", "EU"},
			FirstSeen: fixedNow.AddDate(0, -2, 0), Policies: []falcon.Policy{{Type: "sensor_update", ID: "pol1"}}, Containment: "normal", Tags: []string{"FalconGroupingTags/prod"}},
		{DeviceID: strings.Repeat("b", 32), Hostname: "bravo", SerialNumber: "SN-100", MAC: "cc-dd", Containment: "contained"},
	}
	m.rows.AppendHosts(hosts)
	m.table.SetRows(m.rows.Shown())
	out := ansi.Strip(m.View())
	for _, want := range []string{"SN-200", "aa-bb", "Servers/EU", domain.Ago(fixedNow, fixedNow.AddDate(0, -2, 0)), "pol1", "contained", "FalconGroupingTags/prod"} {
		if !strings.Contains(out, want) {
			t.Fatalf("view lacks %q:\n%s", want, out)
		}
	}
	m.sortTo(colSerial, false)
	if got := viewHosts(m); got[0].Hostname != "bravo" {
		t.Fatalf("sorted by serial: %s first", got[0].Hostname)
	}
	// The values other views read (exports) are the host's, for the columns shown.
	cols := m.Columns()
	h := m.rows.Host(m.rows.At(1))
	var vals []string
	for _, c := range cols {
		vals = append(vals, c.Value(h))
	}
	if want := []string{"alpha", "SN-200", "aa-bb", "Servers/EU", fixedNow.AddDate(0, -2, 0).UTC().Format("2006-01-02T15:04:05Z07:00"), "pol1", "normal", "FalconGroupingTags/prod"}; !slices.Equal(vals, want) {
		t.Fatalf("values = %q, want %q", vals, want)
	}
}

func TestViewStateRoundTrip(t *testing.T) {
	m := fakeModel(100, 120, 30, theme.New(true, theme.WithNoColor(true)))
	v := pane.ViewState{FQL: "platform_name:'Linux'", Filter: "web", Sort: "last_seen", Desc: true, Columns: []string{"hostname", "zta", "last_seen"}}
	m.RestoreView(v, false)
	if got := m.ViewState(); got.FQL != v.FQL || got.Filter != v.Filter || got.Sort != v.Sort || !got.Desc || !slices.Equal(got.Columns, v.Columns) {
		t.Fatalf("state = %+v, want %+v", got, v)
	}
	if !slices.Equal(headings(m), []string{"HOSTNAME", "ZTA", "LAST SEEN"}) {
		t.Fatalf("columns = %v", headings(m))
	}
	info := ansi.Strip(strings.SplitN(m.View(), "\n", 2)[0])
	for _, want := range []string{"fql platform_name:'Linux'", "/web", "sort last seen ▼"} {
		if !strings.Contains(info, want) {
			t.Fatalf("info line %q lacks %q", info, want)
		}
	}
	// Default columns are not kept: the view follows the width.
	m.RestoreView(pane.ViewState{}, false)
	if got := m.ViewState(); got.Columns != nil || got.Sort != "" || got.Filter != "" || got.FQL != "" {
		t.Fatalf("empty state came back as %+v", got)
	}
}
