package groupedit

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/clocktest"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// Update tests whose commands run against the simulated cloud: the flows a user drives with
// keys, checked against what the server ends up holding.

const opGroupActions = "POST /devices/entities/host-group-actions/v1"

// simClient connects API client name ("full", "analyst", "partial") to srv.
// maxRetries 0 keeps the client's default (5); the fault tests set their own. (An invalid
// rule's 500 is retried at most once by the client itself, so no test needs fewer.)
func simClient(t *testing.T, srv *falcontest.Server, name string, readOnly bool, maxRetries int) *falcon.Client {
	t.Helper()
	return tuitest.Connect(t, srv, name, falcon.Config{ReadOnly: readOnly, MaxRetries: maxRetries,
		Clock: clocktest.NewVirtual()}) // back-offs and cooldowns take no real time
}

// driver plays the root for the overlay: status notices and the announcements to the panes
// go up; the overlay's own results come back to it.
type driver struct{ *tuitest.Driver[Model] }

func newDriver(t *testing.T, m Model) *driver {
	return &driver{tuitest.NewDriver(t, m, func(msg tea.Msg) bool {
		switch msg.(type) {
		case status.Msg, EditedMsg, GroupUpdatedMsg:
			return true
		}
		return false
	})}
}

// staticGroup returns a static group of the home tenant.
func staticGroup(t *testing.T, c *falcon.Client) falcon.HostGroup {
	t.Helper()
	gs, err := c.HostGroups.List(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gs {
		if g.Type == falcon.GroupStatic {
			return g
		}
	}
	t.Fatal("no static group in the simulated tenant")
	return falcon.HostGroup{}
}

func allHosts(t *testing.T, c *falcon.Client) []falcon.Host {
	t.Helper()
	var out []falcon.Host
	for batch, err := range c.Hosts.Stream(context.Background(), "", falcon.HostQuery{Sort: "hostname.asc"}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, batch...)
	}
	return out
}

func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// cursorOn filters the picker down to g and puts the cursor on it.
func (d *driver) cursorOn(g falcon.HostGroup) {
	d.Press("/")
	d.TypeText(g.Name)
	d.Press("enter")
	for d.M.picker.cursor = 0; d.M.picker.cursor < len(d.M.picker.visible); d.M.picker.cursor++ {
		if cur, _ := d.M.picker.current(); cur.ID == g.ID {
			break
		}
	}
}

// pickGroup filters the picker down to g and chooses it.
func (d *driver) pickGroup(g falcon.HostGroup) {
	d.TB.Helper()
	if d.M.step != stepPick {
		d.TB.Fatalf("step %d, want the picker", d.M.step)
	}
	d.cursorOn(g)
	d.Press("enter")
	if d.M.step != stepConfirm || d.M.target.ID != g.ID {
		d.TB.Fatalf("after choosing %q: step %d target %q", g.Name, d.M.step, d.M.target.Name)
	}
}

// retryUntilClean presses r while the report has failures (faults are random).
func (d *driver) retryUntilClean() {
	d.TB.Helper()
	for i := 0; len(d.M.report.result.Failed()) > 0 || d.M.report.failedRun != nil; i++ {
		if i == 20 {
			d.TB.Fatalf("still %d failed hosts after 20 retries", len(d.M.report.result.Failed()))
		}
		d.Press("r")
		if d.M.step != stepReport {
			d.TB.Fatalf("after r: step %d, want report", d.M.step)
		}
	}
}

func TestSimAddRemoveUndoAcrossChunksWithFaults(t *testing.T) {
	for _, tc := range []struct {
		name       string
		faults     falcontest.Faults
		maxRetries int
	}{
		// Faults the client's retries absorb.
		{"absorbed", falcontest.Faults{Rate429: 0.04, Rate500: 0.04, RateReset: 0.02}, 0},
		// Faults that get through (one retry only): failed chunks, reported, retried with r.
		{"reported", falcontest.Faults{Rate500: 0.3, RateReset: 0.05}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) { simAddRemoveUndo(t, tc.faults, tc.maxRetries) })
	}
}

