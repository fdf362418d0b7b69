package triage

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/clocktest"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

func alertsOf(t *testing.T, c *falcon.Client, n int) []falcon.Alert {
	t.Helper()
	as, err := c.Alerts.List(context.Background(), "", falcon.AlertQuery{Limit: n, Filter: "status:'new'"})
	if err != nil || len(as) < n {
		t.Fatalf("alerts: %d, %v", len(as), err)
	}
	return as[:n]
}

func box(t *testing.T, c *falcon.Client, o Options) *tuitest.Driver[Model] {
	t.Helper()
	o.Client, o.Styles = c, tuitest.Styles()
	return tuitest.NewDriver(t, New(o), nil)
}

func view(d *tuitest.Driver[Model]) string { return ansi.Strip(d.M.View(100, 24)) }

func reread(t *testing.T, c *falcon.Client, as []falcon.Alert) []falcon.Alert {
	t.Helper()
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.CompositeID
	}
	got, err := c.Alerts.Get(context.Background(), as[0].CID, ids...)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestSetStatusConfirmedSentAndAnnounced(t *testing.T) {
	cloud := tuitest.Start(t, falcontest.WithTenants(1), falcontest.WithHosts(30))
	as := alertsOf(t, cloud.Client, 2)
	d := box(t, cloud.Client, Options{})
	d.Run(d.M.Open(SetStatus, as))
	if !strings.Contains(view(d), "Set the status of 2 marked alerts") {
		t.Fatalf("status picker:\n%s", view(d))
	}
	d.Press("4") // closed
	v := view(d)
	for _, want := range []string{"Confirm: status → closed", "on 2 marked alerts", "y (or enter) sends"} {
		if !strings.Contains(v, want) {
			t.Fatalf("the confirmation lacks %q:\n%s", want, v)
		}
	}
	if cloud.Server.Stats().AlertsUpdated != 0 {
		t.Fatal("sent before the confirmation")
	}
	d.Press("y")
	if n := cloud.Server.Stats().AlertsUpdated; n != 2 {
		t.Fatalf("%d alerts updated on the server, want 2", n)
	}
	if !strings.Contains(view(d), "2 of 2 updated") {
		t.Fatalf("report:\n%s", view(d))
	}
	ann := tuitest.Of[domain.AlertsUpdatedMsg](d.Seen)
	if len(ann) != 1 || len(ann[0].Alerts) != 2 || ann[0].Alerts[0].Status != "closed" {
		t.Fatalf("announced %+v", ann)
	}
	for _, a := range reread(t, cloud.Client, as) {
		if a.Status != "closed" {
			t.Fatalf("the server has %s", a.Status)
		}
	}
	d.Press("enter")
	if d.M.Active() {
		t.Fatal("enter did not close the report")
	}
}

func TestReadOnlySaysWhyAndSendsNothing(t *testing.T) {
	cloud := tuitest.StartAs(t, "full", true, falcontest.WithTenants(1), falcontest.WithHosts(30))
	as := alertsOf(t, cloud.Client, 1)
	d := box(t, cloud.Client, Options{ReadOnly: true})
	before := cloud.Server.Stats().RequestsTotal
	if cmd := d.M.ProbeAccess(as[0].CID); cmd != nil {
		t.Fatal("read-only mode probes alerts:write")
	}
	for _, a := range []Action{SetStatus, Assign, Comment} {
		st := tuitest.StatusOf(t, d.M.Open(a, as))
		if st.Text != ReadOnlyReason || d.M.Active() {
			t.Fatalf("action %d: %q (open %v)", a, st.Text, d.M.Active())
		}
	}
	if cloud.Server.Stats().RequestsTotal != before {
		t.Fatal("a request was sent in read-only mode")
	}
}

