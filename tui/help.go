package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// helpKey handles keys while the help box is open.
func (m Model) helpKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch msg.String() {
	case "esc", "?", "q", "enter":
		m.overlay = overlayNone
	case "down", "j":
		m.helpOff = min(m.helpOff+1, m.helpMaxOff())
	case "up", "k":
		m.helpOff = max(0, m.helpOff-1)
	case "pgdown", "space":
		m.helpOff = min(m.helpOff+m.helpRows(), m.helpMaxOff())
	case "pgup":
		m.helpOff = max(0, m.helpOff-m.helpRows())
	}
	return m, nil
}

// helpRows is how many lines of keys the box shows at once: the box (keys, a blank line,
// the footer and its border) fits inside the pane's frame, so that the header, the tab bar
// and the status bar stay whole around it.
func (m Model) helpRows() int {
	_, h := m.paneSize()
	return max(3, h-4)
}

// helpMaxOff is the furthest the keys can scroll.
func (m Model) helpMaxOff() int { return max(0, len(m.helpLines())-m.helpRows()) }

// helpView is the box: the global keys, then the focused view's, in columns. When they do
// not all fit, the footer says which lines are shown and how to scroll to the rest.
func (m Model) helpView() string {
	st := m.st
	maxW := max(10, m.width-6)
	lines := m.helpLines()
	maxH := m.helpRows()
	footer := st.Muted.Render("esc or ? closes")
	if len(lines) > maxH {
		off := min(m.helpOff, len(lines)-maxH)
		lines = lines[off : off+maxH]
		more := ""
		switch {
		case off == 0:
			more = "↓ more"
		case off+maxH >= len(m.helpLines()):
			more = "↑ more"
		default:
			more = "↑↓ more"
		}
		footer = st.Accent.Render(more) + st.Muted.Render(" · j/k scroll · esc or ? closes")
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > maxW {
			lines[i] = ansi.Truncate(l, maxW, "…")
		}
	}
	return st.Overlay.Render(strings.Join(append(lines, "", footer), "\n"))
}

// helpLines are the help's lines before scrolling: the global keys and the focused view's
// side by side.
func (m Model) helpLines() []string {
	maxW := max(10, m.width-6)
	var paneGroups [][]key.Binding
	if km := m.pane(m.top()).KeyMap(); km != nil {
		paneGroups = km.FullHelp()
	}
	global := m.helpColumn("Global", flatten(m.keys.FullHelp()))
	name := m.spec(m.top()).Name
	// One column per group of the pane's keys when they fit, else one column for them all.
	cols := []string{global}
	for i, g := range paneGroups {
		title := ""
		if i == 0 {
			title = name
		}
		cols = append(cols, m.helpColumn(title, g))
	}
	body := joinColumns(cols, 4)
	if ansi.StringWidth(firstLongest(body)) > maxW && len(paneGroups) > 1 {
		body = joinColumns([]string{global, m.helpColumn(name, flatten(paneGroups))}, 4)
	}
	if ansi.StringWidth(firstLongest(body)) > maxW && len(paneGroups) > 0 {
		// Too narrow for two columns: the view's keys under the global ones (the box
		// scrolls), rather than every description cut to nothing.
		body = global + "\n\n" + m.helpColumn(name, flatten(paneGroups))
	}
	return strings.Split(body, "\n")
}

// helpColumn is a titled list of keys and what they do.
func (m Model) helpColumn(title string, bindings []key.Binding) string {
	st := m.st
	keyW := 0
	for _, b := range bindings {
		keyW = max(keyW, ansi.StringWidth(b.Help().Key))
	}
	lines := []string{st.Title.Render(title)}
	for _, b := range bindings {
		if !b.Enabled() || b.Help().Key == "" {
			continue
		}
		lines = append(lines, st.Key.Render(widget.FitLine(b.Help().Key, keyW))+"  "+st.KeyDesc.Render(b.Help().Desc))
	}
	return strings.Join(lines, "\n")
}

// firstLongest is the widest line of a block.
func firstLongest(block string) string {
	best := ""
	for _, l := range strings.Split(block, "\n") {
		if ansi.StringWidth(l) > ansi.StringWidth(best) {
			best = l
		}
	}
	return best
}

func flatten(groups [][]key.Binding) []key.Binding {
	var out []key.Binding
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// joinColumns puts blocks side by side with gap cells between them.
func joinColumns(cols []string, gap int) string {
	split := make([][]string, len(cols))
	widths := make([]int, len(cols))
	rows := 0
	for i, c := range cols {
		split[i] = strings.Split(c, "\n")
		rows = max(rows, len(split[i]))
		for _, l := range split[i] {
			widths[i] = max(widths[i], ansi.StringWidth(l))
		}
	}
	out := make([]string, rows)
	for r := range out {
		var b strings.Builder
		for i := range cols {
			l := ""
			if r < len(split[i]) {
				l = split[i][r]
			}
			if i < len(cols)-1 {
				l = widget.FitLine(l, widths[i]) + strings.Repeat(" ", gap)
			}
			b.WriteString(l)
		}
		out[r] = strings.TrimRight(b.String(), " ")
	}
	return strings.Join(out, "\n")
}
