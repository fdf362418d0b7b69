package tenants

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// Bug: a reload (r) that failed while the previous load's counts were still on their way
// left those rows at "…" and the status bar's spinner on "tenants 3/5" for ever, and said
// nothing about the failure.
func TestFailedReloadEndsTheCounting(t *testing.T) {
	m := New(pane.Deps{Styles: theme.New(true)})
	m.SetSize(120, 12)
	ts := []falcon.Tenant{{CID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, {CID: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", Name: "Child", ParentCID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}
	m.gen = 1
	m, _ = m.Update(tenantsLoadedMsg{gen: 1, tenants: ts})
	m, _ = m.Update(summaryLoadedMsg{gen: 1, cid: ts[0].CID, sum: falcon.TenantSummary{Hosts: 5}})
	// r: a new generation; the child's count of generation 1 will be dropped.
	m.gen, m.loading = 2, true
	m, c := m.Update(tenantsLoadedMsg{gen: 2, err: errors.New("500: upstream")})
	if _, _, loading := m.Loading(); loading {
		t.Fatal("still loading after the reload failed")
	}
	msg, ok := c().(status.Msg)
	if !ok || msg.Level != status.LevelError || !strings.Contains(msg.Text, "tenants not reloaded") {
		t.Fatalf("status %+v", msg)
	}
	view := ansi.Strip(m.View())
	if strings.Contains(view, "…") || !strings.Contains(view, "n/a") || !strings.Contains(view, "Child") {
		t.Fatalf("view after a failed reload:\n%s", view)
	}
}

// Bug: a client without mssp:read saw a list of one and no reason for it.
func TestOnlyHomeSaysWhy(t *testing.T) {
	cloud := tuitest.StartAs(t, "partial", false, falcontest.WithTenants(2), falcontest.WithHosts(20))
	m := New(pane.Deps{Client: cloud.Client, Styles: theme.New(true)})
	m.SetSize(140, 10)
	r := tuitest.Drive(t, &m)
	r.Run(m.Load())
	// Issue 11 item 4: named precisely (the client tells hidden children from none), where
	// the children would be: right under the home tenant's row.
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	home := -1
	for i, l := range lines {
		if strings.Contains(l, "· parent") {
			home = i
		}
	}
	if home < 0 || home+1 >= len(lines) || !strings.Contains(lines[home+1], "child tenants hidden: needs mssp:read") {
		t.Fatalf("view:\n%s", strings.Join(lines, "\n"))
	}
	tuitest.AssertSize(t, m.View(), 140, 10)

	// A tenant that has no children says that instead.
	alone := tuitest.StartAs(t, "full", false, falcontest.WithTenants(0), falcontest.WithHosts(5))
	m = New(pane.Deps{Client: alone.Client, Styles: theme.New(true)})
	m.SetSize(140, 10)
	r = tuitest.Drive(t, &m)
	r.Run(m.Load())
	if view := ansi.Strip(m.View()); strings.Contains(view, "hidden") || !strings.Contains(view, "no Flight Control children") {
		t.Fatalf("view of a tenant without children:\n%s", view)
	}
}

// The API column: remaining/limit, 429s, a countdown while cooling down, "–" before any reply.
func TestRateColumn(t *testing.T) {
	m := New(pane.Deps{Styles: theme.New(true), Now: tuitest.Clock})
	m.SetSize(140, 10)
	ts := []falcon.Tenant{
		{CID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		{CID: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", Name: "Busy", ParentCID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		{CID: "cccccccccccccccccccccccccccccccc", Name: "Cooling", ParentCID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		{CID: "dddddddddddddddddddddddddddddddd", Name: "Quiet", ParentCID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
	}
	m.gen = 1
	m, _ = m.Update(tenantsLoadedMsg{gen: 1, tenants: ts})
	m.SetRate(falcon.RateState{CID: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Limit: 6000, Remaining: 5990})
	m.SetRate(falcon.RateState{CID: ts[1].CID, Limit: 6000, Remaining: 120, Throttled: 3})
	m.SetRate(falcon.RateState{CID: ts[2].CID, Limit: 6000, Throttled: 9, RetryAfter: tuitest.Now.Add(2500 * time.Millisecond)})
	view := ansi.Strip(m.View())
	for _, want := range []string{"API REMAINING", "5,990/6,000", "120/6,000 429×3", "cooling 3s 429×9"} {
		if !strings.Contains(view, want) {
			t.Fatalf("view lacks %q:\n%s", want, view)
		}
	}
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "Quiet") && !strings.HasSuffix(strings.TrimRight(l, " "), "–") {
			t.Fatalf("a tenant with no reply yet: %q", l)
		}
	}
}
