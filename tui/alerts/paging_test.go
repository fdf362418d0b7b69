package alerts

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Every page loads (the pane stopped at 500): the title counts them all and G reaches the
// real oldest alert. Also in host mode.
func TestEveryPageLoads(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30, falcontest.WithAlerts(1450))
	cid := cloud.Server.ParentCID()
	r.Run(m.SetTenant(cid))
	n, err := cloud.Client.Alerts.Count(context.Background(), cid, "")
	if err != nil {
		t.Fatal(err)
	}
	if n <= 1000 {
		t.Fatalf("the tenant has %d alerts: too few for two pages", n)
	}
	if len(m.alerts) != n || m.total != n || m.loading {
		t.Fatalf("loaded %d of %d (total %d, loading %v)", len(m.alerts), n, m.total, m.loading)
	}
	if title := m.Title(); !strings.Contains(title, "["+widget.Int(n)+"]") || strings.Contains(title, " of ") {
		t.Fatalf("title %q, want [%s]", title, widget.Int(n))
	}
	seen := map[string]bool{}
	oldest := m.alerts[0]
	for _, a := range m.alerts {
		if seen[a.CompositeID] {
			t.Fatalf("alert %s twice", a.CompositeID)
		}
		seen[a.CompositeID] = true
		if a.Created.Before(oldest.Created) {
			oldest = a
		}
	}
	r.Press("G")
	if a, _ := m.Selected(); a.CompositeID != oldest.CompositeID {
		t.Fatalf("G is on %s (%v), the oldest is %s (%v)", a.CompositeID, a.Created, oldest.CompositeID, oldest.Created)
	}
}

// A filter the server rejects, entered twice, leaves the list exactly as it was (the hosts
// pane doubled its rows this way; docs: issue 11 item 1).
func TestRejectedFQLTwiceKeepsTheList(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30, falcontest.WithAlerts(1450))
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	before := len(m.alerts)
	r.Press("f")
	r.TypeText("foo:'x")
	r.Press("enter")
	r.Press("enter")
	r.Press("ctrl+u")
	r.TypeText("severity:>>")
	r.Press("enter")
	if !m.Capturing() || m.prompt.Err() == "" {
		t.Fatalf("rejected filter not shown: capturing %v, err %q", m.Capturing(), m.prompt.Err())
	}
	if len(m.alerts) != before || len(m.view) != before || m.total != before {
		t.Fatalf("after two rejections: %d rows (%d shown, total %d), want %d", len(m.alerts), len(m.view), m.total, before)
	}
	assertUnique(t, m.alerts)
}

// A filter rejected while the previous list was still arriving loads that list again,
// replacing the rows it had, never adding to them.
func TestRejectedFQLDuringALoadReplacesTheRows(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30, falcontest.WithAlerts(2300))
	cid := cloud.Server.ParentCID()
	n, _ := cloud.Client.Alerts.Count(context.Background(), cid, "")
	// Take only the first page of the tenant's list, as if the user typed before the rest.
	msg := m.SetTenant(cid)()
	page := msg.(alertsPageMsg)
	*m, _ = m.Update(page)
	if len(m.alerts) == 0 || len(m.alerts) >= n {
		t.Fatalf("first page: %d of %d", len(m.alerts), n)
	}
	r.Press("f")
	r.TypeText("severity:>>")
	r.Press("enter") // rejected: the tenant's list is loaded again
	r.Press("enter") // rejected again
	if len(m.alerts) != n || m.total != n {
		t.Fatalf("after the rejections: %d rows, total %d, want %d", len(m.alerts), m.total, n)
	}
	assertUnique(t, m.alerts)
	_ = page.next.Stop()
}

func assertUnique(t *testing.T, as []falcon.Alert) {
	t.Helper()
	seen := map[string]bool{}
	for _, a := range as {
		if seen[a.CompositeID] {
			t.Fatalf("alert %s twice", a.CompositeID)
		}
		seen[a.CompositeID] = true
	}
}

// A host with no alerts says so, and why, instead of an empty list.
func TestHostWithoutAlertsSaysSo(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30)
	cid := cloud.Server.ParentCID()
	r.Run(m.SetTenant(cid))
	with := map[string]bool{}
	for _, a := range m.alerts {
		with[a.DeviceID] = true
	}
	var quiet falcon.Host
	for _, id := range cloud.Server.HostIDs(cid) {
		if !with[id] {
			quiet = falcon.Host{CID: cid, DeviceID: id, Hostname: "quiet-host"}
			break
		}
	}
	if quiet.DeviceID == "" {
		t.Fatal("every simulated host has an alert")
	}
	r.Run(m.Open(quiet))
	screen := ansi.Strip(m.View())
	for _, want := range []string{"No alerts for quiet-host", "Falcon holds no alert raised on this host", "esc goes back"} {
		if !strings.Contains(screen, want) {
			t.Fatalf("%q missing:\n%s", want, screen)
		}
	}
}

