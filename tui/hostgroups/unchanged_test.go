package hostgroups

import (
	"context"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

const opPatchGroups = "PATCH /devices/entities/host-groups/v1"

// Bug: the edit forms open with the API's text as sanitised for the screen (tabs and
// newlines become spaces, invisible characters go) and saved it whatever the user did, so
// enter on an untouched field silently rewrote a description or rule that held them.
func TestSimUnchangedFieldsSendNothing(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(40), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full", false)
	ctx := context.Background()
	desc := "line one\nline two\tafter a tab\u200b"
	rule := "platform_name:'Linux'\n+hostname:'web-*'"
	g, err := c.HostGroups.Create(ctx, "", falcon.GroupSpec{Name: "Odd text", Type: falcon.GroupDynamic,
		Description: desc, AssignmentRule: rule})
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, c)
	srv.ResetStats()

	for _, tc := range []struct{ key, what string }{{"E", "description"}, {"e", "rule"}, {"R", "name"}} {
		d.cursorTo(g.Name)
		d.Press(tc.key)
		if d.M.form.kind == formNone {
			t.Fatalf("%s did not open the %s form", tc.key, tc.what)
		}
		d.Press("enter")
		if d.M.form.kind != formNone {
			t.Fatalf("%s: the form stayed open (%q)", tc.what, d.M.form.err)
		}
		if got := d.LastStatus(); !strings.Contains(got, tc.what+" of Odd text unchanged") {
			t.Fatalf("%s: status %q does not say it is unchanged", tc.what, got)
		}
	}
	if n := srv.Stats().ByOperation[opPatchGroups]; n != 0 {
		t.Fatalf("untouched fields sent %d PATCHes", n)
	}
	got, err := c.HostGroups.Get(ctx, "", g.ID)
	if err != nil || got.Description != desc || got.AssignmentRule != rule {
		t.Fatalf("server now has description %q rule %q (%v)", got.Description, got.AssignmentRule, err)
	}

	// An edit is still sent.
	d.cursorTo(g.Name)
	d.Press("E")
	d.TypeText(" more")
	d.Press("enter")
	if n := srv.Stats().ByOperation[opPatchGroups]; n != 1 {
		t.Fatalf("an edited description sent %d PATCHes, want 1", n)
	}
	if got, _ := c.HostGroups.Get(ctx, "", g.ID); !strings.HasSuffix(got.Description, " more") {
		t.Fatalf("edited description not saved: %q", got.Description)
	}
}