func TestMissingWriteScopeIsToldBeforeTrying(t *testing.T) {
	cloud := tuitest.StartAs(t, "analyst", false, falcontest.WithTenants(1), falcontest.WithHosts(30))
	as := alertsOf(t, cloud.Client, 1)
	d := box(t, cloud.Client, Options{})
	d.Run(d.M.ProbeAccess(as[0].CID))
	if !d.M.Denied(as[0].CID) {
		t.Fatal("the probe did not record the missing scope")
	}
	writes := cloud.Server.Stats().Writes
	st := tuitest.StatusOf(t, d.M.Open(SetStatus, as))
	if st.Text != ScopeReason || st.Level != status.LevelWarn || d.M.Active() {
		t.Fatalf("%+v, open %v", st, d.M.Active())
	}
	if cloud.Server.Stats().Writes != writes {
		t.Fatal("a write was sent without alerts:write")
	}
}

func TestAboveFiftyTheCountIsTyped(t *testing.T) {
	cloud := tuitest.Start(t, falcontest.WithTenants(1), falcontest.WithHosts(80), falcontest.WithAlerts(200))
	as := alertsOf(t, cloud.Client, TypeCountOver+1)
	d := box(t, cloud.Client, Options{})
	d.Run(d.M.Open(SetStatus, as))
	d.Press("2") // in progress
	d.Press("y")
	if d.M.Running() || cloud.Server.Stats().AlertsUpdated != 0 {
		t.Fatal("y sent an update that needs its count typed")
	}
	if !strings.Contains(view(d), fmt.Sprintf("type %d", len(as))) {
		t.Fatalf("the confirmation does not ask for the count:\n%s", view(d))
	}
	d.TypeText("50")
	d.Press("enter")
	if !strings.Contains(view(d), "not the number of alerts") || cloud.Server.Stats().AlertsUpdated != 0 {
		t.Fatalf("a wrong count was accepted:\n%s", view(d))
	}
	d.Press("backspace", "backspace")
	d.TypeText("51")
	d.Press("enter")
	if n := cloud.Server.Stats().AlertsUpdated; n != int64(len(as)) {
		t.Fatalf("%d updated, want %d", n, len(as))
	}
}

func TestPartialFailureReportsEachAlertAndRetriesTheRefused(t *testing.T) {
	cloud := tuitest.Start(t, falcontest.WithTenants(1), falcontest.WithHosts(30))
	as := alertsOf(t, cloud.Client, 2)
	ghost := as[0]
	ghost.CompositeID, ghost.Name, ghost.DisplayName = "no-such-alert", "Ghost", "Ghost"
	targets := append([]falcon.Alert{ghost}, as...)
	d := box(t, cloud.Client, Options{})
	d.Run(d.M.Open(Comment, targets))
	d.TypeText("looked at it")
	d.Press("enter", "y")
	v := view(d)
	for _, want := range []string{"2 of 3 updated", "✗ 1 refused", "refused:", "not found", "✓"} {
		if !strings.Contains(v, want) {
			t.Fatalf("report lacks %q:\n%s", want, v)
		}
	}
	again := d.M.report.retryable()
	if len(again) != 1 || again[0].CompositeID != "no-such-alert" {
		t.Fatalf("retry would send %v", again)
	}
	d.Press("r")
	if !strings.Contains(view(d), "Confirm: add a comment") || !strings.Contains(view(d), "Ghost") {
		t.Fatalf("r did not ask again for the refused alert:\n%s", view(d))
	}
}

// An update whose reply was lost is re-read: the report says what the server holds.
func TestUnknownOutcomeIsSettledByTheReread(t *testing.T) {
	as := []falcon.Alert{
		{CompositeID: "a", CID: "c", Name: "landed", Status: "closed"},
		{CompositeID: "b", CID: "c", Name: "lost", Status: "new"},
	}
	u := falcon.AlertUpdate{Status: falcon.AlertStatusClosed}
	msg := sentMsg{results: []falcon.AlertResult{{CompositeID: "a", Outcome: falcon.AlertUnknown}, {CompositeID: "b", Outcome: falcon.AlertUnknown}},
		reread: as}
	r := newReport(as, u, msg)
	if r.rows[0].outcome != outApplied || r.rows[1].outcome != outNotSeen {
		t.Fatalf("outcomes %v %v", r.rows[0].outcome, r.rows[1].outcome)
	}
	if again := r.retryable(); len(again) != 1 || again[0].CompositeID != "b" {
		t.Fatalf("retry %v", again)
	}
	// A comment cannot be seen on re-read: never offered again.
	r = newReport(as, falcon.AlertUpdate{Comment: "x"}, msg)
	if r.rows[0].outcome != outUnknown || len(r.retryable()) != 0 {
		t.Fatalf("comment: %v, retry %v", r.rows[0].outcome, r.retryable())
	}
}

