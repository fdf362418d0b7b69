package falcon

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Scope probes: a side-effect-free request tells whether the API client holds one
// permission in one tenant. The client owns the rules for reading the reply, so that a
// probe, a typed call and HostGroupsService.WriteAccess never disagree about a tenant;
// falcon/scopehealth builds its catalogue and reports on top of them.

// ScopeState is what a probe (or the client's own scope listing) says about one permission
// in one tenant.
type ScopeState uint8

const (
	// ScopeUnknown: no side-effect-free probe exists for this permission (or it was not
	// sent, e.g. a write probe in read-only mode) and the scope listing could not settle it.
	ScopeUnknown ScopeState = iota
	// ScopeGranted: the gateway let the probe through (2xx for a read; the service's 400 for
	// a deliberately invalid write).
	ScopeGranted
	// ScopeDenied: the gateway answered 403: the API client lacks the scope.
	ScopeDenied
	// ScopeNotProvisioned: the tenant has no such product (404 without a region header or
	// with a not-provisioned body). No scope change helps.
	ScopeNotProvisioned
	// ScopeError: the probe could not be completed (unreachable, 5xx, exhausted retries,
	// an unexpected reply). Re-probing may settle it.
	ScopeError
)

var scopeStateNames = [...]string{"unknown", "granted", "denied", "not provisioned", "error"}

func (s ScopeState) String() string {
	if int(s) < len(scopeStateNames) {
		return scopeStateNames[s]
	}
	return "unknown"
}

// Settled reports whether the state is a definite answer about the permission.
func (s ScopeState) Settled() bool {
	return s == ScopeGranted || s == ScopeDenied || s == ScopeNotProvisioned
}

// Missing reports whether the state means the permission cannot be used in the tenant.
func (s ScopeState) Missing() bool { return s == ScopeDenied || s == ScopeNotProvisioned }

// MarshalText writes a stable snake_case name for scripts: granted, denied,
// not_provisioned, error, unknown.
func (s ScopeState) MarshalText() ([]byte, error) {
	return []byte(strings.ReplaceAll(s.String(), " ", "_")), nil
}

// UnmarshalText reads what MarshalText writes.
func (s *ScopeState) UnmarshalText(b []byte) error {
	name := strings.ReplaceAll(string(b), "_", " ")
	for i, n := range scopeStateNames {
		if n == name {
			*s = ScopeState(i)
			return nil
		}
	}
	return fmt.Errorf("unknown scope state %q", b)
}

// ProbeKind says how a probe's reply is read.
type ProbeKind uint8

const (
	// ProbeRead is a read with limit=1 (or its endpoint's equivalent): 2xx means granted.
	ProbeRead ProbeKind = iota
	// ProbeInvalidWrite is a write request the service rejects as invalid before doing
	// anything (empty id lists, empty resource arrays): the gateway checks the scope
	// first, so 400 means granted and 403 denied. It never names a real entity.
	ProbeInvalidWrite
)

// ScopeProbe is a raw request that tests one permission.
type ScopeProbe struct {
	Kind   ProbeKind
	Method string
	Path   string
	Query  url.Values
	Body   json.RawMessage // nil = no body
}

// Request builds a fresh Request for Client.Do (the client may not keep, but must not
// share, the probe's maps).
func (p *ScopeProbe) Request() *Request {
	r := &Request{Method: p.Method, Path: p.Path, Probe: true}
	if len(p.Query) > 0 {
		q := make(map[string][]string, len(p.Query))
		for k, vs := range p.Query {
			q[k] = append([]string(nil), vs...)
		}
		r.Query = q
	}
	if p.Body != nil {
		r.Body = append(json.RawMessage(nil), p.Body...)
	}
	return r
}

