package falcon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"syscall"
)

// call is one API operation as the services describe it.
type call struct {
	method string
	path   string
	query  url.Values
	body   []byte // JSON, nil for none
	raw    bool   // Do: keep 4xx replies as replies, not errors
	// rule: the body carries a host-group assignment_rule, which Falcon validates by
	// failing with a 500. Such a 500 is an answer, not an outage: retried at most once,
	// then ErrInvalidRule.
	rule bool
	// probe: a scope probe (Request.Probe), so marked in the request log.
	probe bool
}

// send performs c in tenant cid with pacing, token handling and bounded retries, and
// decodes the reply's resources into out (a pointer). A nil error means a reply arrived
// and was decoded; its status may still be 4xx/5xx — check turns those into errors.
func (c *Client) send(ctx context.Context, cid string, cl *call, out any) (*Response, error) {
	return c.sendKey(ctx, c.tenantKey(cid), cl, out)
}

// sendKey is send for a tenant key ("" = the home tenant, whatever Config.MemberCID says).
func (c *Client) sendKey(ctx context.Context, key string, cl *call, out any) (*Response, error) {
	write := isWrite(cl.method, cl.path)
	if write && c.cfg.ReadOnly {
		return nil, fmt.Errorf("%w: %s %s", ErrReadOnly, cl.method, cl.path)
	}
	if key != "" && c.HomeCID() == "" {
		// A member token is about to be used: make sure the CID is not the home one,
		// which Falcon refuses as a member_cid.
		if err := c.ensureHomeCID(ctx); err != nil {
			return nil, err
		}
		if key == c.HomeCID() {
			key = ""
		}
	}
	x := exchange{c: c, t: c.tenantByKey(key), cl: cl, out: out, retrySafe: !write || idempotent(cl.method, cl.path)}
	a := attempts{n: 1}
	for {
		resp, v, err := x.once(ctx, a.n)
		again, wait := c.retry.next(&a, v)
		if !again {
			return resp, err
		}
		if wait > 0 {
			if err := c.clk.Sleep(ctx, wait); err != nil {
				return nil, err
			}
		}
	}
}

// verdict is what one attempt means for the next (see retryPolicy).
type verdict int

const (
	done       verdict = iota // return resp, err
	reauth                    // a 401: retry once with a fresh token
	retryNow                  // a 429: retry after the tenant's cooldown
	retryLater                // a transient failure: retry after a back-off
)

// exchange is one API call across its attempts.
type exchange struct {
	c         *Client
	t         *tenant
	cl        *call
	out       any
	retrySafe bool
}

// once makes one attempt: a paced send with the tenant's token, then judge's verdict on
// the reply. For retry verdicts, resp and err describe the failure in case it was the last
// attempt.
func (x *exchange) once(ctx context.Context, attempt int) (*Response, verdict, error) {
	c, t, cl := x.c, x.t, x.cl
	tk, err := t.rate.acquire(ctx)
	if err != nil {
		return nil, done, err
	}
	tok, err := t.token(ctx)
	if err != nil {
		t.rate.observe(tk, 0, nil)
		return nil, done, err
	}
	req, err := c.newRequest(ctx, cl, tok.access)
	if err != nil {
		t.rate.observe(tk, 0, nil)
		return nil, done, err
	}
	start := c.clk.Now()
	hresp, err := c.httpClient.Do(req)
	if err != nil {
		t.rate.observe(tk, 0, nil)
		c.recordAPICall(start, t.key, cl, req.URL, 0, nil, nil, attempt, err)
		if ctx.Err() != nil {
			return nil, done, context.Cause(ctx)
		}
		err = fmt.Errorf("%w: %s %s: %w", ErrUnreachable, cl.method, cl.path, stripURL(err))
		if !x.retrySafe {
			return nil, done, err
		}
		return nil, retryLater, err
	}
	defer closeBody(hresp.Body)
	status := hresp.StatusCode
	badToken := status == http.StatusUnauthorized || t.rate.badTokenThrottle(status, hresp.Header)
	if badToken {
		t.rate.observe(tk, http.StatusUnauthorized, hresp.Header) // the token's problem, not the pool's
	} else {
		t.rate.observe(tk, status, hresp.Header)
	}

	resp := &Response{
		StatusCode: hresp.StatusCode,
		Header:     hresp.Header,
		TraceID:    hresp.Header.Get("X-Cs-Traceid"),
		Region:     hresp.Header.Get("X-Cs-Region"),
		Rate:       t.rate.snapshot(c.clk.Now()),
		Attempts:   attempt,
	}
	c.learnRegion(resp.Region)
	// The body is decoded as it arrives; the logged duration ends when it is consumed.
	out := x.out
	if status/100 != 2 && !cl.raw {
		out = nil
	}
	tap := newReplyTap(hresp.Body, status) // bytes and error body for the request log
	derr := c.decode(resp, tap, out)
	var logErr error
	if derr != nil && status/100 == 2 {
		logErr = derr
	}
	c.recordAPICall(start, t.key, cl, req.URL, status, hresp.Header, tap, attempt, logErr)

	if badToken {
		t.invalidate(tok.gen)
		return resp, reauth, x.result(resp)
	}
	return x.judge(ctx, resp, attempt, derr)
}