func simAddRemoveUndo(t *testing.T, faults falcontest.Faults, maxRetries int) {
	srv := falcontest.NewServer(falcontest.WithHosts(1300), falcontest.WithTenants(0), falcontest.WithSeed(7),
		falcontest.WithFaults(faults))
	defer srv.Close()
	// The setup reads through a client with the default retries; the overlay gets the one
	// under test.
	setup := simClient(t, srv, "full", false, 0)
	c := setup
	if maxRetries != 0 {
		c = simClient(t, srv, "full", false, maxRetries)
	}
	g := staticGroup(t, setup)
	cid := srv.ParentCID()
	initial := srv.GroupMembers(cid, g.ID)
	hosts := allHosts(t, setup)[:1200] // three chunks: 500 + 500 + 200
	sel := make([]string, len(hosts))
	for i, h := range hosts {
		sel[i] = h.DeviceID
	}

	d := newDriver(t, New(c, tuitest.Styles(), Options{}))
	d.M.SetSize(screenW, screenH)
	if maxRetries == 0 {
		d.Run(d.M.Start(falcon.AddHosts, hosts, nil))
		d.pickGroup(g)
	} else {
		// Skip the picker, whose group list could fail too: the run is what is tested here.
		d.M.access[cid] = AccessGranted
		d.Run(d.M.Start(falcon.AddHosts, hosts, &g))
	}
	if !d.M.confirm.typed {
		t.Fatal("1,200 hosts confirmed without typing the count")
	}
	d.TypeText("1200")
	d.Press("enter")
	if d.M.step != stepReport {
		t.Fatalf("after the run: step %d, want report (%s)", d.M.step, d.LastStatus())
	}
	// Before any retry the report is already true for every host it is sure of: "added"
	// hosts are members now and were not before, "already a member" ones were.
	now := srv.GroupMembers(cid, g.ID)
	for _, h := range d.M.report.result.Hosts {
		id := strings.ToLower(h.DeviceID)
		switch h.Outcome {
		case falcon.OutcomeChanged:
			if !slices.Contains(now, id) || slices.Contains(initial, id) {
				t.Fatalf("host %s reported added, but server membership before/now is %v/%v",
					id, slices.Contains(initial, id), slices.Contains(now, id))
			}
		case falcon.OutcomeUnchanged:
			if !slices.Contains(initial, id) {
				t.Fatalf("host %s reported already a member, but was not", id)
			}
		}
	}
	if d.M.report.err != "" {
		t.Logf("first run failed as a whole: %s", d.M.report.err)
	} else {
		t.Logf("first run: %s", summarize(d.M.report.result))
		for _, h := range d.M.report.result.Hosts {
			if h.Outcome == falcon.OutcomeFailed {
				t.Logf("first failure: %v", h.Err)
				break
			}
		}
	}
	if maxRetries != 0 && d.M.report.err == "" && len(d.M.report.result.Failed()) == 0 {
		// The seeded faults fall the same way every run: this case must see some get through.
		t.Fatal("no failure reached the report: the retry path was not exercised")
	}
	d.retryUntilClean()

	// Exactly the requested membership, and a report that tells each host's truth.
	if got, want := srv.GroupMembers(cid, g.ID), union(initial, sel); !slices.Equal(got, want) {
		t.Fatalf("group holds %d hosts, want %d", len(got), len(want))
	}
	checkReport(t, d.M.report.result, sel, initial)
	if len(tuitest.Of[EditedMsg](d.Seen)) == 0 || tuitest.Of[EditedMsg](d.Seen)[0].GroupID != g.ID {
		t.Fatal("no EditedMsg for the group")
	}

	// Undo: the inverse on exactly the hosts the flow changed.
	d.Press("u")
	d.confirmUndo(t)
	d.retryUntilClean()
	if got := srv.GroupMembers(cid, g.ID); !slices.Equal(got, initial) {
		t.Fatalf("after undo the group holds %d hosts, want the %d it had", len(got), len(initial))
	}
	if d.M.CanUndo() {
		t.Fatal("the undone edit is still undoable")
	}
	d.Press("enter")

	// Remove from the group being viewed (x in its member list), then undo that.
	before := srv.GroupMembers(cid, g.ID)
	rm := hosts[:700]
	d.Run(d.M.Start(falcon.RemoveHosts, rm, &g))
	if d.M.step != stepConfirm {
		t.Fatalf("remove from a known group: step %d, want confirm", d.M.step)
	}
	d.TypeText("700")
	d.Press("enter")
	d.retryUntilClean()
	rmIDs := make([]string, len(rm))
	for i, h := range rm {
		rmIDs[i] = h.DeviceID
	}
	want := slices.DeleteFunc(slices.Clone(before), func(id string) bool { return slices.Contains(rmIDs, id) })
	if got := srv.GroupMembers(cid, g.ID); !slices.Equal(got, want) {
		t.Fatalf("after remove: %d members, want %d", len(got), len(want))
	}
	d.Press("enter")
	d.Run(d.M.Undo())
	d.confirmUndo(t)
	d.retryUntilClean()
	if got := srv.GroupMembers(cid, g.ID); !slices.Equal(got, before) {
		t.Fatalf("after undoing the remove: %d members, want %d", len(got), len(before))
	}
}

// checkReport: every requested host once, in order; members before are "already", the rest changed.
func checkReport(t *testing.T, res falcon.MembershipResult, sel, initial []string) {
	t.Helper()
	if len(res.Hosts) != len(sel) {
		t.Fatalf("report lists %d hosts, want %d", len(res.Hosts), len(sel))
	}
	for i, h := range res.Hosts {
		if h.DeviceID != sel[i] {
			t.Fatalf("report row %d is %s, want %s", i, h.DeviceID, sel[i])
		}
		want := falcon.OutcomeChanged
		if slices.Contains(initial, h.DeviceID) {
			want = falcon.OutcomeUnchanged
		}
		if h.Outcome != want {
			t.Fatalf("host %s: outcome %v (%v), want %v", h.DeviceID, h.Outcome, h.Err, want)
		}
	}
}

