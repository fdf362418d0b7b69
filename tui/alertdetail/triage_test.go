package alertdetail

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/triage"
)

func TestTriageFromTheDetailShowsTheNewStatus(t *testing.T) {
	cloud := tuitest.Start(t, falcontest.WithTenants(1), falcontest.WithHosts(40), falcontest.WithAlerts(40))
	as, err := cloud.Client.Alerts.List(context.Background(), cloud.Server.ParentCID(), falcon.AlertQuery{Limit: 5, Filter: "status:'new'"})
	if err != nil || len(as) == 0 {
		t.Fatalf("alerts: %v", err)
	}
	m := New(pane.Deps{Client: cloud.Client, Styles: theme.New(true), Now: tuitest.Clock})
	m.SetSize(120, 30)
	r := tuitest.Drive(t, &m)
	r.Run(m.Open(as[0]))
	r.Press("e")
	if !m.Capturing() || !strings.Contains(ansi.Strip(m.View()), "Set the status of the alert") {
		t.Fatalf("e:\n%s", m.View())
	}
	r.Press("2", "y")
	if got := tuitest.Of[domain.AlertsUpdatedMsg](r.Seen); len(got) != 1 {
		t.Fatalf("announced %d times", len(got))
	}
	r.Press("enter")
	if m.alert.Status != "in_progress" || !strings.Contains(ansi.Strip(m.View()), "in progress") {
		t.Fatalf("the detail shows %q:\n%s", m.alert.Status, ansi.Strip(m.View()))
	}
}

func TestDetailTriageReadOnly(t *testing.T) {
	a := firstAlert(t)
	m := New(pane.Deps{Styles: theme.New(true), Now: tuitest.Clock, ReadOnly: true})
	m.SetSize(120, 30)
	m.SetAlert(a)
	r := tuitest.Drive(t, &m)
	r.Press("A")
	if m.Capturing() || r.LastStatus() != triage.ReadOnlyReason {
		t.Fatalf("A in read-only mode: %q", r.LastStatus())
	}
}
