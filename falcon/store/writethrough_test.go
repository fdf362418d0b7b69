package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

// Confirmed group edits change only the rows named; the rest of the tenant stays.
func TestConfirmedGroupEdits(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), profiletest.New())
	c := cid(1)
	populate(t, s, c, 3)
	g := fmt.Sprintf("%032x", 0x9000)
	hs := testHosts(c, 3)
	if err := s.AddMembers(ctx, c, g, []string{hs[1].DeviceID, hs[2].DeviceID}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveMembers(ctx, c, g, []string{hs[0].DeviceID}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Members(ctx, c, g)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{hs[1].DeviceID, hs[2].DeviceID}; !slices.Equal(got, want) {
		t.Fatalf("members = %v, want %v", got, want)
	}
	other := falcon.HostGroup{ID: fmt.Sprintf("%032x", 0x9001), Name: "NEW", Type: falcon.GroupType("static")}
	if err := s.PutGroup(ctx, c, other, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutGroup(ctx, c, falcon.HostGroup{ID: g, Name: "RENAMED", Type: falcon.GroupType("static")}, t0); err != nil {
		t.Fatal(err)
	}
	groups, err := s.Groups(ctx, c)
	if err != nil || len(groups) != 2 || groups[0].Name != "NEW" || groups[1].Name != "RENAMED" {
		t.Fatalf("groups = %+v, %v", groups, err)
	}
	if m, _ := s.Members(ctx, c, g); len(m) != 2 {
		t.Fatalf("rename dropped members: %v", m)
	}
	if err := s.DeleteGroup(ctx, c, g); err != nil {
		t.Fatal(err)
	}
	groups, _ = s.Groups(ctx, c)
	if m, _ := s.Members(ctx, c, g); len(groups) != 1 || groups[0].ID != other.ID || len(m) != 0 {
		t.Fatalf("after delete: groups %+v members %v", groups, m)
	}
}

// A confirmed triage change touches only the alerts named and only the fields changed.
func TestUpdateAlerts(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), profiletest.New())
	c := cid(2)
	populate(t, s, c, 1)
	a2 := falcon.Alert{CompositeID: c + ":ind:" + c + ":2", Status: "new", AssignedTo: "bob", Updated: t0}
	if err := s.PutAlerts(ctx, c, []falcon.Alert{a2}, t0); err != nil {
		t.Fatal(err)
	}
	st := "in_progress"
	if err := s.UpdateAlerts(ctx, c, []string{a2.CompositeID}, AlertChange{Status: &st}, t0.Add(1e9)); err != nil {
		t.Fatal(err)
	}
	as, err := s.Alerts(ctx, c)
	if err != nil || len(as) != 2 {
		t.Fatalf("alerts = %+v, %v", as, err)
	}
	for _, a := range as {
		switch a.CompositeID {
		case a2.CompositeID:
			if a.Status != "in_progress" || a.AssignedTo != "bob" {
				t.Fatalf("updated alert = %+v", a)
			}
		default:
			if a.Status == "in_progress" {
				t.Fatalf("unnamed alert changed: %+v", a)
			}
		}
	}
}
