package alerts

import (
	"context"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/triage"
)

func TestMarkAndCloseTheMarkedAlerts(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30)
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	r.Press("space", "space") // the first two, the cursor moves down
	if m.Marked() != 2 || !strings.Contains(m.Title(), "2 marked") {
		t.Fatalf("%d marked, title %q", m.Marked(), m.Title())
	}
	marked := []string{m.alerts[m.view[0]].CompositeID, m.alerts[m.view[1]].CompositeID}
	r.Press("e")
	if !m.Capturing() || !strings.Contains(m.View(), "Set the status of 2 marked alerts") {
		t.Fatalf("e did not open the box on the marked alerts:\n%s", m.View())
	}
	r.Press("4", "y")
	if n := cloud.Server.Stats().AlertsUpdated; n != 2 {
		t.Fatalf("%d alerts updated on the server", n)
	}
	// The rows show the server's new state (re-read), before any reload.
	for _, i := range m.view[:2] {
		if a := m.alerts[i]; (a.CompositeID == marked[0] || a.CompositeID == marked[1]) && a.Status != "closed" {
			t.Fatalf("row %s shows %s", a.CompositeID, a.Status)
		}
	}
	got, _ := cloud.Client.Alerts.Get(context.Background(), cloud.Server.ParentCID(), marked...)
	for _, a := range got {
		if a.Status != "closed" {
			t.Fatalf("the server has %s", a.Status)
		}
	}
	r.Press("enter") // close the report
	if m.Capturing() {
		t.Fatal("the report stayed open")
	}
	// A reload of the new alerts no longer lists the closed ones: their marks go.
	r.Press("f")
	r.TypeText("status:'new'")
	r.Press("enter")
	if m.Marked() != 0 || strings.Contains(m.Title(), "marked") {
		t.Fatalf("%d marks kept for alerts the list no longer has (%q)", m.Marked(), m.Title())
	}
	r.Press("space")
	r.Press("ctrl+x")
	if m.Marked() != 0 {
		t.Fatal("ctrl+x did not clear the marks")
	}
	r.Press("ctrl+a")
	if m.Marked() != len(m.view) {
		t.Fatalf("ctrl+a marked %d of %d", m.Marked(), len(m.view))
	}
}

func TestWithoutMarksTheCursorAlertIsTriaged(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 30)
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	r.Press("down")
	sel, _ := m.Selected()
	r.Press("c")
	r.TypeText("seen by tier 1")
	r.Press("enter")
	if !strings.Contains(m.View(), "Confirm: add a comment") || !strings.Contains(m.View(), "seen by tier 1") {
		t.Fatalf("confirmation:\n%s", m.View())
	}
	r.Press("y")
	if n := cloud.Server.Stats().AlertsUpdated; n != 1 {
		t.Fatalf("%d updated", n)
	}
	if got := tuitest.Of[domain.AlertsUpdatedMsg](r.Seen); len(got) != 1 || got[0].Alerts[0].CompositeID != sel.CompositeID {
		t.Fatalf("announced %+v", got)
	}
}

func TestTriageKeysSayWhyInReadOnlyMode(t *testing.T) {
	cloud := tuitest.StartAs(t, "full", true, falcontest.WithTenants(1), falcontest.WithHosts(40), falcontest.WithAlerts(30))
	m := New(pane.Deps{Client: cloud.Client, Styles: theme.New(true), Now: tuitest.Clock, ReadOnly: true})
	m.SetSize(120, 30)
	r := tuitest.Drive(t, &m)
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	writes := cloud.Server.Stats().Writes
	for _, k := range []string{"e", "A", "c"} {
		r.Press(k)
		if m.Capturing() || r.LastStatus() != triage.ReadOnlyReason {
			t.Fatalf("%s: %q", k, r.LastStatus())
		}
	}
	if cloud.Server.Stats().Writes != writes || cloud.Server.Stats().ByOperation["PATCH /alerts/entities/alerts/v3"] != 0 {
		t.Fatal("read-only mode sent a write or a probe")
	}
}

func TestMissingAlertsWriteIsShownBeforeTrying(t *testing.T) {
	cloud := tuitest.StartAs(t, "analyst", false, falcontest.WithTenants(1), falcontest.WithHosts(40), falcontest.WithAlerts(30))
	m := New(pane.Deps{Client: cloud.Client, Styles: theme.New(true), Now: tuitest.Clock})
	m.SetSize(120, 30)
	r := tuitest.Drive(t, &m)
	r.Run(m.SetTenant(cloud.Server.ParentCID()))
	if !strings.Contains(m.Title(), "triage needs alerts:write") {
		t.Fatalf("title %q does not say triage is not allowed", m.Title())
	}
	r.Press("e")
	if m.Capturing() || r.LastStatus() != triage.ScopeReason {
		t.Fatalf("e: %q", r.LastStatus())
	}
}
