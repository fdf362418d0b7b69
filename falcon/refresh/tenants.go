package refresh

import (
	"context"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// TenantsResult is a tenant list as the API gave it, and how it differs from the store's.
type TenantsResult struct {
	Tenants        []falcon.Tenant
	Added, Removed []string // CIDs new to the store, and those it forgot
}

// Tenants lists the tenants through the API and records them (Record).
func (s *Syncer) Tenants(ctx context.Context) (TenantsResult, error) {
	ts, err := s.Client.Tenants.List(ctx)
	if err != nil {
		return TenantsResult{}, err
	}
	return Record(ctx, s.Store, ts, s.now())
}

// Record writes a tenant list the API gave (names, parents, link status; counts stay) and
// forgets, with everything stored under them, the tenants it no longer holds — never when
// the children could not be read (a 403 lists the home tenant alone, ChildrenHidden).
func Record(ctx context.Context, st *store.Store, ts []falcon.Tenant, now time.Time) (TenantsResult, error) {
	res := TenantsResult{Tenants: ts}
	if len(ts) == 0 {
		return res, nil // nothing listed says nothing about what went
	}
	before, err := st.Tenants(ctx)
	if err != nil {
		return res, err
	}
	known := make(map[string]bool, len(before))
	for _, t := range before {
		known[strings.ToLower(t.CID)] = true
	}
	rows := make([]store.Tenant, len(ts))
	live := make(map[string]bool, len(ts))
	complete := true
	for i, t := range ts {
		rows[i] = store.Tenant{CID: t.CID, Name: t.Name, Parent: t.ParentCID, Status: t.Status, Hosts: -1, Groups: -1, Alerts: -1}
		live[strings.ToLower(t.CID)] = true
		if !known[strings.ToLower(t.CID)] {
			res.Added = append(res.Added, t.CID)
		}
		if t.ChildrenHidden {
			complete = false
		}
	}
	if err := st.PutTenants(ctx, rows, now); err != nil {
		return res, err
	}
	if !complete {
		return res, nil
	}
	for _, t := range before {
		if live[strings.ToLower(t.CID)] {
			continue
		}
		if err := st.DeleteTenant(ctx, t.CID); err != nil {
			return res, err
		}
		res.Removed = append(res.Removed, t.CID)
	}
	return res, nil
}
