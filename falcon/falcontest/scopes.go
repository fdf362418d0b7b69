package falcontest

import (
	"slices"
	"strings"
)

// subsetScopes are the scopes the operations of openapi-subset.json use.
var subsetScopes = []string{
	"alerts:read", "alerts:write",
	"api-clients:read",
	"devices:read", "devices:write",
	"host-group:read", "host-group:write",
	"mssp:read", "mssp:write",
	"sensor-installers:read",
	"sensor-usage:read",
	"usermgmt:read",
	"zero-trust-assessment:read",
}

// allScopes is every scope the simulator knows: the subset's plus the
// integration scopes served by extra_scopes.go.
func allScopes() []string {
	s := slices.Clone(subsetScopes)
	for _, e := range extraOps {
		if !slices.Contains(s, e.scope) {
			s = append(s, e.scope)
		}
	}
	for _, e := range extraScopesOnly {
		if !slices.Contains(s, e) {
			s = append(s, e)
		}
	}
	slices.Sort(s)
	return s
}

// fullScopes: every scope, read and write.
func fullScopes() []string { return allScopes() }

// analystScopes: every :read scope except the admin-only api-clients:read.
func analystScopes() []string {
	var out []string
	for _, s := range allScopes() {
		if strings.HasSuffix(s, ":read") && s != "api-clients:read" {
			out = append(out, s)
		}
	}
	return out
}

// partialScopes: everything except host-group:write and mssp:read (and the
// admin-only api-clients:read), to exercise partial-permission UIs.
func partialScopes() []string {
	var out []string
	for _, s := range allScopes() {
		switch s {
		case "host-group:write", "mssp:read", "api-clients:read":
			continue
		}
		out = append(out, s)
	}
	return out
}

// scopeParts splits "devices:read" into ("devices", "read").
func scopeParts(s string) (group, action string) {
	g, a, _ := strings.Cut(s, ":")
	return g, a
}
