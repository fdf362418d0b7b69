package scopes

import (
	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/scopehealth"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// exportColumns are the matrix in an export, one row per scope and tenant (catalogue order,
// then the tenants' order on screen): a row a spreadsheet can filter and pivot, and no
// tenant name (API text) in the header.
var exportColumns = []string{"scope_id", "scope", "tenant", "cid", "read", "write"}

// Export implements pane.Exporter: the whole matrix, every tenant column (also those
// scrolled off screen). "" for an access the scope does not have.
func (m Model) Export() (pane.Table, string, bool) {
	if m.rep == nil || len(m.rep.Tenants) == 0 {
		if m.probing {
			return pane.Table{}, "the scopes are still being probed", false
		}
		return pane.Table{}, "no probe report yet (r probes)", false
	}
	// A new probe replaces the report; the one captured here is not written again (Result
	// on a tenant only reads).
	defs, tenants := m.defs, m.rep.Tenants
	nt := len(tenants)
	return pane.Table{Pane: "scopes", Columns: exportColumns, Len: len(defs) * nt,
		Row: func(i int, dst []string) []string {
			d, t := defs[i/nt], &tenants[i%nt]
			return append(dst, d.ID, d.Name, t.Tenant.Label(), t.Tenant.CID,
				state(t, d, scopehealth.Read), state(t, d, scopehealth.Write))
		}}, "", true
}

// state is one access's verdict in one tenant, as the JSON report names it.
func state(t *scopehealth.TenantScopes, d scopehealth.ScopeDef, a scopehealth.Access) string {
	if d.Access(a) == nil {
		return ""
	}
	if res, ok := t.Result(scopehealth.Perm(d.ID, a)); ok {
		return res.State.String()
	}
	return falcon.ScopeUnknown.String()
}
