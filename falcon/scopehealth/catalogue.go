package scopehealth

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// ScopeDef is one API scope as the console's "API clients and keys" page shows it: a
// console name with a Read and (for most scopes) a Write checkbox.
type ScopeDef struct {
	ID    string     // identifier: "host-group"
	Name  string     // console name: "Host groups"
	Read  *AccessDef // nil when the scope has no read access
	Write *AccessDef // nil when the scope has no write access
	// Verified is false when the identifier or console name comes from a single
	// third-party source or an inference (docs/API.md §8, §18), so reports can say so.
	Verified bool
}

// AccessDef is what one checkbox of a scope unlocks and how to test it.
type AccessDef struct {
	// Probe is the cheapest side-effect-free call that tells granted from denied; nil when
	// no such call is known (the state stays unknown unless the scope listing settles it).
	Probe *falcon.ScopeProbe
	// Features are the falcon-tui features this access unlocks (and so blocks when
	// missing). Empty for scopes only integrations use.
	Features []string
	// API says what the access opens in the API, for reports about integrations.
	API string
}

// Probe constructors keep the table below readable.
func probeGET(path string, query ...string) *falcon.ScopeProbe {
	return &falcon.ScopeProbe{Kind: falcon.ProbeRead, Method: "GET", Path: path, Query: probeQuery(query)}
}

func probePOSTRead(path, body string) *falcon.ScopeProbe {
	return &falcon.ScopeProbe{Kind: falcon.ProbeRead, Method: "POST", Path: path, Body: json.RawMessage(body)}
}

func probeInvalid(method, path, body string, query ...string) *falcon.ScopeProbe {
	p := &falcon.ScopeProbe{Kind: falcon.ProbeInvalidWrite, Method: method, Path: path, Query: probeQuery(query)}
	if body != "" {
		p.Body = json.RawMessage(body)
	}
	return p
}

