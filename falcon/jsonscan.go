package falcon

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A small streaming JSON scanner for the hot path. A 5,000-host reply is ~15 MB of JSON;
// encoding/json needs the whole body in memory, scans it twice (validation, then
// decoding) and allocates every string. This scanner reads the body through a small
// window as it arrives, walks it once, validates as it goes (a body cut short is an
// error, so the request is retried), and lets the host decoder intern repeated values
// straight from the bytes. Slices it returns stay valid only until it reads on.
// Everything else still uses encoding/json on small values.

var errJSON = errors.New("malformed JSON")

const scanWindow = 64 << 10

type jscan struct {
	b    []byte
	i    int
	r    io.Reader // nil: b is all there is
	base int64     // offset in the stream of b[0]
	mark int64     // offset from which bytes must stay in b (raw); -1 for none
	err  error
	key  []byte // the current object key (copied: reading on may move the window)
}

func newScanner(r io.Reader, buf []byte) *jscan {
	return &jscan{b: buf[:0], r: r, mark: -1}
}

func (s *jscan) fail(what string) bool {
	if s.err == nil {
		s.err = fmt.Errorf("%w at offset %d: %s", errJSON, s.base+int64(s.i), what)
	}
	return false
}

// more reads more of the stream into the window, keeping what is at or after the mark
// and the read position. It reports whether anything was added.
func (s *jscan) more() bool {
	if s.r == nil || s.err != nil {
		return false
	}
	keep := s.i
	if s.mark >= 0 && int(s.mark-s.base) < keep {
		keep = int(s.mark - s.base)
	}
	if keep > 0 {
		n := copy(s.b, s.b[keep:])
		s.b = s.b[:n]
		s.base += int64(keep)
		s.i -= keep
	}
	if len(s.b) == cap(s.b) {
		nb := make([]byte, len(s.b), max(2*cap(s.b), scanWindow))
		copy(nb, s.b)
		s.b = nb
	}
	for {
		n, err := s.r.Read(s.b[len(s.b):cap(s.b)])
		s.b = s.b[:len(s.b)+n]
		if err != nil {
			s.r = nil
			if err != io.EOF {
				s.err = fmt.Errorf("reading the reply: %w", err)
			}
		}
		if n > 0 || s.r == nil {
			return n > 0
		}
	}
}

// need makes n bytes available from the read position; false at the end.
func (s *jscan) need(n int) bool {
	for len(s.b)-s.i < n {
		if !s.more() {
			return false
		}
	}
	return true
}

func (s *jscan) ws() {
	for {
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ' ', '\t', '\n', '\r':
				s.i++
				continue
			}
			return
		}
		if !s.more() {
			return
		}
	}
}

// peek returns the next non-blank byte (0 at the end).
func (s *jscan) peek() byte {
	s.ws()
	if s.i >= len(s.b) {
		return 0
	}
	return s.b[s.i]
}

func (s *jscan) lit(word string) bool {
	if !s.need(len(word)) || string(s.b[s.i:s.i+len(word)]) != word {
		return s.fail("bad literal")
	}
	s.i += len(word)
	return true
}

// null consumes a null if one comes next.
func (s *jscan) null() bool {
	if s.peek() == 'n' {
		return s.lit("null")
	}
	return false
}

// str reads a string and returns its raw contents (escapes not decoded) and whether it
// holds escapes. It jumps from quote to quote (bytes.IndexByte is vectorised) and only
// walks byte by byte through strings that hold escapes.
func (s *jscan) str() (raw []byte, esc, ok bool) {
	if s.peek() != '"' {
		return nil, false, s.fail("want a string")
	}
	s.i++
	// Keep the string's bytes in the window while reading on.
	saved := s.mark
	startAbs := s.base + int64(s.i)
	if s.mark < 0 || startAbs < s.mark {
		s.mark = startAbs
	}
	defer func() { s.mark = saved }()
	from := s.i // where the search for the closing quote resumes
	for {
		q := bytes.IndexByte(s.b[from:], '"')
		if q >= 0 {
			start := int(startAbs - s.base)
			end := from + q
			if bytes.IndexByte(s.b[start:end], '\\') < 0 {
				s.i = end + 1
				return s.b[start:end], esc, true
			}
			// Escapes: is this quote escaped? Count the backslashes before it.
			esc = true
			n := 0
			for k := end - 1; k >= start && s.b[k] == '\\'; k-- {
				n++
			}
			if n%2 == 0 {
				s.i = end + 1
				return s.b[start:end], true, true
			}
			from = end + 1
			continue
		}
		from = len(s.b)
		shift := s.base
		if !s.more() {
			return nil, false, s.fail("unterminated string")
		}
		from -= int(s.base - shift)
	}
}

