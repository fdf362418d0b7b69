package falcontest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

type pkind int

const (
	pString pkind = iota
	pInt
	pBool
	pArray
)

// param is one declared query parameter of an operation.
type param struct {
	name     string
	typ      pkind
	required bool
	min, max *int64
	maxItems int
	enum     []string
}

func ptr(v int64) *int64 { return &v }

// specOp is an operation as declared in the spec (see spec_ops.go).
type specOp struct {
	method, path, id, scope string
	body                    bool
	params                  []param
	errRes                  []int // error statuses whose declared body requires "resources"
}

// op is a served operation: the declaration plus how to serve it.
type op struct {
	specOp
	key        string // "METHOD /path", the stats key
	service    string // meta.powered_by of its replies
	write      bool   // changes state (counted in Stats.Writes when applied)
	idempotent bool   // a reset fault may strike after the change is applied
	extra      bool   // outside openapi-subset.json (extra_scopes.go, mimicked.go)
	// scopePrefix, when set, lets any scope with that prefix through the
	// gateway (GraphQL checks the precise scope per query).
	scopePrefix string
	h           func(*call)
}

// handlerDef says how an operationId of the subset is served.
type handlerDef struct {
	service    string
	write      bool
	idempotent bool
	h          func(*Server, *call)
}

const gateway = "crowdstrike-api-gateway"

func (s *Server) buildRoutes() {
	s.ops = map[string]*op{}
	s.paths = map[string][]string{}
	add := func(o *op) {
		o.key = o.method + " " + o.path
		if _, dup := s.ops[o.key]; dup {
			panic("falcontest: duplicate route " + o.key)
		}
		s.ops[o.key] = o
		s.paths[o.path] = append(s.paths[o.path], o.method)
	}
	defs := handlerTable()
	for _, so := range specOps {
		d, ok := defs[so.id]
		if !ok {
			panic("falcontest: no handler for operation " + so.id)
		}
		h := d.h
		add(&op{specOp: so, service: d.service, write: d.write, idempotent: d.idempotent,
			h: func(c *call) { h(s, c) }})
	}
	for _, m := range mimickedOps {
		h := m.h
		add(&op{specOp: specOp{method: m.method, path: m.path, id: m.id, scope: m.scope, body: m.method != http.MethodGet,
			params: m.params}, service: m.service, write: m.write, idempotent: m.idempotent, extra: true,
			h: func(c *call) { h(s, c) }})
	}
	for _, e := range extraOps {
		e := e
		o := &op{specOp: specOp{method: e.method, path: e.path, id: e.id, scope: e.scope, body: e.method != http.MethodGet,
			params: e.params}, service: e.service, extra: true, scopePrefix: e.scopePrefix}
		o.h = func(c *call) { s.serveExtra(c, e) }
		add(o)
	}
}

// call is one request in flight.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	op     *op
	q      url.Values
	sess   *session
	t      *tenant
	trace  string
	start  time.Time
	now    time.Time
	status int
	// applied: a write handler changed state (matters when a reset fault
	// strikes after it); notApplied: a fault answered instead of the handler.
	applied, notApplied bool
	opKey               string // stats key, "unknown" until routed
	reset, recorded     bool
}

// send renders and writes a reply in the operation's envelope.
func (c *call) send(rp reply) {
	if rp.status == 0 {
		rp.status = http.StatusOK
	}
	service := ""
	if c.op != nil {
		service = c.op.service
		if rp.resources == nil && rp.raw == nil && slices.Contains(c.op.errRes, rp.status) {
			rp.resources = []string{}
		}
	}
	head, tail := render(rp, service, c.trace, c.start)
	c.status = rp.status
	c.w.Header().Add("Vary", "Accept-Encoding")
	if n := len(head) + len(rp.raw) + len(tail); n >= gzipMin && acceptsGzip(c.r) {
		body := gzipBody(head, rp.raw, tail)
		c.w.Header().Set("Content-Encoding", "gzip")
		c.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		c.w.WriteHeader(rp.status)
		_, _ = c.w.Write(body)
		return
	}
	c.w.Header().Set("Content-Length", strconv.Itoa(len(head)+len(rp.raw)+len(tail)))
	c.w.WriteHeader(rp.status)
	_, _ = c.w.Write(head)
	if rp.raw != nil {
		_, _ = c.w.Write(rp.raw)
		_, _ = c.w.Write(tail)
	}
}