// judge decides what a reply means (the token was accepted). First match wins:
//
//	the reply                                      verdict
//	429                                            retryNow
//	a rule write's 500 with an error envelope      retryLater on the first attempt (a
//	                                               coincident outage), then done: ErrInvalidRule
//	500, 502, 503, 504 to a retry-safe call        retryLater
//	2xx whose body was cut short or garbled        retryLater when retry-safe, else done
//	anything else                                  done, with result's error (none for 2xx)
func (x *exchange) judge(ctx context.Context, resp *Response, attempt int, derr error) (*Response, verdict, error) {
	c, cl, status := x.c, x.cl, resp.StatusCode
	switch {
	case status == http.StatusTooManyRequests:
		return resp, retryNow, c.check(resp, cl, x.t.key)
	case cl.rule && status == http.StatusInternalServerError && derr == nil && len(resp.Errors) > 0:
		// A well-formed error envelope: the service ran and refused the rule. One more
		// try guards against a coincident outage; waiting out the full back-off would
		// only delay the answer the user needs to fix the rule.
		if x.retrySafe && attempt == 1 {
			return resp, retryLater, c.check(resp, cl, x.t.key)
		}
		return resp, done, c.check(resp, cl, x.t.key)
	case transientStatus(status) && x.retrySafe:
		return resp, retryLater, c.check(resp, cl, x.t.key)
	case derr != nil && status/100 == 2:
		if ctx.Err() != nil {
			return nil, done, context.Cause(ctx)
		}
		err := fmt.Errorf("falcon: %s %s: malformed or cut-short reply: %w", cl.method, cl.path, derr)
		if x.retrySafe {
			// A body cut short or garbled in transit: a read can simply be repeated.
			return nil, retryLater, err
		}
		return resp, done, err
	}
	return resp, done, x.result(resp)
}

// result is the error a final reply means: none for Do (it hands out 4xx replies), the
// APIError for the typed services.
func (x *exchange) result(resp *Response) error {
	if x.cl.raw {
		return nil
	}
	return x.c.check(resp, x.cl, x.t.key)
}

// resourceDecoder is implemented by targets that decode "resources" themselves from the
// envelope scanner (the host decoder), bypassing encoding/json for big replies.
type resourceDecoder interface {
	decodeResources(s *jscan) bool
}

// decode parses the reply envelope into resp and the resources into out (nil: skip
// them), reading the body as it arrives. Error replies that are not JSON still yield a
// Response.
func (c *Client) decode(resp *Response, body io.Reader, out any) error {
	bufp := scanBufs.Get().(*[]byte)
	defer scanBufs.Put(bufp)
	s := newScanner(body, *bufp)
	if s.peek() == 0 {
		return s.err // an empty body
	}
	var res []byte
	meta, errs, err := decodeEnvelope(s, func(s *jscan) bool {
		switch d := out.(type) {
		case nil:
			return s.skip()
		case resourceDecoder:
			return d.decodeResources(s)
		}
		v, ok := s.raw()
		res = v
		return ok
	})
	if cap(s.b) <= 4*scanWindow {
		*bufp = s.b[:0] // keep a grown window, within reason
	}
	if err != nil {
		return err
	}
	var m wireMeta
	if len(meta) > 0 {
		if err := json.Unmarshal(meta, &m); err != nil {
			return err
		}
	}
	resp.Meta = m.meta()
	if len(errs) > 0 {
		if err := json.Unmarshal(errs, &resp.Errors); err != nil {
			return err
		}
	}
	if resp.TraceID == "" {
		resp.TraceID = resp.Meta.TraceID
	}
	if len(res) == 0 || out == nil {
		return nil
	}
	if raw, ok := out.(*json.RawMessage); ok {
		*raw = res
		return nil
	}
	return json.Unmarshal(res, out)
}

// scanBufs recycles the scanner windows.
var scanBufs = sync.Pool{New: func() any { b := make([]byte, 0, scanWindow); return &b }}

// closeBody drains a little of what is left (so the connection can be reused) and closes.
func closeBody(b io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(b, 64<<10))
	_ = b.Close()
}

// check turns a reply the services cannot use into an *APIError (nil for success).
func (c *Client) check(resp *Response, cl *call, key string) error {
	if resp.StatusCode/100 == 2 {
		return nil
	}
	e := &APIError{
		StatusCode: resp.StatusCode,
		Method:     cl.method,
		Path:       cl.path,
		CID:        c.displayCID(key),
		TraceID:    resp.TraceID,
		PoweredBy:  resp.Meta.PoweredBy,
		Errors:     resp.Errors,
		Scope:      ScopeFor(cl.method, cl.path),
	}
	e.kind = classifyAPI(resp)
	if cl.rule && resp.StatusCode == http.StatusInternalServerError && len(resp.Errors) > 0 {
		e.kind = ErrInvalidRule
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		e.RetryAfter = parseRetryAfter(resp.Header.Get("X-Ratelimit-Retryafter"), c.clk.Now())
	}
	return e
}

// newRequest builds the HTTP request for one attempt.
func (c *Client) newRequest(ctx context.Context, cl *call, token string) (*http.Request, error) {
	u := c.base().JoinPath(cl.path)
	if len(cl.query) > 0 {
		u.RawQuery = cl.query.Encode()
	}
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// transientStatus: replies that say "try again" rather than "this request is wrong".
func transientStatus(s int) bool {
	switch s {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable,
		http.StatusGatewayTimeout:
		return true
	}
	return false
}

// isNetworkError reports dial, DNS, TLS, reset and timeout failures: no usable reply.
func isNetworkError(err error) bool {
	var ne net.Error
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &ue) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// stripURL drops the request URL from a transport error: the message names the operation
// already, and query strings can be long.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
