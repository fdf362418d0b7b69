package scopehealth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// Concurrency bounds of a probe run. The client paces every tenant against its rate-limit
// pool; these only keep a run from opening dozens of connections at once.
const (
	probesInFlight          = 16 // over all tenants
	probesInFlightPerTenant = 6
	// probeTimeout bounds one probe, pacing and retries included, so that one stuck
	// endpoint costs a cell, not the report. It outlasts a 429 cooldown of a minute.
	probeTimeout = 90 * time.Second
)

// Probe tests every catalogued permission in the given tenants ("" or no cids = the home
// tenant) and cross-checks them against the client's own scope listing when it can read
// it. Probes are reads with limit=1 and writes the API must reject as invalid; none
// changes anything. The error is non-nil only when ctx ends; per-cell failures are in the
// report.
func Probe(ctx context.Context, c *falcon.Client, cids []string) (*Report, error) {
	tenants := make([]falcon.Tenant, 0, len(cids))
	for _, cid := range cids {
		tenants = append(tenants, falcon.Tenant{CID: cid})
	}
	return ProbeTenants(ctx, c, tenants)
}

// ProbeTenants is Probe with tenant names for the report (as Tenants.List returns them).
func ProbeTenants(ctx context.Context, c *falcon.Client, tenants []falcon.Tenant) (*Report, error) {
	return newProber(c).run(ctx, tenants)
}

// ProbeAll probes the home tenant and every Flight Control child it can list. Without
// mssp:read only the home tenant is probed, and the report says why.
func ProbeAll(ctx context.Context, c *falcon.Client) (*Report, error) {
	tenants, err := c.Tenants.List(ctx)
	var note string
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		tenants = nil
		note = "child tenants not listed (" + err.Error() + "): only the home tenant was probed"
	}
	rep, err := ProbeTenants(ctx, c, tenants)
	if err != nil {
		return nil, err
	}
	if note == "" && len(rep.Tenants) == 1 {
		// Tenants.List hides a missing mssp:read (a stand-alone customer looks the same):
		// say so when the probe shows it is the reason.
		if res, ok := rep.Tenants[0].Result(Perm("mssp", Read)); ok && res.State == falcon.ScopeDenied {
			note = "only the home tenant was probed: listing child tenants needs Flight Control: Read (mssp:read)"
		}
	}
	if note != "" {
		rep.Notes = append(rep.Notes, note)
	}
	return rep, nil
}

func newProber(c *falcon.Client) *prober {
	return &prober{do: c.Do, clientID: c.ClientID(), homeCID: c.HomeCID(), readOnly: c.ReadOnly()}
}

// prober runs probes through do, which has falcon.Client.Do's contract. Keeping it a function
// lets the unit tests feed fabricated replies.
type prober struct {
	do       func(ctx context.Context, cid string, r *falcon.Request) (*falcon.Response, error)
	clientID string
	homeCID  string
	readOnly bool
	now      func() time.Time
	timeout  time.Duration // per probe; 0 = probeTimeout
}

// probeJob is one cell to fill.
type probeJob struct {
	perm  Permission
	probe *falcon.ScopeProbe
	res   *ProbeResult
}

func (p *prober) run(ctx context.Context, tenants []falcon.Tenant) (*Report, error) {
	now := time.Now
	if p.now != nil {
		now = p.now
	}
	rep := &Report{ClientID: p.clientID, HomeCID: p.homeCID, ReadOnly: p.readOnly, Started: now()}
	for _, d := range scopeCatalogue {
		rep.perms = append(rep.perms, d.Permissions()...)
	}
	rep.Tenants = p.columns(tenants)
	rep.reindex()

	global := make(chan struct{}, probesInFlight)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		rep.Listing = p.listing(ctx, global)
	}()
	for i := range rep.Tenants {
		wg.Add(1)
		go func(t *TenantScopes) {
			defer wg.Done()
			p.probeTenant(ctx, t, rep.perms, global)
		}(&rep.Tenants[i])
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i := range rep.Tenants {
		mergeListing(&rep.Tenants[i], rep.Listing)
	}
	rep.Duration = ProbeDuration(now().Sub(rep.Started))
	return rep, nil
}

// columns turns the requested tenants into report columns: the home tenant when none is
// given, duplicates dropped, order kept.
func (p *prober) columns(tenants []falcon.Tenant) []TenantScopes {
	if len(tenants) == 0 {
		tenants = []falcon.Tenant{{CID: p.homeCID}}
	}
	seen := map[string]bool{}
	var cols []TenantScopes
	for _, t := range tenants {
		key := strings.ToLower(t.CID)
		if seen[key] {
			continue
		}
		seen[key] = true
		child := t.ParentCID != "" || (t.CID != "" && !strings.EqualFold(t.CID, p.homeCID))
		cols = append(cols, TenantScopes{Tenant: ProbedTenant{CID: t.CID, Name: t.Name, Child: child}})
	}
	return cols
}

// wireCID is the cid argument for Do. The client maps its home CID onto the home token
// itself; "" is the tenant the client started in.
func (p *prober) wireCID(t ProbedTenant) string { return t.CID }