// object calls field for each key; field must consume the value.
func (s *jscan) object(field func(key []byte) bool) bool {
	if s.peek() != '{' {
		return s.fail("want an object")
	}
	s.i++
	if s.peek() == '}' {
		s.i++
		return true
	}
	for {
		raw, esc, ok := s.str()
		if !ok {
			return false
		}
		// Copy the key: reading on (the ':') may move the window.
		var key []byte
		if esc {
			key = appendUnescaped(nil, raw)
		} else {
			s.key = append(s.key[:0], raw...)
			key = s.key
		}
		if s.peek() != ':' {
			return s.fail("want ':'")
		}
		s.i++
		if !field(key) {
			return false
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return true
		default:
			return s.fail("want ',' or '}'")
		}
	}
}

// array calls elem for each element; elem must consume it.
func (s *jscan) array(elem func() bool) bool {
	if s.peek() != '[' {
		return s.fail("want an array")
	}
	s.i++
	if s.peek() == ']' {
		s.i++
		return true
	}
	for {
		if !elem() {
			return false
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return true
		default:
			return s.fail("want ',' or ']'")
		}
	}
}

// skip consumes any value.
func (s *jscan) skip() bool {
	switch c := s.peek(); {
	case c == '"':
		_, _, ok := s.str()
		return ok
	case c == '{':
		return s.object(func([]byte) bool { return s.skip() })
	case c == '[':
		return s.array(s.skip)
	case c == 't':
		return s.lit("true")
	case c == 'f':
		return s.lit("false")
	case c == 'n':
		return s.lit("null")
	case c == '-' || (c >= '0' && c <= '9'):
		var num []byte
		for {
			for s.i < len(s.b) && isNumberByte(s.b[s.i]) {
				num = append(num, s.b[s.i])
				s.i++
			}
			if s.i < len(s.b) || !s.more() {
				break
			}
		}
		if _, err := strconv.ParseFloat(string(num), 64); err != nil {
			return s.fail("bad number")
		}
		return true
	}
	return s.fail("want a value")
}

// raw consumes a value and returns a copy of its bytes.
func (s *jscan) raw() ([]byte, bool) {
	s.ws()
	saved := s.mark
	startAbs := s.base + int64(s.i)
	if s.mark < 0 || startAbs < s.mark {
		s.mark = startAbs
	}
	defer func() { s.mark = saved }()
	if !s.skip() {
		return nil, false
	}
	return bytes.Clone(s.b[int(startAbs-s.base):s.i]), true
}

// boolean reads true/false (anything else is skipped and reads as false).
func (s *jscan) boolean() (bool, bool) {
	switch s.peek() {
	case 't':
		return true, s.lit("true")
	case 'f':
		return false, s.lit("false")
	}
	return false, s.skip()
}

// end checks that only blanks follow.
func (s *jscan) end() bool {
	if s.peek() != 0 {
		return s.fail("data after the value")
	}
	return s.err == nil
}

func isNumberByte(c byte) bool {
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// appendUnescaped decodes the escapes of a JSON string's raw contents. Bad escapes and
// lone surrogates become U+FFFD, as encoding/json does.
func appendUnescaped(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 >= len(raw) {
			dst = append(dst, c)
			continue
		}
		i++
		switch raw[i] {
		case '"', '\\', '/':
			dst = append(dst, raw[i])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, n := hex4(raw[i+1:])
			i += n
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+2 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					var n2 int
					r2, n2 = hex4(raw[i+3:])
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						i += 2 + n2
						dst = utf8.AppendRune(dst, d)
						continue
					}
				}
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
		default:
			dst = utf8.AppendRune(dst, utf8.RuneError)
		}
	}
	return dst
}

// hex4 reads four hex digits; it returns U+FFFD (and consumes what it read) when they
// are not there.
func hex4(b []byte) (rune, int) {
	if len(b) < 4 {
		return utf8.RuneError, len(b)
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return utf8.RuneError, 0
		}
	}
	return r, 4
}

// decodeEnvelope walks a reply envelope as it is read, validating it on the way. It
// returns the meta and errors values for encoding/json; resources are handed to res,
// which consumes them from the scanner (so a big array is scanned once, never held whole).
func decodeEnvelope(s *jscan, res func(s *jscan) bool) (meta, errs []byte, err error) {
	s.object(func(key []byte) bool {
		switch string(key) {
		case "meta":
			v, ok := s.raw()
			meta = v
			return ok
		case "resources":
			return res(s)
		case "errors":
			v, ok := s.raw()
			errs = v
			return ok
		}
		return s.skip()
	})
	s.end()
	return meta, errs, s.err
}
