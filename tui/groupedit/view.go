package groupedit

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Box geometry. The box is at most boxMaxWidth wide and leaves a margin of the screen around
// it so the pane underneath still shows where the user is.
const (
	boxMaxWidth  = 100
	boxMinWidth  = 44
	boxMaxHeight = 28
	frameX       = 4 // border and padding, left + right
	frameY       = 2 // border, top + bottom
)

// boxWidth is the outer width of the box: boxMaxWidth, or more of the screen when a report's
// reasons or a rule's error need it (a wide terminal shows them on one line).
func (m Model) boxWidth() int {
	w := min(max(boxMaxWidth, m.contentWidth()), m.width-8)
	w = max(w, boxMinWidth)
	if m.width > 0 {
		w = min(w, m.width)
	}
	return w
}

// contentWidth is the outer width the step's longest text needs (0: the default will do).
func (m Model) contentWidth() int {
	switch m.step {
	case stepReport:
		longest := 0
		for _, h := range m.report.result.Hosts {
			if h.Outcome == falcon.OutcomeFailed {
				longest = max(longest, ansi.StringWidth("failed: "+errText(h.Err)))
			}
		}
		if longest == 0 {
			return 0
		}
		return frameX + 2 + reportNameW + 1 + reportIDW + 1 + longest
	case stepRule:
		if m.rule.err != "" {
			return frameX + ansi.StringWidth("✗ "+m.rule.err)
		}
	}
	return 0
}

// Report columns: host name and device id; the result takes the rest.
const (
	reportNameW = 28
	reportIDW   = 32
)

// innerWidth is the text width inside the box.
func (m Model) innerWidth() int { return max(m.boxWidth()-frameX, 10) }

// innerHeight is the most text rows the box holds.
func (m Model) innerHeight() int {
	h := min(boxMaxHeight, m.height-4) - frameY
	return max(h, 8)
}

// inputWidth is the text width of an input whose prompt is at most 8 cells.
func (m Model) inputWidth() int { return max(m.innerWidth()-10, 8) }

// pickRows is how many groups the picker shows at once: the box minus title, blank, filter
// line, column header, hint and key line, and no more than there are groups (so the box
// fits its content and does not change height while the user filters).
func (m Model) pickRows() int {
	return max(min(m.innerHeight()-5-len(m.pickHint()), max(len(m.picker.groups), 3)), 1)
}

// pickHintLines is the most lines the picker's answer takes (it wraps rather than being cut).
const pickHintLines = 5

// pickHint is the picker's answer to the last key, or why groups are missing, wrapped to the
// box (one empty line when there is nothing to say).
func (m Model) pickHint() []string {
	p := m.picker
	text, st := "", m.st.Warn
	switch {
	case p.hint != "":
		text = p.hint
	case len(p.errs) > 0:
		var parts []string
		for cid, err := range p.errs {
			parts = append(parts, m.tenantLabel(cid)+": "+errText(err))
		}
		text, st = "could not list groups of "+strings.Join(parts, "; "), m.st.Error
	}
	if text == "" {
		return []string{""}
	}
	wrapped := strings.Split(ansi.Wrap(text, m.innerWidth(), " "), "\n")
	if len(wrapped) > pickHintLines {
		wrapped = wrapped[:pickHintLines]
		wrapped[pickHintLines-1] = ansi.Truncate(wrapped[pickHintLines-1], m.innerWidth()-1, "") + "…"
	}
	for i, l := range wrapped {
		wrapped[i] = st.Render(l)
	}
	return wrapped
}

// reportRows is how many hosts the report shows at once.
func (m Model) reportRows() int {
	h := m.innerHeight() - 5
	if m.reportCuts() {
		h -= reportDetailLines // room for the reason under the cursor in full
	}
	return max(min(h, max(len(m.report.result.Hosts), 3)), 1)
}

// reportDetailLines is the most lines the reason under the cursor takes below the table.
const reportDetailLines = 3

// reportResultWidth is the report's RESULT column width.
func (m Model) reportResultWidth() int {
	w := m.innerWidth()
	return max(w-2-min(reportNameW, max(w/4, 12))-1-reportIDW-1, 8)
}

// reportCuts reports whether some failed host's reason is longer than the RESULT column.
func (m Model) reportCuts() bool {
	resW := m.reportResultWidth()
	for _, h := range m.report.result.Hosts {
		if h.Outcome == falcon.OutcomeFailed && ansi.StringWidth("failed: "+errText(h.Err)) > resW {
			return true
		}
	}
	return false
}

