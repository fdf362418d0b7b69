package alerts

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Title is the pane's name for its frame.
func (m Model) Title() string {
	scope := ""
	if m.deviceID != "" {
		name := m.hostname
		if name == "" {
			name = m.deviceID
		}
		scope = "(" + sanitize.Line(name, 40) + ")"
	}
	count := widget.Int(len(m.alerts))
	if len(m.view) != len(m.alerts) {
		count = widget.Int(len(m.view)) + "/" + count
	}
	if m.total > len(m.alerts) {
		count += " of " + widget.Int(m.total)
	}
	t := "Alerts" + scope + "[" + count + "]"
	if fql := m.prompt.FQL(); fql != "" {
		t += " fql " + sanitize.Line(fql, 30)
	}
	if m.filter != "" {
		t += " /" + sanitize.Line(m.filter, 20)
	}
	return t
}

// View implements the pane contract.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	th := m.table.Height()
	var body string
	switch {
	case m.err != nil:
		body = widget.LoadError(m.st, m.width, th, m.err, Scope, widget.ClientID(m.client))
	case m.loading && len(m.alerts) == 0:
		body = widget.Message(m.st, m.width, th, m.st.Muted, "Loading alerts…")
	case len(m.view) == 0 && m.filter != "":
		body = widget.Message(m.st, m.width, th, m.st.Muted, "No alert matches /"+m.filter, "esc clears the filter")
	case len(m.view) == 0 && m.deviceID != "":
		body = widget.Message(m.st, m.width, th, m.st.OK, "No alerts for this host")
	case len(m.view) == 0:
		body = widget.Message(m.st, m.width, th, m.st.OK, "No alerts")
	default:
		body = m.table.View(m.st, cells{m: &m})
	}
	if p := m.prompt.View(m.width); p != "" {
		body += "\n" + p
	}
	return widget.Fit(body, m.width, m.height)
}

type cells struct{ m *Model }

func (c cells) Marked(int) bool { return false }

func (c cells) Cell(row, col int) (string, *lipgloss.Style) {
	m := c.m
	a := &m.alerts[m.view[row]]
	if m.deviceID != "" && col >= 3 {
		col++ // no HOST column in host mode
	}
	switch col {
	case 0:
		if a.Created.IsZero() {
			return "–", &m.st.Subtle
		}
		return a.Created.UTC().Format("2006-01-02 15:04"), &m.st.Muted
	case 1:
		name := domain.SeverityName(*a)
		if name == "Informational" {
			name = "Info"
		}
		return fmt.Sprintf("%-8s %3d", name, a.Severity), domain.SeverityOf(a.Severity).Style(m.st)
	case 2:
		return strings.ReplaceAll(a.Status, "_", " "), statusStyle(m.st, a.Status)
	case 3:
		return a.Hostname, nil
	case 4:
		if a.DisplayName != "" {
			return a.DisplayName, nil
		}
		return a.Name, nil
	case 5:
		return a.Tactic, &m.st.Muted
	case 6:
		return a.Product, &m.st.Muted
	}
	return "", nil
}

func statusStyle(st *theme.Styles, status string) *lipgloss.Style {
	switch status {
	case "new", "reopened":
		return &st.Warn
	case "closed":
		return &st.Subtle
	}
	return nil
}
