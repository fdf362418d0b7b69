package hostgroups

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// formHeight is the rows the form takes at the bottom of the pane.
func (m Model) formHeight() int {
	switch m.form.kind {
	case formNone:
		return 0
	case formCreate:
		return len(m.form.fields()) + 3 + len(m.formErrLines()) // title, fields, error, hint, rule above
	}
	return 3 + len(m.formErrLines()) // title, field, error, hint
}

// formErrLines is the form's error wrapped to the pane's width (one empty line when there
// is none), so that a long answer from the cloud is read in full, not cut.
func (m Model) formErrLines() []string {
	f := m.form
	switch {
	case f.saving:
		return []string{m.st.Muted.Render("saving…")}
	case f.err != "":
		var out []string
		for _, l := range strings.Split(ansi.Wrap("✗ "+f.err, max(m.width, 10), " "), "\n") {
			out = append(out, m.st.Error.Render(l))
		}
		if len(out) > 4 {
			out = out[:4]
		}
		return out
	}
	return []string{""}
}

// layout gives the tables what is left of the pane after the title, filter, form and footer.
func (m *Model) layout() {
	// A kept filter is shown on the info line ("/NYC"); only an open prompt takes a line.
	h := m.height - 2 - m.formHeight() // title + footer
	if m.filter.Open() && m.view == viewGroups {
		h--
	}
	mh := m.height - 2 - m.formHeight()
	if m.members.filter.Open() {
		mh--
	}
	m.table.SetSize(m.width, max(h, 1))
	m.members.table.SetSize(m.width, max(mh, 1))
	m.filter.Input.SetWidth(max(m.width-4, 10))
	m.members.filter.Input.SetWidth(max(m.width-4, 10))
}

// View renders exactly width × height cells.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var lines []string
	if m.view == viewMembers {
		lines = m.membersView()
	} else {
		lines = m.groupsView()
	}
	lines = append(lines, m.formView()...)
	lines = append(lines, m.footer())
	for len(lines) < m.height {
		lines = append(lines[:len(lines)-1], "", lines[len(lines)-1])
	}
	if len(lines) > m.height {
		lines = append(lines[:m.height-1], lines[len(lines)-1])
	}
	for i, l := range lines {
		lines[i] = fitLine(l, m.width)
	}
	return strings.Join(lines, "\n")
}

// Title is the pane's name for the root's frame: where the user is and how many rows.
func (m Model) Title() string {
	name := ""
	if m.tenantName != nil {
		name = sanitize.Text(m.tenantName(m.cid))
	}
	tenant := domain.TenantTitle(name, m.cid)
	if m.view == viewMembers {
		ms := m.members
		count := widget.Int(len(ms.hosts))
		if len(ms.visible) != len(ms.hosts) {
			count = widget.Int(len(ms.visible)) + "/" + count
		}
		return fmt.Sprintf("Host groups(%s) › %s[%s]", tenant, sanitize.Line(ms.group.Name, 40), count)
	}
	count := widget.Int(len(m.groups))
	if len(m.visible) != len(m.groups) {
		count = widget.Int(len(m.visible)) + "/" + count
	}
	if age := m.storedAge(); age != "" {
		return fmt.Sprintf("Host groups(%s)[%s] %s", tenant, count, age)
	}
	return fmt.Sprintf("Host groups(%s)[%s]", tenant, count)
}