// fail sends meta + errors (msa.ReplyMetaOnly) with one error.
func (c *call) fail(status int, msg string) {
	c.send(reply{status: status, errs: errs1(status, msg)})
}

// gatewayFail is a rejection by the API gateway (auth, scope, rate, route).
func (c *call) gatewayFail(status int, msg string) {
	c.send(reply{status: status, errs: errs1(status, msg), poweredBy: gateway})
}

// writeJSON writes a non-envelope JSON body (token replies).
func (c *call) writeJSON(status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	c.status = status
	c.w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	c.w.WriteHeader(status)
	_, _ = c.w.Write(buf.Bytes())
}

func (s *Server) newTrace() string {
	s.traceMu.Lock()
	a, b := s.traceRnd.Uint64(), s.traceRnd.Uint64()
	s.traceMu.Unlock()
	h := hex32(a, b)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:]
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func setRate(h http.Header, limit, remaining int) {
	h.Set("X-Ratelimit-Limit", strconv.Itoa(limit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(remaining))
}

// ServeHTTP runs the gateway pipeline: latency → route → auth → faults →
// rate limit → scope → provisioning → parameters → handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		s.serveSim(w, r)
		return
	}
	c := &call{s: s, r: r, trace: s.newTrace(), start: time.Now(), opKey: "unknown"}
	// Statistics are recorded when the status is written (or just before
	// a reset), i.e. before the client can see the reply.
	sw := &statWriter{ResponseWriter: w, c: c, link: s.link}
	c.w = sw
	defer sw.finish() // after the handler: no lock is held while the link paces
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Cs-Region", s.cfg.region)
	h.Set("X-Cs-Traceid", c.trace)
	defer s.record(c) // requests that ended without a reply
	if !s.sleep(r.Context()) {
		return
	}
	c.now = s.now()
	s.churn(c.now)
	o := s.ops[r.Method+" "+r.URL.Path]
	if o == nil {
		s.noRoute(c)
		return
	}
	c.opKey, c.op, c.q = o.key, o, r.URL.Query()

	fault := faultNone
	if o.scope == "" { // OAuth2 endpoints: own per-IP budget, Basic/form auth
		if s.cfg.faults.IncludeToken {
			fault = s.drawFault()
		}
		if fault == fault429 {
			s.fault429(c)
			return
		}
		ok, rem, retry := s.limits.admit("token:"+clientIP(r), c.now, s.cfg.tokenLimit)
		setRate(h, s.cfg.tokenLimit, rem)
		if !ok {
			h.Set("X-Ratelimit-Retryafter", strconv.FormatInt(retry, 10))
			c.fail(http.StatusTooManyRequests, "API rate limit exceeded.")
			return
		}
		s.runWithFault(c, fault)
		return
	}

	sess := s.tokens.lookup(bearer(r), c.now)
	if sess == nil {
		ok, rem, retry := s.limits.admit("anon:"+clientIP(r), c.now, unauthLimitPerIP)
		setRate(h, unauthLimitPerIP, rem)
		if !ok {
			h.Set("X-Ratelimit-Retryafter", strconv.FormatInt(retry, 10))
			c.gatewayFail(http.StatusTooManyRequests, "API rate limit exceeded.")
			return
		}
		c.gatewayFail(http.StatusUnauthorized, "access denied, invalid bearer token")
		return
	}
	c.sess, c.t = sess, sess.tenant

	fault = s.drawFault()
	if fault == fault429 {
		s.fault429(c)
		return
	}
	ok, rem, retry := s.limits.admit("cid:"+c.t.cid, c.now, s.cfg.rateLimit)
	setRate(h, s.cfg.rateLimit, rem)
	if !ok {
		h.Set("X-Ratelimit-Retryafter", strconv.FormatInt(retry, 10))
		c.gatewayFail(http.StatusTooManyRequests, "API rate limit exceeded.")
		return
	}
	if !sess.client.has(o.scope) && !(o.scopePrefix != "" && sess.client.hasPrefix(o.scopePrefix)) {
		c.gatewayFail(http.StatusForbidden, "access denied, scope not permitted")
		return
	}
	if !c.t.provisioned(o.scope) {
		// The product has no route in this tenant: the gateway answers, and unlike every
		// service reply its 404 carries no X-Cs-Region (docs/API.md §8).
		h.Del("X-Cs-Region")
		c.gatewayFail(http.StatusNotFound, "Not Found")
		return
	}
	if msg := validateParams(o, c.q); msg != "" {
		c.fail(http.StatusBadRequest, msg)
		return
	}
	s.runWithFault(c, fault)
}

