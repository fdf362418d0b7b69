// Package sanitize makes untrusted text (anything that came from the API) safe to put on a
// terminal and fits it to a cell width. The panes render only what Text or Line returns; the
// cleaning itself is falcon/untrusted, shared with the API client's error messages.
package sanitize

import (
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon/untrusted"
)

// Text returns s with every control character, escape sequence (CSI, OSC, DCS, SOS, PM,
// APC, two-byte ESC forms) and C1 control removed, and each run of bidi overrides or
// isolates, zero-width or other invisible format characters replaced by one visible
// placeholder (untrusted.Placeholder). Tabs, newlines and the Unicode line separators become
// spaces so that a value stays on one row. Invalid UTF-8 becomes U+FFFD.
func Text(s string) string { return untrusted.Text(s) }

// Line is Text, then truncated to at most maxCells terminal cells with an ellipsis. Wide
// characters are never cut in half. maxCells <= 0 gives "".
func Line(s string, maxCells int) string {
	if maxCells <= 0 {
		return ""
	}
	t := Text(s)
	if ansi.StringWidth(t) <= maxCells {
		return t
	}
	return ansi.Truncate(t, maxCells, "…")
}
