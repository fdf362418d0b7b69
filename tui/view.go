package tui

import (
	"net/url"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// View draws the whole screen: header, tab bar, the framed pane, the status bar, and any
// overlay on top.
func (m Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "falcon-tui"
	if m.connected {
		v.WindowTitle += " — " + sanitize.Line(m.tenantName(m.cid), 40)
	}
	return v
}

// Render is the screen as a string (what View shows; golden tests compare it).
func (m Model) Render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.quitting {
		return ""
	}
	var body string
	switch {
	case m.connErr != nil:
		body = m.connErrorView()
	case (m.connecting || (!m.connected && m.client != nil)) && !m.stored:
		body = m.frame("Connecting", m.connectingView())
	case m.client == nil:
		body = m.frame("Not connected", widget.Message(m.st, m.width-2, m.height-headerRows-frameRows-statusRows,
			m.st.Error, "No API client", "Start falcon-tui with credentials or --demo."))
	default:
		top := m.pane(m.top())
		body = m.frame(top.Title(), top.View())
	}
	screen := strings.Join([]string{m.header(), m.tabBar(), body, m.statusBar()}, "\n")
	screen = widget.Fit(screen, m.width, m.height)
	return m.overlays(screen)
}

// overlays composes the help box, the command suggestions and the group-edit box.
func (m Model) overlays(screen string) string {
	var layers []*lipgloss.Layer
	switch m.overlay {
	case overlayHelp:
		// Centred on a blank band as wide as the inside of the frame: the rows beside the
		// box would otherwise show cut-off columns of the table at both edges, as if the
		// overlay did not cover them.
		box := m.helpView()
		band := lipgloss.PlaceHorizontal(max(lipgloss.Width(box), m.width-2), lipgloss.Center, box)
		x := max(0, (m.width-lipgloss.Width(band))/2)
		_, inside := m.paneSize()
		y := headerRows + 1 + max(0, (inside-lipgloss.Height(box))/2)
		layers = append(layers, lipgloss.NewLayer(band).X(x).Y(y).Z(5))
	case overlayCommand:
		if box := m.cmd.suggestionsView(m.width - 4); box != "" {
			// A blank column either side, so that no cell of the rows under it peeks out
			// between the box and the frame; above the frame's bottom border, which would
			// otherwise look broken under it.
			box = lipgloss.NewStyle().Padding(0, 1).Render(box)
			y := max(0, m.height-statusRows-1-lipgloss.Height(box))
			layers = append(layers, lipgloss.NewLayer(box).X(1).Y(y).Z(5))
		}
	}
	if l := m.edit.Layer(); l != nil {
		layers = append(layers, l)
	}
	if len(layers) == 0 {
		return screen
	}
	// The compositor drops trailing blanks; the screen must stay exactly its size.
	out := lipgloss.NewCompositor(append([]*lipgloss.Layer{lipgloss.NewLayer(screen)}, layers...)...).Render()
	return widget.Fit(out, m.width, m.height)
}

// headerVariant is how much of the header is drawn: a narrow terminal drops the details
// least needed first, rather than cutting the line mid-CID.
type headerVariant struct {
	cid    int  // 2 = the full CID, 1 = a short one, 0 = none
	client bool // the API client's ID
	source bool // where the credentials came from, after the profile
	cloud  bool
}

var headerVariants = []headerVariant{
	{2, true, true, true}, {1, true, true, true}, {1, false, true, true}, {0, false, true, true},
	{0, false, false, true}, {0, false, false, false},
}

// header is the top line: who, where, which tenant. It gives way from the right when the
// terminal is narrow: the full CID becomes a short one, then the API client, the CID and
// the credential source and the cloud go.
func (m Model) header() string {
	right := ""
	if m.opts.ReadOnly {
		right = m.st.Warn.Render(" READ-ONLY ")
	}
	var line string
	for _, v := range headerVariants {
		line = " " + m.headerParts(v)
		if ansi.StringWidth(line)+ansi.StringWidth(right) <= m.width {
			break
		}
	}
	return widget.Spread(line, right, m.width)
}

func (m Model) headerParts(v headerVariant) string {
	st := m.st
	label := func(l, v string) string { return st.AppHeaderLabel.Render(l+" ") + st.AppHeader.Render(v) }
	parts := []string{st.Title.Render("falcon-tui")}
	if m.opts.Profile != "" {
		p := sanitize.Text(m.opts.Profile)
		if v.source && m.opts.Source != "" && m.opts.Source != m.opts.Profile {
			p += st.Muted.Render(" (" + sanitize.Text(m.opts.Source) + ")")
		}
		parts = append(parts, label("profile", p))
	}
	if m.client != nil {
		cloud := string(m.client.Cloud())
		if cloud == "" || cloud == string(falcon.CloudAuto) {
			cloud = "…"
		}
		if v.cloud {
			parts = append(parts, label("cloud", cloud))
		}
		if m.connected || m.stored {
			cid := strings.ToLower(m.cid)
			if v.cid < 2 {
				cid = shortID(cid)
			}
			var t string
			if name, ok := m.knownTenantName(m.cid); ok || m.cid == "" {
				t = st.Accent.Render(sanitize.Line(m.tenantName(m.cid), 32))
				if name != "" && m.cid != "" && v.cid > 0 {
					t += " " + st.Muted.Render(cid)
				}
			} else {
				// No name to show (the list has not loaded, or does not hold this
				// tenant): the CID is the label, once.
				t = st.Accent.Render(cid)
			}
			parts = append(parts, label("tenant", t))
		}
		if at := m.asOf(); !at.IsZero() {
			// Stored rows not refreshed yet: how old what the pane shows is.
			parts = append(parts, st.Warn.Render("as of "+domain.Ago(m.now(), at)))
		}
		if m.stored && !m.connected {
			parts = append(parts, st.Muted.Render(spinner(m.spin)+" connecting…"))
		}
		if id := m.client.ClientID(); id != "" && v.client {
			parts = append(parts, label("client", shortID(sanitize.Text(id))))
		}
	}
	return strings.Join(parts, st.Subtle.Render(" │ "))
}

