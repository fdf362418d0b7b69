package falcontest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// Endpoints OUTSIDE openapi-subset.json. They exist so that scope probes
// (falcon-tui scopes --require …) have something real to hit for the
// scopes integrations need. Each is a cheap, empty, side-effect-free reply
// behind the same gateway pipeline (auth, rate limit, scope → 403).
//
// Read probes: a GET query with limit=1 answers 200 with no resources.
// Write probes: a structurally empty PATCH/POST answers 400 when the scope
// is granted (the service rejects the empty body) and 403 when not (the
// gateway rejects first) — the assumption of docs/API.md §9.
//
// Identity Protection is a single GraphQL endpoint; its scope depends on
// the root field queried:
//
//	entities / entity           → identity-protection-entities:read
//	timeline                    → identity-protection-timeline:read
//	detections / incidents      → identity-protection-detections:read
//	securityAssessment / risk*  → identity-protection-assessment:read
//	mutation { … }              → identity-protection-entities:write
//
// The gateway lets any identity-protection-* scope through; the handler
// then checks the scope of the queried root field (403 when missing).
type extraOp struct {
	method, path, id, scope, service string
	scopePrefix                      string
	write                            bool
	params                           []param
}

var probeParams = []param{
	{name: "limit", typ: pInt, min: ptr(1), max: ptr(5000)},
	{name: "offset", typ: pString},
	{name: "filter", typ: pString},
	{name: "sort", typ: pString},
	{name: "q", typ: pString},
	{name: "after", typ: pString},
}

var extraOps = []extraOp{
	{method: "GET", path: "/real-time-response/queries/sessions/v1", id: "RTR_ListAllSessions", scope: "real-time-response:read", service: "empower-api", params: probeParams},
	{method: "POST", path: "/real-time-response/entities/sessions/v1", id: "RTR_InitSession", scope: "real-time-response:write", service: "empower-api", write: true,
		params: []param{{name: "timeout", typ: pInt}, {name: "timeout_duration", typ: pString}}},
	{method: "GET", path: "/iocs/queries/indicators/v1", id: "indicator.search.v1", scope: "iocs:read", service: "ioc-manager", params: probeParams},
	{method: "PATCH", path: "/iocs/entities/indicators/v1", id: "indicator.update.v1", scope: "iocs:write", service: "ioc-manager", write: true,
		params: []param{{name: "retrodetects", typ: pBool}, {name: "ignore_warnings", typ: pBool}}},
	{method: "GET", path: "/policy/queries/ioa-exclusions/v1", id: "queryIOAExclusionsV1", scope: "self-service-ioa-exclusions:read", service: "policy-api", params: probeParams},
	{method: "PATCH", path: "/policy/entities/ioa-exclusions/v1", id: "updateIOAExclusionsV1", scope: "self-service-ioa-exclusions:write", service: "policy-api", write: true},
	{method: "GET", path: "/policy/queries/ml-exclusions/v1", id: "queryMLExclusionsV1", scope: "ml-exclusions:read", service: "policy-api", params: probeParams},
	{method: "PATCH", path: "/policy/entities/ml-exclusions/v1", id: "updateMLExclusionsV1", scope: "ml-exclusions:write", service: "policy-api", write: true},
	{method: "GET", path: "/detects/queries/detects/v1", id: "QueryDetects", scope: "detects:read", service: "detectsapi", params: probeParams},
	{method: "PATCH", path: "/detects/entities/detects/v2", id: "UpdateDetectsByIdsV2", scope: "detects:write", service: "detectsapi", write: true},
	{method: "GET", path: "/incidents/queries/incidents/v1", id: "QueryIncidents", scope: "incidents:read", service: "incident-api", params: probeParams},
	{method: "POST", path: "/incidents/entities/incident-actions/v1", id: "PerformIncidentAction", scope: "incidents:write", service: "incident-api", write: true,
		params: []param{{name: "update_detects", typ: pBool}, {name: "overwrite_detects", typ: pBool}}},
	{method: "GET", path: "/spotlight/queries/vulnerabilities/v1", id: "queryVulnerabilities", scope: "spotlight-vulnerabilities:read", service: "spotlight",
		params: append([]param{{name: "filter", typ: pString, required: true}}, probeParams[:1]...)},
	{method: "GET", path: "/ods/queries/scans/v1", id: "query-scans", scope: "ods:read", service: "ods-api", params: probeParams},
	{method: "POST", path: "/ods/entities/scans/v1", id: "create-scan", scope: "ods:write", service: "ods-api", write: true},
	{method: "POST", path: "/identity-protection/combined/graphql/v1", id: "api.preempt.proxy.post.graphql", scope: "identity-protection-entities:read", scopePrefix: "identity-protection-", service: "identity-protection"},
}

