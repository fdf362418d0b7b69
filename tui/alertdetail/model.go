// Package alertdetail is one alert with all its fields, scrollable.
package alertdetail

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/triage"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// KeyMap is the alert detail's keys: it scrolls, and triages the alert as the list does.
type KeyMap struct {
	widget.ScrollKeyMap
	Status, Assign, Comment key.Binding
}

// DefaultKeyMap returns the alert detail's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		ScrollKeyMap: widget.DefaultScrollKeyMap(),
		Status:       key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "set status")),
		Assign:       key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "assign (a user, me, nobody)")),
		Comment:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "add a comment")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.PageDown, k.Status, k.Assign, k.Comment}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.Bindings(), {k.Status, k.Assign, k.Comment}}
}

// Model is the alert detail pane.
type Model struct {
	st            *theme.Styles
	keys          KeyMap
	now           func() time.Time
	alert         falcon.Alert
	has           bool
	tri           triage.Model
	offset        int
	width, height int
	focused       bool
}

// New returns the pane. The alert comes whole from the list; the pane sends only triage
// updates (and the probe that says whether they are allowed).
func New(d pane.Deps) Model {
	d = d.WithDefaults()
	return Model{st: d.Styles, keys: DefaultKeyMap(), now: d.Now,
		tri: triage.New(triage.Options{Context: d.Context, Client: d.Client, Styles: d.Styles, ReadOnly: d.ReadOnly, Me: d.Me})}
}

// SetAlert shows a.
func (m *Model) SetAlert(a falcon.Alert) { m.alert, m.has, m.offset = a, true, 0 }

// Open shows the alert a NavigateMsg names (a falcon.Alert), and asks whether it may be
// triaged.
func (m *Model) Open(target any) tea.Cmd {
	if a, ok := target.(falcon.Alert); ok {
		m.SetAlert(a)
		return m.tri.ProbeAccess(a.CID)
	}
	return nil
}

// SetTenants labels tenants in the triage box.
func (m *Model) SetTenants(ts []falcon.Tenant) { m.tri.SetTenantName(domain.TenantNames(ts)) }

// SetSize implements the pane contract.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h; m.clamp() }

// Focus and Blur implement the pane contract.
func (m *Model) Focus() { m.focused = true }
func (m *Model) Blur()  { m.focused = false }

// Capturing implements the pane contract: the triage box has the keyboard while open.
func (m Model) Capturing() bool { return m.tri.Active() }

// KeyMap implements the pane contract.
func (m Model) KeyMap() help.KeyMap { return m.keys }

// Task implements the pane contract: the pane loads nothing.
func (m Model) Task() string { return "" }

// Update implements the pane contract.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case domain.AlertsUpdatedMsg:
		for _, a := range msg.Alerts {
			if m.has && a.CompositeID == m.alert.CompositeID {
				m.alert = a
				m.clamp()
			}
		}
		return m, nil
	case tea.KeyPressMsg:
		if m.tri.Active() {
			var cmd tea.Cmd
			m.tri, cmd = m.tri.Update(msg)
			return m, cmd
		}
		switch {
		case key.Matches(msg, m.keys.Status):
			return m, m.triage(triage.SetStatus)
		case key.Matches(msg, m.keys.Assign):
			return m, m.triage(triage.Assign)
		case key.Matches(msg, m.keys.Comment):
			return m, m.triage(triage.Comment)
		}
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		if m.tri.Active() {
			return m, nil
		}
	default:
		var cmd tea.Cmd
		m.tri, cmd = m.tri.Update(msg)
		return m, cmd
	}
	m.offset, _ = widget.Scroll(msg, m.keys.ScrollKeyMap, m.offset, max(1, m.height-1))
	m.clamp()
	return m, nil
}

func (m *Model) triage(a triage.Action) tea.Cmd {
	if !m.has {
		return nil
	}
	return m.tri.Open(a, []falcon.Alert{m.alert})
}

func (m *Model) clamp() { m.offset = max(0, min(m.offset, len(m.lines())-m.height)) }

