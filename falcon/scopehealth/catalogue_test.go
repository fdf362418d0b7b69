package scopehealth

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon"
)

func TestCatalogueIsWellFormed(t *testing.T) {
	ids := map[string]bool{}
	names := map[string]bool{}
	for _, d := range Catalogue() {
		if d.ID == "" || d.Name == "" {
			t.Errorf("scope %+v lacks an id or a console name", d)
		}
		if ids[d.ID] || names[strings.ToLower(d.Name)] {
			t.Errorf("scope %s listed twice", d.ID)
		}
		ids[d.ID], names[strings.ToLower(d.Name)] = true, true
		if d.Read == nil && d.Write == nil {
			t.Errorf("%s has neither read nor write", d.ID)
		}
		for _, p := range d.Permissions() {
			acc := d.Access(p.Access)
			if len(acc.Blocks()) == 0 {
				t.Errorf("%s: says nothing about what it unlocks", p)
			}
			pr := acc.Probe
			if pr == nil {
				continue
			}
			if !strings.HasPrefix(pr.Path, "/") || strings.Contains(pr.Path, "?") {
				t.Errorf("%s: bad probe path %q", p, pr.Path)
			}
			if strings.Contains(pr.Path, "devices-actions") || strings.Contains(pr.Path, "host-group-actions") {
				t.Errorf("%s: probes must never use an action endpoint (%s)", p, pr.Path)
			}
			switch p.Access {
			case Read:
				if pr.Kind != falcon.ProbeRead {
					t.Errorf("%s: read probe of kind %v", p, pr.Kind)
				}
				if pr.Method == "POST" && !strings.Contains(pr.Path, "graphql") {
					t.Errorf("%s: a POST read probe outside GraphQL", p)
				}
				if pr.Method != "GET" && pr.Method != "POST" {
					t.Errorf("%s: read probe with %s", p, pr.Method)
				}
				if l := pr.Query.Get("limit"); l != "" && l != "1" {
					t.Errorf("%s: read probe asks for %s records", p, l)
				}
			case Write:
				if pr.Kind != falcon.ProbeInvalidWrite || pr.Method == "GET" || pr.Method == "DELETE" {
					t.Errorf("%s: write probe %s of kind %v", p, pr.Method, pr.Kind)
				}
				if err := catalogueBodyIsEmpty(pr.Body); err != "" {
					t.Errorf("%s: write probe body %s: %s", p, pr.Body, err)
				}
			}
		}
	}
}

