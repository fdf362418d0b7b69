package falcon

import (
	"errors"
	"fmt"
	"strings"
)

// probeGatewayService is meta.powered_by on replies the API gateway itself writes (scope and
// token rejections), as opposed to the services behind it (docs/API.md §4, §8).
const probeGatewayService = "crowdstrike-api-gateway"

// classifyProbe reads one probe reply. The rules (docs/API.md §8, §9):
//   - the gateway checks the scope before the service sees the request, so any reply that
//     got past it (2xx; 400/415/422 from the service) means the scope is granted;
//   - 403 means denied;
//   - 404 without X-Cs-Region (or from the gateway, or saying so) means the tenant lacks the
//     product (see probeNotProvisioned); any other 404 is unexpected for a probe;
//   - 401 (after the client's one re-authentication) counts as denied, as in errors.go;
//   - everything else (429 after retries, 5xx) leaves the question open.
func classifyProbe(kind ProbeKind, resp *Response) (ScopeState, string) {
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
		if probeNotProvisioned(resp) {
			return ScopeNotProvisioned, strings.TrimSpace("404 " + msg)
		}
		return ScopeError, fmt.Sprintf("probe endpoint not found (404 %s)", msg)
	case code == 401:
		// The client hands back a 401 only after a fresh token was refused too, and Falcon
		// answers some missing scopes with 401 (docs/API.md §8): the client's typed
		// errors and the host-group write check read it as denied, and so does this.
		return ScopeDenied, "401 with a fresh token (Falcon answers some missing scopes so): " + msg
	case code == 429:
		return ScopeError, "rate limited: " + msg
	}
	return ScopeError, strings.TrimSpace(fmt.Sprintf("%d %s", code, msg))
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

// probeNotProvisioned applies the client's rule (notProvisionedReply), so that a probe and
// a typed call never disagree about a tenant: a 404 without X-Cs-Region never reached a
// service, so the product is missing (docs/API.md §8); with the header, only the gateway's
// own 404 or a "not provisioned"-style message says so, and a service's plain 404 is "not
// found" (the probe's route or entity), not a missing product.
func probeNotProvisioned(resp *Response) bool {
	return notProvisionedReply(resp)
}

// probeTenantFatal reports whether a transport error from Do means no call to the tenant can
// succeed (so the remaining probes would only repeat it).
func probeTenantFatal(err error) bool {
	for _, target := range []error{ErrUnreachable, ErrInvalidCredentials, ErrIPBlocked, ErrNotChild} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// probeErrorState maps a transport error from Do to a cell.
func probeErrorState(err error) (ScopeState, string) {
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
