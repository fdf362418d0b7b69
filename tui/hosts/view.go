package hosts

import (
	"errors"
	"fmt"
	"strings"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/hostrows"
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
	title := fmt.Sprintf("Hosts(%s)[%s]", sanitize.Text(scope), count)
	if m.zta.threshold > 0 {
		title += fmt.Sprintf(" ZTA<%d %s", m.zta.threshold, belowGlyph)
	}
	return title
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
	shown := m.rows.Shown()
	switch {
	case m.chooser.open:
		b.WriteString(m.chooserView(th))
	case m.err != nil && shown == 0:
		b.WriteString(widget.LoadError(m.st, m.width, th, m.err, Scope, widget.ClientID(m.client)))
	case shown == 0:
		// The headings stay, so that an empty list still reads as the hosts list.
		head, _, _ := strings.Cut(m.table.View(m.st, cells{}), "\n")
		b.WriteString(head)
		b.WriteByte('\n')
		b.WriteString(m.empty(max(1, th-1)))
	default:
		c := cells{t: m.rows, cols: m.cols, st: m.st, names: m.names, now: m.now(), first: m.table.Offset(), zta: m.zta.threshold}
		c.rows = m.rows.Window(make([]hostrows.Row, 0, m.table.PageSize()), c.first, m.table.PageSize())
		b.WriteString(m.table.View(m.st, c))
	}
	if p := m.prompt.View(m.width); p != "" {
		b.WriteByte('\n')
		b.WriteString(p)
	}
	return widget.Fit(b.String(), m.width, m.height)
}

// empty is the table area with no rows to show: what is empty, and why.
func (m Model) empty(h int) string {
	switch {
	case m.loading, m.sync.on && (m.refreshing() || !m.sync.connected):
		return widget.Message(m.st, m.width, h, m.st.Muted, "Loading hosts…")
	case m.filter() != "" && m.rows.Len() > 0:
		return widget.Message(m.st, m.width, h, m.st.Muted, "no hosts match /"+sanitize.Text(m.filter()), "esc clears the filter")
	case m.prompt.Applied() != "":
		return widget.Message(m.st, m.width, h, m.st.Muted, "no hosts match FQL "+sanitize.Text(m.prompt.Applied()), "f edits it; an empty filter shows every host")
	case m.client == nil:
		return widget.Message(m.st, m.width, h, m.st.Muted, "Not connected")
	}
	return widget.Message(m.st, m.width, h, m.st.Muted, "no hosts in "+sanitize.Text(m.scopeName()))
}

// scopeName names what the list covers: the tenant, or every tenant.
func (m Model) scopeName() string {
	if m.all && len(m.tenants) > 1 {
		return fmt.Sprintf("any of the %d tenants", len(m.tenants))
	}
	if name := m.names[m.cid]; name != "" {
		return name
	}
	if m.cid != "" {
		return "tenant " + domain.ShortID(m.cid)
	}
	return "this tenant"
}

// infoLine summarises filters, marks and the load's progress above the table.
func (m Model) infoLine() string {
	var left []string
	if fql := m.prompt.Applied(); fql != "" {
		left = append(left, m.st.Accent.Render("fql")+" "+sanitize.Text(fql))
	}
	if f := m.filter(); f != "" {
		left = append(left, m.st.Accent.Render("/")+sanitize.Text(f))
	}
	if n := m.rows.MarkCount(); n > 0 {
		left = append(left, m.st.MarkGlyph.Render("● "+widget.Int(n)+" marked"))
	}
	if m.sortBy != colHostname || m.sortDesc {
		dir := "▲"
		if m.sortDesc {
			dir = "▼"
		}
		left = append(left, m.st.Muted.Render("sort "+m.sortBy.String()+" "+dir))
	}
	if errors.Is(m.zta.err, falcon.ErrScopeDenied) {
		left = append(left, m.st.Warn.Render("ZTA needs `"+ZTAScope+"`"))
	} else if m.zta.err != nil {
		left = append(left, m.st.Warn.Render("ZTA unavailable"))
	}
	// A big list sorts and filters off the UI goroutine: say so until the result is in.
	if sorting, filtering := m.rows.Busy(); sorting || filtering {
		what := "sorting…"
		if filtering {
			what = "filtering…"
		}
		left = append(left, m.st.Accent.Render(what))
	}
	l := strings.Join(left, m.st.Subtle.Render("  │  "))
	return widget.Spread(l, m.progress(), m.width)
}

// progress is the right side of the info line: a bar while loading, the time it took after.
func (m Model) progress() string {
	if m.sync.on {
		return m.syncProgress()
	}
	done, total := m.rows.Len(), m.total()
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