// s sorts (time, severity, status, host, and back); t, n, d and S say why they do nothing.
func TestSortCycleAndKeysThatSayWhy(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30)
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	r.Press("s")
	if m.sort != sortSeverity || !strings.Contains(r.LastStatus(), "severity") {
		t.Fatalf("s: sort %v, status %q", m.sort, r.LastStatus())
	}
	for i := 1; i < len(m.view); i++ {
		if m.alerts[m.view[i]].Severity > m.alerts[m.view[i-1]].Severity {
			t.Fatalf("row %d is more severe than row %d", i, i-1)
		}
	}
	if !strings.Contains(m.Title(), "by severity") {
		t.Fatalf("title %q does not say the order", m.Title())
	}
	r.Press("s")
	for i := 1; i < len(m.view); i++ {
		if statusRank(m.alerts[m.view[i]].Status) < statusRank(m.alerts[m.view[i-1]].Status) {
			t.Fatalf("status order broken at row %d", i)
		}
	}
	r.Press("s")
	for i := 1; i < len(m.view); i++ {
		if strings.ToLower(m.alerts[m.view[i]].Hostname) < strings.ToLower(m.alerts[m.view[i-1]].Hostname) {
			t.Fatalf("host order broken at row %d", i)
		}
	}
	r.Press("s")
	if m.sort != sortCreated {
		t.Fatalf("fourth s: sort %v, want time", m.sort)
	}
	for i := 1; i < len(m.view); i++ {
		if m.view[i] < m.view[i-1] {
			t.Fatal("back to time order: rows out of the server's order")
		}
	}
	for _, k := range []string{"t", "n", "d", "S", "ctrl+a", "ctrl+x", "ctrl+u", "ctrl+d"} {
		r.Seen = nil
		r.Press(k)
		if r.LastStatus() == "" {
			t.Errorf("%s says nothing in Alerts", k)
		}
	}
}

// The title names the tenant, as the other panes' do.
func TestTitleNamesTheTenant(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30)
	cid := cloud.Server.ParentCID()
	m.SetTenantName(func(c string) string {
		if c == cid {
			return "Acme Corp"
		}
		return ""
	})
	r.Run(m.SetTenant(cid))
	if title := m.Title(); !strings.HasPrefix(title, "Alerts(Acme Corp)[") {
		t.Fatalf("title %q", title)
	}
}

// STATUS stays at 80 columns; 220 columns add TECHNIQUE and ASSIGNED instead of padding.
func TestColumnsFollowTheWidth(t *testing.T) {
	for _, tc := range []struct {
		w        int
		want     []string
		wantNot  []string
		hostMode bool
	}{
		{w: 78, want: []string{"CREATED", "SEVERITY", "STATUS", "HOST", "ALERT"}},
		{w: 78, want: []string{"CREATED", "SEVERITY", "STATUS", "ALERT"}, hostMode: true},
		{w: 118, want: []string{"STATUS", "TACTIC", "PRODUCT"}, wantNot: []string{"ASSIGNED"}},
		{w: 218, want: []string{"STATUS", "HOST", "TACTIC", "PRODUCT", "TECHNIQUE", "ASSIGNED"}},
	} {
		m, r, cloud := setup(t, true, tc.w, 20)
		r.Run(m.SetTenant(cloud.Server.ParentCID()))
		if tc.hostMode {
			a := m.alerts[0]
			r.Run(m.SetHost(a.CID, a.DeviceID, a.Hostname))
		}
		head := strings.Split(ansi.Strip(m.View()), "\n")[0]
		for _, w := range tc.want {
			if !strings.Contains(head, w) {
				t.Errorf("%d columns (host %v): %s missing from %q", tc.w, tc.hostMode, w, head)
			}
		}
		for _, w := range tc.wantNot {
			if strings.Contains(head, w) {
				t.Errorf("%d columns: %s in %q", tc.w, w, head)
			}
		}
	}
}

// A load that fails after some pages keeps the rows it has and says the list is cut short.
func TestLoadCutShortKeepsItsRows(t *testing.T) {
	m, _, cloud := setup(t, true, 120, 30)
	m.SetTenant(cloud.Server.ParentCID()) // the load's command is not run: pages are fed below
	page := falcon.AlertPage{Total: 3000, Alerts: []falcon.Alert{{CompositeID: "a1", Name: "one"}, {CompositeID: "a2", Name: "two"}}}
	*m, _ = m.Update(alertsPageMsg{gen: m.gen, page: page})
	var cmd tea.Cmd
	*m, cmd = m.Update(alertsPageMsg{gen: m.gen, err: errors.New("falcon: cloud unreachable"), done: true})
	if len(m.alerts) != 2 || m.err != nil || m.loading {
		t.Fatalf("after the failure: %d rows, err %v, loading %v", len(m.alerts), m.err, m.loading)
	}
	if title := m.Title(); !strings.Contains(title, "[2 of 3,000] cut short") {
		t.Fatalf("title %q", title)
	}
	if st := tuitest.StatusOf(t, cmd); !strings.Contains(st.Text, "only 2 of 3,000 loaded") {
		t.Fatalf("status %q", st.Text)
	}
}

// Until the server answers a new FQL filter, the title shows the filter the rows on screen
// answer: a count never reads as the new filter's before its rows arrive.
func TestTitleNamesTheFilterItsRowsAnswer(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30, falcontest.WithAlerts(300))
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	all := len(m.alerts)
	r.Press("f")
	r.TypeText("status:'new'")
	var cmd tea.Cmd
	*m, cmd = m.Update(tuitest.Key("enter")) // sent, not answered yet
	if title := m.Title(); strings.Contains(title, "status:'new'") {
		t.Fatalf("title %q names the pending filter over the %d rows of the one before", title, all)
	}
	r.Run(cmd)
	if title := m.Title(); !strings.Contains(title, "fql status:'new'") || len(m.alerts) >= all {
		t.Fatalf("after the answer: title %q, %d rows of %d", title, len(m.alerts), all)
	}
}