// View renders the box (empty when the overlay is not Active). It is smaller than the
// screen; Position says where it goes, Layer wraps both for the root's compositor.
func (m Model) View() string {
	if !m.Active() {
		return ""
	}
	var lines []string
	switch m.step {
	case stepProbe:
		lines = m.waitView("checking " + WriteScope + "…")
	case stepLoad:
		lines = m.waitView("loading groups…")
	case stepPick:
		lines = m.pickView()
	case stepRule:
		lines = m.ruleView()
	case stepConfirm:
		lines = m.confirmView()
	case stepRun:
		lines = m.runView()
	case stepReport:
		lines = m.reportView()
	}
	w := m.innerWidth()
	if len(lines) > m.innerHeight() {
		lines = lines[:m.innerHeight()]
	}
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	return m.st.Overlay.Render(strings.Join(lines, "\n"))
}

// Position is the top-left cell of the box, centred on the screen given to SetSize.
func (m Model) Position() (x, y int) {
	box := m.View()
	return max((m.width-lipgloss.Width(box))/2, 0), max((m.height-lipgloss.Height(box))/2, 0)
}

// Layer is the box as a compositor layer above the panes (nil when not Active):
//
//	lipgloss.NewCompositor(lipgloss.NewLayer(screen), overlay.Layer()).Render()
func (m Model) Layer() *lipgloss.Layer {
	if !m.Active() {
		return nil
	}
	box := m.View()
	x := max((m.width-lipgloss.Width(box))/2, 0)
	y := max((m.height-lipgloss.Height(box))/2, 0)
	return lipgloss.NewLayer(box).X(x).Y(y).Z(10).ID("groupedit")
}

func (m Model) title() string {
	n := plural(len(m.hosts), "host", "hosts")
	if m.action == falcon.RemoveHosts {
		return "Remove " + n + " from a group"
	}
	return "Add " + n + " to a group"
}

func (m Model) waitView(what string) []string {
	return []string{m.st.Title.Render(m.title()), "", m.st.Muted.Render(what), "", m.hints("esc", "cancel")}
}

func (m Model) pickView() []string {
	p := m.picker
	w := m.innerWidth()
	lines := []string{m.st.Title.Render(m.title()), ""}
	if p.filtering || p.input.Value() != "" {
		lines = append(lines, p.input.View())
	} else {
		line := m.st.Muted.Render(fmt.Sprintf("%s · / to filter", plural(len(p.groups), "group", "groups")))
		if m.action == falcon.RemoveHosts {
			line = m.holdersLine() + m.st.Muted.Render(" · / to filter")
		}
		lines = append(lines, line)
	}
	tenantW := 0
	if p.multiTenant {
		tenantW = 18
	}
	inW := 0
	if p.in != nil {
		inW = 10 // how many of the selected hosts the group already holds
	}
	nameW := min(30, max(w/3, 12))
	typeW := 11
	descW := max(w-2-nameW-1-typeW-1-tenantW-inW, 0)
	head := "  " + pad("NAME", nameW) + " " + pad("TYPE", typeW) + " "
	if tenantW > 0 {
		head += pad("TENANT", tenantW-1) + " "
	}
	if inW > 0 {
		head += fmt.Sprintf("%*s ", inW-1, "MARKED IN")
	}
	lines = append(lines, m.st.Header.Render(head+"DESCRIPTION"))
	rows := m.pickRows()
	switch {
	case len(p.groups) == 0 && len(p.errs) == 0:
		lines = append(lines, m.st.Muted.Render("  no host groups in this tenant — create one in the Host groups pane (n)"))
		rows--
	case len(p.visible) == 0:
		lines = append(lines, m.st.Muted.Render("  no group matches the filter"))
		rows--
	}
	end := min(len(p.visible), p.offset+rows)
	for i := p.offset; i < end; i++ {
		g := p.groups[p.visible[i]]
		desc := sanitize.Text(g.Description)
		if !g.Type.Manual() {
			desc = DynamicReason
		}
		row := pad(sanitize.Line(g.Name, nameW), nameW) + " " + pad(string(g.Type), typeW) + " "
		if tenantW > 0 {
			row += pad(sanitize.Line(m.tenantLabel(g.CID), tenantW-1), tenantW-1) + " "
		}
		if inW > 0 {
			has := "·"
			if n := p.in[g.ID]; n > 0 {
				has = fmt.Sprintf("%d/%d", n, len(m.hosts))
			}
			row += fmt.Sprintf("%*s ", inW-1, has)
		}
		row += sanitize.Line(desc, descW)
		lines = append(lines, m.row(row, i == p.cursor, g.Type.Manual(), w))
	}
	for len(lines) < 4+rows {
		lines = append(lines, "")
	}
	lines = append(lines, m.pickHint()...)
	if p.filtering {
		lines = append(lines, m.hints("enter", "done", "↑/↓", "move", "esc", "clear filter"))
	} else {
		lines = append(lines, m.hints("enter", "choose", "/", "filter", "e", "edit rule (dynamic)", "esc", "cancel"))
	}
	return lines
}

