package scopehealth

import (
	"strconv"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// Report is the outcome of probing every catalogued permission in some tenants.
type Report struct {
	ClientID string        `json:"client_id"`
	HomeCID  string        `json:"home_cid,omitempty"`
	ReadOnly bool          `json:"read_only,omitempty"` // write probes were not sent
	Started  time.Time     `json:"started"`
	Duration ProbeDuration `json:"duration"`
	// Listing is what the client's own definition (/api-clients) says it may do.
	Listing Listing        `json:"listing"`
	Tenants []TenantScopes `json:"tenants"`
	Notes   []string       `json:"notes,omitempty"` // things the reader should know (children not listed, ...)
	index   map[string]int // cid (lower case) -> Tenants index
	perms   []Permission   // catalogue order
}

// ProbeDuration marshals as seconds (a float) so scripts need no Go duration parser.
type ProbeDuration time.Duration

func (d ProbeDuration) MarshalJSON() ([]byte, error) {
	return []byte(strconv.FormatFloat(time.Duration(d).Round(time.Millisecond).Seconds(), 'f', -1, 64)), nil
}

// Listing is the cross-check from GET /api-clients/entities/api-clients/v1?ids=<own id>.
type Listing struct {
	// State is granted when the listing was read, denied when api-clients:read is missing,
	// unknown when the client has no known id, error otherwise.
	State  falcon.ScopeState `json:"state"`
	Status int               `json:"status,omitempty"`
	Detail string            `json:"detail,omitempty"`
	Scopes []Permission      `json:"scopes,omitempty"` // what the definition lists, sorted
	has    map[Permission]bool
}

// Read reports whether the listing was read and parsed.
func (l Listing) Read() bool { return l.State == falcon.ScopeGranted }

// Lists reports whether the listing names p (false when it was not read).
func (l Listing) Lists(p Permission) bool { return l.has[p] }

// ProbedTenant names a tenant in a report.
type ProbedTenant struct {
	CID   string `json:"cid"` // "" when the home CID is not known
	Name  string `json:"name,omitempty"`
	Child bool   `json:"child"`
}

// Label is the tenant's name, else "home" for the home tenant, else its CID.
func (t ProbedTenant) Label() string {
	switch {
	case t.Name != "":
		return t.Name
	case !t.Child || t.CID == "":
		return "home"
	}
	return t.CID
}

// TenantScopes is one tenant's column of the matrix.
type TenantScopes struct {
	Tenant   ProbedTenant  `json:"tenant"`
	Results  []ProbeResult `json:"results"`
	Requests int           `json:"requests"`        // probe requests sent to this tenant
	Err      string        `json:"error,omitempty"` // the tenant could not be probed at all
}

// ProbeResult is one cell of the matrix.
type ProbeResult struct {
	Permission Permission `json:"permission"`
	// State is the verdict: the live probe's when it settled the question, else the
	// scope listing's, else unknown/error.
	State falcon.ScopeState `json:"state"`
	// Probe is what the live probe alone said (unknown when none was sent).
	Probe falcon.ScopeState `json:"probe"`
	// Listed is what the client's scope listing says (nil when the listing was not read).
	Listed  *bool  `json:"listed,omitempty"`
	Status  int    `json:"status,omitempty"` // HTTP status of the probe; 0 = not sent
	Detail  string `json:"detail,omitempty"`
	TraceID string `json:"trace_id,omitempty"`
}

// Permissions lists the report's rows in catalogue order.
func (r *Report) Permissions() []Permission {
	if len(r.perms) == 0 {
		r.reindex()
	}
	return append([]Permission(nil), r.perms...)
}

// Tenant finds a tenant's column by CID (case-insensitive).
func (r *Report) Tenant(cid string) (*TenantScopes, bool) {
	if r.index == nil {
		r.reindex()
	}
	i, ok := r.index[strings.ToLower(cid)]
	if !ok {
		return nil, false
	}
	return &r.Tenants[i], true
}

// Result finds one cell.
func (r *Report) Result(cid string, p Permission) (ProbeResult, bool) {
	t, ok := r.Tenant(cid)
	if !ok {
		return ProbeResult{}, false
	}
	return t.Result(p)
}

// Result finds the tenant's result for p.
func (t *TenantScopes) Result(p Permission) (ProbeResult, bool) {
	for _, res := range t.Results {
		if res.Permission == p {
			return res, true
		}
	}
	return ProbeResult{}, false
}

func (r *Report) reindex() {
	r.index = make(map[string]int, len(r.Tenants))
	for i, t := range r.Tenants {
		r.index[strings.ToLower(t.Tenant.CID)] = i
	}
	if len(r.perms) == 0 && len(r.Tenants) > 0 {
		for _, res := range r.Tenants[0].Results {
			r.perms = append(r.perms, res.Permission)
		}
	}
}

// Requests is the number of probe requests the report cost (listing included).
func (r *Report) Requests() int {
	n := 0
	if r.Listing.Status != 0 {
		n++
	}
	for _, t := range r.Tenants {
		n += t.Requests
	}
	return n
}

// Counts tallies the verdicts of all cells.
func (r *Report) Counts() map[falcon.ScopeState]int {
	c := map[falcon.ScopeState]int{}
	for _, t := range r.Tenants {
		for _, res := range t.Results {
			c[res.State]++
		}
	}
	return c
}