// The only write probes are the four of docs/API.md §9, each with its empty body: a write
// probe on any other endpoint (an RTR session, an incident action, a scan) could start
// work on a real cloud, so it must not be added without review.
func TestCatalogueWriteProbesAreTheSafeFour(t *testing.T) {
	want := map[string]string{
		"host-group:write": `PATCH /devices/entities/host-groups/v1 {"resources":[]}`,
		"devices:write":    `PATCH /devices/entities/devices/tags/v1 {"action":"add","device_ids":[],"tags":[]}`,
		"alerts:write":     `PATCH /alerts/entities/alerts/v3 {"composite_ids":[],"action_parameters":[]}`,
		"mssp:write":       `POST /mssp/entities/cid-groups/v1 {"resources":[]}`,
	}
	got := map[string]string{}
	for _, d := range Catalogue() {
		for _, p := range d.Permissions() {
			pr := d.Access(p.Access).Probe
			if pr == nil {
				continue
			}
			for _, bad := range []string{"real-time-response", "incident-actions", "/ods/entities/scans", "-actions", "graphql"} {
				if pr.Method != "GET" && strings.Contains(pr.Path, bad) && !(bad == "graphql" && pr.Kind == falcon.ProbeRead) {
					t.Errorf("%s: %s %s could start work", p, pr.Method, pr.Path)
				}
			}
			if pr.Kind == falcon.ProbeInvalidWrite {
				got[p.String()] = pr.Method + " " + pr.Path + " " + string(pr.Body)
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("write probes: %v, want exactly %v", got, want)
	}
	for perm, w := range want {
		if got[perm] != w {
			t.Errorf("%s probe = %q, want %q", perm, got[perm], w)
		}
	}
	for _, perm := range []string{"real-time-response:write", "incidents:write", "ods:write"} {
		p, _ := ParsePermission(perm)
		_, acc, ok := scopePermissionDef(p)
		if !ok || acc.Probe != nil || len(acc.Blocks()) == 0 {
			t.Errorf("%s: want a catalogued access with no probe", perm)
		}
	}
}

// catalogueBodyIsEmpty checks that a write probe names nothing to act on: every array in
// it is empty and no string looks like an id.
func catalogueBodyIsEmpty(body json.RawMessage) string {
	if body == nil {
		return ""
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err.Error()
	}
	var walk func(v any) string
	walk = func(v any) string {
		switch x := v.(type) {
		case []any:
			if len(x) > 0 {
				return "non-empty array"
			}
		case map[string]any:
			for _, e := range x {
				if s := walk(e); s != "" {
					return s
				}
			}
		case string:
			if len(x) >= 16 {
				return "a string that could be an id: " + x
			}
		}
		return ""
	}
	return walk(v)
}

func TestIntegrationSetsResolve(t *testing.T) {
	for _, s := range IntegrationSets() {
		if s.Name == "" || s.Title == "" || s.Source == "" || len(s.Requires) == 0 {
			t.Errorf("set %+v incomplete", s.Name)
		}
		for _, r := range s.Requires {
			if _, _, ok := scopePermissionDef(r.Permission); !ok {
				t.Errorf("%s requires %s, which the catalogue lacks", s.Name, r.Permission)
			}
		}
	}
	want := map[string]string{
		"ninjaone-multitenancy": "devices:read devices:write host-group:read host-group:write alerts:read mssp:read sensor-installers:read sensor-usage:read",
		"netbird-edr":           "devices:read zero-trust-assessment:read",
	}
	for name, perms := range want {
		s, ok := LookupIntegrationSet(name)
		if !ok {
			t.Fatalf("set %s missing", name)
		}
		var got []string
		for _, p := range s.Permissions() {
			got = append(got, p.String())
		}
		if strings.Join(got, " ") != perms {
			t.Errorf("%s = %v, want %s", name, got, perms)
		}
	}
	x, _ := LookupIntegrationSet("CORTEX-XSOAR")
	if n := len(x.Permissions()); n != 28 {
		t.Errorf("cortex-xsoar has %d permissions, want 28 (16 listed scopes, 12 of them read+write; docs/API.md §9)", n)
	}
	if _, ok := LookupIntegrationSet("nope"); ok {
		t.Error("unknown set found")
	}
	if got := strings.Join(IntegrationSetNames(), ","); got != "falcon-tui,ninjaone-multitenancy,cortex-xsoar,netbird-edr" {
		t.Errorf("names = %s", got)
	}
}

func TestPermissionText(t *testing.T) {
	p, err := ParsePermission(" Host-Group:WRITE ")
	if err != nil || p != Perm("host-group", Write) || p.String() != "host-group:write" {
		t.Fatalf("parse = %v, %v", p, err)
	}
	for _, bad := range []string{"", "devices", "devices:admin", ":read"} {
		if _, err := ParsePermission(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	b, _ := json.Marshal(struct {
		P Permission
		S falcon.ScopeState
	}{p, falcon.ScopeNotProvisioned})
	if string(b) != `{"P":"host-group:write","S":"not_provisioned"}` {
		t.Errorf("json = %s", b)
	}
	var back struct {
		P Permission
		S falcon.ScopeState
	}
	if err := json.Unmarshal(b, &back); err != nil || back.P != p || back.S != falcon.ScopeNotProvisioned {
		t.Errorf("round trip = %+v, %v", back, err)
	}
	for s := falcon.ScopeUnknown; s <= falcon.ScopeError; s++ {
		if Symbol(s) == "" || s.String() == "" {
			t.Errorf("state %d has no symbol or name", s)
		}
	}
}

func TestReadinessFromFabricatedReport(t *testing.T) {
	// "partial"-like client: everything read, no host-group:write, no mssp:read; the child
	// lacks Zero Trust Assessment.
	f := newProbeFake("devices:read", "devices:write", "host-group:read", "alerts:read", "alerts:write",
		"zero-trust-assessment:read", "sensor-installers:read", "sensor-usage:read")
	home, child := "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	f.unprov[child] = map[string]bool{"zero-trust-assessment": true}
	rep, err := f.prober().run(context.Background(), []falcon.Tenant{{CID: home, Name: "Parent"}, {CID: child, Name: "Child", ParentCID: home}})
	if err != nil {
		t.Fatal(err)
	}
	tui, _ := LookupIntegrationSet("falcon-tui")
	r := rep.Readiness(tui)
	if r.Status != NotReady {
		t.Fatalf("falcon-tui = %v, want not ready", r.Status)
	}
	m := r.Missing()
	if len(m) != 2 || m[0].Permission != Perm("host-group", Write) || m[1].Tenant.CID != child {
		t.Fatalf("missing = %+v", m)
	}
	g := m[0]
	if g.ConsoleName != "Host groups" || g.State != falcon.ScopeDenied ||
		!strings.Contains(g.Fix, `"Host groups: Write" (host-group:write)`) ||
		!strings.Contains(strings.Join(g.Blocks, ","), "group membership edits") {
		t.Errorf("gap = %+v", g)
	}
	// Optional gaps are reported but do not decide.
	opt := r.OptionalGaps()
	var optPerms []string
	for _, g := range opt {
		optPerms = append(optPerms, g.Permission.String()+"@"+g.Tenant.Label())
	}
	if got := strings.Join(optPerms, " "); got != "mssp:read@Parent api-clients:read@Parent mssp:read@Child zero-trust-assessment:read@Child api-clients:read@Child" {
		t.Errorf("optional gaps = %s", got)
	}
	if s := r.Summary(); s != "not ready: 1 permission missing across 2 tenants" {
		t.Errorf("summary = %q", s)
	}

	nb, _ := LookupIntegrationSet("netbird-edr")
	r = rep.Readiness(nb)
	if r.Status != NotReady || len(r.Missing()) != 1 || r.Missing()[0].State != falcon.ScopeNotProvisioned ||
		!strings.Contains(r.Missing()[0].Fix, "not provisioned") || r.Missing()[0].Blocks[0] != "ZTA score checked against zta_score_threshold" {
		t.Errorf("netbird = %+v", r)
	}
	// Issue 11 item 23: a product that is not provisioned is not "1 permission missing".
	if s := r.Summary(); s != "not ready: Zero Trust Assessment not provisioned" {
		t.Errorf("netbird summary = %q", s)
	}

	// Unknown-only gaps make a set unverified, not missing.
	x := IntegrationSet{Name: "x", Title: "x", Requires: []Requirement{setReq("devices", Read), setReq("identity-protection-detections", Write)}}
	r = rep.Readiness(x)
	if r.Status != Unverified || len(r.Unchecked()) != 2 || !strings.Contains(r.Summary(), "could not be checked") {
		t.Errorf("unverified = %+v (%s)", r, r.Summary())
	}
	if n := len(rep.ReadinessAll()); n != len(IntegrationSets()) {
		t.Errorf("ReadinessAll gave %d", n)
	}
}

func TestReadinessReady(t *testing.T) {
	f := newProbeFake("devices:read", "zero-trust-assessment:read")
	rep, err := f.prober().run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	nb, _ := LookupIntegrationSet("netbird-edr")
	if r := rep.Readiness(nb); r.Status != Ready || len(r.Gaps) != 0 || r.Summary() != "ready" {
		t.Errorf("netbird = %+v", r)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"permission":"devices:read"`, `"state":"granted"`, `"listing":{"state":"denied"`, `"duration":`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("json lacks %s", want)
		}
	}
}

// The client knows the scope of every probe's endpoint (falcon.ScopeFor): APIError.Scope and
// read-only mode's read/write classification depend on it. A route that tests several
// scopes (Identity Protection's GraphQL, where the query decides) is the exception.
func TestClientKnowsEveryProbeScope(t *testing.T) {
	perms := map[string]map[Permission]bool{} // "METHOD /path" -> permissions probed there
	for _, d := range Catalogue() {
		for _, p := range d.Permissions() {
			if pr := d.Access(p.Access).Probe; pr != nil {
				key := pr.Method + " " + pr.Path
				if perms[key] == nil {
					perms[key] = map[Permission]bool{}
				}
				perms[key][p] = true
			}
		}
	}
	for key, ps := range perms {
		if len(ps) != 1 {
			continue
		}
		method, path, _ := strings.Cut(key, " ")
		for p := range ps {
			if got := falcon.ScopeFor(method, path); got != p.String() {
				t.Errorf("falcon.ScopeFor(%s) = %q, the catalogue probes %s there", key, got, p)
			}
		}
	}
}
