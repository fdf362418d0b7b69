package triage

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// outcome is what the report says of one alert, once an unknown outcome was re-read.
type outcome uint8

const (
	outUpdated outcome = iota // the API accepted it
	outApplied                // outcome unknown, but the re-read shows the change
	outRefused                // the API refused it (reason given): safe to send again
	outNotSent                // nothing was sent for it
	outNotSeen                // outcome unknown and the re-read shows no change: safe to send again
	outUnknown                // outcome unknown and the re-read cannot tell (a comment) or failed
)

var outcomeWords = [...]string{
	outUpdated: "updated",
	outApplied: "updated (the reply was lost; the re-read shows the change)",
	outRefused: "refused",
	outNotSent: "not sent",
	outNotSeen: "not applied (the reply was lost; the re-read shows no change)",
	outUnknown: "outcome unknown",
}

// glyphs make the outcome readable without colour.
var outcomeGlyphs = [...]string{outUpdated: "✓", outApplied: "✓", outRefused: "✗", outNotSent: "–", outNotSeen: "↻", outUnknown: "?"}

type row struct {
	alert   falcon.Alert
	outcome outcome
	message string // the API's reason, or what to do
}

type report struct {
	rows []row
	err  string // what stopped the update, if anything did
}

func newReport(alerts []falcon.Alert, u falcon.AlertUpdate, msg sentMsg) report {
	byID := map[string]falcon.AlertResult{}
	for _, r := range msg.results {
		byID[r.CompositeID] = r
	}
	now := map[string]falcon.Alert{}
	for _, a := range msg.reread {
		now[a.CompositeID] = a
	}
	rep := report{err: errText(msg.err)}
	seen := map[string]bool{}
	for _, a := range alerts {
		if seen[a.CompositeID] {
			continue
		}
		seen[a.CompositeID] = true
		r := byID[a.CompositeID]
		rw := row{alert: a, message: r.Message}
		if cur, ok := now[a.CompositeID]; ok {
			rw.alert = cur
		}
		switch r.Outcome {
		case falcon.AlertUpdated:
			rw.outcome = outUpdated
		case falcon.AlertFailed:
			rw.outcome = outRefused
		case falcon.AlertNotSent:
			rw.outcome = outNotSent
		case falcon.AlertUnknown:
			cur, ok := now[a.CompositeID]
			switch {
			case !ok && msg.rereadErr != nil:
				rw.outcome, rw.message = outUnknown, "the re-read failed too ("+errText(msg.rereadErr)+"): look at the alert before sending again"
			case !ok:
				rw.outcome, rw.message = outUnknown, "the alert was not found on re-read"
			default:
				switch applied(cur, u) {
				case yes:
					rw.outcome, rw.message = outApplied, ""
				case no:
					rw.outcome, rw.message = outNotSeen, "r sends it again"
				default:
					rw.outcome, rw.message = outUnknown, "a comment cannot be seen on re-read: look at the alert's comments before sending again"
				}
			}
		}
		rep.rows = append(rep.rows, rw)
	}
	return rep
}

type tristate uint8

const (
	cannotTell tristate = iota
	yes
	no
)

// applied says whether alert a shows update u. A comment cannot be seen in the alert's
// fields, so an update that carries one can only be "no" (another part is missing).
func applied(a falcon.Alert, u falcon.AlertUpdate) tristate {
	if u.Status != "" && a.Status != string(u.Status) {
		return no
	}
	if u.AssignToUUID != "" && a.AssignedToUUID != u.AssignToUUID {
		return no
	}
	if u.Unassign && a.AssignedToUUID != "" {
		return no
	}
	if u.Comment != "" {
		return cannotTell
	}
	return yes
}

// count is how many alerts had outcome o.
func (r report) count(os ...outcome) int {
	n := 0
	for _, rw := range r.rows {
		for _, o := range os {
			if rw.outcome == o {
				n++
			}
		}
	}
	return n
}

// retryable are the alerts that may be sent again: refused, not sent, or seen unchanged.
func (r report) retryable() []falcon.Alert {
	var out []falcon.Alert
	for _, rw := range r.rows {
		if rw.outcome == outRefused || rw.outcome == outNotSent || rw.outcome == outNotSeen {
			out = append(out, rw.alert)
		}
	}
	return out
}

func (r report) summaryStatus(what string) tea.Cmd {
	ok := r.count(outUpdated, outApplied)
	bad := len(r.rows) - ok
	switch {
	case bad == 0:
		return status.Success("%s: %s updated", what, plural(ok, "alert"))
	case ok == 0:
		return status.Errorf("%s: no alert updated (%d refused, %d unknown, %d not sent)", what,
			r.count(outRefused), r.count(outUnknown), r.count(outNotSent, outNotSeen))
	}
	return status.Warn("%s: %d of %d alerts updated — see the report", what, ok, len(r.rows))
}

func isScopeDenied(err error) bool { return errors.Is(err, falcon.ErrScopeDenied) }
