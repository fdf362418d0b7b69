package falcon

import (
	"net/http"
	"strings"
	"sync"
)

//go:generate go run gen_security.go -spec ../api/openapi-subset.json

var (
	extraMu     sync.RWMutex
	extraScopes = map[string]string{}
)

// ScopeFor returns the OAuth2 scope ("devices:read") that the operation needs, or "" when
// the operation is unknown. path may carry a query string. The table comes from the
// `security` of each operation in the API subset, plus operations registered by the scope
// probes (registerOpScope).
func ScopeFor(method, path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	key := strings.ToUpper(method) + " " + path
	if s, ok := opScopes[key]; ok {
		return s
	}
	extraMu.RLock()
	defer extraMu.RUnlock()
	return extraScopes[key]
}

// registerOpScope adds an operation outside the generated table (for example a probe
// endpoint the subset lacks), so that ScopeFor, APIError.Scope and the read/write
// classification know it. Call it from an init function.
func registerOpScope(method, path, scope string) {
	extraMu.Lock()
	defer extraMu.Unlock()
	extraScopes[strings.ToUpper(method)+" "+path] = scope
}

// The scope probes (scopes_catalogue.go) call endpoints outside the API subset; their
// catalogue says which scope each probe tests, so ScopeFor learns them from it. A probe
// endpoint that tests several scopes (one GraphQL route, different queries) is ambiguous
// and left out.
func init() {
	seen := map[string]string{}
	ambiguous := map[string]bool{}
	for _, d := range Catalogue() {
		for _, a := range []struct {
			def    *AccessDef
			access Access
		}{{d.Read, Read}, {d.Write, Write}} {
			if a.def == nil || a.def.Probe == nil {
				continue
			}
			key := strings.ToUpper(a.def.Probe.Method) + " " + a.def.Probe.Path
			if _, known := opScopes[key]; known {
				continue
			}
			scope := Perm(d.ID, a.access).String()
			if prev, dup := seen[key]; dup && prev != scope {
				ambiguous[key] = true
			}
			seen[key] = scope
		}
	}
	for key, scope := range seen {
		if !ambiguous[key] {
			method, path, _ := strings.Cut(key, " ")
			registerOpScope(method, path, scope)
		}
	}
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