// tabBar lists the top-level panes with the current one highlighted, and the drill-down
// path on the right.
func (m Model) tabBar() string {
	var b strings.Builder
	b.WriteByte(' ')
	for _, k := range m.reg.Tabs() {
		name := " " + m.spec(k).Name + " "
		if k == m.tab() {
			b.WriteString(m.st.Selected.Render(name))
		} else {
			b.WriteString(m.st.Muted.Render(name))
		}
		b.WriteByte(' ')
	}
	crumbs := ""
	if len(m.stack) > 1 {
		var parts []string
		for _, k := range m.stack[1:] {
			parts = append(parts, m.crumb(k))
		}
		crumbs = m.st.Muted.Render(strings.Join(parts, " › ")+"  esc back") + " "
	}
	return widget.Spread(b.String(), crumbs, m.width)
}

// tabAt maps an x on the tab bar to its tab (the same arithmetic as tabBar).
func (m Model) tabAt(x int) (pane.Kind, bool) {
	pos := 1
	for _, k := range m.reg.Tabs() {
		w := len(m.spec(k).Name) + 2
		if x >= pos && x < pos+w {
			return k, true
		}
		pos += w + 1
	}
	return "", false
}

// frame draws a rounded box around content with title set into the top border.
func (m Model) frame(title, content string) string {
	w, h := m.paneSize()
	style := m.st.Border(true)
	b := style.GetBorderStyle()
	color := m.st.BorderColor(true)
	paint := func(s string) string {
		if color == nil {
			return s
		}
		return lipgloss.NewStyle().Foreground(color).Render(s)
	}
	title = sanitize.Line(title, max(0, w-4))
	titleW := ansi.StringWidth(title)
	var top string
	if titleW > 0 {
		top = paint(b.TopLeft+b.Top) + m.st.Title.Render(" "+title+" ") +
			paint(strings.Repeat(b.Top, max(0, w-titleW-3))+b.TopRight)
	} else {
		top = paint(b.TopLeft + strings.Repeat(b.Top, w) + b.TopRight)
	}
	lines := strings.Split(widget.Fit(content, w, h), "\n")
	var out strings.Builder
	out.WriteString(top)
	left, right := paint(b.Left), paint(b.Right)
	for _, l := range lines {
		out.WriteByte('\n')
		out.WriteString(left + l + right)
	}
	out.WriteByte('\n')
	out.WriteString(paint(b.BottomLeft + strings.Repeat(b.Bottom, w) + b.BottomRight))
	return out.String()
}

func (m Model) connectingView() string {
	w, h := m.paneSize()
	where := "the Falcon cloud"
	if c := m.client; c != nil && !c.Discovering() {
		if cl := c.Cloud(); cl != "" && cl != falcon.CloudAuto {
			where = string(cl)
		} else if u, err := url.Parse(c.BaseURL()); err == nil && u.Host != "" {
			where = sanitize.Text(u.Host) // an explicit --base-url: name the host it goes to
		}
	}
	return widget.Message(m.st, w, h, m.st.Accent, spinner(m.spin)+" Connecting to "+where+"…",
		"Getting a token"+cloudNote(m.client)+". q quits.")
}

func cloudNote(c *falcon.Client) string {
	if c == nil || !c.Discovering() {
		return ""
	}
	return " and discovering the cloud"
}

// knownTenantName is a tenant's display name from the tenant list; ok is false for a
// tenant the list does not hold (or before it has loaded).
func (m Model) knownTenantName(cid string) (string, bool) {
	for _, t := range m.tenants {
		if strings.EqualFold(t.CID, cid) {
			return tenantLabel(t), true
		}
	}
	return "", false
}

// tenantName is a tenant's display name: from the list, else its short CID.
func (m Model) tenantName(cid string) string {
	if name, ok := m.knownTenantName(cid); ok {
		return name
	}
	if cid == "" {
		return "Home tenant"
	}
	return shortID(cid)
}

// tenantLabel names a tenant; the home tenant often has no name of its own.
func tenantLabel(t falcon.Tenant) string {
	return sanitize.Text(domain.TenantLabel(t))
}

func shortID(id string) string {
	if len(id) <= 14 {
		return id
	}
	return id[:8] + "…" + id[len(id)-4:]
}