// The real thing: the connection is reset after the simulator applied the PATCH, and the
// re-read fails too; the report says the outcome is unknown and does not offer to resend.
func TestLostReplyIsUnknownAndNotOfferedAgain(t *testing.T) {
	clean := tuitest.Start(t, falcontest.WithSeed(13), falcontest.WithTenants(1), falcontest.WithHosts(30))
	as := alertsOf(t, clean.Client, 2)
	for i := range as {
		as[i].CID = "" // the home tenant of the other server (CIDs are not seeded)
	}
	srv := falcontest.NewServer(falcontest.WithSeed(13), falcontest.WithClock(tuitest.Clock), falcontest.WithTenants(1),
		falcontest.WithHosts(30), falcontest.WithFaults(falcontest.Faults{RateReset: 1}))
	t.Cleanup(srv.Close)
	c := tuitest.Connect(t, srv, "full", falcon.Config{Clock: clocktest.NewVirtual(), MaxRetries: 1})
	d := box(t, c, Options{})
	d.Run(d.M.Open(SetStatus, as))
	d.Press("4", "y")
	v := view(d)
	if !strings.Contains(v, "0 of 2 updated") || !strings.Contains(v, "outcome unknown") || !strings.Contains(v, "re-read failed too") {
		t.Fatalf("report:\n%s", v)
	}
	if n := srv.Stats().ByOperation["PATCH /alerts/entities/alerts/v3"]; n != 1 {
		t.Fatalf("the PATCH was sent %d times", n)
	}
	if len(d.M.report.retryable()) != 0 {
		t.Fatal("an update of unknown outcome is offered again without a re-read")
	}
	d.Press("r")
	if d.M.step != stepReport {
		t.Fatal("r left the report")
	}
}

func TestAssignToAUserPickedByFilter(t *testing.T) {
	cloud := tuitest.Start(t, falcontest.WithTenants(1), falcontest.WithHosts(30))
	as := alertsOf(t, cloud.Client, 1)
	users, err := cloud.Client.Users.List(context.Background(), as[0].CID, "")
	if err != nil || len(users) < 2 {
		t.Fatalf("users %d, %v", len(users), err)
	}
	who := users[1]
	d := box(t, cloud.Client, Options{})
	d.Run(d.M.Open(Assign, as))
	if v := view(d); !strings.Contains(v, "nobody (unassign)") || !strings.Contains(v, users[0].UID) {
		t.Fatalf("picker:\n%s", v)
	}
	d.TypeText(who.UID)
	ps := d.M.picks()
	if len(ps) != 1 || ps[0].user == nil || ps[0].user.UUID != who.UUID {
		t.Fatalf("filter %q picks %+v", who.UID, ps)
	}
	d.Press("enter")
	if !strings.Contains(view(d), "assign to") {
		t.Fatalf("confirmation:\n%s", view(d))
	}
	d.Press("y")
	if got := reread(t, cloud.Client, as); got[0].AssignedToUUID != who.UUID {
		t.Fatalf("assigned to %q, want %q", got[0].AssignedToUUID, who.UUID)
	}
}

