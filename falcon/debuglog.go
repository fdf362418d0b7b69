package falcon

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The debug log (Config.DebugLog) has one line per HTTP exchange:
//
//	2026-11-22T21:40:00.123Z tenant=<cid|home> GET /devices/queries/devices-scroll/v1?limit=5000 status=200 dur=23ms rate=5998/6000 trace=<id> attempt=1
//
// It never holds the Authorization header, an access token or the client secret: API
// lines are built from the method, URL path and query (which carry neither) and the
// rate-limit and trace headers; token and revoke lines name only the path, the status,
// the duration and the attempt, never the form body or a header.

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

// call logs one API exchange. u is the request URL; status is 0 when no reply arrived.
func (l *debugLog) call(now time.Time, cid, method string, u *url.URL, status int, dur time.Duration,
	h http.Header, attempt int, err error) {
	if l == nil {
		return
	}
	target := u.EscapedPath()
	if q := u.RawQuery; q != "" {
		if len(q) > maxLoggedQuery {
			q = q[:maxLoggedQuery] + "…"
		}
		target += "?" + q
	}
	l.line(now, cid, method, target, status, dur, h, attempt, err)
}

func (l *debugLog) line(now time.Time, cid, method, target string, status int, dur time.Duration,
	h http.Header, attempt int, err error) {
	if l == nil {
		return
	}
	var b strings.Builder
	b.WriteString(now.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	if cid == "" {
		cid = "home"
	}
	fmt.Fprintf(&b, " tenant=%s %s %s status=%d dur=%s", cid, method, target, status, dur.Round(time.Millisecond))
	if h != nil {
		rem, lim := h.Get("X-Ratelimit-Remaining"), h.Get("X-Ratelimit-Limit")
		if rem != "" || lim != "" {
			fmt.Fprintf(&b, " rate=%s/%s", safeToken(rem), safeToken(lim))
		}
		if ra := h.Get("X-Ratelimit-Retryafter"); ra != "" {
			fmt.Fprintf(&b, " retry_after=%s", safeToken(ra))
		}
		if tr := h.Get("X-Cs-Traceid"); tr != "" {
			fmt.Fprintf(&b, " trace=%s", safeToken(tr))
		}
	}
	fmt.Fprintf(&b, " attempt=%d", attempt)
	if err != nil {
		fmt.Fprintf(&b, " err=%s", strconv.Quote(err.Error()))
	}
	b.WriteByte('\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = io.WriteString(l.w, b.String())
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

// tokenLogTransport wraps the token client's transport: it logs token and revoke calls
// (path and status only) and records what discovery needs from the reply.
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
	info, _ := req.Context().Value(logInfoKey{}).(logInfo)
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
	var logErr error
	if err != nil {
		logErr = stripURL(err)
	}
	// The path and status only: token requests carry the secret in the body, never in
	// the URL, but the line shows neither the query nor any header.
	t.c.log.line(t.c.clk.Now(), info.cid, req.Method, req.URL.EscapedPath(), status,
		t.c.clk.Now().Sub(start), nil, max(info.attempt, 1), logErr)
	return resp, err
}