// extraScopesOnly lists scopes granted by the catalogue that no route
// requires directly (checked inside the GraphQL handler).
var extraScopesOnly = []string{
	"identity-protection-timeline:read", "identity-protection-detections:read",
	"identity-protection-assessment:read", "identity-protection-entities:write",
	"identity-protection-detections:write", // XSOAR asks for it; only the /api-clients listing can show it
}

func (s *Server) serveExtra(c *call, e extraOp) {
	if e.path == "/identity-protection/combined/graphql/v1" {
		s.serveGraphQL(c)
		return
	}
	if e.write {
		// Structurally empty bodies are what probes send: reject them like
		// the service would, after the gateway let the call through.
		b, _ := io.ReadAll(io.LimitReader(c.r.Body, 1<<20))
		if isEmptyBody(b) {
			c.fail(http.StatusBadRequest, "request body must name at least one resource")
			return
		}
		c.fail(http.StatusBadRequest, "the simulator does not implement this write")
		return
	}
	offset, limit := 0, c.intParam("limit", defaultLimit)
	c.send(reply{resources: []string{}, pagination: offsetPaging{Offset: offset, Limit: limit, Total: 0}})
}

// isEmptyBody: no body, {}, [], or an object whose values are all empty.
func isEmptyBody(b []byte) bool {
	var v any
	if len(strings.TrimSpace(string(b))) == 0 || json.Unmarshal(b, &v) != nil {
		return true
	}
	switch x := v.(type) {
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, val := range x {
			switch y := val.(type) {
			case []any:
				if len(y) > 0 {
					return false
				}
			case map[string]any:
				if len(y) > 0 {
					return false
				}
			case string:
				if y != "" {
					return false
				}
			case nil:
			default:
				return false
			}
		}
		return true
	}
	return true
}

func (s *Server) serveGraphQL(c *call) {
	var req struct {
		Query string `json:"query"`
	}
	b, _ := io.ReadAll(io.LimitReader(c.r.Body, 1<<20))
	if json.Unmarshal(b, &req) != nil || strings.TrimSpace(req.Query) == "" {
		c.fail(http.StatusBadRequest, "a GraphQL query is required")
		return
	}
	q := strings.TrimSpace(req.Query)
	scope, root := "identity-protection-entities:read", "entities"
	switch {
	case strings.HasPrefix(q, "mutation"):
		scope, root = "identity-protection-entities:write", ""
	case strings.Contains(q, "timeline"):
		scope, root = "identity-protection-timeline:read", "timeline"
	case strings.Contains(q, "detections"), strings.Contains(q, "incidents"):
		scope, root = "identity-protection-detections:read", "detections"
	case strings.Contains(q, "securityAssessment"), strings.Contains(q, "risk"):
		scope, root = "identity-protection-assessment:read", "securityAssessment"
	}
	if !c.sess.client.has(scope) {
		c.gatewayFail(http.StatusForbidden, "access denied, scope not permitted")
		return
	}
	if root == "" {
		c.writeJSON(http.StatusBadRequest, map[string]any{"errors": []map[string]string{{"message": "mutation input must not be empty"}}})
		return
	}
	c.writeJSON(http.StatusOK, map[string]any{"data": map[string]any{root: map[string]any{"nodes": []any{}, "pageInfo": map[string]any{"hasNextPage": false}}}})
}
