package falcon

import (
	"fmt"
	"strings"
)

// Access is the half of a Falcon API scope a console checkbox grants: read or write.
type Access string

const (
	Read  Access = "read"
	Write Access = "write"
)

// Title is the access as the console's checkbox column names it ("Read", "Write").
func (a Access) Title() string {
	switch a {
	case Read:
		return "Read"
	case Write:
		return "Write"
	}
	return string(a)
}

// Permission is one grantable unit: a scope identifier with an access, written
// "host-group:write" as in the API's security definitions and in token error messages.
type Permission struct {
	Scope  string // identifier: "host-group"
	Access Access
}

// Perm builds a Permission; it reads better in tables than a composite literal.
func Perm(scope string, a Access) Permission { return Permission{Scope: scope, Access: a} }

// ParsePermission parses "host-group:write" (case-insensitive, surrounding space ignored).
func ParsePermission(s string) (Permission, error) {
	id, acc, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), ":")
	if !ok || id == "" || (acc != string(Read) && acc != string(Write)) {
		return Permission{}, fmt.Errorf("scope %q: want IDENTIFIER:read or IDENTIFIER:write", s)
	}
	return Permission{Scope: id, Access: Access(acc)}, nil
}

func (p Permission) String() string { return p.Scope + ":" + string(p.Access) }

// MarshalText writes the "scope:access" form, so JSON reports read like the console's API docs.
func (p Permission) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads the "scope:access" form.
func (p *Permission) UnmarshalText(b []byte) error {
	q, err := ParsePermission(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

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

// Symbol is a one-cell glyph that tells the states apart without colour.
func (s ScopeState) Symbol() string {
	switch s {
	case ScopeGranted:
		return "✓"
	case ScopeDenied:
		return "✗"
	case ScopeNotProvisioned:
		return "○"
	case ScopeError:
		return "!"
	}
	return "?"
}

// NotApplicableSymbol marks a matrix cell for an access the scope does not have (a
// read-only scope's write column).
const NotApplicableSymbol = "·"

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
