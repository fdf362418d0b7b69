package fql

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// lexer scans a filter on demand. FQL is context-sensitive (a bare value may
// contain ':' or '-', which are never part of a field name), so the parser
// asks for the kind of token it expects next instead of lexing up front.
type lexer struct {
	src string
	pos int
}

// eof is what peek returns at the end of the filter.
const eof = -1

// valueToken is a scanned value: a quoted string or a bare word.
type valueToken struct {
	pos    int
	quoted bool
	// segs is the text split at wildcards: "web*" is ["web", ""]. Escaped
	// characters (\*, \', \\) are literal and never split.
	segs []string
}

// wildcard reports whether the value contains an unescaped '*'.
func (v valueToken) wildcard() bool { return len(v.segs) > 1 }

// text is the value without wildcards; only meaningful when !wildcard().
func (v valueToken) text() string { return v.segs[0] }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isIdentStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isIdentChar(c byte) bool { return isIdentStart(c) || ('0' <= c && c <= '9') || c == '.' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func (l *lexer) skipSpace() {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
}

// peek skips blanks and returns the next byte without consuming it, or eof.
func (l *lexer) peek() int {
	l.skipSpace()
	if l.pos >= len(l.src) {
		return eof
	}
	return int(l.src[l.pos])
}

// accept consumes c if it is the next non-blank byte.
func (l *lexer) accept(c byte) bool {
	if l.peek() == int(c) {
		l.pos++
		return true
	}
	return false
}

func (l *lexer) errorf(pos int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Filter: l.src, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// unexpected reports whatever sits at pos: a character or the end.
func (l *lexer) unexpected(pos int) *SyntaxError {
	if pos >= len(l.src) {
		return l.errorf(len(l.src), "unexpected end of filter")
	}
	r, _ := utf8.DecodeRuneInString(l.src[pos:])
	return l.errorf(pos, "unexpected %q", r)
}

// field scans a field name: identifiers joined by single dots.
func (l *lexer) field() (name string, pos int, err error) {
	l.skipSpace()
	start := l.pos
	if l.pos >= len(l.src) || !isIdentStart(l.src[l.pos]) {
		return "", start, l.unexpected(start)
	}
	for l.pos < len(l.src) && isIdentChar(l.src[l.pos]) {
		l.pos++
	}
	name = l.src[start:l.pos]
	if strings.HasSuffix(name, ".") || strings.Contains(name, "..") {
		return "", start, l.errorf(start, "invalid field name %q", name)
	}
	return name, start, nil
}

// operator scans the optional comparison after ':' (and after '!').
func (l *lexer) operator() (op opKind, pos int) {
	c := l.peek()
	pos = l.pos
	switch c {
	case '~':
		l.pos++
		return opContains, pos
	case '>', '<':
		l.pos++
		eq := l.pos < len(l.src) && l.src[l.pos] == '='
		if eq {
			l.pos++
		}
		switch {
		case c == '>' && eq:
			return opGE, pos
		case c == '>':
			return opGT, pos
		case eq:
			return opLE, pos
		}
		return opLT, pos
	case '*':
		// field:*'web*' is the console's explicit wildcard operator. Wildcards
		// are always on, so it is a plain match; a bare *foo stays a value.
		if l.pos+1 < len(l.src) && (l.src[l.pos+1] == '\'' || l.src[l.pos+1] == '"') {
			l.pos++
		}
	}
	return opEq, pos
}

// value scans a quoted string or a bare word.
func (l *lexer) value() (valueToken, error) {
	switch c := l.peek(); c {
	case eof:
		return valueToken{}, l.errorf(l.pos, "missing value")
	case '\'', '"':
		return l.quoted(byte(c))
	default:
		return l.bare()
	}
}

func (l *lexer) quoted(q byte) (valueToken, error) {
	start := l.pos
	l.pos++ // opening quote
	var segs []string
	var b strings.Builder
	for {
		if l.pos >= len(l.src) {
			return valueToken{}, l.errorf(start, "unterminated quoted value")
		}
		c := l.src[l.pos]
		switch c {
		case q:
			l.pos++
			return valueToken{pos: start, quoted: true, segs: append(segs, b.String())}, nil
		case '\\':
			if l.pos+1 >= len(l.src) {
				return valueToken{}, l.errorf(start, "unterminated quoted value")
			}
			b.WriteByte(l.src[l.pos+1])
			l.pos += 2
			continue
		case '*':
			segs = append(segs, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
		l.pos++
	}
}

// bare scans an unquoted value. It ends at a blank or at one of ,()[]'"
// and at '+' unless a digit follows: fields never start with a digit, so
// now+1d and 2024-01-01T00:00:00+02:00 stay whole while a:1+b:2 is an AND.
func (l *lexer) bare() (valueToken, error) {
	start := l.pos
	if c := l.src[start]; strings.IndexByte("!<>~=:", c) >= 0 {
		return valueToken{}, l.unexpected(start)
	}
scan:
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case isSpace(c) || strings.IndexByte(",()[]'\"", c) >= 0:
			break scan
		case c == '+':
			if l.pos+1 >= len(l.src) || !isDigit(l.src[l.pos+1]) {
				break scan
			}
		}
		l.pos++
	}
	if l.pos == start {
		if l.pos >= len(l.src) {
			return valueToken{}, l.errorf(l.pos, "missing value")
		}
		return valueToken{}, l.unexpected(start)
	}
	return valueToken{pos: start, segs: strings.Split(l.src[start:l.pos], "*")}, nil
}
