package falcon

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. Every error the client returns for these conditions matches them with
// errors.Is, whatever richer type (APIError, AuthError) carries the details.
var (
	ErrInvalidCredentials = errors.New("falcon: invalid client id or secret")
	ErrIPBlocked          = errors.New("falcon: access denied at the token endpoint (IP allow-list)")
	ErrScopeDenied        = errors.New("falcon: the API client lacks the scope for this call")
	ErrNotProvisioned     = errors.New("falcon: the product is not provisioned in this tenant")
	ErrNotFound           = errors.New("falcon: not found")
	ErrInvalidRequest     = errors.New("falcon: the API rejected the request as invalid")
	ErrRateLimited        = errors.New("falcon: rate limited")
	ErrUnreachable        = errors.New("falcon: cloud unreachable")
	ErrReadOnly           = errors.New("falcon: read-only mode: no write call is sent")
	ErrNotChild           = errors.New("falcon: member CID is not a Flight Control child of this client's tenant")
	// ErrInvalidRule: Falcon answers a host-group assignment_rule it cannot parse with a
	// 500 (docs/API.md §13), not a 400. A host-group
	// create or update that carries a rule and gets a 500 with a well-formed error
	// envelope (after at most one retry) fails with it. It matches ErrInvalidRequest.
	ErrInvalidRule = fmt.Errorf("%w: the host group's assignment rule was refused", ErrInvalidRequest)
)

// ErrorItem is msa.APIError.
type ErrorItem struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	ID      string `json:"id,omitempty"`
}

// APIError is a reply from the API that the typed services treat as a failure: a 4xx or
// 5xx status (after retries), or a 2xx whose envelope reports errors and no data.
type APIError struct {
	StatusCode int
	Method     string
	Path       string // without the query string
	CID        string // the tenant the call was made in ("" = home)
	TraceID    string
	PoweredBy  string // meta.powered_by: "crowdstrike-api-gateway" for gateway rejections
	Errors     []ErrorItem
	// Scope is the scope the operation needs (ScopeFor(Method, Path)), "" when unknown.
	// Set on every APIError so that a UI can say what to grant on ErrScopeDenied.
	Scope string
	// RetryAfter is when a 429 said the pool frees up again (zero otherwise).
	RetryAfter time.Time

	kind error // the sentinel this error matches, nil for none
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "falcon: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if msg := e.Message(); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	switch {
	case e.kind == ErrScopeDenied && e.Scope != "":
		fmt.Fprintf(&b, " (needs scope %s)", e.Scope)
	case e.kind == ErrInvalidRule:
		b.WriteString(" (Falcon's answer to an assignment rule it cannot parse)")
	}
	if e.TraceID != "" {
		fmt.Fprintf(&b, " [trace %s]", cleanText(e.TraceID))
	}
	return b.String()
}

// Message joins the messages of the reply's errors, with control and escape sequences,
// bidi controls and invisible characters removed (cleanText): they are the server's words
// and end up on a terminal.
func (e *APIError) Message() string {
	msgs := make([]string, 0, len(e.Errors))
	for _, it := range e.Errors {
		if m := cleanText(it.Message); m != "" {
			msgs = append(msgs, m)
		}
	}
	return strings.Join(msgs, "; ")
}

// Summary is the reply in brief, as a status line shows it: the status code and the
// server's own words ("400: invalid filter"); "" when the reply carried no message.
func (e *APIError) Summary() string {
	msg := e.Message()
	if msg == "" {
		return ""
	}
	return strconv.Itoa(e.StatusCode) + ": " + msg
}

// Is matches the sentinel the status and messages map to (ErrScopeDenied, ErrNotFound, ...),
// and the sentinels that one wraps (ErrInvalidRule is an ErrInvalidRequest).
func (e *APIError) Is(target error) bool {
	return e.kind != nil && (target == e.kind || errors.Is(e.kind, target))
}

// Kind returns the sentinel the error matches, or nil.
func (e *APIError) Kind() error { return e.kind }

