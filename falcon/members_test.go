package falcon

import (
	"context"
	"net/url"
	"slices"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// A hidden member is left out of Members and MemberCount, as the console leaves hidden
// hosts out everywhere; the simulator's GroupMembers agrees, and GroupMembersAll still
// holds it (hidden hosts keep their groups).
func TestSimMembersLeaveHiddenHosts(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(100), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full")
	ctx := context.Background()
	home := srv.ParentCID()
	g, err := c.HostGroups.Create(ctx, "", GroupSpec{Name: "twelve", Type: GroupStaticByID})
	if err != nil {
		t.Fatal(err)
	}
	ids := visibleHostIDs(t, c, srv, home)[:12]
	if _, err := c.HostGroups.EditMembers(ctx, "", g.ID, AddHosts, ids, nil); err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(ctx, "", &Request{Method: "POST", Path: "/devices/entities/devices-actions/v2",
		Query: url.Values{"action_name": {"hide_host"}}, Body: map[string][]string{"ids": ids[:1]}})
	if err != nil || resp.StatusCode/100 != 2 {
		t.Fatalf("hide_host: %v %v", resp, err)
	}
	n, err := c.HostGroups.MemberCount(ctx, "", g.ID)
	if err != nil {
		t.Fatal(err)
	}
	var members []string
	for hosts, err := range c.HostGroups.Members(ctx, "", g.ID, HostQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hosts {
			members = append(members, h.DeviceID)
		}
	}
	slices.Sort(members)
	want := srv.GroupMembers(home, g.ID)
	if n != 11 || len(want) != 11 || !slices.Equal(members, want) {
		t.Errorf("MemberCount %d, Members %d, simulator %d: want 11 each, the same hosts", n, len(members), len(want))
	}
	if all := srv.GroupMembersAll(home, g.ID); len(all) != 12 {
		t.Errorf("stored membership: %d hosts, want 12", len(all))
	}
}
