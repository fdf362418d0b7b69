package hostdetail

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// labelWidth is the width of the key column in every section.
const labelWidth = 15

// twoColumns is the width from which the sections are laid out side by side.
const twoColumns = 110

// Title is the pane's name for its frame.
func (m Model) Title() string {
	if !m.has {
		return "Host"
	}
	name := m.host.Hostname
	if name == "" {
		name = m.host.DeviceID
	}
	t := "Host(" + sanitize.Line(name, 40) + ")"
	if n := len(m.lines()); n > m.height && m.height > 0 {
		t += fmt.Sprintf("[%d%%]", min(100, (m.offset+m.height)*100/n))
	}
	return t
}

// View implements the pane contract.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if !m.has {
		return widget.Message(m.st, m.width, m.height, m.st.Muted, "No host selected")
	}
	if errors.Is(m.refresh.err, falcon.ErrScopeDenied) {
		return widget.LoadError(m.st, m.width, m.height, m.refresh.err, ScopeHosts, widget.ClientID(m.client))
	}
	lines := m.lines()
	end := min(len(lines), m.offset+m.height)
	return widget.Fit(strings.Join(lines[m.offset:end], "\n"), m.width, m.height)
}

// lines lays the sections out for the current width.
func (m Model) lines() []string {
	if !m.has || m.width <= 0 {
		return nil
	}
	if m.width < twoColumns {
		w := m.width
		var out []string
		for _, s := range append(m.left(w), m.right(w)...) {
			out = append(out, s...)
		}
		return out
	}
	lw := (m.width - 3) / 2
	rw := m.width - 3 - lw
	var l, r []string
	for _, s := range m.left(lw) {
		l = append(l, s...)
	}
	for _, s := range m.right(rw) {
		r = append(r, s...)
	}
	n := max(len(l), len(r))
	sep := m.st.Subtle.Render(" │ ")
	out := make([]string, n)
	for i := range out {
		a, b := "", ""
		if i < len(l) {
			a = l[i]
		}
		if i < len(r) {
			b = r[i]
		}
		out[i] = widget.FitLine(a, lw) + sep + widget.FitLine(b, rw)
	}
	return out
}

// section is a heading and its lines.
type section []string

func (m Model) heading(title string, w int) string {
	return widget.FitLine(m.st.Title.Render(title), w)
}

// kv is one "label  value" line; the value is sanitised and truncated.
func (m Model) kv(w int, label, value string, style ...lipgloss.Style) string {
	if value == "" {
		value = "–"
		style = []lipgloss.Style{m.st.Subtle}
	}
	v := sanitize.Line(value, max(1, w-labelWidth-2))
	if len(style) > 0 {
		v = style[0].Render(v)
	}
	return "  " + m.st.Muted.Render(widget.FitLine(label, labelWidth-1)) + " " + v
}

