package falcon

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

func alertIDs(t *testing.T, c *Client, n int) []string {
	t.Helper()
	as, err := c.Alerts.List(context.Background(), "", AlertQuery{Limit: n, Filter: "status:'new'"})
	if err != nil || len(as) < n {
		t.Fatalf("alerts: %d, %v", len(as), err)
	}
	ids := make([]string, n)
	for i, a := range as[:n] {
		ids[i] = a.CompositeID
	}
	return ids
}

// Status, assignment and a comment land on the server: a re-read shows them, the
// simulator counts them, and every alert reports "updated".
func TestSimAlertUpdateApplies(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithSeed(11), falcontest.WithHosts(30), falcontest.WithTenants(1))
	defer srv.Close()
	c := simClient(t, srv, "full")
	ctx := context.Background()
	ids := alertIDs(t, c, 3)
	users, err := c.Users.List(ctx, "", "")
	if err != nil || len(users) == 0 {
		t.Fatalf("users: %v, %v", users, err)
	}
	before := srv.Stats()
	res, err := c.Alerts.Update(ctx, "", ids, AlertUpdate{Status: AlertStatusInProgress, AssignToUUID: users[0].UUID, Comment: "looking"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(AlertUpdated) != 3 || res.ResourcesAffected != 3 || len(res.Alerts) != 3 {
		t.Fatalf("result %+v, want 3 updated", res)
	}
	for i, r := range res.Alerts {
		if r.CompositeID != ids[i] || r.TraceID == "" {
			t.Errorf("result %d = %+v", i, r)
		}
	}
	after := srv.Stats()
	if after.AlertsUpdated-before.AlertsUpdated != 3 || after.Writes-before.Writes != 1 ||
		after.ByOperation["PATCH "+pathAlertsUpdate]-before.ByOperation["PATCH "+pathAlertsUpdate] != 1 {
		t.Errorf("stats: %d alerts updated, %d writes", after.AlertsUpdated-before.AlertsUpdated, after.Writes-before.Writes)
	}
	as, err := c.Alerts.Get(ctx, "", ids...)
	if err != nil || len(as) != 3 {
		t.Fatalf("re-read: %d, %v", len(as), err)
	}
	for _, a := range as {
		if a.Status != "in_progress" || a.AssignedToUUID != users[0].UUID || a.AssignedTo != users[0].Name() {
			t.Errorf("after update: status %q assigned %q/%q, want in_progress and %s", a.Status, a.AssignedToUUID, a.AssignedTo, users[0].UUID)
		}
	}
	// Unassign and close.
	if _, err := c.Alerts.Update(ctx, "", ids[:1], AlertUpdate{Status: AlertStatusClosed, Unassign: true}); err != nil {
		t.Fatal(err)
	}
	as, _ = c.Alerts.Get(ctx, "", ids[0])
	if len(as) != 1 || as[0].Status != "closed" || as[0].AssignedToUUID != "" {
		t.Errorf("after unassign: %+v", as)
	}
}

// Per-alert outcomes: unknown ids are refused one by one while the rest are updated; a
// user the tenant does not know is a 400 for the whole request, with the API's message.
func TestSimAlertUpdateOutcomes(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithSeed(12), falcontest.WithHosts(30), falcontest.WithTenants(1))
	defer srv.Close()
	c := simClient(t, srv, "full")
	ctx := context.Background()
	ids := alertIDs(t, c, 2)
	mixed := append([]string{"no-such-alert"}, ids...)
	res, err := c.Alerts.Update(ctx, "", mixed, AlertUpdate{Status: AlertStatusInProgress})
	if err != nil {
		t.Fatal(err)
	}
	if res.Alerts[0].Outcome != AlertFailed || !strings.Contains(res.Alerts[0].Message, "not found") ||
		res.Alerts[1].Outcome != AlertUpdated || res.Alerts[2].Outcome != AlertUpdated {
		t.Fatalf("mixed outcomes %+v", res.Alerts)
	}
	// Nothing found at all: a 404 that names each id.
	res, err = c.Alerts.Update(ctx, "", []string{"nope-1", "nope-2"}, AlertUpdate{Comment: "x"})
	if err != nil || res.Count(AlertFailed) != 2 {
		t.Fatalf("all unknown: %+v, %v", res, err)
	}
	// An unknown user: refused whole, nothing changed.
	before := srv.Stats().AlertsUpdated
	res, err = c.Alerts.Update(ctx, "", ids, AlertUpdate{AssignToUUID: "00000000-0000-4000-8000-000000000000"})
	if !errors.Is(err, ErrInvalidRequest) || res.Count(AlertFailed) != 2 || !strings.Contains(res.Alerts[0].Message, "no user") {
		t.Fatalf("unknown user: %+v, %v", res, err)
	}
	if srv.Stats().AlertsUpdated != before {
		t.Error("a refused update changed alerts")
	}
	// Invalid updates never leave the client.
	sent := srv.Stats().RequestsTotal
	for _, u := range []AlertUpdate{{}, {Status: "done"}, {AssignToUUID: "u", Unassign: true}, {Comment: strings.Repeat("x", maxAlertComment+1)}} {
		res, err := c.Alerts.Update(ctx, "", ids, u)
		if !errors.Is(err, ErrInvalidRequest) || res.Count(AlertNotSent) != 2 {
			t.Errorf("update %+v: %v, %+v", u, err, res)
		}
	}
	if _, err := c.Alerts.Update(ctx, "", nil, AlertUpdate{Status: AlertStatusNew}); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("no ids: %v", err)
	}
	if srv.Stats().RequestsTotal != sent {
		t.Error("an invalid update was sent")
	}
}

