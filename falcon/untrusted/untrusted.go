// Package untrusted makes text that came from the Falcon API (host names, tags, alert
// descriptions, error messages, trace ids) safe to put on a terminal or into a report. Such a
// string can carry escape sequences that move the cursor, retitle the window, write to the
// clipboard or hide text behind bidi overrides. The API client cleans the server text it
// embeds in errors with it, and the explorer's tui/sanitize builds on it, so there is one
// definition of "safe" in the project.
package untrusted

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxMarks caps combining marks on one base character: enough for real scripts
// (Vietnamese, Devanagari), not enough for "zalgo" text to spill onto other rows.
const maxMarks = 3

// Placeholder stands where Text removed invisible characters, so that a spoofed name
// ("adm\u200bin", "invoice\u202efdp.exe") never looks like the genuine one it imitates.
// It is also what invalid UTF-8 becomes.
const Placeholder = "\ufffd"

// Text returns s with every control character, escape sequence (CSI, OSC, DCS, SOS, PM,
// APC, two-byte ESC forms) and C1 control removed, and every run of bidi embeddings,
// overrides or isolates, zero-width or other invisible format characters replaced by one
// Placeholder: inert, but visibly there. Tabs, newlines and the Unicode line separators
// become spaces so that a value stays on one row. Invalid UTF-8 becomes U+FFFD.
func Text(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	marks := 0
	hidden := false // the last thing written is the Placeholder of invisible characters
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			// Re-encoding as U+FFFD guarantees no raw 8-bit C1 byte (0x9B CSI) survives.
			b.WriteRune(utf8.RuneError)
			i++
			marks, hidden = 0, false
			continue
		case r == 0x1b:
			i += skipEscape(s[i:])
			continue
		case r >= 0x80 && r <= 0x9f:
			// UTF-8-encoded C1: CSI, OSC, DCS and friends take a body like their ESC forms.
			i += skipC1(s[i:], r, size)
			continue
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x2028 || r == 0x2029 || r == 0x85:
			b.WriteByte(' ')
			marks, hidden = 0, false
		case r < 0x20 || r == 0x7f:
			// other C0 controls: dropped
		case invisible(r):
			if !hidden {
				b.WriteString(Placeholder)
				hidden = true
			}
			marks = 0
		case unicode.In(r, unicode.Mn, unicode.Me):
			if marks < maxMarks {
				b.WriteRune(r)
			}
			marks++
			hidden = false
		default:
			b.WriteRune(r)
			marks, hidden = 0, false
		}
		i += size
	}
	return b.String()
}

// clean is the fast path: plain printable ASCII needs no work, and most API strings are that.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// invisible reports format and zero-width characters that render as nothing but change how
// the text around them is shown: bidi embeddings, overrides, isolates and marks, zero-width
// spaces and joiners, the BOM, soft hyphen, the tag block, interlinear annotations and the
// like (Unicode category Cf), plus blank fillers such as U+115F and U+3164.
func invisible(r rune) bool {
	switch r {
	case 0x034f, 0x115f, 0x1160, 0x3164, 0xffa0:
		// combining grapheme joiner, Hangul fillers: blank yet sometimes wide
		return true
	}
	return unicode.Is(unicode.Cf, r) || (r >= 0xfff9 && r <= 0xfffb)
}

// skipEscape returns how many bytes the escape sequence at the start of s takes (s[0] is ESC).
func skipEscape(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		return 2 + skipCSI(s[2:])
	case ']', 'P', 'X', '^', '_':
		return 2 + skipString(s[2:])
	}
	// ESC followed by intermediates (0x20–0x2F) then one final byte, e.g. ESC ( B, ESC 7.
	i := 1
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipC1 handles the UTF-8-encoded forms of the 8-bit controls.
func skipC1(s string, r rune, size int) int {
	switch r {
	case 0x9b: // CSI
		return size + skipCSI(s[size:])
	case 0x9d, 0x90, 0x98, 0x9e, 0x9f: // OSC, DCS, SOS, PM, APC
		return size + skipString(s[size:])
	}
	return size
}

// skipCSI skips parameter and intermediate bytes up to and including the final byte.
// A sequence broken by another control ends there, so the control is seen on its own.
func skipCSI(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		case c >= 0x20 && c <= 0x3f:
			continue
		default:
			return i
		}
	}
	return len(s)
}

// skipString skips the body of an OSC/DCS/SOS/PM/APC string up to its terminator: BEL, ESC \,
// or the 8-bit ST (U+009C). An unterminated string swallows the rest of the text, as a
// terminal would.
func skipString(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 0x07:
			return i + 1
		case 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // a new sequence starts; let the caller see it
		case 0xc2:
			if i+1 < len(s) && s[i+1] == 0x9c {
				return i + 2
			}
		}
	}
	return len(s)
}
