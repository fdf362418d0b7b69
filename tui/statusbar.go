package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

var spinFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

func spinner(i int) string { return spinFrames[i%len(spinFrames)] }

// statusBar is the bottom line: the command bar while it is open; otherwise the newest
// message (or key hints), the background tasks, and the rate-limit meter.
func (m Model) statusBar() string {
	if m.overlay == overlayCommand {
		return m.cmd.view(m.width)
	}
	right := m.tasks()
	if meter := m.rateMeter(); meter != "" {
		if right != "" {
			right += m.st.Subtle.Render("  │  ")
		}
		right += meter
	}
	if right != "" {
		right += " "
	}
	left := " " + m.hints()
	if msg, ok := m.status.Current(); ok {
		left = " " + m.statusStyle(msg.Level).Render(levelIcon(msg.Level)+" "+sanitize.Text(msg.Text))
	}
	return widget.Spread(left, right, m.width)
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

// hints are the few keys worth knowing on the current view.
func (m Model) hints() string {
	k := func(key, desc string) string { return m.st.Key.Render(key) + " " + m.st.KeyDesc.Render(desc) }
	switch {
	case m.connErr != nil:
		return k("r", "retry") + "  " + k("q", "quit")
	case !m.connected:
		return k("q", "quit")
	}
	parts := []string{k("?", "help"), k(":", "command")}
	if len(m.stack) > 1 {
		parts = append(parts, k("esc", "back"))
	} else {
		parts = append(parts, k("tab", "pane"))
	}
	parts = append(parts, k("q", "quit"))
	return strings.Join(parts, "  ")
}

// tasks lists what is loading in the background, with a spinner.
func (m Model) tasks() string {
	var ts []string
	if done, total, ok := m.hostsPane.Loading(); ok {
		if total > 0 {
			ts = append(ts, fmt.Sprintf("hosts %d%%", min(100, done*100/total)))
		} else {
			ts = append(ts, "hosts "+widget.Int(done))
		}
	}
	if done, total, ok := m.tenantsPane.Loading(); ok && m.connected {
		ts = append(ts, fmt.Sprintf("tenants %d/%d", done, total))
	}
	if m.alertsPane.Loading() {
		ts = append(ts, "alerts")
	}
	if m.hostAlerts.Loading() && m.top() == focusHostAlerts {
		ts = append(ts, "host alerts")
	}
	if m.detail.Loading() && m.top() == focusHostDetail {
		ts = append(ts, "host detail")
	}
	if m.scopesPane.Probing() {
		ts = append(ts, "scope probe")
	}
	if m.edit.Running() {
		ts = append(ts, "group edit")
	}
	if len(ts) == 0 {
		return ""
	}
	return m.st.Spinner.Render(spinner(m.spin)) + " " + m.st.Muted.Render(strings.Join(ts, " · "))
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
	if now := m.now(); r.CoolingDown(now) {
		left := r.RetryAfter.Sub(now).Round(time.Second)
		s += " " + st.StatusError.Render(fmt.Sprintf("cooling %s", max(left, time.Second)))
	}
	return s
}
