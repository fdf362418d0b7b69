package groupedit

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// report is the per-host result of the flow on screen: the first run, then every retry merged
// in, so that each host appears once with its latest outcome.
type report struct {
	action     falcon.MembershipAction
	group      falcon.HostGroup
	undo       bool
	result     falcon.MembershipResult // cumulative, in request order
	index      map[string]int          // device id → position in result.Hosts
	skipped    []falcon.Host           // other tenants' hosts, never sent
	entry      *edit                   // the history entry of this flow
	err        string                  // the whole run failed (nothing was reported per host)
	failedRun  *runState               // that run, for `r`
	onlyFailed bool
	cursor     int
	offset     int
}

func newReport(action falcon.MembershipAction, g falcon.HostGroup, undo bool) report {
	return report{
		action: action, group: g, undo: undo,
		result: falcon.MembershipResult{GroupID: g.ID, Action: action},
		index:  map[string]int{},
	}
}

// merge folds a run's outcomes in (a retried host's new outcome replaces its old one) and
// returns the hosts this flow has changed in the run, which is what undo must revert.
//
// A retried host that comes back "already in the requested state" was changed by the flow
// itself: the client reports a host as failed only when it was not in that state before the
// first run (or was not found at all), so the earlier chunk must have been applied even though
// its reply or its check was lost. It counts as changed, in the report and for undo.
func (r *report) merge(res falcon.MembershipResult) []string {
	var changed []string
	for _, h := range res.Hosts {
		i, seen := r.index[h.DeviceID]
		if seen {
			prev := r.result.Hosts[i]
			if prev.Outcome == falcon.OutcomeFailed && !errors.Is(prev.Err, falcon.ErrHostNotFound) &&
				h.Outcome == falcon.OutcomeUnchanged {
				h.Outcome = falcon.OutcomeChanged
			}
			r.result.Hosts[i] = h
		} else {
			r.index[h.DeviceID] = len(r.result.Hosts)
			r.result.Hosts = append(r.result.Hosts, h)
		}
		if h.Outcome == falcon.OutcomeChanged {
			changed = append(changed, h.DeviceID)
		}
	}
	return changed
}

// counts tallies outcomes.
type counts struct{ changed, unchanged, failed int }

func tally(res falcon.MembershipResult) counts {
	var c counts
	for _, h := range res.Hosts {
		switch h.Outcome {
		case falcon.OutcomeChanged:
			c.changed++
		case falcon.OutcomeUnchanged:
			c.unchanged++
		default:
			c.failed++
		}
	}
	return c
}

// outcomeWords names outcomes for an action: "added" / "already a member".
func outcomeWords(a falcon.MembershipAction) (changed, unchanged string) {
	if a == falcon.RemoveHosts {
		return "removed", "not a member"
	}
	return "added", "already a member"
}

// summarize is the one-line tally of a run: "3 added · 1 already a member · 1 failed".
func summarize(res falcon.MembershipResult) string {
	c := tally(res)
	ch, un := outcomeWords(res.Action)
	parts := []string{widget.Int(c.changed) + " " + ch}
	if c.unchanged > 0 {
		parts = append(parts, widget.Int(c.unchanged)+" "+un)
	}
	if c.failed > 0 {
		parts = append(parts, widget.Int(c.failed)+" failed (r retries)")
	}
	return strings.Join(parts, " · ")
}

// rows are the report lines on screen (all hosts, or only the failed ones).
func (r report) rows() []falcon.HostOutcome {
	if !r.onlyFailed {
		return r.result.Hosts
	}
	var out []falcon.HostOutcome
	for _, h := range r.result.Hosts {
		if h.Outcome == falcon.OutcomeFailed {
			out = append(out, h)
		}
	}
	return out
}

func (m Model) reportKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	r := &m.report
	rows := m.reportRows()
	n := len(r.rows())
	move := func(d int) {
		if n == 0 {
			return
		}
		r.cursor = max(0, min(n-1, r.cursor+d))
		if r.cursor < r.offset {
			r.offset = r.cursor
		}
		if r.cursor >= r.offset+rows {
			r.offset = r.cursor - rows + 1
		}
	}
	switch {
	case key.Matches(msg, m.keys.Up):
		move(-1)
	case key.Matches(msg, m.keys.Down):
		move(1)
	case key.Matches(msg, m.keys.PageUp):
		move(-rows)
	case key.Matches(msg, m.keys.PageDown):
		move(rows)
	case key.Matches(msg, m.keys.Home):
		move(-n)
	case key.Matches(msg, m.keys.End):
		move(n)
	case key.Matches(msg, m.keys.Failed):
		r.onlyFailed = !r.onlyFailed
		r.cursor, r.offset = 0, 0
	case key.Matches(msg, m.keys.Retry):
		return m, m.retry()
	case key.Matches(msg, m.keys.Undo):
		cmd := m.Undo()
		return m, cmd
	case key.Matches(msg, m.keys.Choose), msg.String() == "esc", msg.String() == "q":
		m.close()
	}
	return m, nil
}

// headline names what a run did to the group, from its outcome: "added to", "partly added
// to", "nothing added to" (every host was already there), "not added to" (every host failed,
// or the run failed as a whole). A title never claims a change the result does not show.
func headline(action falcon.MembershipAction, c counts, failedRun bool) string {
	done := "added to"
	if action == falcon.RemoveHosts {
		done = "removed from"
	}
	switch {
	case failedRun || (c.changed == 0 && c.failed > 0):
		return "not " + done
	case c.changed == 0:
		return "nothing " + done
	case c.failed > 0:
		return "partly " + done
	}
	return done
}
