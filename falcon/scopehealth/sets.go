package scopehealth

import (
	"sort"
	"strings"
)

// Requirement is one permission an integration needs.
type Requirement struct {
	Permission Permission
	// Optional requirements degrade a feature instead of breaking the integration; a
	// missing one is reported but does not make the set "not ready".
	Optional bool
	// Why overrides the catalogue's feature list for this integration ("" = use it).
	Why string
}

// IntegrationSet is a named list of permissions some tool needs, with where the list
// comes from.
type IntegrationSet struct {
	Name     string // "ninjaone-multitenancy": what --require takes
	Title    string // "NinjaOne multi-tenancy"
	Source   string // where the list was read
	Requires []Requirement
}

func setReq(id string, a Access) Requirement { return Requirement{Permission: Perm(id, a)} }

func setOptional(id string, a Access, why string) Requirement {
	return Requirement{Permission: Perm(id, a), Optional: true, Why: why}
}

// setReadWrite expands "X - Read and Write" lines of integration docs.
func setReadWrite(ids ...string) []Requirement {
	var rs []Requirement
	for _, id := range ids {
		rs = append(rs, setReq(id, Read), setReq(id, Write))
	}
	return rs
}

func setReadOnly(ids ...string) []Requirement {
	var rs []Requirement
	for _, id := range ids {
		rs = append(rs, setReq(id, Read))
	}
	return rs
}

func setConcat(parts ...[]Requirement) []Requirement {
	var rs []Requirement
	for _, p := range parts {
		rs = append(rs, p...)
	}
	return rs
}

var scopeIntegrationSets = []IntegrationSet{
	{Name: "falcon-tui", Title: "falcon-tui", Source: "this application's panes and commands",
		Requires: []Requirement{
			setReq("devices", Read),
			setReq("host-group", Read),
			setReq("host-group", Write),
			setReq("alerts", Read),
			setOptional("mssp", Read, "child tenants (needed only in a Flight Control parent)"),
			setOptional("zero-trust-assessment", Read, "ZTA score in host detail"),
			setOptional("api-clients", Read, "the scope listing cross-check in this report"),
		}},
	{Name: "ninjaone-multitenancy", Title: "NinjaOne multi-tenancy",
		Source: "NinjaOne: API Scopes Required for CrowdStrike Multi-tenancy",
		Requires: setConcat(
			setReadOnly("alerts"),
			setReadWrite("devices", "host-group"),
			setReadOnly("sensor-installers", "mssp", "sensor-usage"),
		)},
	{Name: "cortex-xsoar", Title: "Cortex XSOAR",
		Source: "Cortex XSOAR CrowdStrike Falcon integration: required API client scopes",
		Requires: setConcat(
			setReadWrite("real-time-response", "alerts", "iocs", "self-service-ioa-exclusions", "ml-exclusions",
				"detects", "devices", "host-group", "incidents"),
			setReadOnly("spotlight-vulnerabilities", "usermgmt"),
			setReadWrite("ods", "identity-protection-entities", "identity-protection-detections"),
			setReadOnly("identity-protection-timeline", "identity-protection-assessment"),
		)},
	// NetBird's API takes a Falcon client, a cloud, groups (NetBird's own) and a ZTA score
	// threshold: it reads hosts and their Zero Trust Assessment to approve peers.
	{Name: "netbird-edr", Title: "NetBird EDR (Falcon)",
		Source: "NetBird API: Create EDR Falcon Integration (client id, secret, cloud, zta_score_threshold)",
		Requires: []Requirement{
			{Permission: Perm("devices", Read), Why: "match NetBird peers to Falcon hosts"},
			{Permission: Perm("zero-trust-assessment", Read), Why: "ZTA score checked against zta_score_threshold"},
		}},
}

// IntegrationSets returns the known sets in a stable order (falcon-tui first).
func IntegrationSets() []IntegrationSet {
	return append([]IntegrationSet(nil), scopeIntegrationSets...)
}

// IntegrationSetNames lists the names --require accepts.
func IntegrationSetNames() []string {
	names := make([]string, len(scopeIntegrationSets))
	for i, s := range scopeIntegrationSets {
		names[i] = s.Name
	}
	return names
}

// LookupIntegrationSet finds a set by name (case-insensitive).
func LookupIntegrationSet(name string) (IntegrationSet, bool) {
	for _, s := range scopeIntegrationSets {
		if strings.EqualFold(s.Name, strings.TrimSpace(name)) {
			return s, true
		}
	}
	return IntegrationSet{}, false
}

// Permissions is the set's permissions in catalogue order, without duplicates.
func (s IntegrationSet) Permissions() []Permission {
	seen := map[Permission]bool{}
	var ps []Permission
	for _, r := range s.Requires {
		if !seen[r.Permission] {
			seen[r.Permission] = true
			ps = append(ps, r.Permission)
		}
	}
	sortPermsByCatalogue(ps)
	return ps
}

// sortPermsByCatalogue orders permissions as the catalogue lists them (unknown ones last, by name).
func sortPermsByCatalogue(ps []Permission) {
	rank := func(p Permission) int {
		for i, d := range scopeCatalogue {
			if d.ID == p.Scope {
				if p.Access == Write {
					return 2*i + 1
				}
				return 2 * i
			}
		}
		return 1 << 30
	}
	sort.SliceStable(ps, func(i, j int) bool {
		ri, rj := rank(ps[i]), rank(ps[j])
		if ri != rj {
			return ri < rj
		}
		return ps[i].String() < ps[j].String()
	})
}
