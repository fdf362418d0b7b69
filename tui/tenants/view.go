package tenants

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Title is the pane's name for its frame.
func (m Model) Title() string {
	n := len(m.tenants)
	if len(m.view) != n {
		return fmt.Sprintf("Tenants[%d/%d]", len(m.view), n)
	}
	return fmt.Sprintf("Tenants[%d]", n)
}

// View implements the pane contract.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	th := m.table.Height()
	body := m.infoLine() + "\n"
	switch {
	case m.err != nil && len(m.tenants) == 0:
		body += widget.LoadError(m.st, m.width, th, m.err, Scope, widget.ClientID(m.client))
	case m.loading && len(m.tenants) == 0:
		body += widget.Message(m.st, m.width, th, m.st.Muted, "Loading tenants…")
	case len(m.view) == 0 && m.filter != "":
		body += widget.Message(m.st, m.width, th, m.st.Muted, "No tenant matches /"+m.filter, "esc clears the filter")
	case len(m.view) == 0:
		body += widget.Message(m.st, m.width, th, m.st.Muted, "No tenants", "r reloads")
	default:
		table := m.table.View(m.st, cells{m: &m})
		if note := m.note(); note != "" && len(m.view)+1 < th {
			// Where the children would be: under the rows (the header is line 0).
			lines := strings.Split(table, "\n")
			lines[len(m.view)+1] = widget.FitLine(" "+note, m.width)
			table = strings.Join(lines, "\n")
		}
		body += table
	}
	if p := m.prompt.View(m.width); p != "" {
		body += "\n" + p
	}
	return widget.Fit(body, m.width, m.height)
}

// infoLine is the line above the table, as in Hosts: the kept local filter on the left,
// how old the counts are on the right (they are counted once per load; r counts again).
func (m Model) infoLine() string {
	left := ""
	if m.filter != "" {
		left = m.st.Accent.Render("/") + sanitize.Text(strings.TrimSpace(m.filter))
	}
	right := ""
	if oldest, ok := m.countedAt(); ok {
		right = m.st.Muted.Render("counts " + m.age(oldest) + " · r recounts")
	}
	return widget.Spread(left, right, m.width)
}

// age is how long ago counts arrived ("just now" in their first minute).
func (m Model) age(at time.Time) string {
	if m.now().Sub(at) < time.Minute {
		return "just now"
	}
	return domain.Ago(m.now(), at)
}

// countedAt is when the oldest counts on screen arrived; ok is false while none has.
func (m Model) countedAt() (time.Time, bool) {
	var oldest time.Time
	for _, t := range m.tenants {
		if s := m.sums[t.CID]; s.done && s.err == nil && (oldest.IsZero() || s.at.Before(oldest)) {
			oldest = s.at
		}
	}
	return oldest, !oldest.IsZero()
}

// note stands under a list of one where the children would be: hidden (the client lacks
// mssp:read, the pane would otherwise look broken) or none (not a Flight Control parent).
func (m Model) note() string {
	if m.loading || m.filter != "" || len(m.tenants) != 1 || m.tenants[0].IsChild() {
		return ""
	}
	if domain.ChildrenHiddenIn(m.tenants) {
		text := "└ " + domain.ChildrenHidden + " (:scopes checks)"
		if ansi.StringWidth(text) > m.width {
			text = "└ " + domain.ChildrenHidden
		}
		return m.st.Warn.Render(text)
	}
	return m.st.Muted.Render("└ no Flight Control children: this tenant is not a parent")
}

type cells struct{ m *Model }

func (c cells) Marked(int) bool { return false }

func (c cells) Cell(row, col int) (string, *lipgloss.Style) {
	m := c.m
	t := m.tenants[m.view[row]]
	st := m.st
	s, have := m.sums[t.CID]
	switch col {
	case 0:
		if t.CID == m.current {
			return "●", &st.Accent
		}
		return "", nil
	case 1:
		name := t.Name
		switch {
		case name == "" && t.IsChild():
			name = "(unnamed child)"
		case name == "":
			name = "Home tenant"
		}
		if t.IsChild() {
			return "└ " + name, nil
		}
		return name + " · parent", &st.Title
	case 2:
		return strings.ToLower(t.CID), &st.Muted
	case 8:
		return m.rateCell(t.CID)
	case colSynced:
		return m.syncedCell(t.CID), &st.Muted
	}
	if col == 7 && have && s.done && s.err == nil {
		return m.age(s.at), &st.Muted
	}
	switch {
	case !have || !s.done:
		return "…", &st.Subtle
	case s.err != nil:
		return "n/a", &st.Subtle
	}
	switch col {
	case 3:
		return widget.Int(s.Hosts), nil
	case 4:
		return count(st, s.Stale, &st.Stale)
	case 5:
		return count(st, s.Contained, &st.Contained)
	case 6:
		return count(st, s.NewAlerts, &st.High)
	}
	return "", nil
}

// rateCell is a tenant's API budget: remaining/limit as the last reply said, the 429s
// received, and a countdown while requests to it are paused.
func (m *Model) rateCell(cid string) (string, *lipgloss.Style) {
	st := m.st
	r, ok := m.Rate(cid)
	if !ok || (r.Limit <= 0 && r.Throttled == 0) {
		return "–", &st.Subtle
	}
	throttled := ""
	if r.Throttled > 0 {
		throttled = " 429×" + widget.Int(r.Throttled)
	}
	if now := m.now(); r.CoolingDown(now) {
		left := max(r.RetryAfter.Sub(now).Round(time.Second), time.Second)
		return fmt.Sprintf("cooling %s%s", left, throttled), &st.StatusError
	}
	if r.Limit <= 0 {
		// Only 429s so far: the pool's size is not known yet.
		return strings.TrimSpace(throttled), &st.Warn
	}
	text := widget.Int(r.Remaining) + "/" + widget.Int(r.Limit) + throttled
	switch {
	case r.Remaining*10 < r.Limit:
		return text, &st.BarHot
	case r.Remaining*4 < r.Limit, r.Throttled > 0:
		return text, &st.Warn
	}
	return text, nil
}

// count draws zero quietly and anything else in the column's colour.
func count(st *theme.Styles, n int, style *lipgloss.Style) (string, *lipgloss.Style) {
	if n < 0 {
		return "·", &st.Subtle // not kept in the store: counted again at connect
	}
	if n == 0 {
		return "0", &st.Subtle
	}
	return widget.Int(n), style
}
