package groupedit

import (
	"context"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
)

const opProbe = "PATCH /devices/entities/host-groups/v1"

// The probe goes once per tenant and client, however often the root asks (every tenant
// switch does), and a failed one is sent again only for a write.
func TestSimProberProbesEachTenantOnce(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(20), falcontest.WithTenants(2))
	defer srv.Close()
	c := simClient(t, srv, "full", false, 1)
	ts, err := c.Tenants.List(context.Background())
	if err != nil || len(ts) < 2 {
		t.Fatalf("tenants %v (%v)", ts, err)
	}
	srv.ResetStats()
	p := NewProber(context.Background(), c, false)
	d := newDriver(t, New(c, tuitest.Styles(), Options{Prober: p}))
	for range 3 { // switching A → B → A → B …
		for _, tn := range ts[:2] {
			d.Run(d.M.ProbeTenant(tn.CID))
		}
	}
	if n := srv.Stats().ByOperation[opProbe]; n != 2 {
		t.Fatalf("%d probes for 2 tenants", n)
	}
	if d.M.WriteBlocked(ts[0].CID) != "" || d.M.access.Of(c, ts[1].CID) != AccessGranted {
		t.Fatalf("answers not recorded: %v", d.M.access)
	}
	// Asked again while one is on its way (the overlay and the host-groups pane both ask):
	// still one call.
	q := NewProber(context.Background(), c, false)
	first, second := q.Probe(ts[0].CID), q.Retry(ts[0].CID)
	if first == nil || second != nil {
		t.Fatalf("a probe on its way was sent again (first %v, second %v)", first != nil, second != nil)
	}
	if msg := first().(WriteProbedMsg); msg.Access != AccessGranted {
		t.Fatalf("probe: %+v", msg)
	}
}

// A cancelled probe (the profile switched) fails; Probe leaves it, Retry sends it again.
func TestSimProberRetriesAFailedProbeOnlyForAWrite(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(20), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full", false, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := NewProber(ctx, c, false)
	if msg := p.Probe("")().(WriteProbedMsg); msg.Access != AccessUnknown || msg.Err == nil {
		t.Fatalf("cancelled probe: %+v", msg)
	}
	if p.Probe("") != nil {
		t.Fatal("a tenant switch probed again after a failure")
	}
	if p.Retry("") == nil {
		t.Fatal("a write did not probe again after a failure")
	}
}

// --read-only: no probe is ever sent, even if the client itself could write.
func TestSimProberSendsNothingReadOnly(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(20), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full", false, 1)
	srv.ResetStats()
	d := newDriver(t, New(c, tuitest.Styles(), Options{Prober: NewProber(context.Background(), c, true)}))
	d.Run(d.M.ProbeTenant(""))
	d.Run(d.M.ProbeTenant(""))
	if d.M.WriteBlocked("") != ReadOnlyReason {
		t.Fatalf("WriteBlocked = %q", d.M.WriteBlocked(""))
	}
	if st := srv.Stats(); st.RequestsTotal != 0 {
		t.Fatalf("read-only probes sent %v", st.ByOperation)
	}
}

// An answer for another client (sent before a :profile switch) is not this client's.
func TestSimProbeOfAnotherClientIsIgnored(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(20), falcontest.WithTenants(0))
	defer srv.Close()
	old := simClient(t, srv, "partial", false, 1) // no host-group:write: the probe says denied
	cur := simClient(t, srv, "full", false, 1)
	msg := NewProber(context.Background(), old, false).Probe("")().(WriteProbedMsg)
	if msg.Access != AccessDenied {
		t.Fatalf("partial client's probe: %+v", msg)
	}
	m := New(cur, tuitest.Styles(), Options{Prober: NewProber(context.Background(), cur, false)})
	m, _ = m.Update(msg)
	if r := m.WriteBlocked(""); r != "" {
		t.Fatalf("the old client's answer was recorded for the new one: %q", r)
	}
}

// Run numbers come from one process-wide source: an overlay rebuilt for another client
// never takes an older overlay's run for its own.
func TestRunNumbersNeverRepeatAcrossOverlays(t *testing.T) {
	r := runState{group: falcon.HostGroup{ID: "g1"}, action: falcon.AddHosts, ids: []string{"h1"}}
	a := New(nil, tuitest.Styles(), Options{})
	_ = a.startRun(r) // the command is not run: nothing is sent
	b := New(nil, tuitest.Styles(), Options{})
	_ = b.startRun(r)
	if a.runs == b.runs {
		t.Fatalf("two overlays numbered their runs %d", a.runs)
	}
	b, _ = b.Update(runFinishedMsg{run: a.runs, result: falcon.MembershipResult{GroupID: "g1"}})
	if !b.Running() {
		t.Fatal("an overlay took another overlay's run result as its own")
	}
}

// Bug: the rule field opens with the rule as sanitised for the screen; saving it
// untouched rewrote a rule that held newlines or invisible characters.
func TestSimUntouchedRuleIsNotSaved(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(50), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full", false, 1)
	rule := "platform_name:'Windows'\n+hostname:'ws-\u200b*'"
	dyn, err := c.HostGroups.Create(context.Background(), "", falcon.GroupSpec{
		Name: "Odd rule", Type: falcon.GroupDynamic, AssignmentRule: rule})
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, New(c, tuitest.Styles(), Options{}))
	d.M.SetSize(screenW, screenH)
	d.Run(d.M.Start(falcon.AddHosts, allHosts(t, c)[:2], nil))
	d.cursorOn(dyn)
	d.Press("e")
	if d.M.step != stepRule {
		t.Fatalf("e: step %d, want rule", d.M.step)
	}
	srv.ResetStats()
	d.Press("enter")
	if d.M.step != stepPick || !strings.Contains(d.LastStatus(), "unchanged") {
		t.Fatalf("untouched rule: step %d, status %q", d.M.step, d.LastStatus())
	}
	if n := srv.Stats().ByOperation[opProbe]; n != 0 {
		t.Fatalf("an untouched rule sent %d PATCHes", n)
	}
	if got, _ := c.HostGroups.Get(context.Background(), "", dyn.ID); got.AssignmentRule != rule {
		t.Fatalf("server rule rewritten: %q", got.AssignmentRule)
	}
}

// The overlay says why a write is off in the words every pane uses.
func TestReadOnlyReasonIsTheDomains(t *testing.T) {
	if ReadOnlyReason != domain.ReadOnlyReason {
		t.Fatalf("%q, the panes say %q", ReadOnlyReason, domain.ReadOnlyReason)
	}
}
