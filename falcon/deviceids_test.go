package falcon

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

func TestFQLIDListRefusesNonDeviceIDs(t *testing.T) {
	good := []string{"0123456789abcdef0123456789abcdef", "0123456789ABCDEF0123456789ABCDEF"}
	got, err := fqlIDList("device_id", good)
	if err != nil || got != "device_id:['0123456789abcdef0123456789abcdef','0123456789ABCDEF0123456789ABCDEF']" {
		t.Errorf("fqlIDList(good) = %q, %v", got, err)
	}
	for _, bad := range []string{
		"*",
		"0123456789abcdef0123456789abcde*",
		"0123456789abcdef0123456789abcd'e",
		"0123456789abcdef0123456789abcdeg",
		"0123456789abcdef0123456789abcdef0",
		"0123456789abcdef',device_id:'*",
		"",
		" 0123456789abcdef0123456789abcde",
	} {
		got, err := fqlIDList("device_id", append([]string{good[0]}, bad))
		if !errors.Is(err, ErrInvalidRequest) || got != "" {
			t.Errorf("fqlIDList(%q) = %q, %v; want ErrInvalidRequest and no filter", bad, got, err)
			continue
		}
		if !strings.Contains(err.Error(), "\""+bad+"\"") {
			t.Errorf("error does not name the bad id %q: %v", bad, err)
		}
	}
}

// EditMembers refuses a list holding a non-device id before it sends anything at all.
func TestSimEditMembersRefusesBadIDsBeforeSending(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(50))
	defer srv.Close()
	c := simClient(t, srv, "full")
	ctx := context.Background()
	g := pickGroup(t, c, "", GroupStaticByID)
	before := srv.GroupMembersAll(srv.ParentCID(), g.ID)
	ids := srv.HostIDs(srv.ParentCID())[:3]
	for _, bad := range []string{"*", "x' , device_id:*", ids[0][:31] + "'"} {
		srv.ResetStats()
		_, err := c.HostGroups.EditMembers(ctx, "", g.ID, AddHosts, append(append([]string(nil), ids...), bad), nil)
		if !errors.Is(err, ErrInvalidRequest) || !strings.Contains(err.Error(), bad) {
			t.Errorf("EditMembers with %q: %v, want ErrInvalidRequest naming it", bad, err)
		}
		if st := srv.Stats(); st.RequestsTotal != 0 || st.Writes != 0 {
			t.Errorf("EditMembers with %q sent %d requests: %v", bad, st.RequestsTotal, st.ByOperation)
		}
	}
	if got := srv.GroupMembersAll(srv.ParentCID(), g.ID); !sameSet(got, setOf(before)) {
		t.Errorf("membership changed: %d members, had %d", len(got), len(before))
	}
}

func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