// Title is the pane's name for its frame.
func (m Model) Title() string {
	if !m.has {
		return "Alert"
	}
	return "Alert(" + sanitize.Line(domain.SeverityName(m.alert), 14) + ")"
}

// View implements the pane contract.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if !m.has {
		return widget.Message(m.st, m.width, m.height, m.st.Muted, "No alert selected")
	}
	if m.tri.Active() {
		return m.tri.View(m.width, m.height)
	}
	lines := m.lines()
	end := min(len(lines), m.offset+m.height)
	return widget.Fit(strings.Join(lines[m.offset:end], "\n"), m.width, m.height)
}

const labelWidth = 16

func (m Model) lines() []string {
	if !m.has || m.width <= 0 {
		return nil
	}
	a, w, st := m.alert, m.width, m.st
	now := m.now()
	var out []string
	name := a.DisplayName
	if name == "" {
		name = a.Name
	}
	sev := domain.SeverityOf(a.Severity).Style(st)
	out = append(out,
		sev.Render(sanitize.Line(fmt.Sprintf("%s %d", domain.SeverityName(a), a.Severity), 20))+"  "+
			st.Accent.Render(sanitize.Line(name, max(1, w-24))))
	// Long values (composite IDs, hashes) wrap under themselves rather than lose their end:
	// an analyst copies them.
	kv := func(label, value string, style ...lipgloss.Style) {
		if value == "" {
			return
		}
		parts := hardWrap(sanitize.Text(value), max(1, w-labelWidth-2))
		for i, p := range parts {
			if len(style) > 0 {
				p = style[0].Render(p)
			}
			l := strings.Repeat(" ", labelWidth+2)
			if i == 0 {
				l = "  " + st.Muted.Render(widget.FitLine(label, labelWidth-1)) + " "
			}
			out = append(out, l+p)
			if i == 3 && len(parts) > 4 {
				out = append(out, strings.Repeat(" ", labelWidth+2)+"…")
				break
			}
		}
	}
	head := func(title string) { out = append(out, "", st.Title.Render(title)) }
	head("ALERT")
	kv("Status", strings.ReplaceAll(a.Status, "_", " "))
	kv("Created", stamp(now, a.Created))
	kv("Updated", stamp(now, a.Updated))
	kv("Confidence", num(a.Confidence))
	kv("Product", a.Product)
	kv("Name", a.Name)
	kv("Assigned to", a.AssignedTo)
	kv("Composite ID", a.CompositeID)
	kv("Tenant CID", a.CID)
	if a.Description != "" {
		head("DESCRIPTION")
		for _, l := range widget.Wrap(a.Description, w-4) {
			out = append(out, "  "+l)
		}
	}
	head("MITRE ATT&CK")
	kv("Tactic", join(a.Tactic, a.TacticID))
	kv("Technique", join(a.Technique, a.TechniqueID))
	head("HOST")
	kv("Hostname", a.Hostname, st.Accent)
	kv("Device ID", a.DeviceID)
	kv("Platform", a.Platform)
	head("PROCESS")
	kv("File", a.Filename)
	kv("User", a.UserName)
	kv("SHA-256", a.SHA256)
	if a.CommandLine != "" {
		out = append(out, "  "+st.Muted.Render(widget.FitLine("Command line", labelWidth-1)))
		for _, l := range hardWrap(sanitize.Text(a.CommandLine), w-4) {
			out = append(out, "    "+l)
		}
	}
	if a.Link != "" {
		head("CONSOLE")
		out = append(out, "  "+st.Muted.Render(sanitize.Line(a.Link, w-2)))
	}
	return out
}

// hardWrap cuts text into lines of width cells (command lines have few spaces), at most
// 20 of them and an ellipsis.
func hardWrap(s string, width int) []string {
	out := widget.WrapCells(s, width)
	if len(out) >= 20 { // a value this long is cut, and says so
		out = append(out[:20], "…")
	}
	return out
}

func stamp(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05Z") + "  (" + domain.Ago(now, t) + ")"
}

func num(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}

func join(name, id string) string {
	switch {
	case name == "":
		return id
	case id == "":
		return name
	}
	return name + " (" + id + ")"
}
