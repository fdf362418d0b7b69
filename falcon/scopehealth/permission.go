// Package scopehealth says what an API client may do, per tenant, and what that means for
// the integrations that use it: a catalogue of Falcon API scopes as the console shows
// them, with a side-effect-free probe for each permission where one exists; named
// integration sets (falcon-tui's own, NinjaOne, Cortex XSOAR, NetBird); a probe run over
// tenants that cross-checks the client's own scope listing; and readiness verdicts with
// what to fix, in the console's words. It is built on the falcon client, which owns the
// rules for reading a probe's reply (falcon.ClassifyProbe).
package scopehealth

import (
	"fmt"
	"strings"

	"github.com/falcon-tui/falcon-tui/falcon"
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

// Symbol is a one-cell glyph that tells a state apart without colour.
func Symbol(s falcon.ScopeState) string {
	switch s {
	case falcon.ScopeGranted:
		return "✓"
	case falcon.ScopeDenied:
		return "✗"
	case falcon.ScopeNotProvisioned:
		return "○"
	case falcon.ScopeError:
		return "!"
	}
	return "?"
}

// NotApplicableSymbol marks a matrix cell for an access the scope does not have (a
// read-only scope's write column).
const NotApplicableSymbol = "·"
