package falcon

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanText makes server-provided text (error messages, trace ids, headers) safe to embed in
// an error string, which callers print on a terminal or write to a log. It is defence in
// depth: the UI sanitizes what it draws, but an error also reaches stderr and log files.
// Escape sequences (CSI, OSC, DCS, SOS, PM, APC, two-byte ESC forms) and their C1 forms are
// removed whole, so no OSC 52 clipboard write or screen clear survives as a stub; other C0/C1
// controls, bidi overrides/isolates/marks and zero-width or other format characters (Unicode
// Cf) are dropped; tabs and line breaks become spaces; invalid UTF-8 becomes U+FFFD.
// Package falcon must not import tui/, hence its own small helper.
func cleanText(s string) string {
	if plainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			// Re-encoded, so no raw 8-bit C1 byte (0x9b is CSI) can pass through.
			b.WriteRune(utf8.RuneError)
		case r == 0x1b:
			size = escapeLen(s[i:])
		case r == 0x9b:
			size += csiLen(s[i+size:])
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f:
			size += stringLen(s[i+size:])
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029:
			b.WriteByte(' ')
		case r < 0x20 || (r >= 0x7f && r <= 0x9f), unicode.Is(unicode.Cf, r):
			// dropped: controls, bidi controls, zero-width and other invisible format chars
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// plainASCII is the fast path: most API text is printable ASCII and needs no copy.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// escapeLen is the length of the escape sequence that starts s (s[0] is ESC).
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		return 2 + csiLen(s[2:])
	case ']', 'P', 'X', '^', '_':
		return 2 + stringLen(s[2:])
	}
	// ESC, intermediates 0x20-0x2f, one final byte (ESC ( B, ESC 7, ESC c).
	i := 1
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// csiLen is the length of a CSI body: parameters and intermediates, then the final byte. A
// body broken by another byte ends there, and that byte is judged on its own.
func csiLen(s string) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		case c < 0x20 || c > 0x3f:
			return i
		}
	}
	return len(s)
}

// stringLen is the length of an OSC/DCS/SOS/PM/APC body up to and including its terminator
// (BEL, ESC \ or the C1 ST); an unterminated body runs to the end, as on a terminal.
func stringLen(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 0x07:
			return i + 1
		case 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // another sequence begins; the caller removes it next
		case 0xc2:
			if i+1 < len(s) && s[i+1] == 0x9c {
				return i + 2
			}
		}
	}
	return len(s)
}
