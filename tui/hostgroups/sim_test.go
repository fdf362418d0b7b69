package hostgroups

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

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

// driver plays the root for the pane: it runs commands and feeds their messages back.
type driver struct {
	t  *testing.T
	m  Model
	up []tea.Msg // what the pane sends up (status, pane.EditMembershipMsg, ...)
}

func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	queue := []tea.Cmd{cmd}
	deadline := time.Now().Add(time.Minute)
	for len(queue) > 0 {
		if time.Now().After(deadline) {
			d.t.Fatal("commands did not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case status.Msg, pane.EditMembershipMsg, pane.NavigateMsg:
			d.up = append(d.up, msg)
		default:
			var next tea.Cmd
			d.m, next = d.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

func (d *driver) key(k string) {
	d.t.Helper()
	var cmd tea.Cmd
	d.m, cmd = d.m.Update(press(k))
	d.run(cmd)
}

func (d *driver) typeText(s string) {
	for _, r := range s {
		d.key(string(r))
	}
}

func (d *driver) lastStatus() string {
	for i := len(d.up) - 1; i >= 0; i-- {
		if s, ok := d.up[i].(status.Msg); ok {
			return s.Text
		}
	}
	return ""
}

// cursorTo moves the cursor onto the group named name.
func (d *driver) cursorTo(name string) falcon.HostGroup {
	d.t.Helper()
	d.key("g")
	for range len(d.m.visible) {
		if g, ok := d.m.current(); ok && g.Name == name {
			return g
		}
		d.key("down")
	}
	d.t.Fatalf("no group %q in the list", name)
	return falcon.HostGroup{}
}

func newDriver(t *testing.T, c *falcon.Client) *driver {
	d := &driver{t: t, m: New(pane.Deps{Client: c, Styles: styles()})}
	d.m.SetSize(paneW, paneH)
	d.m.Focus()
	d.run(d.m.SetTenant(""))
	return d
}

func TestSimListWithCounts(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(300), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full", false)
	d := newDriver(t, c)
	cid := srv.ParentCID()
	if len(d.m.groups) != len(srv.HostGroups(cid)) || len(d.m.groups) == 0 {
		t.Fatalf("pane lists %d groups, server has %d", len(d.m.groups), len(srv.HostGroups(cid)))
	}
	// Counts come from a hosts query (groups:'id'), which leaves hidden hosts out: at most
	// the server's member list, and exactly what the member list then shows.
	for _, g := range d.m.groups {
		cnt := d.m.counts[g.ID]
		if !cnt.done || cnt.err != nil || cnt.n > len(srv.GroupMembers(cid, g.ID)) {
			t.Fatalf("group %s: count %+v, server has %d members", g.Name, cnt, len(srv.GroupMembers(cid, g.ID)))
		}
	}
	if d.m.writeBlocked() != "" {
		t.Fatalf("full client: writes blocked: %q", d.m.writeBlocked())
	}
	// enter shows the members the server holds.
	var g falcon.HostGroup
	for _, x := range d.m.groups {
		if len(srv.GroupMembers(cid, x.ID)) > 0 {
			g = x
			break
		}
	}
	d.cursorTo(g.Name)
	d.key("enter")
	var got []string
	for _, h := range d.m.members.hosts {
		got = append(got, strings.ToLower(h.DeviceID))
	}
	slices.Sort(got)
	want := srv.GroupMembers(cid, g.ID)
	if len(got) != d.m.counts[g.ID].n {
		t.Fatalf("members shown %d, count says %d", len(got), d.m.counts[g.ID].n)
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
	n0 := len(d.m.groups)

	// Create a dynamic group with a rule.
	d.key("n")
	d.typeText("Zeta canaries")
	d.key("tab")
	d.typeText("first wave")
	d.key("shift+tab")
	d.key("shift+tab") // back on the type selector
	d.key("right")
	d.key("right") // dynamic
	d.key("tab")
	d.key("tab")
	d.key("tab") // rule
	d.typeText("platform_name:'Linux'")
	d.key("enter")
	if d.m.form.kind != formNone {
		t.Fatalf("create failed: %q", d.m.form.err)
	}
	if len(d.m.groups) != n0+1 {
		t.Fatalf("after create %d groups, want %d", len(d.m.groups), n0+1)
	}
	g, ok := d.m.current()
	if !ok || g.Name != "Zeta canaries" || g.Type != falcon.GroupDynamic || g.AssignmentRule != "platform_name:'Linux'" || g.Description != "first wave" {
		t.Fatalf("cursor not on the new group: %+v", g)
	}

	// An invalid rule: the server's message inline, the form stays.
	d.key("e")
	d.m.form.inputs[0].SetValue("hostname:'unterminated")
	d.key("enter")
	if d.m.form.kind != formRule || d.m.form.err == "" {
		t.Fatalf("invalid rule: form %d err %q", d.m.form.kind, d.m.form.err)
	}
	t.Logf("invalid rule shown as: %s", d.m.form.err)
	d.key("esc")

	// Rename and describe.
	d.key("R")
	d.m.form.inputs[0].SetValue("Zeta canaries 2")
	d.key("enter")
	d.key("E")
	d.m.form.inputs[0].SetValue("second wave")
	d.key("enter")
	got, err := c.HostGroups.Get(context.Background(), "", g.ID)
	if err != nil || got.Name != "Zeta canaries 2" || got.Description != "second wave" {
		t.Fatalf("server has %+v (%v)", got, err)
	}
	if cur, _ := d.m.current(); cur.Name != "Zeta canaries 2" {
		t.Fatalf("pane shows %q after rename", cur.Name)
	}

	// Delete needs the name typed.
	d.key("d")
	d.typeText("Zeta")
	d.key("enter")
	if d.m.form.kind != formDelete {
		t.Fatal("delete went ahead with a partial name")
	}
	d.m.form.inputs[0].SetValue("Zeta canaries 2")
	d.key("enter")
	if d.m.form.kind != formNone || len(d.m.groups) != n0 {
		t.Fatalf("after delete: form %d, %d groups", d.m.form.kind, len(d.m.groups))
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
			if d.m.writeBlocked() != tc.reason {
				t.Fatalf("writeBlocked %q, want %q", d.m.writeBlocked(), tc.reason)
			}
			if h := d.m.keys.New.Help().Desc; !strings.Contains(h, tc.reason) {
				t.Fatalf("n's help %q does not say why", h)
			}
			d.cursorTo(d.m.groups[0].Name)
			for _, k := range []string{"n", "R", "E", "e", "d"} {
				d.key(k)
				if d.m.form.kind != formNone || d.lastStatus() != tc.reason {
					t.Fatalf("%s: form %d status %q", k, d.m.form.kind, d.lastStatus())
				}
			}
			d.key("enter")
			d.key("space")
			d.key("x")
			for _, u := range d.up {
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
