package falcontest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// apiError is msa.APIError.
type apiError struct {
	Code    int    `json:"code"`
	ID      string `json:"id,omitempty"`
	Message string `json:"message"`
}

// writes is msa.Resources (meta.writes).
type writes struct {
	ResourcesAffected int `json:"resources_affected"`
}

// meta is msa.MetaInfo and its per-service variants (deviceapi.RequestMeta,
// domain.SearchAfterMeta, …): they differ only in the pagination object.
type meta struct {
	QueryTime  float64 `json:"query_time"`
	Pagination any     `json:"pagination,omitempty"`
	PoweredBy  string  `json:"powered_by,omitempty"`
	TraceID    string  `json:"trace_id"`
	Writes     *writes `json:"writes,omitempty"`
}

// Pagination objects of the subset.
type (
	// msa.Paging
	offsetPaging struct {
		Offset int `json:"offset"`
		Limit  int `json:"limit"`
		Total  int `json:"total"`
	}
	// deviceapi.DevicePaging (scroll)
	scrollPaging struct {
		Offset    string `json:"offset"`
		Limit     int    `json:"limit"`
		Total     int    `json:"total"`
		ExpiresAt int64  `json:"expires_at"`
	}
	// deviceapi.DevicePagingV2 (combined devices)
	nextPaging struct {
		Offset    string `json:"offset"`
		Limit     int    `json:"limit"`
		Total     int    `json:"total"`
		Next      string `json:"next,omitempty"`
		ExpiresAt int64  `json:"expires_at,omitempty"`
	}
	// domain.SearchAfterPaging / detectsapi.PostCombinedAlertsV1Paging
	afterPaging struct {
		After string `json:"after,omitempty"`
		Limit int    `json:"limit"`
		Total int    `json:"total"`
	}
)

// reply describes one response body.
type reply struct {
	status     int
	pagination any
	writes     *writes
	poweredBy  string // overrides the operation's service
	resources  any    // nil = no "resources" key (msa.ReplyMetaOnly)
	raw        []byte // pre-rendered resources array; wins over resources
	errs       []apiError
	noErrors   bool // omit the "errors" key
}

// render builds the envelope JSON: meta, resources, errors — in that order,
// as the gateway does. HTML characters are not escaped (neither does the
// API). A pre-rendered resources array (rp.raw) is not copied: the body is
// head + rp.raw + tail.
func render(rp reply, service, trace string, start time.Time) (head, tail []byte) {
	var buf bytes.Buffer
	m := meta{
		QueryTime:  queryTime(start),
		Pagination: rp.pagination,
		PoweredBy:  service,
		TraceID:    trace,
		Writes:     rp.writes,
	}
	if rp.poweredBy != "" {
		m.PoweredBy = rp.poweredBy
	}
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteString(`{"meta":`)
	_ = enc.Encode(m)
	trimNL(&buf)
	switch {
	case rp.raw != nil:
		buf.WriteString(`,"resources":`)
		head = bytes.Clone(buf.Bytes())
		buf.Reset()
	case rp.resources != nil:
		buf.WriteString(`,"resources":`)
		_ = enc.Encode(rp.resources)
		trimNL(&buf)
	}
	if !rp.noErrors {
		buf.WriteString(`,"errors":`)
		if len(rp.errs) == 0 {
			buf.WriteString("[]")
		} else {
			_ = enc.Encode(rp.errs)
			trimNL(&buf)
		}
	}
	buf.WriteString("}\n")
	if head == nil {
		return buf.Bytes(), nil
	}
	return head, buf.Bytes()
}

func trimNL(b *bytes.Buffer) {
	if n := b.Len(); n > 0 && b.Bytes()[n-1] == '\n' {
		b.Truncate(n - 1)
	}
}

// queryTime is meta.query_time: real handler time in seconds, never 0.
func queryTime(start time.Time) float64 {
	return max(time.Since(start).Seconds(), 1e-9)
}

func errs1(code int, msg string) []apiError { return []apiError{{Code: code, Message: msg}} }

// --- a small append-only JSON writer for large, hot replies (hosts) ---

type jw struct{ b []byte }

func (j *jw) raw(s string) { j.b = append(j.b, s...) }
func (j *jw) byte(c byte)  { j.b = append(j.b, c) }
func (j *jw) key(k string) {
	j.b = append(j.b, '"')
	j.b = append(j.b, k...)
	j.b = append(j.b, '"', ':')
}
func (j *jw) comma()       { j.b = append(j.b, ',') }
func (j *jw) str(v string) { j.b = appendJSONString(j.b, v) }
func (j *jw) bool(v bool)  { j.b = strconv.AppendBool(j.b, v) }
func (j *jw) kstr(k, v string) {
	j.key(k)
	j.str(v)
	j.comma()
}

func (j *jw) kstrs(k string, vs []string) {
	j.key(k)
	j.byte('[')
	for i, v := range vs {
		if i > 0 {
			j.comma()
		}
		j.str(v)
	}
	j.byte(']')
	j.comma()
}

// open starts an object; close ends it, dropping a trailing comma.
func (j *jw) open() { j.byte('{') }
func (j *jw) close() {
	if n := len(j.b); n > 0 && j.b[n-1] == ',' {
		j.b[n-1] = '}'
		return
	}
	j.byte('}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way encoding/json does:
// control characters, quotes, backslashes, U+2028/U+2029 escaped; invalid
// UTF-8 replaced by U+FFFD. Hostile strings therefore travel intact.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0xFFFD && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