// A PATCH whose reply is lost may have landed: it is reported "outcome unknown" and never
// resent (docs/API.md §11) — the simulator applies it before resetting the connection.
func TestSimAlertUpdateLostReplyIsUnknownAndNotResent(t *testing.T) {
	for _, tc := range []struct {
		name    string
		faults  falcontest.Faults
		applied int64 // alerts the simulator changed before failing
	}{
		{"reset", falcontest.Faults{RateReset: 1}, 2},
		{"500", falcontest.Faults{Rate500: 1}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The alerts' ids carry their creation time, which counts back from the server's
			// start: both servers read one fixed clock, or a second ticking between them
			// would give the second server other ids.
			fixed := falcontest.WithClock(func() time.Time { return time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC) })
			clean := falcontest.NewServer(falcontest.WithSeed(13), falcontest.WithHosts(30), falcontest.WithTenants(1), fixed)
			defer clean.Close()
			ids := alertIDs(t, simClient(t, clean, "full"), 2)
			// The same seed gives the same alerts on a server that fails every API call.
			srv := falcontest.NewServer(falcontest.WithSeed(13), falcontest.WithHosts(30), falcontest.WithTenants(1),
				falcontest.WithFaults(tc.faults), fixed)
			defer srv.Close()
			c := simClient(t, srv, "full", virtualClock)
			res, err := c.Alerts.Update(context.Background(), "", ids, AlertUpdate{Comment: "once only"})
			if err == nil || res.Count(AlertUnknown) != 2 {
				t.Fatalf("lost reply: %+v, %v; want 2 unknown and an error", res, err)
			}
			if n := srv.Stats().ByOperation["PATCH "+pathAlertsUpdate]; n != 1 {
				t.Errorf("the PATCH was sent %d times, want once", n)
			}
			if n := srv.Stats().AlertsUpdated; n != tc.applied {
				t.Errorf("%d alerts changed, want %d", n, tc.applied)
			}
		})
	}
}

// alerts:write is told before the user tries: granted, denied, or not asked in read-only
// mode; scope denial and read-only mode leave every alert "not sent" or "failed".
func TestSimAlertWriteAccess(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithSeed(14), falcontest.WithHosts(30), falcontest.WithTenants(1))
	defer srv.Close()
	ctx := context.Background()
	full, analyst := simClient(t, srv, "full"), simClient(t, srv, "analyst")
	ro := simClient(t, srv, "full", func(c *Config) { c.ReadOnly = true })
	if st, err := full.Alerts.WriteAccess(ctx, ""); st != ScopeGranted || err != nil {
		t.Errorf("full: %v, %v", st, err)
	}
	if st, err := analyst.Alerts.WriteAccess(ctx, ""); st != ScopeDenied || err != nil {
		t.Errorf("analyst: %v, %v", st, err)
	}
	if st, err := ro.Alerts.WriteAccess(ctx, ""); st != ScopeUnknown || !errors.Is(err, ErrReadOnly) {
		t.Errorf("read-only: %v, %v", st, err)
	}
	ids := alertIDs(t, full, 2)
	writes := srv.Stats().Writes
	res, err := analyst.Alerts.Update(ctx, "", ids, AlertUpdate{Status: AlertStatusClosed})
	if !errors.Is(err, ErrScopeDenied) || res.Count(AlertFailed) != 2 {
		t.Errorf("analyst update: %+v, %v", res, err)
	}
	var ae *APIError
	if errors.As(err, &ae) && ae.Scope != "alerts:write" {
		t.Errorf("denied error names scope %q", ae.Scope)
	}
	res, err = ro.Alerts.Update(ctx, "", ids, AlertUpdate{Status: AlertStatusClosed})
	if !errors.Is(err, ErrReadOnly) || res.Count(AlertNotSent) != 2 {
		t.Errorf("read-only update: %+v, %v", res, err)
	}
	if srv.Stats().Writes != writes {
		t.Error("a denied or read-only update was applied")
	}
}
