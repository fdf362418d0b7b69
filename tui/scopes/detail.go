package scopes

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/scopehealth"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// stateOrder is how the detail lists tenants per access: problems first.
var stateOrder = []falcon.ScopeState{falcon.ScopeDenied, falcon.ScopeNotProvisioned, falcon.ScopeError,
	falcon.ScopeUnknown, falcon.ScopeGranted}

// detail explains the selected scope in detailRows lines: its name and identifier, each
// access across the tenants, then (when something is missing) what that blocks and the
// exact checkbox to tick, else what it unlocks and how it was probed.
func (m Model) detail() []string {
	lines := m.detailLines(detailRows)
	for len(lines) < detailRows {
		lines = append(lines, "")
	}
	return lines[:detailRows]
}

// detailLines is the selected scope's detail, each line whole (the view cuts what does not
// fit); room is how many lines the fix may wrap over.
func (m Model) detailLines(room int) []string {
	st := m.st
	if len(m.defs) == 0 {
		return nil
	}
	d := m.defs[m.cursor]
	head := st.Title.Render(d.Name) + st.Muted.Render(" ("+d.ID+")")
	if !d.Verified {
		head += st.Muted.Render(" · identifier from a single source, unverified")
	}
	lines := []string{head}
	var gapPerm scopehealth.Permission
	var gapState falcon.ScopeState
	var gapDetail string
	for _, p := range d.Permissions() {
		line, state, why := m.accessLine(d, p)
		lines = append(lines, line)
		if gapPerm == (scopehealth.Permission{}) && state != falcon.ScopeGranted {
			gapPerm, gapState, gapDetail = p, state, why
		}
	}
	if gapPerm != (scopehealth.Permission{}) {
		acc := d.Access(gapPerm.Access)
		verb := "blocks"
		if !gapState.Missing() {
			verb = "needs"
		}
		lines = append(lines, m.labelled(verb, strings.Join(acc.Blocks(), ", ")))
		fix := scopehealth.FixFor(gapPerm, gapState)
		if gapDetail != "" && !gapState.Missing() {
			fix = sanitize.Text(gapDetail) + " — " + fix
		}
		for i, l := range wrap(fix, max(m.width-10, 20), room-len(lines)) {
			if i == 0 {
				lines = append(lines, m.labelled("fix", l))
			} else {
				lines = append(lines, m.labelled("", l))
			}
		}
	} else {
		var unlocks []string
		for _, p := range d.Permissions() {
			unlocks = append(unlocks, d.Access(p.Access).Blocks()...)
		}
		lines = append(lines, m.labelled("unlocks", strings.Join(unlocks, ", ")))
		lines = append(lines, m.labelled("probes", probeText(d)))
	}
	return lines
}

// fullIndent is where a wrapped detail line goes on: under the text, after the labels.
const fullIndent = 10

// fullView is the selected scope's detail and every integration set's verdict with its
// gaps, each line wrapped to the width: nothing is cut (enter or esc goes back).
func (m Model) fullView() []string {
	st := m.st
	head := st.Title.Render("Scope health") + st.Muted.Render(" · full detail")
	right := st.Key.Render("enter") + st.KeyDesc.Render("/") + st.Key.Render("esc") + st.KeyDesc.Render(" back to the matrix")
	out := []string{widget.Spread(head, right, m.width), ""}
	for _, l := range m.detailLines(1 << 10) {
		out = append(out, m.wrapped(l)...)
	}
	out = append(out, "", st.Title.Render("Integrations"))
	for _, r := range m.ready {
		out = append(out, m.wrapped(m.readinessLine(r))...)
		// One line per missing permission (and state), naming every tenant it is
		// missing in, and the fix.
		type key struct {
			p  scopehealth.Permission
			st falcon.ScopeState
		}
		var order []key
		where := map[key][]string{}
		fix := map[key]string{}
		for _, g := range r.Missing() {
			k := key{g.Permission, g.State}
			if _, ok := where[k]; !ok {
				order = append(order, k)
				fix[k] = g.Fix
			}
			where[k] = append(where[k], sanitize.Text(tenantLabel(g.Tenant)))
		}
		for _, k := range order {
			text := fmt.Sprintf("%s %s in %s: %s", scopehealth.Symbol(k.st), k.p, strings.Join(where[k], ", "), fix[k])
			out = append(out, m.wrapped("  "+m.stateStyle(k.st).Render(text))...)
		}
	}
	return out
}

// fullPage is how many lines of the full detail are on screen (the rest scroll).
func (m Model) fullPage() int { return max(m.height-1, 1) }

// fullMaxOff is how far the full detail scrolls.
func (m Model) fullMaxOff() int {
	n := len(m.fullView())
	if n <= m.height {
		return 0 // it all fits: nothing scrolls
	}
	return n - m.fullPage()
}

// fullScreen is the part of the full detail on screen, with a line saying what is off it.
func (m Model) fullScreen() []string {
	lines := m.fullView()
	page := m.fullPage()
	if len(lines) <= m.height {
		return lines
	}
	off := min(m.fullOff, len(lines)-page)
	shown := lines[off : off+page]
	more := fmt.Sprintf("lines %d–%d of %d · ↑/↓ pgup/pgdn scroll", off+1, off+page, len(lines))
	return append(shown, m.st.Accent.Render(more))
}

