package fql

import (
	"unicode"
	"unicode/utf8"
)

// Case-insensitive helpers that never allocate, unlike strings.ToLower.
// foldRune picks one representative per case class, so equality and order
// agree: two strings compare equal exactly when they match case-insensitively.

func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(unicode.ToUpper(r))
}

func decodeRune(s string) (rune, int) {
	if c := s[0]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s)
}

func decodeLastRune(s string) (rune, int) {
	if c := s[len(s)-1]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeLastRuneInString(s)
}

// compareFold orders a and b rune by rune, ignoring case.
func compareFold(a, b string) int {
	for a != "" && b != "" {
		ra, na := decodeRune(a)
		rb, nb := decodeRune(b)
		if ra != rb {
			fa, fb := foldRune(ra), foldRune(rb)
			if fa < fb {
				return -1
			}
			if fa > fb {
				return 1
			}
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

// prefixFold reports whether s starts with p, ignoring case, and how many
// bytes of s the match covers (case variants may differ in length).
func prefixFold(s, p string) (int, bool) {
	n := 0
	for p != "" {
		if s == "" {
			return 0, false
		}
		rs, ns := decodeRune(s)
		rp, np := decodeRune(p)
		if rs != rp && foldRune(rs) != foldRune(rp) {
			return 0, false
		}
		s, p, n = s[ns:], p[np:], n+ns
	}
	return n, true
}

func suffixFold(s, p string) bool {
	for p != "" {
		if s == "" {
			return false
		}
		rs, ns := decodeLastRune(s)
		rp, np := decodeLastRune(p)
		if rs != rp && foldRune(rs) != foldRune(rp) {
			return false
		}
		s, p = s[:len(s)-ns], p[:len(p)-np]
	}
	return true
}

func equalFold(s, p string) bool {
	n, ok := prefixFold(s, p)
	return ok && n == len(s)
}

// indexFold finds the first case-insensitive occurrence of p in s and returns
// its byte offset and length in s, or -1.
func indexFold(s, p string) (int, int) {
	for i := 0; ; {
		if n, ok := prefixFold(s[i:], p); ok {
			return i, n
		}
		if i >= len(s) {
			return -1, 0
		}
		_, w := decodeRune(s[i:])
		i += w
	}
}

// matchGlob reports whether s matches segs joined by '*' wildcards, ignoring
// case. With contains, the pattern may match anywhere in s (as if wrapped in
// '*'). Leftmost matching of the middle segments is enough for '*'-only globs.
func matchGlob(segs []string, s string, contains bool) bool {
	if !contains {
		if len(segs) == 1 {
			return equalFold(s, segs[0])
		}
		n, ok := prefixFold(s, segs[0])
		if !ok {
			return false
		}
		s = s[n:]
		last := len(segs) - 1
		for _, m := range segs[1:last] {
			i, n := indexFold(s, m)
			if i < 0 {
				return false
			}
			s = s[i+n:]
		}
		return suffixFold(s, segs[last])
	}
	for _, m := range segs {
		i, n := indexFold(s, m)
		if i < 0 {
			return false
		}
		s = s[i+n:]
	}
	return true
}