// AuthError is a failure to get an access token: the token endpoint refused the
// credentials, the IP, the member CID, or could not be reached.
type AuthError struct {
	StatusCode int    // 0 when no reply arrived
	MemberCID  string // the member_cid asked for, "" for the home tenant
	TraceID    string
	Message    string // the endpoint's own words, if any (control characters removed)

	kind  error // one of the sentinels
	cause error // the transport or oauth2 error underneath
}

func (e *AuthError) Error() string {
	var b strings.Builder
	b.WriteString("falcon: token request")
	if e.MemberCID != "" {
		fmt.Fprintf(&b, " for member CID %s", e.MemberCID)
	}
	switch {
	case e.StatusCode != 0:
		fmt.Fprintf(&b, ": %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	case e.cause != nil:
		fmt.Fprintf(&b, ": %v", e.cause)
	}
	// The message and trace id come from the server: cleaned again here, whoever set them.
	if msg := cleanText(e.Message); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.TraceID != "" && e.TraceID != "--" {
		fmt.Fprintf(&b, " [trace %s]", cleanText(e.TraceID))
	}
	return b.String()
}

// Unwrap exposes the sentinel and the underlying cause to errors.Is and errors.As.
func (e *AuthError) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.kind != nil {
		errs = append(errs, e.kind)
	}
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	return errs
}

// Messages from the gateway when the API client lacks a scope (docs/API.md §8): both the
// older and the newer wording are in use.
var scopeDeniedMessages = []string{"access denied, scope not permitted", "access denied, authorization failed"}

// classifyAPI picks the sentinel for a reply that the typed services treat as a failure.
func classifyAPI(resp *Response) error {
	status, poweredBy := resp.StatusCode, resp.Meta.PoweredBy
	msg := strings.ToLower(joinMessages(resp.Errors))
	switch {
	case status == http.StatusForbidden:
		for _, m := range scopeDeniedMessages {
			if strings.Contains(msg, m) {
				return ErrScopeDenied
			}
		}
		// Any other 403 from the gateway is also an authorization refusal.
		if poweredBy == "" || strings.Contains(poweredBy, "gateway") {
			return ErrScopeDenied
		}
		return nil
	case status == http.StatusUnauthorized:
		// A 401 right after a fresh token means the token is valid but the call is not
		// allowed: some endpoints answer a missing scope with 401 (docs/API.md §8).
		return ErrScopeDenied
	case status == http.StatusNotFound:
		if notProvisionedReply(resp) {
			return ErrNotProvisioned
		}
		return ErrNotFound
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status == http.StatusBadRequest, status == http.StatusUnprocessableEntity,
		status == http.StatusUnsupportedMediaType, status == http.StatusConflict:
		return ErrInvalidRequest
	}
	return nil
}

// notProvisioned tells a product that does not exist in the tenant from an entity that
// does not exist. Every service reply carries X-Cs-Region; the gateway's 404 for a
// product the tenant lacks does not (docs/API.md §8), so a 404 without it is
// about the product, whatever its body says. With the header, a 404 that names IDs is
// about entities; one from the gateway, or one that says the product is not
// provisioned, is still about the product. The scope probes read the same signal (see
// notProvisionedReply).
func notProvisioned(msg, poweredBy string, items []ErrorItem, hadRegion bool) bool {
	if !hadRegion {
		return true
	}
	for _, it := range items {
		if it.ID != "" {
			return false
		}
	}
	switch {
	case strings.Contains(poweredBy, "gateway"),
		strings.Contains(msg, "provision"), strings.Contains(msg, "not subscribed"),
		strings.Contains(msg, "no route"), strings.Contains(msg, "not enabled"):
		return true
	}
	return false
}

// notProvisionedReply reports whether a 404 reply means the product is not provisioned in
// the tenant (the rule of notProvisioned, for a Response).
func notProvisionedReply(resp *Response) bool {
	return resp.StatusCode == http.StatusNotFound &&
		notProvisioned(strings.ToLower(joinMessages(resp.Errors)), resp.Meta.PoweredBy, resp.Errors, resp.Region != "")
}

func joinMessages(items []ErrorItem) string {
	msgs := make([]string, 0, len(items))
	for _, it := range items {
		msgs = append(msgs, it.Message)
	}
	return strings.Join(msgs, "; ")
}
