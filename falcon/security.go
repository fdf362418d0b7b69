package falcon

import (
	"net/http"
	"strings"
)

//go:generate go run gen_security.go -spec ../api/openapi-subset.json

// ScopeFor returns the OAuth2 scope ("devices:read") that the operation needs, or "" when
// the operation is unknown. path may carry a query string. The table comes from the
// `security` of each operation in the API subset, plus mimickedScopes and probeOnlyScopes.
func ScopeFor(method, path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	key := strings.ToUpper(method) + " " + path
	if s, ok := opScopes[key]; ok {
		return s
	}
	if s, ok := mimickedScopes[key]; ok {
		return s
	}
	return probeOnlyScopes[key]
}

// mimickedScopes are the operations outside the API subset that the client calls, with the
// scope the official SDKs document for them (docs/API.md §0, "Mimicked endpoints"). The
// entities POST takes IDs in its body and is a read: without this entry read-only mode
// would refuse it as a write.
var mimickedScopes = map[string]string{
	"POST " + pathUsersEntities: "usermgmt:read",
}

// probeOnlyScopes are the read probes of falcon/scopehealth's catalogue on endpoints
// outside the API subset, with the scope each tests, so that ScopeFor, APIError.Scope and
// the read/write classification know them (scopehealth's tests check the two agree). The
// Identity Protection GraphQL route is left out: one route tests several scopes, the
// query decides which.
var probeOnlyScopes = map[string]string{
	"GET /real-time-response/queries/sessions/v1": "real-time-response:read",
	"GET /iocs/queries/indicators/v1":             "iocs:read",
	"GET /policy/queries/ioa-exclusions/v1":       "self-service-ioa-exclusions:read",
	"GET /policy/queries/ml-exclusions/v1":        "ml-exclusions:read",
	"GET /detects/queries/detects/v1":             "detects:read",
	"GET /incidents/queries/incidents/v1":         "incidents:read",
	"GET /spotlight/queries/vulnerabilities/v1":   "spotlight-vulnerabilities:read",
	"GET /ods/queries/scans/v1":                   "ods:read",
}

// isWrite reports whether an operation changes state; read-only mode refuses these. An
// operation whose scope is a ":read" scope is a read whatever its method (entities POSTs
// that take IDs in the body); otherwise only GET and HEAD are reads.
func isWrite(method, path string) bool {
	switch strings.ToUpper(method) {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	if s := ScopeFor(method, path); s != "" {
		return !strings.HasSuffix(s, ":read")
	}
	return true
}

// idempotentWrites are writes that may be resent after a 5xx, a reset or a garbled reply
// without changing the outcome:
//   - host-group-actions: adding a host that is already a member (or removing one that is
//     not) is a no-op on the server, so a replay cannot double anything; EditMembers also
//     checks membership before and after, so each host's outcome is the server's truth;
//   - host-group PATCH: it sets fields to given values;
//   - device tags PATCH: it adds or removes given tags, each at most once.
//
// Not retried: creating a group (a replay could create a second one), deleting (a replay
// turns success into 404), device actions (containment has side effects and answers 409),
// alert updates (append_comment would be appended twice).
var idempotentWrites = map[string]bool{
	"POST /devices/entities/host-group-actions/v1": true,
	"PATCH /devices/entities/host-groups/v1":       true,
	"PATCH /devices/entities/devices/tags/v1":      true,
}

// idempotent reports whether a failed attempt of the operation may be resent.
func idempotent(method, path string) bool {
	return !isWrite(method, path) || idempotentWrites[strings.ToUpper(method)+" "+path]
}
