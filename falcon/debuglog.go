package falcon

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The debug log (Config.DebugLog) has one line per record of the request log (calllog.go),
// formatted from the record itself:
//
//	2026-11-22T21:40:00.123Z tenant=<cid|home> GET /devices/queries/devices-scroll/v1?limit=5000 status=200 dur=23ms bytes=1234/0 rate=5998/6000 trace=<id> attempt=1
//
// It never holds the Authorization header, an access token or the client secret: records
// carry none (docs/API.md §19), and the line shows only the method, the path with the
// sanitised query (none for token and revoke calls), the status, the duration, the bytes
// received/sent, the rate-limit and trace headers, the attempt and the error.

const maxLoggedQuery = 1024

type debugLog struct {
	mu sync.Mutex
	w  io.Writer
}

func newDebugLog(w io.Writer) *debugLog {
	if w == nil {
		return nil
	}
	return &debugLog{w: w}
}

// record writes r's line.
func (l *debugLog) record(r *CallRecord) {
	if l == nil {
		return
	}
	target := r.Path
	if !r.Token {
		target = r.Path
		if i := strings.IndexByte(target, '?'); i >= 0 {
			target = target[:i]
		}
		if q := r.Query.Encode(); q != "" {
			if len(q) > maxLoggedQuery {
				q = q[:maxLoggedQuery] + "…"
			}
			target += "?" + q
		}
	}
	var b strings.Builder
	b.WriteString(r.Time.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	cid := r.CID
	if cid == "" {
		cid = "home"
	}
	fmt.Fprintf(&b, " tenant=%s %s %s status=%d dur=%s bytes=%d/%d", cid, r.Method, target, r.Status,
		r.Duration.Round(time.Millisecond), r.BytesIn, r.BytesOut)
	if r.RateRemaining >= 0 || r.RateLimit >= 0 {
		fmt.Fprintf(&b, " rate=%s/%s", rateField(r.RateRemaining), rateField(r.RateLimit))
	}
	if r.RetryAfter != "" {
		fmt.Fprintf(&b, " retry_after=%s", safeToken(r.RetryAfter))
	}
	if r.TraceID != "" {
		fmt.Fprintf(&b, " trace=%s", safeToken(r.TraceID))
	}
	fmt.Fprintf(&b, " attempt=%d", r.Attempt)
	if r.Err != "" {
		fmt.Fprintf(&b, " err=%s", strconv.Quote(r.Err))
	}
	b.WriteByte('\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = io.WriteString(l.w, b.String())
}

func rateField(v int) string {
	if v < 0 {
		return ""
	}
	return strconv.Itoa(v)
}

// safeToken keeps a header value on one line and short: headers come from the network.
func safeToken(s string) string {
	if len(s) > 128 {
		s = s[:128]
	}
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return '_'
		}
		return r
	}, s)
}

type logInfoKey struct{}

type logInfo struct {
	cid     string
	attempt int
}

func withLogInfo(ctx context.Context, cid string, attempt int) context.Context {
	return context.WithValue(ctx, logInfoKey{}, logInfo{cid, attempt})
}

// tokenLogTransport wraps the token client's transport: it records token and revoke calls
// in the request log (never their form values but client_id and member_cid, never a
// header they sent) and keeps what discovery needs from the reply.
type tokenLogTransport struct {
	base http.RoundTripper
	c    *Client
}

func (t *tokenLogTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Token and revoke calls share the endpoint's own budget (docs/API.md §3).
	p, sentAt, err := t.c.beforeTokenCall(req)
	if err != nil {
		if req.Body != nil {
			_ = req.Body.Close() // a RoundTripper closes the body, errors included
		}
		return nil, err
	}
	start := t.c.clk.Now()
	req = req.Clone(req.Context()) // a RoundTripper must not change its caller's request
	req.Header.Set("User-Agent", t.c.userAgent)
	resp, err := t.base.RoundTrip(req)
	afterTokenCall(p, sentAt, resp)
	status := 0
	var h http.Header
	if resp != nil {
		status, h = resp.StatusCode, resp.Header
	}
	if tr, ok := req.Context().Value(tokenTraceKey{}).(*tokenTrace); ok && resp != nil {
		u := *req.URL
		tr.final = &u
		tr.status = status
		tr.region = h.Get("X-Cs-Region")
		tr.retryAfter = h.Get("X-Ratelimit-Retryafter")
		tr.traceID = h.Get("X-Cs-Traceid")
	}
	t.c.recordTokenCall(start, req, resp, err)
	return resp, err
}