// record counts the call in the statistics, once.
func (s *Server) record(c *call) {
	if c.recorded {
		return
	}
	c.recorded = true
	status := statusKey(c.status)
	if c.reset {
		status = "reset"
	} else if c.status == 0 {
		status = "canceled"
	}
	cid := ""
	if c.t != nil {
		cid = c.t.cid
	}
	write := c.op != nil && c.op.write && !c.notApplied &&
		((c.reset && c.applied) || (c.status >= 200 && c.status < 300))
	s.stats.record(c.opKey, status, cid, write)
	if s.cfg.logger != nil {
		s.cfg.logger.Debug("falcontest", "method", c.r.Method, "path", c.r.URL.Path, "status", status,
			"cid", cid, "trace_id", c.trace, "dur", time.Since(c.start))
	}
}

// statWriter records the call's statistics as its status is written and
// counts the reply's bytes (estimated header + body) as they are written,
// both before the client can see them. With WithBandwidth it holds the
// reply back and sends it across the link in finish.
type statWriter struct {
	http.ResponseWriter
	c    *call
	link *link

	started  bool    // status written (or held back)
	hijacked bool    // a reset fault took the connection
	status   int     // held back for the link
	header   int     // estimated size of the status line and header block
	body     *[]byte // held back for the link
}