func TestSimReadOnlySendsNoWrite(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(50), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full", true, 0)
	g := staticGroup(t, c)
	hosts := allHosts(t, c)[:5]
	srv.ResetStats()

	d := newDriver(t, New(c, tuitest.Styles(), Options{}))
	d.M.SetSize(screenW, screenH)
	d.Run(d.M.Start(falcon.AddHosts, hosts, nil))
	d.Run(d.M.Start(falcon.RemoveHosts, hosts, &g))
	d.Run(d.M.ProbeTenant(""))
	d.Run(d.M.Undo())
	if d.M.Active() {
		t.Fatal("the overlay opened in read-only mode")
	}
	if got := d.LastStatus(); got != ReadOnlyReason && !strings.Contains(strings.Join(tuitest.StatusTexts(d.Seen), "|"), ReadOnlyReason) {
		t.Fatalf("read-only not explained: %q", got)
	}
	if d.M.WriteBlocked("") != ReadOnlyReason {
		t.Fatalf("WriteBlocked = %q", d.M.WriteBlocked(""))
	}
	st := srv.Stats()
	if st.Writes != 0 || st.ByOperation[opGroupActions] != 0 || st.ByOperation["PATCH /devices/entities/host-groups/v1"] != 0 {
		t.Fatalf("read-only session wrote: writes=%d ops=%v", st.Writes, st.ByOperation)
	}
}

func TestSimMissingWriteScopeRefusedUpFront(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(50), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "partial", false, 0)
	g := staticGroup(t, c)
	hosts := allHosts(t, c)[:5]
	srv.ResetStats()

	d := newDriver(t, New(c, tuitest.Styles(), Options{}))
	d.M.SetSize(screenW, screenH)
	d.Run(d.M.Start(falcon.AddHosts, hosts, nil))
	if d.M.Active() {
		t.Fatalf("the overlay opened without host-group:write (step %d)", d.M.step)
	}
	if got := d.LastStatus(); !strings.Contains(got, ScopeReason) {
		t.Fatalf("status %q does not say the scope is missing", got)
	}
	// Known now: the next attempt is refused without another call.
	calls := srv.Stats().RequestsTotal
	d.Run(d.M.Start(falcon.RemoveHosts, hosts, &g))
	if srv.Stats().RequestsTotal != calls || !strings.Contains(d.LastStatus(), ScopeReason) {
		t.Fatal("a second attempt was not refused up front")
	}
	st := srv.Stats()
	if st.Writes != 0 || st.ByOperation[opGroupActions] != 0 {
		t.Fatalf("scope-less client sent a membership write: %v", st.ByOperation)
	}
}

func TestSimDynamicRuleEditFromPicker(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(50), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full", false, 0)
	gs, err := c.HostGroups.List(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	var dyn falcon.HostGroup
	for _, g := range gs {
		if g.Type == falcon.GroupDynamic {
			dyn = g
		}
	}
	if dyn.ID == "" {
		dyn, err = c.HostGroups.Create(context.Background(), "", falcon.GroupSpec{
			Name: "Dynamic test", Type: falcon.GroupDynamic, AssignmentRule: "platform_name:'Windows'"})
		if err != nil {
			t.Fatal(err)
		}
	}
	d := newDriver(t, New(c, tuitest.Styles(), Options{}))
	d.M.SetSize(screenW, screenH)
	d.Run(d.M.Start(falcon.AddHosts, allHosts(t, c)[:2], nil))
	d.cursorOn(dyn)
	d.Press("enter")
	if d.M.step != stepPick || !strings.Contains(d.M.picker.hint, DynamicReason) {
		t.Fatalf("a dynamic group was accepted: step %d hint %q", d.M.step, d.M.picker.hint)
	}
	d.Press("e")
	if d.M.step != stepRule {
		t.Fatalf("e: step %d, want rule", d.M.step)
	}
	d.M.rule.input.SetValue("hostname:'unterminated")
	d.Press("enter")
	if d.M.step != stepRule || d.M.rule.err == "" {
		t.Fatalf("an invalid rule was accepted: step %d err %q", d.M.step, d.M.rule.err)
	}
	d.M.rule.input.SetValue("platform_name:'Linux'")
	d.Press("enter")
	if d.M.step != stepPick || d.M.rule.err != "" {
		t.Fatalf("a valid rule was refused: %q", d.M.rule.err)
	}
	got, err := c.HostGroups.Get(context.Background(), "", dyn.ID)
	if err != nil || got.AssignmentRule != "platform_name:'Linux'" {
		t.Fatalf("server rule %q (%v)", got.AssignmentRule, err)
	}
}

// confirmUndo answers the undo's confirmation as the user must: the count typed when asked.
func (d *driver) confirmUndo(t *testing.T) {
	t.Helper()
	if d.M.step != stepConfirm || d.M.undoing == nil {
		t.Fatalf("undo: step %d, want its confirmation", d.M.step)
	}
	if d.M.confirm.typed {
		d.TypeText(strconv.Itoa(len(d.M.confirm.send)))
	}
	d.Press("enter")
}
