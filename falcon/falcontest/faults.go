package falcontest

import (
	"bytes"
	"net"
	"net/http"
	"strconv"
)

type faultKind int

const (
	faultNone faultKind = iota
	fault429
	fault500
	faultReset
	faultMalformed
)

// drawFault picks at most one fault for a request (seeded, so a run with a
// given seed and request order is reproducible).
func (s *Server) drawFault() faultKind {
	f := s.cfg.faults
	if !f.any() {
		return faultNone
	}
	s.faultMu.Lock()
	x := s.faultRnd.Float64()
	s.faultMu.Unlock()
	switch {
	case x < f.Rate429:
		return fault429
	case x < f.Rate429+f.Rate500:
		return fault500
	case x < f.Rate429+f.Rate500+f.RateReset:
		return faultReset
	case x < f.Rate429+f.Rate500+f.RateReset+f.RateMalformed:
		return faultMalformed
	}
	return faultNone
}

// fault429 answers an injected 429 that asks to retry in about a second.
// It consumes no rate-limit budget.
func (s *Server) fault429(c *call) {
	h := c.w.Header()
	limit := s.cfg.rateLimit
	if c.op != nil && c.op.scope == "" {
		limit = s.cfg.tokenLimit
	}
	setRate(h, limit, 0)
	h.Set("X-Ratelimit-Retryafter", strconv.FormatInt(c.now.Unix()+1, 10))
	c.gatewayFail(http.StatusTooManyRequests, "API rate limit exceeded.")
}

// runWithFault serves the call, applying a drawn fault. The contract, so
// that clients can retry safely:
//   - 500 and malformed faults on a write never apply the write;
//   - a reset on a non-idempotent write happens before it is applied;
//   - a reset on an idempotent write (host-group add/remove-hosts, tags,
//     device actions, alert updates) happens AFTER it was applied, so a
//     retry must be harmless — which is what such tests prove.
func (s *Server) runWithFault(c *call, f faultKind) {
	o := c.op
	switch f {
	case fault500:
		c.fail(http.StatusInternalServerError, "Internal Server Error. Please try again.")
		return
	case faultReset:
		if o.write && o.idempotent {
			real := c.w
			c.w = newRecorder()
			s.dispatch(c)
			c.w = real
		}
		c.status, c.reset = 0, true
		s.record(c)
		abortConn(c.w)
		return
	case faultMalformed:
		rec := newRecorder()
		real := c.w
		c.w = rec
		if o.write {
			c.notApplied = true
			c.send(reply{resources: []any{}}) // looks like success, but is not applied
		} else {
			s.dispatch(c)
		}
		c.w = real
		for k, v := range rec.h {
			c.w.Header()[k] = v
		}
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		body := rec.buf.Bytes()
		cut := len(body) / 2
		if cut >= len(body)-1 {
			cut = max(len(body)-2, 0)
		}
		c.status = status
		c.w.WriteHeader(status)
		_, _ = c.w.Write(body[:cut])
		return
	}
	s.dispatch(c)
}

func (s *Server) dispatch(c *call) { c.op.h(c) }

// abortConn kills the TCP connection with an RST (SO_LINGER 0) so the
// client sees "connection reset by peer"; in-process it aborts the handler.
func abortConn(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// recorder buffers a reply so a fault can mangle or drop it.
type recorder struct {
	h      http.Header
	status int
	buf    bytes.Buffer
}

func newRecorder() *recorder                    { return &recorder{h: http.Header{}} }
func (r *recorder) Header() http.Header         { return r.h }
func (r *recorder) Write(b []byte) (int, error) { return r.buf.Write(b) }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
