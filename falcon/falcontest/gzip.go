package falcontest

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"sync"
)

// The API's gateway compresses its replies when the client accepts gzip (the SDK docs show
// replies with Content-Encoding: gzip; docs/API.md §4). Go's HTTP client asks for gzip and
// inflates the reply by itself, so the client's code is the same either way; what changes
// is the bytes on the wire, which the link model (WithBandwidth) and Stats count.

// gzipMin is the smallest body worth compressing: below it the gzip header and trailer
// cost more than they save.
const gzipMin = 1024

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// acceptsGzip reports whether the request's Accept-Encoding lists gzip (without q=0).
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if strings.EqualFold(strings.TrimSpace(name), "gzip") &&
				strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0" {
				return true
			}
		}
	}
	return false
}

// gzipBody compresses the parts of a reply body into one buffer.
func gzipBody(parts ...[]byte) []byte {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	for _, p := range parts {
		_, _ = zw.Write(p)
	}
	_ = zw.Close()
	gzipWriters.Put(zw)
	return buf.Bytes()
}