// groupsInfo is the line above the group table: the filter on the left, the load on the right.
func (m Model) groupsInfo() string {
	var left string
	if v := m.filter.Value(); v != "" && !m.filter.Open() {
		left = m.st.Accent.Render("/") + sanitize.Text(v)
	}
	var right string
	pending := 0
	for _, g := range m.groups {
		if !m.counts[g.ID].done {
			pending++
		}
	}
	switch {
	case m.err != nil && !m.storedAt.IsZero():
		right = m.st.Muted.Render("from the store, "+m.storedAge()+" — load failed: ") + widget.ErrorText(m.err)
	case m.err != nil:
	case m.loading && !m.storedAt.IsZero():
		right = m.st.Muted.Render(m.storedAge() + " · loading…")
	case m.loading && len(m.groups) == 0:
		right = m.st.Muted.Render("loading groups…")
	case m.loading:
		right = m.st.Muted.Render("reloading…")
	case pending > 0:
		right = m.st.Muted.Render(fmt.Sprintf("counting members %d/%d…", len(m.groups)-pending, len(m.groups)))
	case len(m.visible) != len(m.groups):
		right = m.st.Muted.Render(fmt.Sprintf("%d of %s", len(m.visible), plural(len(m.groups), "group", "groups")))
	default:
		right = m.st.Muted.Render(plural(len(m.groups), "group", "groups"))
	}
	return widget.Spread(left, right, m.width)
}

func (m Model) groupsView() []string {
	lines := []string{m.groupsInfo()}
	if m.filter.Open() {
		lines = append(lines, m.filter.Input.View())
	}
	if m.err != nil && m.storedAt.IsZero() {
		block := widget.LoadError(m.st, m.width, m.table.Height(), m.err, ReadScope, widget.ClientID(m.client))
		return append(lines, strings.Split(block, "\n")...)
	}
	if state := m.emptyState(); state != "" {
		lines = append(lines, "", "  "+state)
		for range m.table.Height() - 2 {
			lines = append(lines, "")
		}
		return lines
	}
	cells := groupCells{&m}
	return append(lines, strings.Split(m.table.View(m.st, cells), "\n")...)
}

// emptyState is what the pane says instead of an empty table ("" when there are rows).
func (m Model) emptyState() string {
	switch {
	case m.loading && len(m.groups) == 0:
		return m.st.Muted.Render("loading host groups…")
	case len(m.groups) == 0:
		return m.st.Muted.Render("no host groups in this tenant — n creates one")
	case len(m.visible) == 0:
		return m.st.Muted.Render("no group matches the filter")
	}
	return ""
}

func (m Model) membersView() []string {
	ms := m.members
	g := ms.group
	left := []string{m.st.Title.Render(sanitize.Line(g.Name, max(m.width/3, 10))) + m.st.Muted.Render(" ("+string(g.Type)+")")}
	if v := ms.filter.Value(); v != "" && !ms.filter.Open() {
		left = append(left, m.st.Accent.Render("/")+sanitize.Text(v))
	}
	if n := len(ms.marks); n > 0 {
		left = append(left, m.st.MarkGlyph.Render("● "+widget.Int(n)+" marked"))
	}
	if g.Type == falcon.GroupDynamic {
		left = append(left, m.st.Muted.Render("rule ")+sanitize.Line(g.AssignmentRule, max(m.width/3, 10)))
	}
	right := m.st.Muted.Render(plural(len(ms.hosts), "member", "members"))
	if len(ms.visible) != len(ms.hosts) {
		right = m.st.Muted.Render(fmt.Sprintf("%d of %s", len(ms.visible), plural(len(ms.hosts), "member", "members")))
	}
	if ms.loading {
		right = m.st.Muted.Render("loading " + widget.Int(len(ms.hosts)) + "…")
	}
	lines := []string{widget.Spread(strings.Join(left, m.st.Subtle.Render("  │  ")), right, m.width)}
	if ms.filter.Open() {
		lines = append(lines, ms.filter.Input.View())
	}
	if ms.err != nil && len(ms.hosts) == 0 {
		block := widget.LoadError(m.st, m.width, ms.table.Height(), ms.err, ReadScope, widget.ClientID(m.client))
		return append(lines, strings.Split(block, "\n")...)
	}
	var state string
	switch {
	case ms.loading && !ms.started:
		state = m.st.Muted.Render("loading members…")
	case len(ms.hosts) == 0:
		state = m.st.Muted.Render("this group has no members")
		if g.Type.Manual() {
			state += m.st.Muted.Render(" — mark hosts in the Hosts pane and press a to add them")
		}
	case len(ms.visible) == 0:
		state = m.st.Muted.Render("no member matches the filter")
	}
	if state != "" {
		lines = append(lines, "", "  "+state)
		for range ms.table.Height() - 2 {
			lines = append(lines, "")
		}
		return lines
	}
	return append(lines, strings.Split(ms.table.View(m.st, memberCells{&m}), "\n")...)
}