func probeQuery(kv []string) url.Values {
	if len(kv) == 0 {
		return nil
	}
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// scopeCatalogue is every scope falcon-tui or one of its integration sets needs, in the order
// reports list them: falcon-tui's own first, then the integrations'.
//
// Read probes are GETs with limit=1 on query endpoints (docs/API.md §9).
//
// Write probes are limited to the four of docs/API.md §9: a structurally empty body (no ids,
// no resources) on an endpoint that only edits existing records or creates configuration
// one entry per listed element, and cannot start anything; so even a service that skipped
// validation would have nothing to act on.
// Each is justified where it stands. Every other write access has no probe: its state is
// unknown unless the scope listing (/api-clients) settles it. That rules out, on purpose:
//   - POST /real-time-response/entities/sessions/v1: opens a session on a host;
//   - POST /incidents/entities/incident-actions/v1: runs actions on incidents;
//   - POST /ods/entities/scans/v1: creates and starts a scan;
//   - the IOC, IOA-exclusion, ML-exclusion and legacy-detection PATCHes and the Identity
//     Protection GraphQL mutation: outside the verified API subset, their bodies are not
//     an empty resource list and how their services treat an empty one is unknown.
//
// Nothing here ever uses devices-actions, host-group-actions, sessions, scans or any call
// that could start work; TestCatalogueIsWellFormed enforces the list of write probes.
var scopeCatalogue = []ScopeDef{
	{ID: "devices", Name: "Hosts", Verified: true,
		Read: &AccessDef{Probe: probeGET("/devices/queries/devices/v1", "limit", "1"),
			Features: []string{"Hosts pane", "host detail", "host counts in Tenants", "falcon-tui hosts"},
			API:      "host lists and details"},
		// docs/API.md §9: tags are labels on existing hosts; with no device ids there is
		// nothing to tag.
		// (devices-actions, which contains hosts, is never probed.)
		Write: &AccessDef{Probe: probeInvalid("PATCH", "/devices/entities/devices/tags/v1", `{"action":"add","device_ids":[],"tags":[]}`),
			API: "host actions (contain, lift containment, hide) and tags"}},
	{ID: "host-group", Name: "Host groups", Verified: true,
		Read: &AccessDef{Probe: probeGET("/devices/queries/host-groups/v1", "limit", "1"),
			Features: []string{"Host groups pane", "group members", "group picker for a/x"},
			API:      "host groups and their members"},
		// docs/API.md §9: PATCH updates existing groups (configuration) and cannot create one; an
		// empty resources list names none. The client sends the same probe for
		// HostGroupsService.WriteAccess, so the report and the TUI's write keys agree.
		Write: &AccessDef{Probe: falcon.HostGroupWriteProbe(),
			Features: []string{"group membership edits (a, x, u)", "create, rename and delete groups"},
			API:      "host group create, update, delete and membership"}},
	{ID: "alerts", Name: "Alerts", Verified: true,
		Read: &AccessDef{Probe: probeGET("/alerts/queries/alerts/v2", "limit", "1"),
			Features: []string{"Alerts pane", "a host's recent alerts", "new-alert counts in Tenants"},
			API:      "alert lists and details"},
		// docs/API.md §9: PATCH updates the status or assignment of existing alerts; with no
		// composite ids and no action there is no alert and nothing to do. The client sends
		// the same probe for AlertsService.WriteAccess, so the report and triage agree.
		Write: &AccessDef{Probe: falcon.AlertsWriteProbe(),
			API: "alert status, assignment, tags and comments"}},
	{ID: "mssp", Name: "Flight Control", Verified: true,
		Read: &AccessDef{Probe: probeGET("/mssp/queries/children/v1", "limit", "1"),
			Features: []string{"child tenants in Tenants", ":ctx tenant switch", "--all-tenants"},
			API:      "Flight Control child tenants"},
		// docs/API.md §9: CID groups are Flight Control configuration; the POST creates one
		// group per element of resources, so an empty list creates none.
		Write: &AccessDef{Probe: probeInvalid("POST", "/mssp/entities/cid-groups/v1", `{"resources":[]}`),
			API: "Flight Control CID groups, user groups and roles"}},
	{ID: "zero-trust-assessment", Name: "Zero Trust Assessment", Verified: true,
		Read: &AccessDef{Probe: probeGET("/zero-trust-assessment/queries/assessments/v1", "filter", "score:>=0", "limit", "1"),
			Features: []string{"ZTA score in host detail"},
			API:      "Zero Trust Assessment scores"}},
	{ID: "sensor-installers", Name: "Sensor Download", Verified: true,
		Read: &AccessDef{Probe: probeGET("/sensors/queries/installers/ccid/v1"),
			API: "sensor installers and the CCID"}},
	// The identifier is the subset's; a third-party README says sensor-usage-api (docs/API.md §8).
	{ID: "sensor-usage", Name: "Sensor Usage",
		Read: &AccessDef{Probe: probeGET("/billing-dashboards-usage/aggregates/weekly-average/v1"),
			API: "sensor usage (billing) averages"}},
	{ID: "usermgmt", Name: "User management", Verified: true,
		Read: &AccessDef{Probe: probeGET("/user-management/queries/users/v1", "limit", "1"),
			API: "console users"}},
	// Inferred identifier (docs/API.md §8, §18): the api-clients ops are new and carry no
	// published scope.
	{ID: "api-clients", Name: "API clients",
		Read: &AccessDef{Probe: probeGET("/api-clients/queries/api-clients/v1", "limit", "1"),
			Features: []string{"the scope listing cross-check in this report"},
			API:      "API client definitions and their scopes"}},
	{ID: "real-time-response", Name: "Real time response", Verified: true,
		Read: &AccessDef{Probe: probeGET("/real-time-response/queries/sessions/v1", "limit", "1"),
			API: "Real Time Response sessions and command results"},
		// No write probe: a session POST could start work on a host (see above).
		Write: &AccessDef{API: "Real Time Response sessions and commands"}},
	{ID: "iocs", Name: "IOC Manager", Verified: true,
		Read: &AccessDef{Probe: probeGET("/iocs/queries/indicators/v1", "limit", "1"),
			API: "custom indicators of compromise"},
		Write: &AccessDef{API: "create, update and delete custom IOCs"}},
	{ID: "self-service-ioa-exclusions", Name: "IOA Exclusions", Verified: true,
		Read: &AccessDef{Probe: probeGET("/policy/queries/ioa-exclusions/v1", "limit", "1"),
			API: "IOA exclusions"},
		Write: &AccessDef{API: "create, update and delete IOA exclusions"}},
	{ID: "ml-exclusions", Name: "Machine Learning Exclusions", Verified: true,
		Read: &AccessDef{Probe: probeGET("/policy/queries/ml-exclusions/v1", "limit", "1"),
			API: "machine-learning exclusions"},
		Write: &AccessDef{API: "create, update and delete ML exclusions"}},
	{ID: "detects", Name: "Detections", Verified: true,
		Read: &AccessDef{Probe: probeGET("/detects/queries/detects/v1", "limit", "1"),
			API: "legacy detections"},
		Write: &AccessDef{API: "legacy detection status and assignment"}},
	{ID: "incidents", Name: "Incidents", Verified: true,
		Read: &AccessDef{Probe: probeGET("/incidents/queries/incidents/v1", "limit", "1"),
			API: "incidents"},
		// No write probe: incident-actions runs actions (see above).
		Write: &AccessDef{API: "incident status, assignment and tags"}},
	{ID: "spotlight-vulnerabilities", Name: "Spotlight Vulnerabilities", Verified: true,
		Read: &AccessDef{Probe: probeGET("/spotlight/queries/vulnerabilities/v1", "filter", "status:'open'", "limit", "1"),
			API: "Spotlight vulnerabilities"}},
	{ID: "ods", Name: "On-Demand Scans (ODS)", Verified: true,
		Read: &AccessDef{Probe: probeGET("/ods/queries/scans/v1", "limit", "1"),
			API: "on-demand scans and their results"},
		// No write probe: POST scans creates and starts a scan (see above).
		Write: &AccessDef{API: "start and cancel on-demand scans"}},
	// Identity Protection is one GraphQL endpoint: the query decides which scope is checked,
	// so each read probe asks for one harmless field of its own area. Writes are mutations
	// on an endpoint that can start work: they have no probe (see above).
	{ID: "identity-protection-entities", Name: "Identity Protection Entities", Verified: true,
		Read: &AccessDef{Probe: probePOSTRead("/identity-protection/combined/graphql/v1", `{"query":"{entities(first:1){nodes{entityId}}}"}`),
			API: "identity entities (users, endpoints)"},
		Write: &AccessDef{API: "identity entity changes (watch list, tags)"}},
	{ID: "identity-protection-detections", Name: "Identity Protection Detections", Verified: true,
		Read: &AccessDef{Probe: probePOSTRead("/identity-protection/combined/graphql/v1", `{"query":"{incidents(first:1){nodes{incidentId}}}"}`),
			API: "identity-based detections and incidents"},
		Write: &AccessDef{API: "identity detection and incident updates"}},
	{ID: "identity-protection-timeline", Name: "Identity Protection Timeline", Verified: true,
		Read: &AccessDef{Probe: probePOSTRead("/identity-protection/combined/graphql/v1", `{"query":"{timeline(first:1){nodes{eventId}}}"}`),
			API: "identity event timeline"}},
	{ID: "identity-protection-assessment", Name: "Identity Protection Assessment", Verified: true,
		Read: &AccessDef{Probe: probePOSTRead("/identity-protection/combined/graphql/v1", `{"query":"{entities(first:1){nodes{riskScore}}}"}`),
			API: "identity risk scores and risk factors"}},
}

// Catalogue returns the scope catalogue in report order. The AccessDefs are shared:
// treat them as read-only.
func Catalogue() []ScopeDef { return append([]ScopeDef(nil), scopeCatalogue...) }

// LookupScope finds a scope by identifier or console name (case-insensitive).
func LookupScope(idOrName string) (ScopeDef, bool) {
	for _, d := range scopeCatalogue {
		if strings.EqualFold(d.ID, idOrName) || strings.EqualFold(d.Name, idOrName) {
			return d, true
		}
	}
	return ScopeDef{}, false
}

// Access returns the definition of one checkbox (nil when the scope has no such access).
func (d ScopeDef) Access(a Access) *AccessDef {
	switch a {
	case Read:
		return d.Read
	case Write:
		return d.Write
	}
	return nil
}

// Permissions lists the scope's accesses, read first.
func (d ScopeDef) Permissions() []Permission {
	var ps []Permission
	if d.Read != nil {
		ps = append(ps, Perm(d.ID, Read))
	}
	if d.Write != nil {
		ps = append(ps, Perm(d.ID, Write))
	}
	return ps
}

// ConsoleLabel is how the console shows the checkbox: "Host groups: Write".
func (d ScopeDef) ConsoleLabel(a Access) string { return d.Name + ": " + a.Title() }

// Blocks names what a missing access takes away: falcon-tui's features when it uses the
// access, else what the access opens in the API.
func (a *AccessDef) Blocks() []string {
	if a == nil {
		return nil
	}
	if len(a.Features) > 0 {
		return append([]string(nil), a.Features...)
	}
	if a.API != "" {
		return []string{a.API}
	}
	return nil
}

// scopePermissionDef finds a permission's scope and access definitions.
func scopePermissionDef(p Permission) (ScopeDef, *AccessDef, bool) {
	d, ok := LookupScope(p.Scope)
	if !ok || !strings.EqualFold(d.ID, p.Scope) {
		return ScopeDef{}, nil, false
	}
	a := d.Access(p.Access)
	return d, a, a != nil
}
