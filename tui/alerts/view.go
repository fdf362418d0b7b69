package alerts

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/triage"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Title is the pane's name for its frame.
func (m Model) Title() string {
	scope := "(" + m.tenantLabel() + ")"
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
	if m.cut != nil {
		t += " cut short"
	}
	if m.sort != sortCreated {
		t += " by " + strings.Fields(m.sort.String())[0]
	}
	if fql := m.prompt.Applied(); fql != "" {
		t += " fql " + sanitize.Line(fql, 30)
	}
	if m.filter != "" {
		t += " /" + sanitize.Line(m.filter, 20)
	}
	if n := len(m.marks); n > 0 {
		t += " · " + widget.Int(n) + " marked"
	}
	if m.tri.Denied(m.cid) {
		t += " · triage needs " + triage.WriteScope
	}
	return t
}

// tenantLabel names the tenant shown, as the other panes' titles do.
func (m Model) tenantLabel() string {
	if m.tenantName != nil {
		if n := m.tenantName(m.cid); n != "" {
			return sanitize.Line(n, 40)
		}
	}
	return "current tenant"
}

// View implements the pane contract.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.tri.Active() {
		return m.tri.View(m.width, m.height)
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
	case len(m.view) == 0:
		body = m.empty(th)
	default:
		body = m.table.View(m.st, cells{m: &m})
	}
	if p := m.prompt.View(m.width); p != "" {
		body += "\n" + p
	}
	return widget.Fit(body, m.width, m.height)
}

// empty says what is empty and why: a host, a tenant, or a server-side filter with no alert.
func (m Model) empty(height int) string {
	var what, why string
	switch {
	case m.deviceID != "":
		name := m.hostname
		if name == "" {
			name = m.deviceID
		}
		what = "No alerts for " + sanitize.Line(name, 40)
		why = "Falcon holds no alert raised on this host (device " + sanitize.Line(m.deviceID, 32) + ") in " + m.tenantLabel() + "."
	default:
		what = "No alerts in " + m.tenantLabel()
		why = "Falcon holds no alert for this tenant."
	}
	if fql := m.prompt.Applied(); fql != "" {
		what += " matching the FQL filter"
		why = "fql " + sanitize.Line(fql, 60) + " — f changes it, an empty filter shows every alert"
	}
	if m.deviceID != "" {
		return widget.Message(m.st, m.width, height, m.st.OK, what, why, "esc goes back to the host")
	}
	return widget.Message(m.st, m.width, height, m.st.OK, what, why)
}

type cells struct{ m *Model }

func (c cells) Marked(row int) bool { return c.m.marks[c.m.alerts[c.m.view[row]].CompositeID] }

func (c cells) Cell(row, col int) (string, *lipgloss.Style) {
	m := c.m
	a := &m.alerts[m.view[row]]
	if m.deviceID != "" && col >= colHost {
		col++ // no HOST column in host mode
	}
	switch col {
	case colCreated:
		if a.Created.IsZero() {
			return "–", &m.st.Subtle
		}
		return a.Created.UTC().Format("2006-01-02 15:04"), &m.st.Muted
	case colSeverity:
		name := domain.SeverityName(*a)
		if name == "Informational" {
			name = "Info"
		}
		return fmt.Sprintf("%-8s %3d", name, a.Severity), domain.SeverityOf(a.Severity).Style(m.st)
	case colStatus:
		return strings.ReplaceAll(a.Status, "_", " "), statusStyle(m.st, a.Status)
	case colHost:
		return a.Hostname, nil
	case colAlert:
		if a.DisplayName != "" {
			return a.DisplayName, nil
		}
		return a.Name, nil
	case colTactic:
		return a.Tactic, &m.st.Muted
	case colProduct:
		return a.Product, &m.st.Muted
	case colTechnique:
		if a.TechniqueID != "" && a.Technique != "" {
			return a.TechniqueID + " " + a.Technique, &m.st.Muted
		}
		return a.Technique, &m.st.Muted
	case colAssigned:
		if a.AssignedTo == "" {
			return "–", &m.st.Subtle
		}
		return a.AssignedTo, nil
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