// holdersLine says, for a removal, which of the listed groups hold the selected hosts (from
// the hosts' own group lists), or that none does: a group without them has nothing to lose.
func (m Model) holdersLine() string {
	p := m.picker
	var names []string
	for _, g := range p.groups {
		if p.in[g.ID] > 0 {
			names = append(names, sanitize.Line(g.Name, 30))
		}
	}
	hosts := plural(len(m.hosts), "host", "hosts")
	if len(names) == 0 {
		subject := "none of the " + hosts + " is"
		if len(m.hosts) == 1 {
			subject = "the host is not"
		}
		return m.st.Warn.Render(subject + " in any of these groups: nothing to remove")
	}
	subject := "the hosts are"
	if len(m.hosts) == 1 {
		subject = "the host is"
	}
	return m.st.Muted.Render(fmt.Sprintf("%s in %d of these groups: ", subject, len(names))) + strings.Join(names, ", ")
}

// row renders a list row: cursor glyph, greyed when it cannot be chosen.
func (m Model) row(text string, cursor, enabled bool, w int) string {
	prefix := "  "
	if cursor {
		prefix = "› "
	}
	text = fit(prefix+text, w)
	switch {
	case cursor:
		return m.st.Selected.Render(text)
	case !enabled:
		return m.st.Subtle.Render(text)
	}
	return m.st.Surface.Render(text)
}

func (m Model) ruleView() []string {
	r := m.rule
	lines := []string{
		m.st.Title.Render("Edit the rule of " + displayName(r.group.Name) + " (dynamic)"),
		"",
		m.st.Muted.Render("Hosts matching this FQL join the group; hosts that stop matching leave it."),
		"",
		r.input.View(),
		"",
	}
	switch {
	case r.saving:
		lines = append(lines, m.st.Muted.Render("saving…"))
	case r.err != "":
		for _, l := range strings.Split(ansi.Wrap("✗ "+r.err, m.innerWidth(), " "), "\n") {
			lines = append(lines, m.st.Error.Render(l))
		}
	default:
		lines = append(lines, "")
	}
	return append(lines, "", m.hints("enter", "save", "esc", "back"))
}

