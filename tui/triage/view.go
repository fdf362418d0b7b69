package triage

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// View draws the open box in exactly width × height cells (the pane's place).
func (m Model) View(width, height int) string {
	if !m.Active() || width <= 0 || height <= 0 {
		return ""
	}
	st := m.opts.Styles
	var lines []string
	add := func(style lipgloss.Style, s string) { lines = append(lines, style.Render(widget.FitLine(s, width-2))) }
	text := func(s string) { lines = append(lines, " "+widget.FitLine(s, width-2)) }
	target := m.targetLine()
	switch m.step {
	case stepStatus:
		add(st.Title, " Set the status of "+target)
		lines = append(lines, "")
		for i, s := range falcon.AlertStatuses {
			l := fmt.Sprintf("  %d  %s", i+1, statusWord(string(s)))
			if i == m.cursor {
				lines = append(lines, st.Selected.Render(widget.FitLine(" › "+l[2:], width-2)))
				continue
			}
			text(l)
		}
		lines = append(lines, "")
		add(st.Muted, " ↑/↓ choose · enter (or 1–4) next · esc cancel")
	case stepAssign:
		add(st.Title, " Assign "+target)
		lines = append(lines, " "+m.input.View())
		switch {
		case m.usersLoading:
			add(st.Muted, " loading the console users of "+m.tenantLabel(tenantOf(m.alerts[0]))+"…")
		case m.usersErr != nil:
			why := errText(m.usersErr)
			if errors.Is(m.usersErr, falcon.ErrScopeDenied) {
				why = "needs " + widget.ScopeOf(m.usersErr, UsersScope)
			}
			add(st.Warn, " the console users could not be read ("+why+"); \"nobody\" still unassigns")
		}
		ps := m.picks()
		room := max(1, height-len(lines)-3)
		start := max(0, m.cursor-room+1)
		for i := start; i < len(ps) && i < start+room; i++ {
			l := "  " + sanitize.Line(ps[i].label, width-6)
			if i == m.cursor {
				lines = append(lines, st.Selected.Render(widget.FitLine(" › "+l[2:], width-2)))
				continue
			}
			text(l)
		}
		if len(ps) == 0 && !m.usersLoading {
			add(st.Muted, "  no user matches")
		}
		if m.hint != "" {
			add(st.Warn, " "+m.hint)
		}
		add(st.Muted, " type to filter · ↑/↓ choose · enter next · esc cancel")
	case stepComment:
		add(st.Title, " Comment on "+target)
		lines = append(lines, "", " "+m.input.View(), "")
		if m.hint != "" {
			add(st.Warn, " "+m.hint)
		}
		add(st.Muted, " the comment is appended to each alert's comments · enter next · esc cancel")
	case stepConfirm:
		lines = append(lines, m.confirmLines(width)...)
	case stepRun:
		add(st.Title, " Triage: "+m.what)
		lines = append(lines, "")
		text("sending the update for " + target + "…")
	case stepReport:
		lines = append(lines, m.reportLines(width, height)...)
	}
	return widget.Fit(strings.Join(lines, "\n"), width, height)
}

// targetLine names what the box acts on: the alert, or how many and where.
func (m Model) targetLine() string {
	if len(m.alerts) == 1 {
		return "the alert " + alertLabel(m.alerts[0], 60)
	}
	ts := cids(m.alerts)
	where := m.tenantLabel(ts[0])
	if len(ts) > 1 {
		where = fmt.Sprintf("%d tenants", len(ts))
	}
	return fmt.Sprintf("%s in %s", plural(len(m.alerts), "marked alert"), where)
}

// alertLabel is "High 79 Reverse shell on bastion-01", sanitised and cut.
func alertLabel(a falcon.Alert, n int) string {
	name := a.DisplayName
	if name == "" {
		name = a.Name
	}
	s := fmt.Sprintf("%s %d %s", domain.SeverityName(a), a.Severity, name)
	if a.Hostname != "" {
		s += " on " + a.Hostname
	}
	return sanitize.Line(s, n)
}

