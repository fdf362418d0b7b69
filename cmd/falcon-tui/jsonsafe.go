package main

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
// characters and BOMs: raw in the output, `falcon-tui hosts --format json | cat` would hand
// them to the terminal. Rewriting them as \uXXXX escapes keeps the data exact (a JSON
// decoder, jq included, gives back the same string) while the bytes are safe to print.

// jsonUnsafe reports whether r must not appear raw in JSON output meant for a terminal:
// controls (Cc: C0, DEL, C1), format characters (Cf: bidi controls, zero-width characters,
// BOM, tag characters) and the Unicode line and paragraph separators.
func jsonUnsafe(r rune) bool {
	return r == 0x2028 || r == 0x2029 || unicode.In(r, unicode.Cc, unicode.Cf)
}

// appendSafeJSON appends the encoded JSON src to dst with every unsafe rune written as a
// \u escape (a UTF-16 surrogate pair above U+FFFF). In encoded JSON every non-ASCII rune
// and every DEL sits inside a string literal, where an escape means the same rune, so the
// document decodes exactly as before. Invalid UTF-8 (which encoding/json never produces)
// becomes \ufffd, as a decoder would read it anyway.
func appendSafeJSON(dst, src []byte) []byte {
	start := 0
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf && c != 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if r != utf8.RuneError && !jsonUnsafe(r) || r == utf8.RuneError && size > 1 {
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

// safeJSONEncoder encodes values as one line of terminal-safe JSON each, reusing its
// buffers across calls.
type safeJSONEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
	out []byte
}

func newSafeJSONEncoder(indent string) *safeJSONEncoder {
	e := &safeJSONEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	if indent != "" {
		e.enc.SetIndent("", indent)
	}
	return e
}

// encode returns v's JSON followed by a newline. The slice is valid until the next call.
func (e *safeJSONEncoder) encode(v any) ([]byte, error) {
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	e.out = appendSafeJSON(e.out[:0], e.buf.Bytes())
	return e.out, nil
}
