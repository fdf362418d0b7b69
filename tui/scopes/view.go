package scopes

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/scopehealth"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Layout: title, two header rows, the matrix, a rule, the selected scope's detail, a rule,
// one readiness line per integration set, the legend.
const (
	headerRows = 3
	detailRows = 5
	minRows    = 3
	tenantW    = 11 // narrowest tenant column: "✓  ✗" under a name cut to 10 cells
	tenantMaxW = 26 // widest: spare room goes to longer tenant names
)

func (m Model) fixedRows() int {
	return headerRows + 1 + detailRows + 1 + len(scopehealth.IntegrationSetNames()) + 1
}

// matrixRows is how many scope rows fit.
func (m Model) matrixRows() int { return max(m.height-m.fixedRows(), minRows) }

func (m Model) nameW() int {
	w := 0
	for _, d := range m.defs {
		w = max(w, ansi.StringWidth(d.Name))
	}
	// Full names while two tenant columns still fit beside them; the names are what users
	// find in the console, so they win over more columns.
	return min(w, max(m.width-3-2*tenantW, 12))
}

// idW is the identifier column's width; 0 hides it on narrow panes.
func (m Model) idW() int {
	if m.width < 100 {
		return 0
	}
	w := 0
	for _, d := range m.defs {
		w = max(w, len(d.ID))
	}
	return w
}

// leadW is the width of the name (and id) columns, cursor mark included.
func (m Model) leadW() int {
	used := 2 + m.nameW() + 1
	if id := m.idW(); id > 0 {
		used += id + 1
	}
	return used
}

// tenantCols is how many tenant columns fit beside the name (and id) columns.
func (m Model) tenantCols() int { return max((m.width-m.leadW())/tenantW, 1) }

// colW is a tenant column's width: the room left, shared by the columns on screen.
func (m Model) colW() int {
	n := m.tenantCols()
	if m.rep != nil {
		n = min(n, max(len(m.rep.Tenants), 1))
	}
	return min(max((m.width-m.leadW())/n, tenantW), tenantMaxW)
}

// Title is the pane's name for the root's frame: how many tenants were probed and how many
// scopes are missing somewhere ("Scopes(5 tenants)[2 gaps]").
func (m Model) Title() string {
	if m.rep == nil {
		if m.probing {
			return "Scopes(probing…)"
		}
		return "Scopes"
	}
	n := len(m.rep.Tenants)
	gaps := 0
	for i := range m.defs {
		if m.rowHasGap(i) {
			gaps++
		}
	}
	count := "no gaps"
	if gaps > 0 {
		count = fmt.Sprintf("%d %s", gaps, plural(gaps, "gap", "gaps"))
	}
	t := fmt.Sprintf("Scopes(%d %s)[%s]", n, plural(n, "tenant", "tenants"), count)
	if m.probing {
		t += " re-probing…"
	}
	return t
}

// View renders exactly width × height cells.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.st
	if m.rep == nil {
		switch {
		case m.err != nil:
			return widget.Message(st, m.width, m.height, st.Error, widget.ErrorText(m.err), "r retries")
		case m.probing:
			return widget.Message(st, m.width, m.height, st.Muted, "Probing what this API client may do…",
				"Read probes ask for one record; write probes send empty bodies the API rejects. Nothing is changed.")
		}
		return widget.Message(st, m.width, m.height, st.Muted, "Scopes not probed yet", "r probes every scope in every tenant")
	}
	if m.full {
		return widget.Fit(strings.Join(m.fullScreen(), "\n"), m.width, m.height)
	}
	lines := []string{m.title()}
	lines = append(lines, m.header()...)
	lines = append(lines, m.matrix()...)
	lines = append(lines, st.Subtle.Render(strings.Repeat("─", m.width)))
	lines = append(lines, m.detail()...)
	lines = append(lines, st.Subtle.Render(strings.Repeat("─", m.width)))
	lines = append(lines, m.readiness()...)
	lines = append(lines, m.legend())
	return widget.Fit(strings.Join(lines, "\n"), m.width, m.height)
}

func (m Model) title() string {
	st, rep := m.st, m.rep
	left := st.Title.Render("Scope health") + st.Muted.Render(fmt.Sprintf(" · API client %s · %d %s · %d requests in %s",
		sanitize.Text(rep.ClientID), len(rep.Tenants), plural(len(rep.Tenants), "tenant", "tenants"), rep.Requests(),
		time.Duration(rep.Duration).Round(time.Millisecond)))
	right := st.Key.Render("enter") + st.KeyDesc.Render(" detail") + "  " + st.Key.Render("r") + st.KeyDesc.Render(" re-probe")
	if m.probing {
		right = st.Accent.Render("re-probing…")
	} else if m.err != nil {
		right = st.Error.Render("re-probe failed: "+widget.ErrorText(m.err)) + "  " + right
	}
	if rep.ReadOnly {
		right = st.Warn.Render("read-only: writes not probed") + "  " + right
	}
	return widget.Spread(left, right, m.width)
}

