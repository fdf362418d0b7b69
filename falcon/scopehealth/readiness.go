package scopehealth

import (
	"fmt"
	"slices"
	"strings"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// ReadinessStatus summarises an integration set over the probed tenants.
type ReadinessStatus uint8

const (
	// Ready: every required permission is granted in every probed tenant.
	Ready ReadinessStatus = iota
	// NotReady: at least one required permission is denied or its product is not
	// provisioned in some tenant.
	NotReady
	// Unverified: nothing required is known to be missing, but some required permission
	// could not be checked (no probe, probe failed, write probes skipped in read-only mode).
	Unverified
)

func (s ReadinessStatus) String() string {
	switch s {
	case Ready:
		return "ready"
	case NotReady:
		return "not ready"
	}
	return "unverified"
}

// MarshalText writes ready, not_ready or unverified.
func (s ReadinessStatus) MarshalText() ([]byte, error) {
	return []byte(strings.ReplaceAll(s.String(), " ", "_")), nil
}

// Gap is one requirement not met in one tenant, with what it blocks and how to fix it.
type Gap struct {
	Tenant      ProbedTenant      `json:"tenant"`
	Permission  Permission        `json:"permission"`
	ConsoleName string            `json:"console_name"` // "Host groups"
	State       falcon.ScopeState `json:"state"`
	Optional    bool              `json:"optional,omitempty"`
	Blocks      []string          `json:"blocks"` // features (or API areas) that do not work
	Fix         string            `json:"fix"`    // what to change, in the console's words
	Detail      string            `json:"detail,omitempty"`
}

// Readiness is one integration set's verdict.
type Readiness struct {
	Set      string          `json:"set"`
	Title    string          `json:"title"`
	Status   ReadinessStatus `json:"status"`
	Required int             `json:"required"` // required permissions in the set
	Gaps     []Gap           `json:"gaps,omitempty"`
}

// Missing returns the gaps that make the set not ready (required and denied or not
// provisioned).
func (r Readiness) Missing() []Gap {
	return r.filter(func(g Gap) bool { return !g.Optional && g.State.Missing() })
}

// Unchecked returns the required gaps whose state is unknown or error.
func (r Readiness) Unchecked() []Gap {
	return r.filter(func(g Gap) bool { return !g.Optional && !g.State.Missing() })
}

// OptionalGaps returns the gaps of optional requirements.
func (r Readiness) OptionalGaps() []Gap { return r.filter(func(g Gap) bool { return g.Optional }) }

func (r Readiness) filter(keep func(Gap) bool) []Gap {
	var out []Gap
	for _, g := range r.Gaps {
		if keep(g) {
			out = append(out, g)
		}
	}
	return out
}

// Summary is a one-line verdict: "ready", "not ready: 2 missing in 3 tenants", ...
func (r Readiness) Summary() string {
	switch r.Status {
	case Ready:
		if n := len(r.OptionalGaps()); n > 0 {
			return fmt.Sprintf("ready (%d optional %s missing)", n, scopePlural(n, "permission", "permissions"))
		}
		return "ready"
	case NotReady:
		// A product the tenant lacks is not a permission the API client lacks: the fix is
		// a subscription, not a tick in the console, so the two are counted apart.
		m := r.Missing()
		var denied, unprovisioned []Gap
		var products []string
		for _, g := range m {
			if g.State == falcon.ScopeNotProvisioned {
				unprovisioned = append(unprovisioned, g)
				if !slices.Contains(products, g.ConsoleName) {
					products = append(products, g.ConsoleName)
				}
			} else {
				denied = append(denied, g)
			}
		}
		var parts []string
		if len(denied) > 0 {
			parts = append(parts, gapPermCount(denied)+" missing")
		}
		if len(unprovisioned) > 0 {
			parts = append(parts, strings.Join(products, ", ")+" not provisioned")
		}
		return fmt.Sprintf("not ready: %s%s", strings.Join(parts, "; "), gapTenantSpan(m))
	}
	u := r.Unchecked()
	return fmt.Sprintf("unverified: %s could not be checked%s", gapPermCount(u), gapTenantSpan(u))
}

func gapPermCount(gs []Gap) string {
	seen := map[Permission]bool{}
	for _, g := range gs {
		seen[g.Permission] = true
	}
	n := len(seen)
	return fmt.Sprintf("%d %s", n, scopePlural(n, "permission", "permissions"))
}

func gapTenantSpan(gs []Gap) string {
	seen := map[string]bool{}
	for _, g := range gs {
		seen[strings.ToLower(g.Tenant.CID)] = true
	}
	if len(seen) <= 1 {
		return ""
	}
	return fmt.Sprintf(" across %d tenants", len(seen))
}

func scopePlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Readiness evaluates an integration set against the report.
func (r *Report) Readiness(set IntegrationSet) Readiness {
	out := Readiness{Set: set.Name, Title: set.Title}
	for _, rq := range set.Requires {
		if !rq.Optional {
			out.Required++
		}
	}
	for _, t := range r.Tenants {
		for _, rq := range set.Requires {
			res, ok := t.Result(rq.Permission)
			if !ok {
				res = ProbeResult{Permission: rq.Permission, State: falcon.ScopeUnknown, Detail: "not in the catalogue"}
			}
			if res.State == falcon.ScopeGranted {
				continue
			}
			out.Gaps = append(out.Gaps, newScopeGap(t.Tenant, rq, res))
		}
	}
	switch {
	case len(out.Missing()) > 0:
		out.Status = NotReady
	case len(out.Unchecked()) > 0:
		out.Status = Unverified
	default:
		out.Status = Ready
	}
	return out
}

// ReadinessAll evaluates every known integration set.
func (r *Report) ReadinessAll() []Readiness {
	out := make([]Readiness, 0, len(scopeIntegrationSets))
	for _, s := range scopeIntegrationSets {
		out = append(out, r.Readiness(s))
	}
	return out
}

func newScopeGap(t ProbedTenant, rq Requirement, res ProbeResult) Gap {
	g := Gap{Tenant: t, Permission: rq.Permission, State: res.State, Optional: rq.Optional, Detail: res.Detail}
	def, acc, ok := scopePermissionDef(rq.Permission)
	if ok {
		g.ConsoleName = def.Name
		g.Blocks = acc.Blocks()
	} else {
		g.ConsoleName = rq.Permission.Scope
	}
	if rq.Why != "" {
		g.Blocks = []string{rq.Why}
	}
	g.Fix = FixFor(rq.Permission, res.State)
	return g
}

// FixFor says, in the console's words, what to change so that p works given its state.
func FixFor(p Permission, st falcon.ScopeState) string {
	label := p.String()
	if def, _, ok := scopePermissionDef(p); ok {
		label = fmt.Sprintf("%q (%s)", def.ConsoleLabel(p.Access), p)
	}
	switch st {
	case falcon.ScopeGranted:
		return ""
	case falcon.ScopeDenied:
		return "in API clients and keys, edit this API client and tick " + label
	case falcon.ScopeNotProvisioned:
		return "the product behind " + label + " is not provisioned in this tenant: a subscription, not a scope, is missing"
	case falcon.ScopeError:
		return "the probe for " + label + " failed; re-probe (r, or run falcon-tui scopes again)"
	}
	return "could not check " + label + ": no side-effect-free probe exists and the scope listing was not readable (grant \"API clients: Read\" to verify)"
}