func (m Model) confirmView() []string {
	c := m.confirm
	g := m.target
	verbQ := "Add " + plural(len(c.send), "host", "hosts") + " to " + displayName(g.Name) + "?"
	if m.action == falcon.RemoveHosts {
		verbQ = "Remove " + plural(len(c.send), "host", "hosts") + " from " + displayName(g.Name) + "?"
	}
	if m.undoing != nil {
		verbQ = "Undo: " + strings.ToLower(verbQ[:1]) + verbQ[1:]
	}
	members := m.st.Muted.Render("counting members…")
	switch {
	case c.countKnown && c.countErr != nil:
		members = m.st.Warn.Render("member count unavailable: " + errText(c.countErr))
	case c.countKnown:
		members = plural(c.count, "member", "members") + " now"
	}
	label := func(s string) string { return m.st.Muted.Render(pad(s, 9)) }
	lines := []string{
		m.st.Title.Render(verbQ), "",
		label("Group") + sanitize.Text(g.Name),
		label("Type") + string(g.Type) + " · " + members,
		label("Tenant") + sanitize.Text(m.tenantLabel(g.CID)),
		label("Hosts") + widget.Int(len(c.send)),
	}
	if e := m.undoing; e != nil {
		did := "added " + plural(len(e.ids), "host", "hosts") + " to "
		if e.action == falcon.RemoveHosts {
			did = "removed " + plural(len(e.ids), "host", "hosts") + " from "
		}
		lines = append(lines[:2], append([]string{m.st.Warn.Render("This reverts the last group edit, which " + did +
			displayName(e.group.Name) + " (only the hosts it changed)."), ""}, lines[2:]...)...)
	}
	shown := min(len(c.send), m.opts.PreviewHosts)
	for _, h := range c.send[:shown] {
		lines = append(lines, pad("", 9)+hostLabel(h))
	}
	if more := len(c.send) - shown; more > 0 {
		lines = append(lines, pad("", 9)+m.st.Muted.Render("… and "+widget.Int(more)+" more"))
	}
	if m.action == falcon.RemoveHosts && m.undoing == nil && m.picker.in != nil && m.picker.in[g.ID] == 0 {
		warn := "none of these hosts is in " + displayName(g.Name) +
			" as the host list shows them: the cloud will report each one not a member"
		for i, l := range strings.Split(ansi.Wrap(warn, max(m.innerWidth()-9, 10), " "), "\n") {
			head := pad("", 9)
			if i == 0 {
				head = label("Members")
			}
			lines = append(lines, head+m.st.Warn.Render(l))
		}
	}
	if len(c.skipped) > 0 {
		lines = append(lines, label("Skipped")+m.st.Warn.Render(
			plural(len(c.skipped), "host", "hosts")+" in other tenants (a group holds only its own tenant's hosts)"))
	}
	lines = append(lines, "")
	if c.typed {
		why := "large selection"
		switch {
		case len(c.skipped) > 0 || len(m.tenants()) > 1:
			why = "cross-tenant selection"
		case m.undoing != nil && len(c.send) > m.opts.TypeCountOver:
			why = "large undo"
		case m.undoing != nil:
			why = "undo of a cross-tenant edit"
		}
		lines = append(lines, m.st.Warn.Render(fmt.Sprintf("%s: type %d to confirm", why, len(c.send))), c.input.View())
		if c.err != "" {
			lines = append(lines, m.st.Error.Render(c.err))
		}
		return append(lines, "", m.hints("enter", "send", "esc", "back"))
	}
	return append(lines, m.hints("enter/y", "send", "esc/n", "back"))
}

func (m Model) runView() []string {
	r := m.run
	p := r.progress
	w := m.innerWidth()
	total := max(p.Total, len(r.ids))
	chunks := max((total+chunkSize-1)/chunkSize, 1)
	doneChunks := min((p.Done+chunkSize-1)/chunkSize, chunks)
	bar := widget.Bar(m.st, m.st.BarFull, p.Done, total, max(w-2, 10))
	return []string{
		m.st.Title.Render(capitalize(r.title(m))),
		"",
		bar,
		fmt.Sprintf("chunk %d of %d · %s / %s hosts", doneChunks, chunks, widget.Int(p.Done), widget.Int(total)),
		"",
		m.hints("esc", "run in background"),
	}
}