// visibleTenants is the slice of tenant columns on screen.
func (m Model) visibleTenants() []scopehealth.TenantScopes {
	ts := m.rep.Tenants
	end := min(m.col+m.tenantCols(), len(ts))
	return ts[min(m.col, end):end]
}

func (m Model) header() []string {
	st := m.st
	leadW, cw := m.leadW(), m.colW()
	// Above the scope names: how many tenant columns are off screen, and which way.
	var more []string
	if m.col > 0 {
		more = append(more, fmt.Sprintf("‹ %d", m.col))
	}
	if rest := len(m.rep.Tenants) - m.col - m.tenantCols(); rest > 0 {
		more = append(more, fmt.Sprintf("%d more ›", rest))
	}
	lead := st.Muted.Render("  " + strings.Join(more, " · "))
	if len(more) == 0 && len(m.rep.Notes) > 0 {
		// e.g. only the home tenant could be probed: say so where the columns start.
		lead = "  " + st.Warn.Render(sanitize.Text(m.rep.Notes[0]))
	}
	var names, rw strings.Builder
	names.WriteString(widget.FitLine(lead, leadW-1) + " ")
	rw.WriteString("  " + pad("SCOPE", m.nameW()) + " ")
	if id := m.idW(); id > 0 {
		rw.WriteString(pad("IDENTIFIER", id) + " ")
	}
	for _, t := range m.visibleTenants() {
		label := sanitize.Line(tenantLabel(t.Tenant), cw-1)
		if t.Tenant.Child {
			names.WriteString(pad(label, cw))
		} else {
			names.WriteString(st.Accent.Render(pad(label, cw)))
		}
		rw.WriteString(pad("R  W", cw))
	}
	return []string{names.String(), st.Header.Render(rw.String())}
}

func (m Model) matrix() []string {
	rows := m.matrixRows()
	out := make([]string, 0, rows)
	for i := m.offset; i < min(m.offset+rows, len(m.defs)); i++ {
		out = append(out, m.row(i))
	}
	for len(out) < rows {
		out = append(out, "")
	}
	return out
}

func (m Model) row(i int) string {
	d := m.defs[i]
	selected := i == m.cursor
	var b strings.Builder
	if selected {
		b.WriteString("› ")
	} else {
		b.WriteString("  ")
	}
	b.WriteString(pad(ansi.Truncate(d.Name, m.nameW(), "…"), m.nameW()) + " ")
	if id := m.idW(); id > 0 {
		b.WriteString(pad(d.ID, id) + " ")
	}
	for _, t := range m.visibleTenants() {
		r, w := m.symbol(&t, d, scopehealth.Read, !selected), m.symbol(&t, d, scopehealth.Write, !selected)
		b.WriteString(r + "  " + w + strings.Repeat(" ", m.colW()-4))
	}
	line := widget.FitLine(b.String(), m.width)
	if !selected {
		return line
	}
	if m.focused {
		return m.st.Selected.Render(line)
	}
	return m.st.SelectedBlur.Render(line)
}

// symbol is one access's glyph in one tenant, coloured unless the row's own style wins.
func (m Model) symbol(t *scopehealth.TenantScopes, d scopehealth.ScopeDef, a scopehealth.Access, colour bool) string {
	if d.Access(a) == nil {
		if colour {
			return m.st.Subtle.Render(scopehealth.NotApplicableSymbol)
		}
		return scopehealth.NotApplicableSymbol
	}
	state := falcon.ScopeUnknown
	if res, ok := t.Result(scopehealth.Perm(d.ID, a)); ok {
		state = res.State
	}
	if !colour {
		return scopehealth.Symbol(state)
	}
	return m.stateStyle(state).Render(scopehealth.Symbol(state))
}

func (m Model) stateStyle(s falcon.ScopeState) lipgloss.Style {
	switch s {
	case falcon.ScopeGranted:
		return m.st.OK
	case falcon.ScopeDenied:
		return m.st.Error
	case falcon.ScopeNotProvisioned, falcon.ScopeError:
		return m.st.Warn
	}
	return m.st.Muted
}

// tenantLabel names a probed tenant the way the other panes do ("Home tenant", not the
// report's "home").
func tenantLabel(t scopehealth.ProbedTenant) string {
	if t.Name == "" && !t.Child {
		return "Home tenant"
	}
	return t.Label()
}

func pad(s string, n int) string {
	if w := ansi.StringWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
