package groupedit

import (
	"errors"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
)

// Update tests with fabricated results: the flow's logic without a server. The same flows run
// against falcontest in sim_test.go.

func TestStartRefusesDeniedTenantUpFront(t *testing.T) {
	m := ready()
	m.access[cidA] = AccessDenied
	cmd := m.Start(falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 2), nil)
	if m.Active() {
		t.Fatal("overlay opened for a tenant without host-group:write")
	}
	if got := tuitest.StatusOf(t, cmd).Text; !strings.Contains(got, "needs host-group:write") {
		t.Fatalf("status %q does not name the scope", got)
	}
	if m.WriteBlocked(cidA) != ScopeReason {
		t.Fatalf("WriteBlocked = %q", m.WriteBlocked(cidA))
	}
}

func TestStartRefusesDynamicGroup(t *testing.T) {
	m := ready(cidA)
	g := testGroups(cidA)[0]
	cmd := m.Start(falcon.RemoveHosts, tuitest.FakeHosts(cidA, "web", 2), &g)
	if m.Active() {
		t.Fatal("overlay opened for a dynamic group")
	}
	if got := tuitest.StatusOf(t, cmd).Text; !strings.Contains(got, DynamicReason) {
		t.Fatalf("status %q", got)
	}
}

func TestStartRefusesEmptySelection(t *testing.T) {
	m := ready(cidA)
	cmd := m.Start(falcon.AddHosts, nil, nil)
	if m.Active() || !strings.Contains(tuitest.StatusOf(t, cmd).Text, "mark hosts") {
		t.Fatal("an empty selection opened the overlay")
	}
}

func TestProbeDecidesBeforePicker(t *testing.T) {
	start := func() Model {
		m := ready()
		m.Start(falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 2), nil)
		if m.step != stepProbe || !m.Active() {
			t.Fatalf("step %d, want probe", m.step)
		}
		return m
	}
	m2, cmd := start().Update(WriteProbedMsg{CID: cidA, Access: AccessDenied})
	if m2.Active() {
		t.Fatal("still open after a denied probe")
	}
	if !strings.Contains(tuitest.StatusOf(t, cmd).Text, ScopeReason) {
		t.Fatal("denied probe not explained")
	}
	m3, _ := start().Update(WriteProbedMsg{CID: cidA, Access: AccessGranted})
	if m3.step != stepLoad {
		t.Fatalf("granted probe: step %d, want load", m3.step)
	}
}

func TestDuplicatesAndOrderKept(t *testing.T) {
	hs := tuitest.FakeHosts(cidA, "web", 3)
	m := ready(cidA)
	m.Start(falcon.AddHosts, []falcon.Host{hs[2], hs[0], hs[2], hs[1], hs[0]}, nil)
	var ids []string
	for _, h := range m.hosts {
		ids = append(ids, h.DeviceID)
	}
	want := []string{hs[2].DeviceID, hs[0].DeviceID, hs[1].DeviceID}
	if !slices.Equal(ids, want) {
		t.Fatalf("selection %v, want %v", ids, want)
	}
}

func TestTypedCountRequiredOverFifty(t *testing.T) {
	for _, n := range []int{50, 51} {
		m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", n), testGroups(cidA))
		m, _ = m.Update(tuitest.Key("enter"))
		if m.confirm.typed != (n > 50) {
			t.Fatalf("%d hosts: typed=%v", n, m.confirm.typed)
		}
		m, _ = m.Update(tuitest.Key("y"))
		if n <= 50 && m.step != stepRun {
			t.Fatalf("%d hosts: y did not send", n)
		}
		if n > 50 {
			if m.step != stepConfirm {
				t.Fatalf("%d hosts: y sent without the typed count", n)
			}
			m = tuitest.Typed(m, "51")
			m, _ = m.Update(tuitest.Key("enter"))
			if m.step != stepRun || len(m.run.ids) != 51 {
				t.Fatalf("typed count: step %d, %d ids", m.step, len(m.run.ids))
			}
		}
	}
}

