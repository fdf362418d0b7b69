// Package export writes rows as CSV, JSON or NDJSON that are safe to open: no cell runs as a
// spreadsheet formula and no byte of API text acts on a terminal. The explorer's ctrl+s and
// :export and the `hosts` command write through it.
package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// encoding/json escapes only C0 controls (and U+2028/2029). API strings can also carry
// DEL, C1 controls (U+009B is a one-rune CSI to many terminals), bidi overrides, zero-width
// characters and BOMs: raw in the output, a JSON export shown with `cat` would hand
// them to the terminal. Rewriting them as \uXXXX escapes keeps the data exact (a JSON
// decoder, jq included, gives back the same string) while the bytes are safe to print.

// unsafeInJSON reports whether r must not appear raw in JSON output meant for a terminal:
// controls (Cc: C0, DEL, C1), format characters (Cf: bidi controls, zero-width characters,
// BOM, tag characters) and the Unicode line and paragraph separators.
func unsafeInJSON(r rune) bool {
	return r == 0x2028 || r == 0x2029 || unicode.In(r, unicode.Cc, unicode.Cf)
}

// AppendSafeJSON appends the encoded JSON src to dst with every unsafe rune written as a
// \u escape (a UTF-16 surrogate pair above U+FFFF). In encoded JSON every non-ASCII rune
// and every DEL sits inside a string literal, where an escape means the same rune, so the
// document decodes exactly as before. Invalid UTF-8 (which encoding/json never produces)
// becomes \ufffd, as a decoder would read it anyway.
func AppendSafeJSON(dst, src []byte) []byte {
	start := 0
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf && c != 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if r != utf8.RuneError && !unsafeInJSON(r) || r == utf8.RuneError && size > 1 {
			i += size
			continue
		}
		dst = append(dst, src[start:i]...)
		dst = appendJSONEscape(dst, r)
		i += size
		start = i
	}
	return append(dst, src[start:]...)
}

func appendJSONEscape(dst []byte, r rune) []byte {
	if r > 0xffff {
		r1, r2 := utf16.EncodeRune(r)
		return fmt.Appendf(dst, `\u%04x\u%04x`, r1, r2)
	}
	return fmt.Appendf(dst, `\u%04x`, r)
}

// JSONEncoder encodes values as one line of terminal-safe JSON each, reusing its
// buffers across calls.
type JSONEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
	out []byte
}

// NewJSONEncoder returns an encoder; indent "" writes one line a value.
func NewJSONEncoder(indent string) *JSONEncoder {
	e := &JSONEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	if indent != "" {
		e.enc.SetIndent("", indent)
	}
	return e
}

// Encode returns v's JSON followed by a newline. The slice is valid until the next call.
func (e *JSONEncoder) Encode(v any) ([]byte, error) {
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	e.out = AppendSafeJSON(e.out[:0], e.buf.Bytes())
	return e.out, nil
}
