package hostgroups

import (
	"context"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// Update tests whose commands run against the simulated cloud.

func simClient(t *testing.T, srv *falcontest.Server, name string, readOnly bool) *falcon.Client {
	t.Helper()
	// Connect learns the home CID, and the client retries an invalid rule's 500 at most
	// once, so the client needs no test-only settings.
	return tuitest.Connect(t, srv, name, falcon.Config{ReadOnly: readOnly})
}

// driver plays the root for the pane: status notices and requests to the root go up; the
// pane's own results come back to it.
type driver struct{ *tuitest.Driver[Model] }

// cursorTo moves the cursor onto the group named name.
func (d *driver) cursorTo(name string) falcon.HostGroup {
	d.TB.Helper()
	d.Press("g")
	for range len(d.M.visible) {
		if g, ok := d.M.current(); ok && g.Name == name {
			return g
		}
		d.Press("down")
	}
	d.TB.Fatalf("no group %q in the list", name)
	return falcon.HostGroup{}
}

func newDriver(t *testing.T, c *falcon.Client) *driver {
	d := &driver{tuitest.NewDriver(t, New(pane.Deps{Client: c, Styles: tuitest.Styles()}), func(msg tea.Msg) bool {
		switch msg.(type) {
		case status.Msg, pane.EditMembershipMsg, pane.NavigateMsg:
			return true
		}
		return false
	})}
	d.M.SetSize(paneW, paneH)
	d.M.Focus()
	d.Run(d.M.SetTenant(""))
	return d
}

func TestSimListWithCounts(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(300), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full", false)
	d := newDriver(t, c)
	cid := srv.ParentCID()
	if len(d.M.groups) != len(srv.HostGroups(cid)) || len(d.M.groups) == 0 {
		t.Fatalf("pane lists %d groups, server has %d", len(d.M.groups), len(srv.HostGroups(cid)))
	}
	// Counts come from a hosts query (groups:'id'), which leaves hidden hosts out: at most
	// the server's member list, and exactly what the member list then shows.
	for _, g := range d.M.groups {
		cnt := d.M.counts[g.ID]
		if !cnt.done || cnt.err != nil || cnt.n > len(srv.GroupMembers(cid, g.ID)) {
			t.Fatalf("group %s: count %+v, server has %d members", g.Name, cnt, len(srv.GroupMembers(cid, g.ID)))
		}
	}
	if d.M.writeBlocked() != "" {
		t.Fatalf("full client: writes blocked: %q", d.M.writeBlocked())
	}
	// enter shows the members the server holds.
	var g falcon.HostGroup
	for _, x := range d.M.groups {
		if len(srv.GroupMembers(cid, x.ID)) > 0 {
			g = x
			break
		}
	}
	d.cursorTo(g.Name)
	d.Press("enter")
	var got []string
	for _, h := range d.M.members.hosts {
		got = append(got, strings.ToLower(h.DeviceID))
	}
	slices.Sort(got)
	want := srv.GroupMembers(cid, g.ID)
	if len(got) != d.M.counts[g.ID].n {
		t.Fatalf("members shown %d, count says %d", len(got), d.M.counts[g.ID].n)
	}
	for _, id := range got {
		if _, found := slices.BinarySearch(want, id); !found {
			t.Fatalf("member %s shown but not in the server's group", id)
		}
	}
}

func TestSimGroupCRUD(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(100), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full", false)
	d := newDriver(t, c)
	n0 := len(d.M.groups)

	// Create a dynamic group with a rule.
	d.Press("n")
	d.TypeText("Zeta canaries")
	d.Press("tab")
	d.TypeText("first wave")
	d.Press("shift+tab")
	d.Press("shift+tab") // back on the type selector
	d.Press("right")
	d.Press("right") // dynamic
	d.Press("tab")
	d.Press("tab")
	d.Press("tab") // rule
	d.TypeText("platform_name:'Linux'")
	d.Press("enter")
	if d.M.form.kind != formNone {
		t.Fatalf("create failed: %q", d.M.form.err)
	}
	if len(d.M.groups) != n0+1 {
		t.Fatalf("after create %d groups, want %d", len(d.M.groups), n0+1)
	}
	g, ok := d.M.current()
	if !ok || g.Name != "Zeta canaries" || g.Type != falcon.GroupDynamic || g.AssignmentRule != "platform_name:'Linux'" || g.Description != "first wave" {
		t.Fatalf("cursor not on the new group: %+v", g)
	}

	// An invalid rule: the server's message inline, the form stays.
	d.Press("e")
	d.M.form.inputs[0].SetValue("hostname:'unterminated")
	d.Press("enter")
	if d.M.form.kind != formRule || d.M.form.err == "" {
		t.Fatalf("invalid rule: form %d err %q", d.M.form.kind, d.M.form.err)
	}
	t.Logf("invalid rule shown as: %s", d.M.form.err)
	d.Press("esc")

	// Rename and describe.
	d.Press("R")
	d.M.form.inputs[0].SetValue("Zeta canaries 2")
	d.Press("enter")
	d.Press("E")
	d.M.form.inputs[0].SetValue("second wave")
	d.Press("enter")
	got, err := c.HostGroups.Get(context.Background(), "", g.ID)
	if err != nil || got.Name != "Zeta canaries 2" || got.Description != "second wave" {
		t.Fatalf("server has %+v (%v)", got, err)
	}
	if cur, _ := d.M.current(); cur.Name != "Zeta canaries 2" {
		t.Fatalf("pane shows %q after rename", cur.Name)
	}

	// Delete needs the name typed.
	d.Press("d")
	d.TypeText("Zeta")
	d.Press("enter")
	if d.M.form.kind != formDelete {
		t.Fatal("delete went ahead with a partial name")
	}
	d.M.form.inputs[0].SetValue("Zeta canaries 2")
	d.Press("enter")
	if d.M.form.kind != formNone || len(d.M.groups) != n0 {
		t.Fatalf("after delete: form %d, %d groups", d.M.form.kind, len(d.M.groups))
	}
	if slices.Contains(srv.HostGroups(srv.ParentCID()), g.ID) {
		t.Fatal("the server still has the deleted group")
	}
}

func TestSimReadOnlyAndScopeless(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(50), falcontest.WithTenants(0))
	defer srv.Close()
	for _, tc := range []struct {
		name     string
		client   string
		readOnly bool
		reason   string
	}{
		{"read-only", "full", true, groupedit.ReadOnlyReason},
		{"no host-group:write", "partial", false, groupedit.ScopeReason},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := simClient(t, srv, tc.client, tc.readOnly)
			srv.ResetStats()
			d := newDriver(t, c)
			if d.M.writeBlocked() != tc.reason {
				t.Fatalf("writeBlocked %q, want %q", d.M.writeBlocked(), tc.reason)
			}
			if h := d.M.keys.New.Help().Desc; !strings.Contains(h, tc.reason) {
				t.Fatalf("n's help %q does not say why", h)
			}
			d.cursorTo(d.M.groups[0].Name)
			for _, k := range []string{"n", "R", "E", "e", "d"} {
				d.Press(k)
				if d.M.form.kind != formNone || d.LastStatus() != tc.reason {
					t.Fatalf("%s: form %d status %q", k, d.M.form.kind, d.LastStatus())
				}
			}
			d.Press("enter")
			d.Press("space")
			d.Press("x")
			for _, u := range d.Seen {
				if _, ok := u.(pane.EditMembershipMsg); ok {
					t.Fatal("x asked for an edit without write access")
				}
			}
			st := srv.Stats()
			if st.Writes != 0 {
				t.Fatalf("%d writes", st.Writes)
			}
			for op := range st.ByOperation {
				if strings.HasPrefix(op, "POST /devices/entities/host-group") || strings.HasPrefix(op, "DELETE") {
					t.Fatalf("write call sent: %s", op)
				}
			}
			if tc.readOnly && st.ByOperation["PATCH /devices/entities/host-groups/v1"] != 0 {
				t.Fatal("read-only session probed with a PATCH")
			}
		})
	}
}