func TestCrossTenantSendsOnlyTheGroupsTenant(t *testing.T) {
	hosts := append(tuitest.FakeHosts(cidA, "web", 2), tuitest.FakeHosts(cidB, "db", 3)...)
	m := toPicker(t, ready(cidA, cidB), falcon.AddHosts, hosts, testGroups(cidA))
	m, _ = m.Update(tuitest.Key("enter"))
	if !m.confirm.typed {
		t.Fatal("cross-tenant selection did not ask for the count")
	}
	m = tuitest.Typed(m, "2")
	m, _ = m.Update(tuitest.Key("enter"))
	if m.step != stepRun {
		t.Fatalf("step %d", m.step)
	}
	if !slices.Equal(m.run.ids, []string{hosts[0].DeviceID, hosts[1].DeviceID}) {
		t.Fatalf("sent %v", m.run.ids)
	}
	if len(m.report.skipped) != 3 {
		t.Fatalf("skipped %d, want 3", len(m.report.skipped))
	}
}

func TestFinishEmitsEditedAndRecordsUndo(t *testing.T) {
	m := reportAfter(t, 3, 1, 2)
	if !m.CanUndo() {
		t.Fatal("nothing to undo after 3 changes")
	}
	top := m.history[len(m.history)-1]
	if len(top.ids) != 3 || top.action != falcon.AddHosts {
		t.Fatalf("history %+v", top)
	}
}

func TestRetryResendsFailedAndMerges(t *testing.T) {
	m := reportAfter(t, 3, 1, 2)
	failed := m.report.result.Failed()
	m, cmd := m.Update(tuitest.Key("r"))
	if cmd == nil || m.step != stepRun || !slices.Equal(m.run.ids, failed) {
		t.Fatalf("retry sends %v, want %v", m.run.ids, failed)
	}
	res := falcon.MembershipResult{GroupID: "g-quar", Action: falcon.AddHosts, Hosts: []falcon.HostOutcome{
		{DeviceID: failed[0], Outcome: falcon.OutcomeChanged},
		{DeviceID: failed[1], Outcome: falcon.OutcomeUnchanged},
	}}
	m, _ = m.Update(runFinishedMsg{run: m.runs, result: res})
	// failed[1] is now "already a member": it was not before the first run (the client
	// reports only such hosts as failed), so the first run's chunk was applied after all.
	c := tally(m.report.result)
	if c != (counts{changed: 5, unchanged: 1}) || len(m.report.result.Hosts) != 6 {
		t.Fatalf("merged report %+v over %d hosts", c, len(m.report.result.Hosts))
	}
	if len(m.history) != 1 || len(m.history[0].ids) != 5 {
		t.Fatalf("history after retry: %d entries, %v", len(m.history), m.history[0].ids)
	}
}

func TestUndoRevertsExactlyTheChangedHosts(t *testing.T) {
	m := reportAfter(t, 3, 1, 2)
	changed := m.report.result.Changed()
	m, _ = m.Update(tuitest.Key("u"))
	m, _ = m.Update(tuitest.Key("y")) // the undo's confirmation (TestUndoIsConfirmedLikeTheEdit)
	if m.step != stepRun || m.run.action != falcon.RemoveHosts || !m.run.undo {
		t.Fatalf("u: step %d action %s undo %v", m.step, m.run.action, m.run.undo)
	}
	if !slices.Equal(m.run.ids, changed) {
		t.Fatalf("undo sends %v, want %v", m.run.ids, changed)
	}
	// One host fails to revert: it stays undoable, the others leave the history.
	res := falcon.MembershipResult{GroupID: "g-quar", Action: falcon.RemoveHosts, Hosts: []falcon.HostOutcome{
		{DeviceID: changed[0], Outcome: falcon.OutcomeChanged},
		{DeviceID: changed[1], Outcome: falcon.OutcomeUnchanged},
		{DeviceID: changed[2], Outcome: falcon.OutcomeFailed, Err: errors.New("boom")},
	}}
	m, _ = m.Update(runFinishedMsg{run: m.runs, result: res})
	if len(m.history) != 1 || !slices.Equal(m.history[0].ids, changed[2:]) {
		t.Fatalf("history after partial undo: %+v", m.history)
	}
	// r retries the failed revert (still a remove, still an undo).
	m, _ = m.Update(tuitest.Key("r"))
	if m.run.action != falcon.RemoveHosts || !m.run.undo || !slices.Equal(m.run.ids, changed[2:]) {
		t.Fatalf("retry of undo: %+v", m.run)
	}
	m, _ = m.Update(runFinishedMsg{run: m.runs, result: falcon.MembershipResult{GroupID: "g-quar", Action: falcon.RemoveHosts,
		Hosts: []falcon.HostOutcome{{DeviceID: changed[2], Outcome: falcon.OutcomeChanged}}}})
	if m.CanUndo() {
		t.Fatalf("history not empty after a complete undo: %+v", m.history)
	}
	if cmd := m.Undo(); !strings.Contains(tuitest.StatusOf(t, cmd).Text, "nothing to undo") {
		t.Fatal("Undo with empty history did not say so")
	}
}

