package pane

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// The optional interfaces: the root calls each on every pane that implements it (As finds
// them), never on a pane it names.

// Session is what the root knows when a pane starts: the current tenant ("" = the client's
// start tenant, until the tenant list names it) and the tenants listed so far.
type Session struct {
	CID     string
	Tenants []falcon.Tenant
}

// Starter loads what the pane shows once connected: at connect, or when a Lazy pane is
// first shown. A pane without Start that is a TenantSetter starts with SetTenant.
type Starter interface {
	Start(Session) tea.Cmd
}

// TenantSetter follows the current tenant: the root calls it on a tenant switch (on the
// panes started by then) and it returns the reload.
type TenantSetter interface {
	SetTenant(cid string) tea.Cmd
}

// TenantLister is told the tenants the client can act in, each time the list loads.
type TenantLister interface {
	SetTenants([]falcon.Tenant)
}

// Adopter learns the CID of the tenant it already shows: the client's start tenant was
// loaded as "" before the tenant list named it. Nothing is reloaded.
type Adopter interface {
	Adopt(cid string)
}

// RateSetter is given every rate-limit state the client publishes (any tenant's).
type RateSetter interface {
	SetRate(falcon.RateState)
}

// Opener is a pane a NavigateMsg opens on a target (a host, an alert): it shows it and
// returns the loads.
type Opener interface {
	Open(target any) tea.Cmd
}

// Crumber names a drill-down on the tab bar's path by what it shows (a host's name); ""
// falls back to the registry's Crumb.
type Crumber interface {
	Crumb() string
}

// StoreShower shows what the local store holds (docs/STORE.md) before the client has
// connected: the first frame of a warm start. The root calls it once the stored tenant
// list is read, with the tenant to show and that list (read once for every pane); Start or
// SetTenant follows at connect and then refreshes what is shown instead of loading it
// afresh.
type StoreShower interface {
	ShowStored(cid string, tenants []store.Tenant) tea.Cmd
}

// Aged is a pane that may show stored data: AsOf is when the oldest of what it shows was
// synced with the API (zero: everything shown is fresh, or nothing is stored).
type Aged interface {
	AsOf() time.Time
}