func (m Model) formView() []string {
	f := m.form
	if f.kind == formNone {
		return nil
	}
	name := sanitize.Line(f.group.Name, 40)
	var title string
	switch f.kind {
	case formCreate:
		title = "New host group"
	case formRename:
		title = "Rename " + name
	case formDescription:
		title = "Description of " + name
	case formRule:
		title = "Assignment rule of " + name + " (hosts matching this FQL join the group)"
	case formDelete:
		title = "Delete " + name + " (" + string(f.group.Type) + ")? This cannot be undone. Type its name to confirm."
	}
	lines := []string{m.st.Title.Render(title)}
	if f.kind == formCreate {
		for _, fi := range f.fields() {
			if fi == fieldType {
				lines = append(lines, m.typeSelector())
				continue
			}
			lines = append(lines, f.inputs[fi].View())
		}
	} else {
		lines = append(lines, f.inputs[0].View())
	}
	lines = append(lines, m.formErrLines()...)
	hint := m.hints("enter", "save", "esc", "cancel")
	switch f.kind {
	case formCreate:
		hint = m.hints("tab", "next field", "←/→", "type", "enter", "create", "esc", "cancel")
	case formDelete:
		hint = m.hints("enter", "delete", "esc", "cancel")
	}
	return append(lines, hint)
}

// typeSelector shows the three group types with the chosen one highlighted.
func (m Model) typeSelector() string {
	f := m.form
	label := "type        › "
	var parts []string
	for i, t := range createTypes {
		s := string(t)
		switch {
		case i == f.gtype && f.focus == fieldType:
			parts = append(parts, m.st.Selected.Render("["+s+"]"))
		case i == f.gtype:
			parts = append(parts, m.st.Accent.Render("["+s+"]"))
		default:
			parts = append(parts, m.st.Muted.Render(" "+s+" "))
		}
	}
	desc := map[falcon.GroupType]string{
		falcon.GroupStatic:     "members by hostname",
		falcon.GroupStaticByID: "members by device id",
		falcon.GroupDynamic:    "members follow an FQL rule",
	}[createTypes[f.gtype]]
	return label + strings.Join(parts, " ") + m.st.Muted.Render("  "+desc)
}

// footer is the pane's last line: the answer to the last key, or the keys of the view.
func (m Model) footer() string {
	if m.notice != "" {
		return m.st.Warn.Render(m.notice)
	}
	if m.form.kind != formNone {
		return ""
	}
	if r := m.writeBlocked(); r != "" {
		keys := m.hints("enter", "members", "/", "filter", "r", "reload")
		if m.view == viewMembers {
			keys = m.hints("space", "mark", "/", "filter", "esc", "back")
		}
		return keys + m.st.Muted.Render(" · ") + m.st.Warn.Render("writes off: "+r)
	}
	if m.view == viewMembers {
		if !m.members.group.Type.Manual() {
			return m.hints("space", "mark", "a", "add to another group", "e", "edit rule", "esc", "back")
		}
		return m.hints("space", "mark", "ctrl+a", "mark all", "x", "remove from group", "a", "add to group", "esc", "back")
	}
	return m.hints("enter", "members", "n", "new", "R", "rename", "E", "description", "e", "rule", "d", "delete", "/", "filter")
}

func (m Model) hints(kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		parts = append(parts, m.st.Key.Render(kv[i])+" "+m.st.KeyDesc.Render(kv[i+1]))
	}
	return strings.Join(parts, m.st.Muted.Render(" · "))
}

// fitLine makes a styled line exactly w cells wide.
func fitLine(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	if d := w - ansi.StringWidth(s); d > 0 {
		s += strings.Repeat(" ", d)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
