package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

var spinFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

func spinner(i int) string { return spinFrames[i%len(spinFrames)] }

// statusBar is the bottom line: the command bar while it is open; otherwise the newest
// message (or key hints), the background tasks, and the rate-limit meter. Nothing is cut
// mid-word when the terminal is narrow: key hints go one by one, and a warning or error
// that does not fit pushes the tasks, then the meter, off the line until it expires.
func (m Model) statusBar() string {
	if m.overlay == overlayCommand {
		return m.cmd.view(m.width)
	}
	tasks, meter := m.tasks(), m.rateMeter()
	fits := func(left, right string) bool {
		return ansi.StringWidth(left)+1+ansi.StringWidth(right) <= m.width
	}
	if msg, ok := m.status.Current(); ok {
		left := " " + m.statusStyle(msg.Level).Render(levelIcon(msg.Level)+" "+sanitize.Text(msg.Text))
		// What gives way, until it expires, when the message does not fit: a notice keeps
		// the tasks (the spinner says work goes on) longer than the meter; a warning or
		// an error the meter; then the message has the line to itself.
		rights := []string{m.joinRight(tasks, meter)}
		if msg.Level >= status.LevelWarn {
			rights = append(rights, m.joinRight(meter), "")
		} else {
			rights = append(rights, m.joinRight(tasks), "")
		}
		for _, right := range rights {
			if fits(left, right) {
				return widget.Spread(left, right, m.width)
			}
		}
		return widget.Spread(left, rights[len(rights)-1], m.width)
	}
	right := m.joinRight(tasks, meter)
	hints := m.hints()
	for n := len(hints); n > 0; n-- {
		if left := " " + strings.Join(hints[:n], "  "); fits(left, right) {
			return widget.Spread(left, right, m.width)
		}
	}
	return widget.Spread("", right, m.width)
}

// joinRight puts the non-empty parts of the right side together, with a trailing blank.
func (m Model) joinRight(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return strings.Join(kept, m.st.Subtle.Render("  │  ")) + " "
}

func (m Model) statusStyle(l status.Level) lipgloss.Style {
	switch l {
	case status.LevelSuccess:
		return m.st.StatusSuccess
	case status.LevelWarn:
		return m.st.StatusWarn
	case status.LevelError:
		return m.st.StatusError
	}
	return m.st.StatusInfo
}

func levelIcon(l status.Level) string {
	switch l {
	case status.LevelSuccess:
		return "✓"
	case status.LevelWarn:
		return "!"
	case status.LevelError:
		return "✗"
	}
	return "·"
}

// hints are the few keys worth knowing on the current view, most useful first.
func (m Model) hints() []string {
	k := func(key, desc string) string { return m.st.Key.Render(key) + " " + m.st.KeyDesc.Render(desc) }
	switch {
	case m.connErr != nil:
		return []string{k("r", "retry"), k("q", "quit")}
	case !m.connected:
		return []string{k("q", "quit")}
	}
	parts := []string{k("?", "help"), k(":", "command")}
	if len(m.stack) > 1 {
		parts = append(parts, k("esc", "back"))
	} else {
		parts = append(parts, k("tab", "pane"))
	}
	return append(parts, k("q", "quit"))
}

// tasks lists what is loading in the background, with a spinner: every pane's task (a
// drill-down's only while it is on screen, as the drill-down is about what is on screen),
// then the group edit's.
func (m Model) tasks() string {
	var ts []string
	for _, s := range m.reg.StartFirst() {
		if s.Drill && s.Kind != m.top() {
			continue
		}
		if t := m.pane(s.Kind).Task(); t != "" {
			ts = append(ts, t)
		}
	}
	if m.edit.Running() {
		ts = append(ts, "group edit")
	}
	if t := m.tokenTask(); t != "" {
		ts = append(ts, t)
	}
	if len(ts) == 0 {
		return ""
	}
	return m.st.Spinner.Render(spinner(m.spin)) + " " + m.st.Muted.Render(strings.Join(ts, " · "))
}

// tokenTask says how many tenants wait for a token while the token endpoint's budget
// (300 calls a minute for the whole address, docs/API.md §3) is spent: the view's tenants
// first, background counts after. Nothing while no call waits.
func (m Model) tokenTask() string {
	t := m.tokens
	if t.Waiting+t.Background == 0 {
		return ""
	}
	s := "tokens " + widget.Int(t.Tenants) + " · " + widget.Int(t.Waiting) + " waiting"
	if t.Background > 0 {
		s += " (+" + widget.Int(t.Background) + " background)"
	}
	if !t.ResumeAt.IsZero() && t.ResumeAt.After(m.now()) {
		s += " · resumes in " + t.ResumeAt.Sub(m.now()).Round(time.Second).String()
	}
	return s
}

// busy reports whether anything is loading (the spinner runs only then).
func (m Model) busy() bool { return m.connecting || m.tasks() != "" }

// armSpinner starts the spinner tick when something is loading and no tick is in flight.
func (m *Model) armSpinner() tea.Cmd {
	if m.spinning || !m.busy() {
		return nil
	}
	m.spinning = true
	return m.timer(spinTick())
}

// rateMeter is the current tenant's API budget: remaining/limit, a bar, requests in the
// last minute, 429s, and a countdown while cooling down after a 429.
func (m Model) rateMeter() string {
	r := m.rate
	st := m.st
	if !m.connected || r.Limit <= 0 {
		return ""
	}
	// While cooling down the server refuses every request, whatever its last reply said
	// remained: the budget is 0 until the countdown ends.
	now := m.now()
	cooling := r.CoolingDown(now)
	if cooling {
		r.Remaining = 0
	}
	fill := st.BarFull
	switch {
	case r.Remaining*10 < r.Limit:
		fill = st.BarHot
	case r.Remaining*4 < r.Limit:
		fill = st.Warn
	}
	s := st.Muted.Render("API ") + widget.Int(r.Remaining) + st.Muted.Render("/"+widget.Int(r.Limit)) + " " +
		widget.Bar(st, fill, r.Remaining, r.Limit, 8) + " " + st.Muted.Render(widget.Int(r.Requests1m)+"/min")
	if r.Throttled > 0 {
		s += " " + st.Warn.Render("429×"+widget.Int(r.Throttled))
	}
	if cooling {
		left := r.RetryAfter.Sub(now).Round(time.Second)
		s += " " + st.StatusError.Render(fmt.Sprintf("cooling %s", max(left, time.Second)))
	}
	return s
}
