package falcon

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func probeReply(status int, poweredBy, msg string, region bool) *Response {
	r := &Response{StatusCode: status, Header: http.Header{}, TraceID: "trace-1", Meta: Meta{PoweredBy: poweredBy}}
	if region {
		r.Region = "us-1"
		r.Header.Set("X-Cs-Region", "us-1")
	}
	if msg != "" {
		r.Errors = []ErrorItem{{Code: status, Message: msg}}
	}
	return r
}

func TestClassifyProbe(t *testing.T) {
	cases := []struct {
		name   string
		kind   ProbeKind
		resp   *Response
		want   ScopeState
		detail string
	}{
		{"read 200", ProbeRead, probeReply(200, "svc", "", true), ScopeGranted, ""},
		{"read 400 passed gateway", ProbeRead, probeReply(400, "svc", "bad filter", true), ScopeGranted, "bad filter"},
		{"write 400", ProbeInvalidWrite, probeReply(400, "svc", "ids required", true), ScopeGranted, ""},
		{"write 422", ProbeInvalidWrite, probeReply(422, "svc", "", true), ScopeGranted, ""},
		{"write 2xx", ProbeInvalidWrite, probeReply(202, "svc", "", true), ScopeGranted, "accepted"},
		{"gateway 403", ProbeRead, probeReply(403, probeGatewayService, "access denied, authorization failed", true), ScopeDenied, "authorization failed"},
		{"service 403", ProbeInvalidWrite, probeReply(403, "hostgroups", "forbidden for child", true), ScopeDenied, "403 from hostgroups"},
		{"404 no region", ProbeRead, probeReply(404, "", "", false), ScopeNotProvisioned, ""},
		{"404 not provisioned body", ProbeRead, probeReply(404, "svc", "product not provisioned for this CID", true), ScopeNotProvisioned, "not provisioned"},
		{"404 gateway Not Found", ProbeRead, probeReply(404, probeGatewayService, "Not Found", true), ScopeNotProvisioned, "404 Not Found"},
		// A service's own 404 carries X-Cs-Region: the route or entity is missing, not the
		// product; the typed services call it ErrNotFound, so the probe must not say
		// "not provisioned" either.
		{"404 service Not Found", ProbeRead, probeReply(404, "svc", "Not Found", true), ScopeError, "not found (404 Not Found)"},
		{"404 service no body", ProbeRead, probeReply(404, "svc", "", true), ScopeError, "not found"},
		{"404 naming ids", ProbeRead, &Response{StatusCode: 404, Region: "us-1", Errors: []ErrorItem{{Code: 404, Message: "not found", ID: "x"}}}, ScopeError, "not found"},
		{"401", ProbeRead, probeReply(401, probeGatewayService, "access denied, invalid bearer token", true), ScopeDenied, "401"},
		{"429", ProbeRead, probeReply(429, probeGatewayService, "API rate limit exceeded", true), ScopeError, "rate limited"},
		{"500", ProbeRead, probeReply(500, "svc", "internal error", true), ScopeError, "500 internal error"},
	}
	for _, c := range cases {
		got, detail := ClassifyProbe(c.kind, c.resp)
		if got != c.want || !strings.Contains(detail, c.detail) {
			t.Errorf("%s: got %v %q, want %v containing %q", c.name, got, detail, c.want, c.detail)
		}
	}
}

func TestClassifyProbeError(t *testing.T) {
	cases := []struct {
		err  error
		want ScopeState
	}{
		{fmt.Errorf("x: %w", ErrReadOnly), ScopeUnknown},
		{fmt.Errorf("x: %w", ErrScopeDenied), ScopeDenied},
		{fmt.Errorf("x: %w", ErrNotProvisioned), ScopeNotProvisioned},
		{fmt.Errorf("x: %w", ErrUnreachable), ScopeError},
		{fmt.Errorf("x: %w", ErrRateLimited), ScopeError},
	}
	for _, c := range cases {
		if got, _ := ClassifyProbeError(c.err); got != c.want {
			t.Errorf("%v: got %v, want %v", c.err, got, c.want)
		}
	}
}

// The probe and the typed services read a 404 by the same rule.
func TestProbeAgreesWithClientOn404(t *testing.T) {
	replies := []*Response{
		probeReply(404, "", "", false),
		probeReply(404, "svc", "", false),
		probeReply(404, "svc", "", true),
		probeReply(404, "svc", "Not Found", true),
		probeReply(404, "svc", "product not provisioned", true),
		probeReply(404, probeGatewayService, "Not Found", true),
		{StatusCode: 404, Region: "us-1", Errors: []ErrorItem{{Code: 404, Message: "not found", ID: "x"}}},
	}
	for i, resp := range replies {
		st, _ := ClassifyProbe(ProbeRead, resp)
		client := classifyAPI(resp) == ErrNotProvisioned
		if (st == ScopeNotProvisioned) != client {
			t.Errorf("reply %d: probe says %v, client says not provisioned = %v", i, st, client)
		}
	}
}
