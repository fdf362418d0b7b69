package groupedit

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// A partly failed edit records only the hosts the server confirmed; undo likewise.
func TestStoreRecordsConfirmedHostsOnly(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "default", profiletest.New(), store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const cid, gid = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "g1"
	if err := st.PutMembers(ctx, cid, gid, []string{"h0"}, time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	add := falcon.MembershipResult{GroupID: gid, Action: falcon.AddHosts, Hosts: []falcon.HostOutcome{
		{DeviceID: "h1", Outcome: falcon.OutcomeChanged},
		{DeviceID: "h2", Outcome: falcon.OutcomeFailed},
		{DeviceID: "h3", Outcome: falcon.OutcomeUnchanged},
	}}
	storeConfirmed(ctx, st, cid, gid, add)()
	got, _ := st.Members(ctx, cid, gid)
	if want := []string{"h0", "h1", "h3"}; !slices.Equal(got, want) {
		t.Fatalf("after add: %v, want %v", got, want)
	}
	undo := falcon.MembershipResult{GroupID: gid, Action: falcon.RemoveHosts, Hosts: []falcon.HostOutcome{
		{DeviceID: "h1", Outcome: falcon.OutcomeFailed},
		{DeviceID: "h3", Outcome: falcon.OutcomeChanged},
	}}
	storeConfirmed(ctx, st, cid, gid, undo)()
	got, _ = st.Members(ctx, cid, gid)
	if want := []string{"h0", "h1"}; !slices.Equal(got, want) {
		t.Fatalf("after undo: %v, want %v", got, want)
	}
	if storeConfirmed(ctx, nil, cid, gid, add) != nil {
		t.Fatal("no store: a command")
	}
}