func (m Model) reportView() []string {
	r := m.report
	w := m.innerWidth()
	ch, un := outcomeWords(r.action)
	c := tally(r.result)
	head := capitalize(headline(r.action, c, r.err != "")) + " "
	if r.undo {
		head = "Undo: " + strings.ToLower(head)
	}
	lines := []string{m.st.Title.Render(head + displayName(r.group.Name) + " (" + string(r.group.Type) + ")")}
	if r.err != "" {
		lines = append(lines, m.st.Error.Render("✗ nothing was changed: "+r.err), "")
		return append(lines, m.hints("r", "try again", "enter", "close"))
	}
	sum := []string{m.st.OK.Render(fmt.Sprintf("✓ %s %s", widget.Int(c.changed), ch))}
	if c.unchanged > 0 {
		sum = append(sum, m.st.Muted.Render(fmt.Sprintf("= %s %s", widget.Int(c.unchanged), un)))
	}
	if c.failed > 0 {
		sum = append(sum, m.st.Error.Render(fmt.Sprintf("✗ %s failed", widget.Int(c.failed))))
	}
	if n := len(r.skipped); n > 0 {
		sum = append(sum, m.st.Warn.Render(fmt.Sprintf("%s skipped (other tenants)", widget.Int(n))))
	}
	lines = append(lines, strings.Join(sum, m.st.Muted.Render(" · ")), "")
	nameW := min(reportNameW, max(w/4, 12))
	idW := reportIDW
	resW := m.reportResultWidth()
	lines = append(lines, m.st.Header.Render("  "+pad("HOST", nameW)+" "+pad("DEVICE ID", idW)+" RESULT"))
	rows := r.rows()
	vis := m.reportRows()
	end := min(len(rows), r.offset+vis)
	for i := r.offset; i < end; i++ {
		h := rows[i]
		name := m.names[h.DeviceID]
		if name == "" {
			name = "—"
		}
		res, st := ch, m.st.OK
		switch h.Outcome {
		case falcon.OutcomeUnchanged:
			res, st = un, m.st.Muted
		case falcon.OutcomeFailed:
			res, st = "failed: "+errText(h.Err), m.st.Error
		}
		text := pad(sanitize.Line(name, nameW), nameW) + " " + pad(sanitize.Line(h.DeviceID, idW), idW) + " "
		if i == r.cursor {
			lines = append(lines, m.st.Selected.Render(fit("› "+text+ansi.Truncate(res, resW, "…"), w)))
			continue
		}
		lines = append(lines, "  "+text+st.Render(ansi.Truncate(res, resW, "…")))
	}
	if len(rows) == 0 {
		lines = append(lines, m.st.Muted.Render("  no host in this view"))
	}
	for len(lines) < 4+vis {
		lines = append(lines, "")
	}
	// The reason under the cursor in full when its column cuts it: the user can read every
	// host's by moving the cursor.
	if r.cursor < len(rows) {
		if h := rows[r.cursor]; h.Outcome == falcon.OutcomeFailed {
			if full := "failed: " + errText(h.Err); ansi.StringWidth(full) > resW {
				name := m.names[h.DeviceID]
				if name == "" {
					name = h.DeviceID
				}
				wrapped := strings.Split(ansi.Wrap(sanitize.Line(name, 40)+": "+full, w, " "), "\n")
				if len(wrapped) > reportDetailLines {
					wrapped = wrapped[:reportDetailLines]
					wrapped[reportDetailLines-1] = ansi.Truncate(wrapped[reportDetailLines-1], w-1, "") + "…"
				}
				for _, l := range wrapped {
					lines = append(lines, m.st.Error.Render(l))
				}
			}
		}
	}
	keys := []string{}
	if c.failed > 0 {
		keys = append(keys, "r", "retry "+widget.Int(c.failed)+" failed")
	}
	if m.CanUndo() && !r.undo && r.entry != nil && len(m.history) > 0 && m.history[len(m.history)-1] == r.entry {
		keys = append(keys, "u", "undo")
	}
	keys = append(keys, "f", map[bool]string{true: "all hosts", false: "failed only"}[r.onlyFailed], "enter", "close")
	return append(lines, m.hints(keys...))
}

// hints renders "key desc · key desc".
func (m Model) hints(kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		parts = append(parts, m.st.Key.Render(kv[i])+" "+m.st.KeyDesc.Render(kv[i+1]))
	}
	return strings.Join(parts, m.st.Muted.Render(" · "))
}

// hostLabel is "hostname (device id)" for the confirmation list.
func hostLabel(h falcon.Host) string {
	name := sanitize.Line(h.Hostname, 40)
	if name == "" {
		name = "(no hostname)"
	}
	return name + "  " + sanitize.Line(h.DeviceID, 32)
}

// displayName is a group name safe for a sentence, quoted so that odd names stay readable.
func displayName(name string) string {
	return "“" + sanitize.Line(name, 40) + "”"
}

// errText is an error for the user: sanitized (server messages are untrusted) and without
// the package prefix.
func errText(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	switch {
	case errors.Is(err, falcon.ErrScopeDenied):
		return ScopeReason
	case errors.Is(err, falcon.ErrReadOnly):
		return ReadOnlyReason
	}
	s = strings.TrimPrefix(s, "falcon: ")
	return sanitize.Line(s, 600)
}

// pad left-aligns s in w cells (truncating with an ellipsis).
func pad(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = ansi.Truncate(s, w, "…")
	if d := w - ansi.StringWidth(s); d > 0 {
		s += strings.Repeat(" ", d)
	}
	return s
}

// fit makes a styled line exactly w cells wide.
func fit(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	if d := w - ansi.StringWidth(s); d > 0 {
		s += strings.Repeat(" ", d)
	}
	return s
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