func (m Model) confirmLines(width int) []string {
	st := m.opts.Styles
	w := width - 2
	lines := []string{st.Title.Render(widget.FitLine(" Confirm: "+m.what, w)), ""}
	lines = append(lines, " "+widget.FitLine("on "+m.targetLine()+":", w))
	for i, a := range m.alerts {
		if i == 5 {
			lines = append(lines, st.Muted.Render(widget.FitLine(fmt.Sprintf("   … and %d more", len(m.alerts)-5), w)))
			break
		}
		cur := statusWord(a.Status)
		if a.AssignedTo != "" {
			cur += ", " + a.AssignedTo
		}
		lines = append(lines, "   "+widget.FitLine(alertLabel(a, w-30)+"  "+st.Muted.Render("("+sanitize.Line(cur, 40)+")"), w-2))
	}
	if c := strings.TrimSpace(m.update.Comment); c != "" {
		lines = append(lines, "", " comment:")
		for _, l := range widget.Wrap(c, w-4) {
			lines = append(lines, "   "+l)
		}
	}
	lines = append(lines, "")
	if m.typed() {
		why := fmt.Sprintf("more than %d alerts", TypeCountOver)
		if len(cids(m.alerts)) > 1 {
			why = "alerts of several tenants"
		}
		lines = append(lines, st.Warn.Render(widget.FitLine(fmt.Sprintf(" %s: type %d and press enter to send · esc cancels", why, len(m.alerts)), w)),
			" "+m.input.View())
		if m.err != "" {
			lines = append(lines, st.Error.Render(widget.FitLine(" "+m.err, w)))
		}
	} else {
		lines = append(lines, st.Accent.Render(widget.FitLine(" y (or enter) sends · n (or esc) cancels", w)))
	}
	return lines
}

func (m Model) reportLines(width, height int) []string {
	st := m.opts.Styles
	r := m.report
	w := width - 2
	ok := r.count(outUpdated, outApplied)
	head := fmt.Sprintf(" Triage: %s — %d of %d updated", m.what, ok, len(r.rows))
	lines := []string{st.Title.Render(widget.FitLine(head, w))}
	if n := r.count(outRefused); n > 0 {
		lines = append(lines, st.Error.Render(widget.FitLine(fmt.Sprintf(" ✗ %d refused by the API", n), w)))
	}
	if n := r.count(outUnknown); n > 0 {
		lines = append(lines, st.Warn.Render(widget.FitLine(fmt.Sprintf(" ? %d with an outcome still unknown: look before sending again", n), w)))
	}
	if n := r.count(outNotSeen, outNotSent); n > 0 {
		lines = append(lines, st.Warn.Render(widget.FitLine(fmt.Sprintf(" ↻ %d not applied: r sends them again", n), w)))
	}
	if r.err != "" {
		lines = append(lines, st.Warn.Render(widget.FitLine(" stopped: "+sanitize.Line(r.err, w-10), w)))
	}
	lines = append(lines, "")
	room := max(1, height-len(lines)-2)
	start := max(0, m.cursor-room+1)
	for i := start; i < len(r.rows) && i < start+room; i++ {
		rw := r.rows[i]
		style := st.OK
		switch rw.outcome {
		case outRefused:
			style = st.Error
		case outNotSent, outNotSeen, outUnknown:
			style = st.Warn
		}
		word := outcomeWords[rw.outcome]
		if rw.message != "" {
			word += ": " + rw.message
		}
		label := widget.FitLine(alertLabel(rw.alert, 40), 40)
		l := " " + style.Render(outcomeGlyphs[rw.outcome]) + " " + label + "  " +
			style.Render(sanitize.Line(word, max(1, w-46)))
		if i == m.cursor && len(r.rows) > 1 {
			l = st.Selected.Render(widget.FitLine(" "+outcomeGlyphs[rw.outcome]+" "+label+"  "+sanitize.Line(word, max(1, w-46)), w))
		}
		lines = append(lines, widget.FitLine(l, w))
	}
	lines = append(lines, "")
	foot := " enter close"
	if len(r.retryable()) > 0 {
		foot += " · r send the ones not applied again"
	}
	lines = append(lines, st.Muted.Render(widget.FitLine(foot+" · ↑/↓ scroll", w)))
	return lines
}