func (m Model) left(w int) []section {
	h := m.host
	now := m.now()
	st := h.State(now)
	id := section{m.heading("IDENTITY", w),
		m.kv(w, "Hostname", h.Hostname, m.st.Accent),
		m.kv(w, "Device ID", h.DeviceID),
		m.kv(w, "Tenant CID", h.CID),
		m.kv(w, "Type", h.ProductType),
		m.kv(w, "Hardware", strings.TrimSpace(h.Manufacturer+" "+h.Model)),
		m.kv(w, "Serial", h.SerialNumber),
		m.kv(w, "Domain", h.MachineDomain),
		m.kv(w, "OU", strings.Join(h.OU, " / ")),
		m.kv(w, "Site", h.SiteName),
		m.kv(w, "Last user", h.LastLoginUser),
		"",
	}
	state := section{m.heading("STATUS", w),
		m.kv(w, "State", st.String(), m.st.HostState(st.String())),
		m.kv(w, "Containment", h.Containment, containStyle(m, h.Containment)),
		m.kv(w, "Last seen", when(now, h.LastSeen)),
		m.kv(w, "First seen", when(now, h.FirstSeen)),
		m.kv(w, "Last reboot", when(now, h.LastReboot)),
		m.kv(w, "Reduced mode", h.RFM),
		"",
	}
	os := section{m.heading("OPERATING SYSTEM", w),
		m.kv(w, "Platform", h.Platform),
		m.kv(w, "Version", h.OSVersion),
		m.kv(w, "Product", h.OSProductName),
		m.kv(w, "Build", h.OSBuild),
		m.kv(w, "Kernel", h.KernelVersion),
		"",
	}
	sensor := section{m.heading("SENSOR AND POLICIES", w), m.kv(w, "Sensor", h.AgentVersion)}
	pols := slices.Clone(h.Policies)
	slices.SortFunc(pols, func(a, b falcon.Policy) int { return strings.Compare(a.Type, b.Type) })
	for _, p := range pols {
		state, style := "pending", m.st.Warn
		if p.Applied {
			state, style = "applied", m.st.OK
			if !p.AppliedDate.IsZero() {
				state += " " + p.AppliedDate.UTC().Format("2006-01-02")
			}
		}
		v := style.Render(state) + m.st.Muted.Render("  "+sanitize.Line(p.ID, max(1, w-labelWidth-4-len(state))))
		sensor = append(sensor, "  "+m.st.Muted.Render(widget.FitLine(sanitize.Text(strings.ReplaceAll(p.Type, "_", " ")), labelWidth-1))+" "+v)
	}
	if len(pols) == 0 {
		sensor = append(sensor, m.kv(w, "Policies", ""))
	}
	sensor = append(sensor, "")
	net := section{m.heading("NETWORK", w),
		m.kv(w, "Local IP", h.LocalIP),
		m.kv(w, "External IP", h.ExternalIP),
		m.kv(w, "Connection IP", h.ConnectionIP),
		m.kv(w, "Gateway", h.DefaultGateway),
		m.kv(w, "MAC", h.MAC),
		"",
	}
	return []section{id, state, os, sensor, net}
}

func containStyle(m Model, c string) lipgloss.Style {
	switch c {
	case "contained", "containment_pending", "lift_containment_pending":
		return m.st.Contained
	}
	return m.st.Surface
}

func (m Model) right(w int) []section {
	return []section{m.groupSection(w), m.tagSection(w), m.ztaSection(w), m.alertSection(w)}
}

func (m Model) groupSection(w int) section {
	h := m.host
	s := section{m.heading(fmt.Sprintf("GROUPS (%d)", len(h.Groups)), w)}
	names := m.groups[h.CID]
	err := m.groupErr[h.CID]
	if errors.Is(err, falcon.ErrScopeDenied) {
		s = append(s, "  "+m.st.Warn.Render("names need `"+widget.ScopeOf(err, ScopeGroups)+"`"))
	}
	for _, id := range h.Groups {
		name, ok := names[id]
		switch {
		case ok:
			s = append(s, "  "+sanitize.Line(name, w-4)+m.st.Subtle.Render("  "+sanitize.Line(id, max(0, w-6-lipgloss.Width(sanitize.Text(name))))))
		case names == nil && err == nil:
			s = append(s, "  "+m.st.Muted.Render(sanitize.Line(id, w-4)+" …"))
		default:
			s = append(s, "  "+m.st.Muted.Render(sanitize.Line(id, w-4)))
		}
	}
	if len(h.Groups) == 0 {
		s = append(s, "  "+m.st.Subtle.Render("in no host group"))
	}
	return append(s, "")
}

func (m Model) tagSection(w int) section {
	s := section{m.heading(fmt.Sprintf("TAGS (%d)", len(m.host.Tags)), w)}
	for _, t := range m.host.Tags {
		s = append(s, "  "+sanitize.Line(t, w-2))
	}
	if len(m.host.Tags) == 0 {
		s = append(s, "  "+m.st.Subtle.Render("no tags"))
	}
	return append(s, "")
}

