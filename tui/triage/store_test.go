package triage

import (
	"context"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// Only the alerts the server accepted change in the store: refused and unknown ones keep
// their stored status.
func TestStoreRecordsUpdatedAlertsOnly(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "default", profiletest.New(), store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const cid = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	alerts := []falcon.Alert{
		{CID: cid, CompositeID: "a1", Status: "new", Updated: at},
		{CID: cid, CompositeID: "a2", Status: "new", Updated: at},
		{CID: cid, CompositeID: "a3", Status: "new", Updated: at},
		{CID: cid, CompositeID: "a4", Status: "new", Updated: at},
	}
	if err := st.PutAlerts(ctx, cid, alerts, at); err != nil {
		t.Fatal(err)
	}
	msg := sentMsg{results: []falcon.AlertResult{
		{CompositeID: "a1", Outcome: falcon.AlertUpdated},
		{CompositeID: "a2", Outcome: falcon.AlertFailed},
		{CompositeID: "a3", Outcome: falcon.AlertUnknown},
		{CompositeID: "a4", Outcome: falcon.AlertUpdated},
	}, reread: []falcon.Alert{
		{CID: cid, CompositeID: "a1", Status: "closed", AssignedTo: "alice", Updated: at.Add(time.Minute)},
		{CID: cid, CompositeID: "a3", Status: "closed", Updated: at.Add(time.Minute)}, // unknown: not recorded
	}}
	cmd := storeTriage(ctx, st, "", alerts, falcon.AlertUpdate{Status: "closed"}, msg, at.Add(time.Minute))
	if cmd == nil {
		t.Fatal("no command")
	}
	cmd()
	got, err := st.Alerts(ctx, cid)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a1": "closed", "a2": "new", "a3": "new", "a4": "closed"}
	for _, a := range got {
		if a.Status != want[a.CompositeID] {
			t.Errorf("%s: status %q, want %q", a.CompositeID, a.Status, want[a.CompositeID])
		}
		if a.CompositeID == "a1" && a.AssignedTo != "alice" {
			t.Errorf("a1: assignee %q, want the server's", a.AssignedTo)
		}
	}
	if storeTriage(ctx, nil, "", alerts, falcon.AlertUpdate{Status: "closed"}, msg, at) != nil {
		t.Fatal("no store: a command")
	}
}
