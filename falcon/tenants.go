package falcon

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

const (
	pathChildrenQuery = "/mssp/queries/children/v1"
	pathChildrenGet   = "/mssp/entities/children/GET/v2"
	pathChildrenGetV1 = "/mssp/entities/children/v1"

	childrenPage     = 100 // the query's default is 10; 100 keeps large MSSPs to a few pages
	childrenPerBatch = 500 // IDs per children POST (caracara's batch)
)

// TenantsService reads the home tenant and its Flight Control children.
type TenantsService struct{ client *Client }

// List returns the home tenant first, then its children by name. Without mssp:read the
// list holds only the home tenant, marked ChildrenHidden. The home tenant's CID is "" when no endpoint the API
// client may read reveals it (see Client.HomeCID); its Name is always "": no endpoint
// names a tenant to itself (see home.go), so the UI labels it.
func (s *TenantsService) List(ctx context.Context) ([]Tenant, error) {
	c := s.client
	children, err := s.children(ctx)
	hidden := errors.Is(err, ErrScopeDenied)
	switch {
	case hidden:
		children, err = nil, nil // not allowed to see children: the home tenant says so
	case errors.Is(err, ErrNotProvisioned):
		children, err = nil, nil // not an MSSP: no children
	case err != nil:
		return nil, err
	}
	if err := c.ensureHomeCID(ctx); err != nil {
		return nil, err
	}
	home := Tenant{CID: c.HomeCID(), ChildrenHidden: hidden}
	out := []Tenant{home}
	for _, ch := range children {
		if ch.CID != home.CID {
			out = append(out, ch)
		}
	}
	slices.SortStableFunc(out[1:], func(a, b Tenant) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.CID, b.CID))
	})
	return out, nil
}

// children lists the home tenant's Flight Control children. Children are always listed
// from the home tenant, whatever tenant the client started in.
func (s *TenantsService) children(ctx context.Context) ([]Tenant, error) {
	c := s.client
	var ids []string
	for offset := 0; ; {
		q := url.Values{"limit": {itoa(childrenPage)}, "offset": {itoa(offset)}}
		var page []string
		resp, err := c.sendKey(ctx, "", &call{method: http.MethodGet, path: pathChildrenQuery, query: q}, &page)
		if err != nil {
			return nil, err
		}
		ids = append(ids, page...)
		offset += len(page)
		if len(page) == 0 || offset >= resp.Meta.Pagination.Total {
			break
		}
	}
	var out []Tenant
	for chunk := range slices.Chunk(dedupeIDs(ids), childrenPerBatch) {
		body, err := json.Marshal(map[string][]string{"ids": chunk})
		if err != nil {
			return nil, err
		}
		var links []struct {
			ChildCID string `json:"child_cid"`
			ChildOf  string `json:"child_of"`
			Name     string `json:"name"`
			Status   string `json:"status"`
		}
		if _, err := c.sendKey(ctx, "", &call{method: http.MethodPost, path: pathChildrenGet, body: body}, &links); err != nil {
			return nil, err
		}
		for _, l := range links {
			parent := normalizeCID(l.ChildOf)
			c.setHomeCID(parent) // the parent of our children is our home tenant
			out = append(out, Tenant{CID: normalizeCID(l.ChildCID), Name: l.Name, ParentCID: parent, Status: l.Status})
		}
	}
	return out, nil
}

// Summary counts a tenant's hosts, stale and contained hosts and new alerts. The four
// counts are queried in parallel; a count that could not be read is -1 and its error is
// joined into the returned error (so a tenant without alerts:read still shows its hosts).
func (s *TenantsService) Summary(ctx context.Context, cid string) (TenantSummary, error) {
	c := s.client
	sum := TenantSummary{CID: c.displayCID(c.tenantKey(cid))}
	type job struct {
		dst *int
		run func() (int, error)
	}
	jobs := []job{
		{&sum.Hosts, func() (int, error) { return c.Hosts.Count(ctx, cid, "") }},
		{&sum.Stale, func() (int, error) { return c.Hosts.Count(ctx, cid, "last_seen:<='now-7d'") }},
		{&sum.Contained, func() (int, error) { return c.Hosts.Count(ctx, cid, "status:'contained'") }},
		{&sum.NewAlerts, func() (int, error) { return c.Alerts.Count(ctx, cid, "status:'new'") }},
	}
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() {
			n, err := j.run()
			if err != nil {
				n, errs[i] = -1, err
			}
			*j.dst = n
		})
	}
	wg.Wait()
	return sum, errors.Join(errs...)
}
