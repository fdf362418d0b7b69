package hosts

import (
	"errors"
	"fmt"
	"strings"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Title is the pane's name for its frame: what is shown and how many.
func (m Model) Title() string {
	scope := domain.TenantTitle(m.names[m.cid], m.cid)
	if m.all && len(m.tenants) > 1 {
		scope = fmt.Sprintf("all %d tenants", len(m.tenants))
	}
	shown, loaded := m.Count()
	count := widget.Int(loaded)
	if shown != loaded {
		count = widget.Int(shown) + "/" + widget.Int(loaded)
	}
	return fmt.Sprintf("Hosts(%s)[%s]", sanitize.Text(scope), count)
}

// View implements the pane contract: exactly width × height.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(m.infoLine())
	b.WriteByte('\n')
	th := m.table.Height()
	switch {
	case m.err != nil && len(m.d.view) == 0:
		b.WriteString(widget.LoadError(m.st, m.width, th, m.err, Scope, widget.ClientID(m.client)))
	case len(m.d.view) == 0:
		b.WriteString(m.empty(th))
	default:
		m.d.now = m.now()
		b.WriteString(m.table.View(m.st, cells{d: &m.d, cols: m.cols, st: m.st, marks: m.marks}))
	}
	if p := m.prompt.View(m.width); p != "" {
		b.WriteByte('\n')
		b.WriteString(p)
	}
	return widget.Fit(b.String(), m.width, m.height)
}

// empty is the table area with no rows to show.
func (m Model) empty(h int) string {
	switch {
	case m.loading:
		return widget.Message(m.st, m.width, h, m.st.Muted, "Loading hosts…")
	case m.d.filter != "" && len(m.d.hosts) > 0:
		return widget.Message(m.st, m.width, h, m.st.Muted, "No host matches /"+sanitize.Text(strings.TrimSpace(m.d.typed)), "esc clears the filter")
	case m.prompt.FQL() != "":
		return widget.Message(m.st, m.width, h, m.st.Muted, "No host matches the FQL filter", "f edits it; an empty filter shows every host")
	case m.client == nil:
		return widget.Message(m.st, m.width, h, m.st.Muted, "Not connected")
	}
	return widget.Message(m.st, m.width, h, m.st.Muted, "No hosts in this tenant")
}

// infoLine summarises filters, marks and the load's progress above the table.
func (m Model) infoLine() string {
	var left []string
	if fql := m.prompt.FQL(); fql != "" {
		left = append(left, m.st.Accent.Render("fql")+" "+sanitize.Text(fql))
	}
	if m.d.filter != "" {
		left = append(left, m.st.Accent.Render("/")+sanitize.Text(strings.TrimSpace(m.d.typed)))
	}
	if n := len(m.marks); n > 0 {
		left = append(left, m.st.MarkGlyph.Render("● "+widget.Int(n)+" marked"))
	}
	if m.d.sortBy != colHostname || m.d.sortDesc {
		dir := "▲"
		if m.d.sortDesc {
			dir = "▼"
		}
		left = append(left, m.st.Muted.Render("sort "+m.d.sortBy.String()+" "+dir))
	}
	l := strings.Join(left, m.st.Subtle.Render("  │  "))
	return widget.Spread(l, m.progress(), m.width)
}

// progress is the right side of the info line: a bar while loading, the time it took after.
func (m Model) progress() string {
	done, total := len(m.d.hosts), m.total()
	switch {
	case m.loading && total > 0:
		pct := min(100, done*100/total)
		return fmt.Sprintf("%s %3d%% %s/%s", widget.Bar(m.st, m.st.BarFull, done, total, 12), pct,
			widget.Int(done), widget.Int(total))
	case m.loading:
		return m.st.Muted.Render("loading " + widget.Int(done) + "…")
	case errors.Is(m.err, falcon.ErrScopeDenied):
		return m.st.Warn.Render("needs `" + widget.ScopeOf(m.err, Scope) + "`")
	case m.err != nil:
		return m.st.Error.Render("load failed: " + sanitize.Line(widget.ErrorText(m.err), max(10, m.width/2)))
	case m.complete:
		return m.st.Muted.Render(fmt.Sprintf("%s hosts in %.1fs", widget.Int(done), m.took.Seconds()))
	}
	return ""
}