// wrapped breaks one styled line at the width, going on indented.
func (m Model) wrapped(line string) []string {
	if ansi.StringWidth(line) <= m.width {
		return []string{line}
	}
	out := strings.Split(ansi.Wrap(line, max(m.width-fullIndent, 10), ""), "\n")
	for i := 1; i < len(out); i++ {
		out[i] = strings.Repeat(" ", fullIndent) + strings.TrimLeft(out[i], " ")
	}
	return out
}

// accessLine shows one access across the tenants, grouped by state. It also returns the
// worst state and the first detail message of that state, for the fix line.
func (m Model) accessLine(d scopehealth.ScopeDef, p scopehealth.Permission) (string, falcon.ScopeState, string) {
	byState := map[falcon.ScopeState][]string{}
	details := map[falcon.ScopeState]string{}
	for _, t := range m.rep.Tenants {
		res, ok := t.Result(p)
		if !ok {
			res.State = falcon.ScopeUnknown
		}
		byState[res.State] = append(byState[res.State], sanitize.Text(tenantLabel(t.Tenant)))
		if details[res.State] == "" {
			details[res.State] = res.Detail
		}
	}
	n := len(m.rep.Tenants)
	var parts []string
	worst := falcon.ScopeGranted
	for _, s := range stateOrder {
		names := byState[s]
		if len(names) == 0 {
			continue
		}
		if worst == falcon.ScopeGranted {
			worst = s
		}
		text := s.String()
		switch {
		case n == 1:
		case len(names) == n:
			text += fmt.Sprintf(" in all %d tenants", n)
		default:
			text += " in " + strings.Join(names, ", ")
		}
		parts = append(parts, m.stateStyle(s).Render(scopehealth.Symbol(s))+" "+text)
	}
	label := pad(strings.ToLower(p.Access.Title()), 6)
	return "  " + m.st.KeyDesc.Render(label) + " " + strings.Join(parts, "  "), worst, details[worst]
}

func (m Model) labelled(label, text string) string {
	return "  " + m.st.KeyDesc.Render(pad(label, 8)) + text
}

// probeText says how the scope's accesses were tested, so nobody has to trust a black box.
func probeText(d scopehealth.ScopeDef) string {
	var parts []string
	for _, p := range d.Permissions() {
		pr := d.Access(p.Access).Probe
		switch {
		case pr == nil:
			parts = append(parts, string(p.Access)+": no side-effect-free probe (scope listing only)")
		case pr.Kind == falcon.ProbeInvalidWrite:
			parts = append(parts, fmt.Sprintf("%s: %s %s with an empty body (400 = granted)", p.Access, pr.Method, pr.Path))
		default:
			parts = append(parts, fmt.Sprintf("%s: %s %s", p.Access, pr.Method, pr.Path))
		}
	}
	return strings.Join(parts, "; ")
}

// readiness is one line per integration set.
func (m Model) readiness() []string {
	var out []string
	for _, r := range m.ready {
		out = append(out, m.readinessLine(r))
	}
	return out
}

// readinessLine is an integration set's verdict in one line, and where its first gap is.
func (m Model) readinessLine(r scopehealth.Readiness) string {
	st := m.st
	var sym string
	switch r.Status {
	case scopehealth.Ready:
		sym = st.OK.Render(scopehealth.Symbol(falcon.ScopeGranted))
	case scopehealth.NotReady:
		sym = st.Error.Render(scopehealth.Symbol(falcon.ScopeDenied))
	default:
		sym = st.Warn.Render(scopehealth.Symbol(falcon.ScopeUnknown))
	}
	text := r.Summary() + m.ztaNote(r.Set)
	if miss := r.Missing(); len(miss) > 0 {
		g := miss[0]
		where := sanitize.Text(tenantLabel(g.Tenant))
		if g.State == falcon.ScopeNotProvisioned {
			// The summary names the product already: say where.
			text += st.Muted.Render(" · first in " + where)
		} else {
			text += st.Muted.Render(fmt.Sprintf(" · first: %s in %s", g.Permission, where))
		}
	}
	return sym + " " + pad(r.Title, 24) + " " + text
}

func (m Model) legend() string {
	st := m.st
	var parts []string
	for _, s := range []falcon.ScopeState{falcon.ScopeGranted, falcon.ScopeDenied, falcon.ScopeNotProvisioned,
		falcon.ScopeError, falcon.ScopeUnknown} {
		parts = append(parts, m.stateStyle(s).Render(scopehealth.Symbol(s))+st.Muted.Render(" "+s.String()))
	}
	parts = append(parts, st.Subtle.Render(scopehealth.NotApplicableSymbol)+st.Muted.Render(" no such access"))
	if m.width < 110 {
		return strings.Join(parts, "  ")
	}
	listing := "scope listing: "
	if l := m.rep.Listing; l.Read() {
		listing += fmt.Sprintf("read, %d scopes", len(l.Scopes))
	} else {
		listing += "not readable (" + l.State.String() + ")"
	}
	return widget.Spread(strings.Join(parts, "  "), st.Muted.Render(listing), m.width)
}

// wrap breaks text into at most n lines of width cells at spaces; the last line is cut
// with an ellipsis by the view's Fit when it still does not fit.
func wrap(text string, width, n int) []string {
	if n <= 1 {
		return []string{text}
	}
	var lines []string
	cur := ""
	for _, w := range strings.Fields(text) {
		switch {
		case cur == "":
			cur = w
		case ansi.StringWidth(cur)+1+ansi.StringWidth(w) <= width || len(lines) == n-1:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	return append(lines, cur)
}