// HostGroupWriteProbe is the probe of host-group:write: a PATCH with an empty resources
// list. PATCH updates existing groups (configuration) and cannot create one, and an empty
// list names none, so nothing is ever changed.
func HostGroupWriteProbe() *ScopeProbe {
	return &ScopeProbe{Kind: ProbeInvalidWrite, Method: http.MethodPatch, Path: pathGroupsEntities,
		Body: json.RawMessage(`{"resources":[]}`)}
}

// probeGatewayService is meta.powered_by on replies the API gateway itself writes (scope and
// token rejections), as opposed to the services behind it (docs/API.md §4, §8).
const probeGatewayService = "crowdstrike-api-gateway"

// ClassifyProbe reads one probe reply (from Client.Do) and says why in detail. The rules
// (docs/API.md §8, §9):
//   - the gateway checks the scope before the service sees the request, so any reply that
//     got past it (2xx; 400/415/422 from the service) means the scope is granted;
//   - 403 means denied;
//   - 404 without X-Cs-Region (or from the gateway, or saying so) means the tenant lacks the
//     product, by the same rule the typed services use for ErrNotProvisioned; any other
//     404 is unexpected for a probe;
//   - 401 (after the client's one re-authentication) counts as denied, as in errors.go;
//   - everything else (429 after retries, 5xx) leaves the question open.
func ClassifyProbe(kind ProbeKind, resp *Response) (ScopeState, string) {
	code := resp.StatusCode
	msg := probeMessage(resp)
	switch {
	case code >= 200 && code < 300:
		if kind == ProbeInvalidWrite {
			// Should never happen: the body names nothing to act on. Still granted.
			return ScopeGranted, fmt.Sprintf("the empty write was accepted (%d)", code)
		}
		return ScopeGranted, ""
	case code == 400 || code == 415 || code == 422:
		if kind == ProbeInvalidWrite {
			return ScopeGranted, ""
		}
		return ScopeGranted, fmt.Sprintf("passed the scope check; the probe itself was rejected (%d %s)", code, msg)
	case code == 403:
		if resp.Meta.PoweredBy != "" && resp.Meta.PoweredBy != probeGatewayService && !isScopeDenialMessage(msg) {
			return ScopeDenied, fmt.Sprintf("403 from %s: %s", resp.Meta.PoweredBy, msg)
		}
		return ScopeDenied, msg
	case code == 404:
		if notProvisionedReply(resp) {
			return ScopeNotProvisioned, strings.TrimSpace("404 " + msg)
		}
		return ScopeError, fmt.Sprintf("probe endpoint not found (404 %s)", msg)
	case code == 401:
		// The client hands back a 401 only after a fresh token was refused too, and Falcon
		// answers some missing scopes with 401 (docs/API.md §8): the client's typed
		// errors read it as denied, and so does this.
		return ScopeDenied, "401 with a fresh token (Falcon answers some missing scopes so): " + msg
	case code == 429:
		return ScopeError, "rate limited: " + msg
	}
	return ScopeError, strings.TrimSpace(fmt.Sprintf("%d %s", code, msg))
}

// ClassifyProbeError maps an error from Client.Do (no usable reply) to a probe state.
func ClassifyProbeError(err error) (ScopeState, string) {
	switch {
	case errors.Is(err, ErrReadOnly):
		return ScopeUnknown, "not sent: read-only mode"
	case errors.Is(err, ErrScopeDenied):
		return ScopeDenied, err.Error()
	case errors.Is(err, ErrNotProvisioned):
		return ScopeNotProvisioned, err.Error()
	}
	return ScopeError, err.Error()
}

func probeMessage(resp *Response) string {
	for _, e := range resp.Errors {
		if e.Message != "" {
			return e.Message
		}
	}
	return ""
}

// isScopeDenialMessage matches the gateway's scope-denial texts ("access denied, authorization
// failed", "access denied, scope not permitted"), as falcon-installer's check does.
func isScopeDenialMessage(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "access denied") || strings.Contains(m, "scope not permitted") ||
		strings.Contains(m, "authorization failed")
}