func (m Model) ztaSection(w int) section {
	s := section{m.heading("ZERO TRUST ASSESSMENT", w)}
	switch {
	case m.ztaPart.loading:
		return append(s, "  "+m.st.Muted.Render("loading…"), "")
	case errors.Is(m.ztaPart.err, falcon.ErrScopeDenied):
		return append(s, "  "+m.st.Warn.Render("needs `"+widget.ScopeOf(m.ztaPart.err, ScopeZTA)+"`"), "")
	case errors.Is(m.ztaPart.err, falcon.ErrNotProvisioned):
		return append(s, "  "+m.st.Muted.Render("not provisioned in this tenant"), "")
	case m.ztaPart.err != nil && !errors.Is(m.ztaPart.err, falcon.ErrNotFound):
		return append(s, "  "+m.st.Error.Render(sanitize.Line(widget.ErrorText(m.ztaPart.err), w-2)), "")
	case !m.hasZTA:
		return append(s, "  "+m.st.Subtle.Render("no assessment for this host"), "")
	}
	z := m.zta
	score := func(label string, v int) string {
		style := m.st.OK
		switch {
		case v < 50:
			style = m.st.Error
		case v < 75:
			style = m.st.Warn
		}
		return "  " + m.st.Muted.Render(widget.FitLine(label, labelWidth-1)) + " " +
			style.Render(fmt.Sprintf("%3d", v)) + m.st.Muted.Render("/100 ") + widget.Bar(m.st, style, v, 100, min(20, max(0, w-labelWidth-12)))
	}
	s = append(s, score("Overall", z.Overall), score("OS", z.OS), score("Sensor config", z.SensorConfig))
	if !z.Modified.IsZero() {
		s = append(s, m.kv(w, "Assessed", when(m.now(), z.Modified)))
	}
	for _, sig := range z.Signals {
		mark, style := "?", m.st.Muted
		switch strings.ToLower(sig.Meets) {
		case "yes":
			mark, style = "✓", m.st.OK
		case "no":
			mark, style = "✗", m.st.Error
		}
		name := sig.Name
		if name == "" {
			name = sig.ID
		}
		s = append(s, "  "+style.Render(mark)+" "+sanitize.Line(name, w-5))
	}
	return append(s, "")
}

func (m Model) alertSection(w int) section {
	title := "RECENT ALERTS"
	if !m.alPart.loading && m.alPart.err == nil {
		title += " (" + strconv.Itoa(len(m.alerts)) + ")"
	}
	s := section{m.heading(title, w)}
	switch {
	case m.alPart.loading:
		return append(s, "  "+m.st.Muted.Render("loading…"))
	case errors.Is(m.alPart.err, falcon.ErrScopeDenied):
		return append(s, "  "+m.st.Warn.Render("needs `"+widget.ScopeOf(m.alPart.err, ScopeAlerts)+"`"))
	case m.alPart.err != nil:
		return append(s, "  "+m.st.Error.Render(sanitize.Line(widget.ErrorText(m.alPart.err), w-2)))
	case len(m.alerts) == 0:
		return append(s, "  "+m.st.Subtle.Render("no alerts"))
	}
	now := m.now()
	for _, a := range m.alerts {
		sev := domain.SeverityOf(a.Severity).Style(m.st)
		name := a.DisplayName
		if name == "" {
			name = a.Name
		}
		left := "  " + widget.FitLine(domain.Ago(now, a.Created), 9) + " " + sev.Render(widget.FitLine(sanitize.Text(domain.SeverityName(a)), 8)) + " "
		s = append(s, left+sanitize.Line(name, max(1, w-lipgloss.Width(left))))
	}
	return append(s, "  "+m.st.Muted.Render("enter lists all of this host's alerts"))
}

// when is an absolute UTC time and how long ago it was.
func when(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04Z") + "  (" + domain.Ago(now, t) + ")"
}