func TestRunInBackground(t *testing.T) {
	m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 2), testGroups(cidA))
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(tuitest.Key("esc"))
	if m.Active() || !m.Running() {
		t.Fatalf("esc during a run: active %v running %v", m.Active(), m.Running())
	}
	if cmd := m.Start(falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 1), nil); !strings.Contains(tuitest.StatusOf(t, cmd).Text, "still running") {
		t.Fatal("a second edit started while one runs")
	}
	res := outcomes(falcon.AddHosts, "g-quar", tuitest.FakeHosts(cidA, "web", 2), 2, 0, nil)
	m, cmd := m.Update(runFinishedMsg{run: m.runs, result: res})
	if m.Active() {
		t.Fatal("a background run popped the box open")
	}
	msgs := runBatch(cmd)
	var edited *EditedMsg
	for _, msg := range msgs {
		if e, ok := msg.(EditedMsg); ok {
			edited = &e
		}
	}
	if edited == nil || edited.GroupID != "g-quar" || edited.CID != cidA || len(edited.Result.Changed()) != 2 {
		t.Fatalf("EditedMsg %+v", edited)
	}
	if !m.CanUndo() {
		t.Fatal("background edit not undoable")
	}
}

func TestStaleRunResultsDropped(t *testing.T) {
	m := reportAfter(t, 1, 0, 0)
	before := m.report
	m, cmd := m.Update(runFinishedMsg{run: m.runs - 1, result: outcomes(falcon.AddHosts, "g-quar", tuitest.FakeHosts(cidA, "x", 1), 1, 0, nil)})
	if cmd != nil || len(m.report.result.Hosts) != len(before.result.Hosts) {
		t.Fatal("a stale run result was applied")
	}
}

func TestWholeRunFailureCanBeRetried(t *testing.T) {
	m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 2), testGroups(cidA))
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(tuitest.Key("enter"))
	ids := m.run.ids
	m, _ = m.Update(runFinishedMsg{run: m.runs, err: errors.New("falcon: cloud unreachable")})
	if m.step != stepReport || m.report.err == "" || m.CanUndo() {
		t.Fatalf("after a failed run: step %d err %q", m.step, m.report.err)
	}
	m, _ = m.Update(tuitest.Key("r"))
	if m.step != stepRun || !slices.Equal(m.run.ids, ids) {
		t.Fatal("r did not resend the failed run")
	}
}

func TestScopeDeniedDuringRunIsRemembered(t *testing.T) {
	m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 2), testGroups(cidA))
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(runFinishedMsg{run: m.runs, err: falcon.ErrScopeDenied})
	if m.WriteBlocked(cidA) != ScopeReason {
		t.Fatal("a 403 during the run was not remembered")
	}
}

// runBatch runs a command tree of plain messages (status notices, EditedMsg).
func runBatch(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, runBatch(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}
