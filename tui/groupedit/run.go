package groupedit

import (
	"context"
	"errors"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// chunkSize is the client's chunk of hosts per host-group action (psfalcon's batch size).
const chunkSize = 500

// runState is the edit in flight.
type runState struct {
	group    falcon.HostGroup
	action   falcon.MembershipAction
	ids      []string
	progress falcon.MembershipProgress
	retry    bool  // resending the failed hosts of the report on screen
	undo     bool  // reverting a history entry
	entry    *edit // the history entry this run creates, extends or reverts
}

// edit is one undoable membership edit: exactly the hosts it changed.
type edit struct {
	group  falcon.HostGroup
	action falcon.MembershipAction
	ids    []string
	typed  bool // the edit needed its count typed (large or cross-tenant): so does its undo
}

// title describes the run in a sentence.
func (r runState) title(m Model) string {
	n := plural(len(r.ids), "host", "hosts")
	name := displayName(r.group.Name)
	prefix := ""
	if r.undo {
		prefix = "undo: "
	}
	if r.action == falcon.RemoveHosts {
		return prefix + "removing " + n + " from " + name
	}
	return prefix + "adding " + n + " to " + name
}

// startFlow sends the confirmed edit and opens a fresh report for it.
func (m *Model) startFlow() tea.Cmd {
	ids := make([]string, len(m.confirm.send))
	for i, h := range m.confirm.send {
		ids[i] = h.DeviceID
	}
	if e := m.undoing; e != nil {
		m.report = newReport(m.action, e.group, true)
		m.report.entry = e
		return m.startRun(runState{group: e.group, action: m.action, ids: ids, undo: true, entry: e})
	}
	m.report = newReport(m.action, m.target, false)
	m.report.skipped = m.confirm.skipped
	return m.startRun(runState{group: m.target, action: m.action, ids: ids})
}

// startRun launches r in the background. The command starts the worker itself, so nothing
// runs inside Update; progress arrives as runProgressMsg, one per chunk.
func (m *Model) startRun(r runState) tea.Cmd {
	m.runs = generation.Next()
	m.run = r
	m.run.progress = falcon.MembershipProgress{Total: len(r.ids)}
	m.step = stepRun
	return runEdit(m.opts.Context, m.client, m.runs, r.group.CID, r.group.ID, r.action, slices.Clone(r.ids))
}

// runEvent is what a running edit reports: each chunk's progress, then its outcome.
type runEvent struct {
	progress falcon.MembershipProgress
	finished bool
	result   falcon.MembershipResult
	err      error
}

// runEdit streams a run's reports as runProgressMsg, then one runFinishedMsg. The worker is
// never held up by the screen, nor by a model that stopped listening.
func runEdit(ctx context.Context, client *falcon.Client, run int, cid, groupID string, action falcon.MembershipAction, ids []string) tea.Cmd {
	return stream.Go(func(send func(runEvent)) {
		res, err := client.HostGroups.EditMembers(ctx, cid, groupID, action, ids,
			func(p falcon.MembershipProgress) { send(runEvent{progress: p}) })
		send(runEvent{finished: true, result: res, err: err})
	}, func(it stream.Item[runEvent]) tea.Msg {
		switch e := it.Value; {
		case it.Done:
			return nil // not read: the outcome is the last report
		case e.finished:
			return runFinishedMsg{run: run, result: e.result, err: e.err}
		default:
			return runProgressMsg{run: run, progress: e.progress, next: it}
		}
	})
}

// finish records a run's result: the report, the undo history, the views (EditedMsg).
func (m Model) finish(msg runFinishedMsg) (Model, tea.Cmd) {
	r := m.run
	m.step = stepReport
	if msg.err != nil {
		if errors.Is(msg.err, falcon.ErrScopeDenied) {
			m.access[r.group.CID] = AccessDenied
		}
		m.report.err = errText(msg.err)
		m.report.failedRun = &r
		return m, status.Errorf("%s failed: %s", r.title(m), errText(msg.err))
	}
	res := msg.result
	if res.GroupID == "" {
		res.GroupID = r.group.ID
	}
	if res.Action == "" {
		res.Action = r.action
	}
	changed := m.report.merge(res)
	m.report.err, m.report.failedRun = "", nil
	m.record(r, res, changed)
	// The summary tells the run as the report now shows it (retried hosts reconciled).
	shown := falcon.MembershipResult{GroupID: res.GroupID, Action: res.Action}
	for _, h := range res.Hosts {
		shown.Hosts = append(shown.Hosts, m.report.result.Hosts[m.report.index[h.DeviceID]])
	}
	sum := summarize(shown)
	cid, gid := r.group.CID, r.group.ID
	// The notice's level and words follow the outcome: a run that changed nothing is no ✓.
	c := tally(shown)
	notice := status.Success
	switch {
	case c.failed > 0:
		notice = status.Warn
	case c.changed == 0:
		notice = status.Info
	}
	what := headline(r.action, c, false) + " " + displayName(r.group.Name)
	if r.undo {
		what = "undo: " + what
	}
	cmds := []tea.Cmd{
		func() tea.Msg { return EditedMsg{CID: cid, GroupID: gid, Result: res} },
		notice("%s: %s", what, sum),
		storeConfirmed(m.opts.Context, m.opts.Store, m.storeCID(cid), gid, res),
	}
	return m, tea.Batch(cmds...)
}

// record updates the undo history with what a run changed.
func (m *Model) record(r runState, res falcon.MembershipResult, changed []string) {
	if !r.undo {
		e := r.entry
		if e == nil {
			if len(changed) == 0 {
				return
			}
			e = &edit{group: r.group, action: r.action, typed: m.confirm.typed}
		}
		e.ids = append(e.ids, changed...)
		m.report.entry = e
		m.pushHistory(e)
		return
	}
	// An undo: hosts now back where they were (changed, or found already there) leave the
	// entry; failed ones stay so that a second `u` or `r` can finish the job.
	e := r.entry
	if e == nil {
		return
	}
	back := map[string]bool{}
	for _, h := range res.Hosts {
		if h.Outcome != falcon.OutcomeFailed {
			back[h.DeviceID] = true
		}
	}
	e.ids = slices.DeleteFunc(e.ids, func(id string) bool { return back[id] })
	m.report.entry = e
	if len(e.ids) == 0 {
		m.history = slices.DeleteFunc(m.history, func(x *edit) bool { return x == e })
	}
}

func (m *Model) pushHistory(e *edit) {
	if slices.Contains(m.history, e) {
		return
	}
	m.history = append(m.history, e)
	if over := len(m.history) - m.opts.UndoDepth; over > 0 {
		m.history = slices.Delete(m.history, 0, over)
	}
}

// CanUndo reports whether `u` has an edit to revert now.
func (m Model) CanUndo() bool { return len(m.history) > 0 && m.step != stepRun }

// Undo reverts the newest membership edit: the inverse action on exactly the hosts that edit
// changed. It is a write like any other: the box first says what it will send and is
// confirmed as the edit was (the count typed above Options.TypeCountOver hosts or when the
// edit spanned tenants), then shows its progress and report.
func (m *Model) Undo() tea.Cmd {
	switch {
	case m.step == stepRun:
		return status.Warn("a group edit is still running")
	case len(m.history) == 0:
		return status.Info("nothing to undo")
	case m.client != nil && m.client.ReadOnly():
		return status.Warn(ReadOnlyReason)
	}
	e := m.history[len(m.history)-1]
	if r := m.access.Of(m.client, e.group.CID).Reason(); r != "" {
		return status.Warn("undo: %s", r)
	}
	m.gen = generation.Next()
	m.reset()
	m.action, m.target, m.fixed, m.undoing = e.action.Inverse(), e.group, true, e
	for _, id := range e.ids {
		m.hosts = append(m.hosts, falcon.Host{DeviceID: id, CID: e.group.CID, Hostname: m.names[id]})
	}
	return m.openConfirm(stepIdle)
}

// retry resends the report's failed hosts with the same action (an undo's failures too).
func (m *Model) retry() tea.Cmd {
	if r := m.report.failedRun; r != nil {
		// The whole run failed to start (transport trouble past the client's retries).
		return m.startRun(*r)
	}
	failed := m.report.result.Failed()
	if len(failed) == 0 {
		return nil
	}
	if r := m.access.Of(m.client, m.report.group.CID).Reason(); r != "" {
		return status.Warn("%s", r)
	}
	return m.startRun(runState{
		group: m.report.group, action: m.report.action, ids: failed,
		retry: true, undo: m.report.undo, entry: m.report.entry,
	})
}

// storeCID is the tenant the store files cid under: "" (the home tenant) is the client's home
// CID, "" when not known yet.
func (m Model) storeCID(cid string) string {
	if cid == "" && m.client != nil {
		return m.client.HomeCID()
	}
	return cid
}