func TestAssignToMe(t *testing.T) {
	cloud := tuitest.Start(t, falcontest.WithTenants(1), falcontest.WithHosts(30))
	as := alertsOf(t, cloud.Client, 1)
	users, _ := cloud.Client.Users.List(context.Background(), as[0].CID, "")

	// Not configured: the box says how to set it and sends nothing.
	d := box(t, cloud.Client, Options{})
	d.Run(d.M.Open(Assign, as))
	d.Press("enter") // "me" is the first line
	if !strings.Contains(view(d), "falcon-tui login --me") || d.M.step != stepAssign {
		t.Fatalf("unset me:\n%s", view(d))
	}

	// Configured: "me" is the user with that login.
	me := users[2]
	d = box(t, cloud.Client, Options{Me: strings.ToUpper(me.UID)})
	d.Run(d.M.Open(Assign, as))
	d.Press("enter", "y")
	if got := reread(t, cloud.Client, as); got[0].AssignedToUUID != me.UUID {
		t.Fatalf("assigned to %q, want me %q", got[0].AssignedToUUID, me.UUID)
	}

	// Then unassign.
	d.Press("enter")
	d.Run(d.M.Open(Assign, as))
	d.TypeText("nobody")
	d.Press("enter", "y")
	if got := reread(t, cloud.Client, as); got[0].AssignedToUUID != "" {
		t.Fatalf("still assigned to %q", got[0].AssignedToUUID)
	}
}

func TestEscCancelsEveryStepWithoutSending(t *testing.T) {
	cloud := tuitest.Start(t, falcontest.WithTenants(1), falcontest.WithHosts(30))
	as := alertsOf(t, cloud.Client, 1)
	d := box(t, cloud.Client, Options{})
	for _, keys := range [][]string{{"esc"}, {"enter", "esc"}, {"enter", "n"}} {
		d.Run(d.M.Open(SetStatus, as))
		d.Press(keys...)
		if d.M.Active() {
			t.Fatalf("%v left the box open", keys)
		}
	}
	d.Run(d.M.Open(Comment, as))
	d.Press("enter")
	if !strings.Contains(view(d), "type the comment first") {
		t.Fatal("an empty comment went on")
	}
	d.Press("esc")
	if cloud.Server.Stats().AlertsUpdated != 0 || d.M.Active() {
		t.Fatal("a cancelled triage sent something")
	}
}

func TestHostileUserNamesAreCleaned(t *testing.T) {
	cloud := tuitest.Start(t, falcontest.WithTenants(1), falcontest.WithHosts(30), falcontest.WithHostile(true))
	as := alertsOf(t, cloud.Client, 1)
	d := box(t, cloud.Client, Options{})
	d.Run(d.M.Open(Assign, as))
	if len(d.M.users) == 0 {
		t.Fatal("no users listed")
	}
	if strings.ContainsRune(ansi.Strip(d.M.View(120, 60)), 0x1b) {
		t.Fatal("an escape sequence from a user name reached the screen")
	}
}

func TestGoldenConfirmAndReport(t *testing.T) {
	cloud := tuitest.Start(t, falcontest.WithTenants(1), falcontest.WithHosts(30))
	as := alertsOf(t, cloud.Client, 3)
	d := box(t, cloud.Client, Options{TenantName: func(string) string { return "Home tenant" }})
	d.Run(d.M.Open(SetStatus, as))
	d.Press("down")
	t.Run("status", func(t *testing.T) { tuitest.RequireGolden(t, d.M.View(100, 20), 100, 20) })
	d.Press("enter")
	t.Run("confirm", func(t *testing.T) { tuitest.RequireGolden(t, d.M.View(100, 20), 100, 20) })
	d.Press("y")
	t.Run("report", func(t *testing.T) { tuitest.RequireGolden(t, d.M.View(100, 20), 100, 20) })
}

// Alerts of two tenants: the count is typed whatever the number, and no assignee can serve
// both (a console user belongs to one tenant).
func TestAcrossTenantsTheCountIsTypedAndAssignIsRefused(t *testing.T) {
	as := []falcon.Alert{{CompositeID: "a", CID: "c1", Name: "one"}, {CompositeID: "b", CID: "c2", Name: "two"}}
	d := box(t, nil, Options{})
	st := tuitest.StatusOf(t, d.M.Open(Assign, as))
	if !strings.Contains(st.Text, "a console user belongs to one tenant") || d.M.Active() {
		t.Fatalf("assign across tenants: %q", st.Text)
	}
	d.Run(d.M.Open(SetStatus, as))
	d.Press("4", "y")
	if d.M.step != stepConfirm || !strings.Contains(view(d), "alerts of several tenants: type 2") {
		t.Fatalf("y sent an update across tenants without the typed count:\n%s", view(d))
	}
}
