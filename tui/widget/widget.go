// Package widget holds the small drawing helpers the panes share: exact-size blocks, empty
// and error states, progress bars and number formatting.
package widget

import (
	"errors"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// Fit makes a (possibly styled) block exactly width × height cells: lines are truncated or
// padded, missing lines added, extra lines dropped. The panes promise the root this size.
func Fit(s string, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = FitLine(l, width)
	}
	return strings.Join(lines, "\n")
}

// FitLine truncates or pads one styled line to exactly width cells.
func FitLine(l string, width int) string {
	w := ansi.StringWidth(l)
	if w > width {
		l = ansi.Truncate(l, width, "…")
		w = ansi.StringWidth(l)
	}
	if w < width {
		l += strings.Repeat(" ", width-w)
	}
	return l
}

// Spread puts left and right on one line of exactly width cells, truncating left first.
// Left always keeps one blank cell before a non-empty right (it is cut to make room, its
// "…" included), so that the two never run together: a left exactly as wide as the room
// would otherwise touch right ("in the background⠧ group edit").
func Spread(left, right string, width int) string {
	rw := ansi.StringWidth(right)
	if rw >= width {
		return FitLine(right, width)
	}
	lw := width - rw
	if right != "" && ansi.StringWidth(left) >= lw && lw > 1 {
		return FitLine(left, lw-1) + " " + right
	}
	return FitLine(left, lw) + right
}

// Center draws lines centred in a width × height block.
func Center(width, height int, lines ...string) string {
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center,
		lipgloss.JoinVertical(lipgloss.Center, lines...))
}

// Message is an empty, loading or error state: a title and hint lines, centred.
func Message(st *theme.Styles, width, height int, title lipgloss.Style, text string, hints ...string) string {
	lines := []string{title.Render(sanitize.Line(text, width-2))}
	for _, h := range hints {
		if h == "" {
			lines = append(lines, "")
			continue
		}
		for _, l := range wrap(h, max(10, min(width-4, 72))) {
			lines = append(lines, st.Muted.Render(l))
		}
	}
	return Fit(Center(width, height, lines...), width, height)
}

// ScopeHint names the console scope for a scope id, for the "needs" state's hint.
var scopeConsole = map[string]string{
	"devices:read":                "Hosts: Read",
	"host-group:read":             "Host groups: Read",
	"host-group:write":            "Host groups: Write",
	"alerts:read":                 "Alerts: Read",
	"mssp:read":                   "Flight Control: Read",
	"zero-trust-assessment:read":  "Zero Trust Assessment: Read",
	"sensor-installers:read":      "Sensor Download: Read",
	"devices:write":               "Hosts: Write",
	"alerts:write":                "Alerts: Write",
	"zero-trust-assessment:write": "Zero Trust Assessment: Write",
}

// ClientID is the API client's ID for the "grant it to" hint of LoadError ("" without a
// client).
func ClientID(c *falcon.Client) string {
	if c == nil {
		return ""
	}
	return c.ClientID()
}

// LoadError draws a failed load: a missing scope as "needs `scope`" with where to grant it,
// anything else as its (sanitised) message.
func LoadError(st *theme.Styles, width, height int, err error, scope, clientID string) string {
	if errors.Is(err, falcon.ErrScopeDenied) {
		scope = ScopeOf(err, scope)
		console := scopeConsole[scope]
		hint := "Grant it to the API client"
		if clientID != "" {
			hint += " " + clientID
		}
		hint += " in the Falcon console (Support and resources › API clients and keys)"
		if console != "" {
			hint += ", where it is listed as " + console
		}
		hint += ", or switch with :profile NAME."
		return Message(st, width, height, st.Warn, "needs `"+scope+"`", hint)
	}
	return Message(st, width, height, st.Error, ErrorText(err), "r retries")
}

// ErrorText is an error's message, sanitised and without the client's package prefix. For an
// API reply it is the server's own words, which is what a user fixing an FQL filter needs.
func ErrorText(err error) string {
	if err == nil {
		return ""
	}
	var apiErr *falcon.APIError
	if errors.As(err, &apiErr) {
		if sum := apiErr.Summary(); sum != "" {
			return sanitize.Text(sum)
		}
	}
	return sanitize.Text(strings.TrimPrefix(err.Error(), "falcon: "))
}

// ScopeOf is the scope a denied call needed, as the client reports it, else fallback.
func ScopeOf(err error, fallback string) string {
	var apiErr *falcon.APIError
	if errors.As(err, &apiErr) && apiErr.Scope != "" {
		return apiErr.Scope
	}
	return fallback
}

// Int formats n with thousands separators.
func Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Bar draws a meter of width cells filled to done/total.
func Bar(st *theme.Styles, fill lipgloss.Style, done, total, width int) string {
	if width <= 0 {
		return ""
	}
	n := 0
	if total > 0 {
		n = max(0, min(width, (done*width+total/2)/total))
	}
	return fill.Render(strings.Repeat("▰", n)) + st.BarEmpty.Render(strings.Repeat("▱", width-n))
}

// wrap breaks text into lines of at most width cells at spaces.
func wrap(text string, width int) []string {
	words := strings.Fields(sanitize.Text(text))
	var lines []string
	cur := ""
	for _, w := range words {
		switch {
		case cur == "":
			cur = w
		case ansi.StringWidth(cur)+1+ansi.StringWidth(w) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	return lines
}

// Wrap is wrap for panes that lay out prose (alert descriptions).
func Wrap(text string, width int) []string { return wrap(text, max(1, width)) }

// WrapCells cuts plain (sanitised) text into lines of at most width cells, wherever the
// width ends rather than at word boundaries: for values read or copied whole (IDs, hashes,
// command lines, paths), where a cut mid-word loses nothing.
func WrapCells(s string, width int) []string {
	width = max(1, width)
	var out []string
	for s != "" {
		cut := TruncateCells(s, width)
		if cut == "" {
			break
		}
		out = append(out, cut)
		s = s[len(cut):]
	}
	return out
}

// TruncateCells returns the longest prefix of plain (sanitised) text that fits in width
// cells, without an ellipsis and without splitting a wide character.
func TruncateCells(s string, width int) string {
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "")
}