func (p *prober) probeTenant(ctx context.Context, t *TenantScopes, perms []Permission, global chan struct{}) {
	t.Results = make([]ProbeResult, len(perms))
	var jobs []probeJob
	for i, perm := range perms {
		res := &t.Results[i]
		res.Permission = perm
		_, acc, _ := scopePermissionDef(perm)
		switch {
		case acc == nil || acc.Probe == nil:
			res.Probe, res.Detail = falcon.ScopeUnknown, "no side-effect-free probe exists"
		case p.readOnly && acc.Probe.Method != "GET":
			// The user asked for no writes; a POST read (GraphQL) is refused by the client too.
			res.Probe, res.Detail = falcon.ScopeUnknown, "not sent: read-only mode"
		default:
			jobs = append(jobs, probeJob{perm: perm, probe: acc.Probe, res: res})
		}
	}
	if len(jobs) == 0 {
		return
	}
	cid := p.wireCID(t.Tenant)
	var mu sync.Mutex // guards t.Requests
	send := func(j probeJob) error {
		select {
		case global <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-global }()
		mu.Lock()
		t.Requests++
		mu.Unlock()
		return p.probeOne(ctx, cid, j)
	}
	// The first probe goes alone: it fetches the tenant's token, and if the tenant cannot
	// be reached at all the other probes would only repeat the failure.
	if err := send(jobs[0]); err != nil {
		if ctx.Err() == nil && probeTenantFatal(err) {
			t.Err = err.Error()
			for _, j := range jobs[1:] {
				j.res.Probe, j.res.Detail = falcon.ScopeError, "tenant unreachable: "+err.Error()
			}
			return
		}
	}
	local := make(chan struct{}, probesInFlightPerTenant)
	var wg sync.WaitGroup
	for _, j := range jobs[1:] {
		select {
		case local <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func(j probeJob) {
			defer wg.Done()
			defer func() { <-local }()
			_ = send(j)
		}(j)
	}
	wg.Wait()
}

// probeOne sends one probe and fills its cell; the error is Do's transport error.
func (p *prober) probeOne(ctx context.Context, cid string, j probeJob) error {
	limit := p.timeout
	if limit <= 0 {
		limit = probeTimeout
	}
	pctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	resp, err := p.do(pctx, cid, j.probe.Request())
	if err != nil {
		j.res.Probe, j.res.Detail = falcon.ClassifyProbeError(err)
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			j.res.Detail = fmt.Sprintf("no answer within %v", limit)
		}
		if resp != nil {
			j.res.Status = resp.StatusCode
		}
		return err
	}
	j.res.Status, j.res.TraceID = resp.StatusCode, resp.TraceID
	j.res.Probe, j.res.Detail = falcon.ClassifyProbe(j.probe.Kind, resp)
	return nil
}

// mergeListing turns probe answers and the listing into verdicts. A settled live probe wins (it
// is what the API does today, per tenant); the listing fills in what no probe could
// settle, and a disagreement is noted on the cell.
func mergeListing(t *TenantScopes, l Listing) {
	for i := range t.Results {
		res := &t.Results[i]
		res.State = res.Probe
		if !l.Read() {
			continue
		}
		listed := l.Lists(res.Permission)
		res.Listed = &listed
		switch {
		case res.Probe == falcon.ScopeGranted && !listed:
			res.Detail = joinProbeDetail(res.Detail, "granted although the scope listing does not name it")
		case res.Probe == falcon.ScopeDenied && listed:
			res.Detail = joinProbeDetail(res.Detail, "denied although the scope listing names it")
		case res.Probe.Settled():
		case listed:
			res.State, res.Detail = falcon.ScopeGranted, joinProbeDetail(res.Detail, "granted per the scope listing")
		default:
			res.State, res.Detail = falcon.ScopeDenied, joinProbeDetail(res.Detail, "not in the scope listing")
		}
	}
}

func joinProbeDetail(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// listing reads the client's own definition. It needs api-clients:read, which many
// clients lack; then the report says so and relies on the probes alone.
func (p *prober) listing(ctx context.Context, global chan struct{}) Listing {
	if p.clientID == "" {
		return Listing{State: falcon.ScopeUnknown, Detail: "the client id is not known"}
	}
	select {
	case global <- struct{}{}:
	case <-ctx.Done():
		return Listing{State: falcon.ScopeError, Detail: ctx.Err().Error()}
	}
	defer func() { <-global }()
	setReq := &falcon.Request{Method: "GET", Path: "/api-clients/entities/api-clients/v1",
		Query: map[string][]string{"ids": {p.clientID}}}
	resp, err := p.do(ctx, p.homeCID, setReq) // API clients belong to the home tenant
	if err != nil {
		st, detail := falcon.ClassifyProbeError(err)
		return Listing{State: st, Detail: detail}
	}
	l := Listing{Status: resp.StatusCode}
	if resp.StatusCode != 200 {
		l.State, l.Detail = falcon.ClassifyProbe(falcon.ProbeRead, resp)
		if l.State == falcon.ScopeGranted { // a 400 got past the gateway but gave us nothing
			l.State = falcon.ScopeError
		}
		return l
	}
	perms, err := parseScopeListing(resp.Resources, p.clientID)
	if err != nil {
		l.State, l.Detail = falcon.ScopeError, err.Error()
		return l
	}
	l.State, l.Scopes = falcon.ScopeGranted, perms
	l.has = make(map[Permission]bool, len(perms))
	for _, q := range perms {
		l.has[q] = true
	}
	return l
}

// errScopeListingShape is returned when the listing's resources hold no scopes we can read.
var errScopeListingShape = errors.New("the scope listing has no recognisable scopes")

func wrapScopeListing(err error) error { return fmt.Errorf("scope listing: %w", err) }

// probeTenantFatal reports whether a transport error from Do means no call to the tenant can
// succeed (so the remaining probes would only repeat it).
func probeTenantFatal(err error) bool {
	for _, target := range []error{falcon.ErrUnreachable, falcon.ErrInvalidCredentials, falcon.ErrIPBlocked, falcon.ErrNotChild} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}