func (w *statWriter) WriteHeader(code int) {
	if w.started {
		return // superfluous: the first status stands, as in net/http
	}
	w.started = true
	if !w.c.recorded {
		w.c.status = code
		w.c.s.record(w.c)
	}
	w.header = headerBytes(code, w.Header())
	w.c.s.stats.addBytes(w.c.opKey, w.header)
	if w.link != nil {
		w.status = code
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statWriter) Write(b []byte) (int, error) {
	if !w.started {
		w.WriteHeader(http.StatusOK)
	}
	w.c.s.stats.addBytes(w.c.opKey, len(b))
	if w.link != nil {
		if w.body == nil {
			w.body = linkBufs.Get().(*[]byte)
		}
		*w.body = append(*w.body, b...)
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Hijack lets a reset fault reach the connection.
func (w *statWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	conn, rw, err := hj.Hijack()
	if err == nil {
		w.hijacked = true
	}
	return conn, rw, err
}

// linkBufs recycles the buffers replies wait in for the link.
var linkBufs = sync.Pool{New: func() any { return new([]byte) }}

// finish sends a held-back reply across the link: the header with the
// first chunk, then chunk by chunk, each written when it has crossed. It
// gives up when the client goes away.
func (w *statWriter) finish() {
	if w.link == nil || !w.started || w.hijacked {
		return
	}
	var body []byte
	if w.body != nil {
		body = *w.body
		defer func() {
			if cap(body) <= 64<<20 {
				*w.body = body[:0]
				linkBufs.Put(w.body)
			}
		}()
	}
	ctx := w.c.r.Context()
	n := min(len(body), w.link.chunk)
	if !w.link.cross(ctx, w.header+n, false) {
		return
	}
	w.ResponseWriter.WriteHeader(w.status)
	for {
		if _, err := w.ResponseWriter.Write(body[:n]); err != nil {
			return
		}
		body = body[n:]
		if len(body) == 0 {
			return
		}
		n = min(len(body), w.link.chunk)
		if !w.link.cross(ctx, n, true) {
			return
		}
	}
}

// headerBytes is the size of the status line and header block net/http
// writes for a reply with header h: what the handler set plus the Date
// the server adds (exact for replies with a Content-Length, which every
// reply of the simulator sets).
func headerBytes(code int, h http.Header) int {
	n := len("HTTP/1.1 200 \r\n") + len(http.StatusText(code))
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(": \r\n") + len(v)
		}
	}
	if _, ok := h["Date"]; !ok {
		n += len("Date: Mon, 02 Jan 2006 15:04:05 GMT\r\n")
	}
	return n + len("\r\n")
}

// noRoute answers an unknown path (404) or method (405) like the gateway,
// with the caller's rate-limit headers when its token is valid.
func (s *Server) noRoute(c *call) {
	h := c.w.Header()
	if sess := s.tokens.lookup(bearer(c.r), c.now); sess != nil {
		c.t = sess.tenant
		_, rem, _ := s.limits.admit("cid:"+c.t.cid, c.now, s.cfg.rateLimit)
		setRate(h, s.cfg.rateLimit, rem)
	} else {
		setRate(h, unauthLimitPerIP, unauthLimitPerIP)
	}
	if methods := s.paths[c.r.URL.Path]; len(methods) > 0 {
		h.Set("Allow", strings.Join(methods, ", "))
		c.gatewayFail(http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	c.gatewayFail(http.StatusNotFound, "Not Found")
}

// sleep applies WithLatency; false when the client went away meanwhile.
func (s *Server) sleep(ctx context.Context) bool { return sleepCtx(ctx, s.cfg.latency) }

// sleepCtx waits d (not at all when d ≤ 0); false when ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// validateParams checks the query against the declared parameters: unknown
// names, required ones, integer/boolean syntax, bounds, enums and maxItems.
func validateParams(o *op, q url.Values) string {
	for name := range q {
		if !slices.ContainsFunc(o.params, func(p param) bool { return p.name == name }) {
			return fmt.Sprintf("invalid query parameter '%s'", name)
		}
	}
	for _, p := range o.params {
		vs := q[p.name]
		if len(vs) == 0 || (p.typ != pArray && vs[0] == "") {
			if p.required {
				return fmt.Sprintf("missing required parameter '%s'", p.name)
			}
			continue
		}
		v := vs[0]
		switch p.typ {
		case pInt:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Sprintf("invalid value '%s' for parameter '%s': must be an integer", v, p.name)
			}
			if p.min != nil && n < *p.min {
				return fmt.Sprintf("invalid value %d for parameter '%s': must be at least %d", n, p.name, *p.min)
			}
			if p.max != nil && n > *p.max {
				return fmt.Sprintf("invalid value %d for parameter '%s': must be at most %d", n, p.name, *p.max)
			}
		case pBool:
			if _, err := strconv.ParseBool(v); err != nil {
				return fmt.Sprintf("invalid value '%s' for parameter '%s': must be true or false", v, p.name)
			}
		case pArray:
			if p.maxItems > 0 && len(vs) > p.maxItems {
				return fmt.Sprintf("too many values for parameter '%s': %d given, at most %d allowed", p.name, len(vs), p.maxItems)
			}
		}
		if len(p.enum) > 0 && !slices.Contains(p.enum, v) {
			return fmt.Sprintf("invalid value '%s' for parameter '%s': must be one of %s", v, p.name, strings.Join(p.enum, ", "))
		}
	}
	return ""
}

// Query helpers for handlers (parameters are already validated).

func (c *call) str(name string) string { return c.q.Get(name) }

func (c *call) intParam(name string, def int) int {
	v := c.q.Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def
	}
	return n
}

func (c *call) boolParam(name string, def bool) bool {
	v := c.q.Get(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return def
	}
	return b
}

// decodeBody decodes a JSON request body into v; false (and a 400 sent)
// when it is missing or malformed.
func (c *call) decodeBody(v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 32<<20))
	if err := dec.Decode(v); err != nil {
		c.fail(http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return false
	}
	return true
}
