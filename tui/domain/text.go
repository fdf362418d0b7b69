package domain

import (
	"strconv"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
)

// ReadOnlyReason is what a write key says in read-only mode.
const ReadOnlyReason = "read-only: no write call is sent"

// Ago renders how long before now t was, in the fewest cells that stay readable. Every
// pane writes a host's "last seen" and an alert's age this way, so one host reads the same
// wherever it is listed.
func Ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < 0:
		return "just now"
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s ago"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + "m ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + "h ago"
	case d < 60*24*time.Hour:
		return strconv.Itoa(int(d.Hours()/24)) + "d ago"
	case d < 2*365*24*time.Hour:
		return strconv.Itoa(int(d.Hours()/24/30)) + "mo ago"
	}
	return strconv.Itoa(int(d.Hours()/24/365)) + "y ago"
}

// ShortID abbreviates a 32-hex ID for places too narrow for all of it.
func ShortID(id string) string {
	if len(id) <= 12 {
		return id
	}
	return id[:8] + "…" + id[len(id)-4:]
}

// TenantLabel names a tenant for display (untrusted: sanitise it before the screen): the
// home tenant often has no name of its own.
func TenantLabel(t falcon.Tenant) string {
	switch {
	case t.Name != "":
		return t.Name
	case !t.IsChild():
		return "Home tenant"
	}
	return ShortID(t.CID)
}

// TenantNames returns a lookup of sanitised tenant labels by CID, built from a snapshot of
// ts (never the caller's model): "" for a tenant not in it. Panes and the overlay label
// tenants with it.
func TenantNames(ts []falcon.Tenant) func(cid string) string {
	names := make(map[string]string, len(ts))
	for _, t := range ts {
		names[t.CID] = sanitize.Text(TenantLabel(t))
	}
	return func(cid string) string { return names[cid] }
}

// TenantTitle labels the tenant a pane shows, in its title: name (a label from
// TenantNames) when known, else the short CID (the tenant list has not loaded, or does not
// hold it), else "Home tenant" (no CID is known yet).
func TenantTitle(name, cid string) string {
	switch {
	case name != "":
		return name
	case cid != "":
		return ShortID(strings.ToLower(cid))
	}
	return "Home tenant"
}

// ChildrenHidden is what stands where Flight Control children would be listed when the API
// client may not list them.
const ChildrenHidden = "child tenants hidden: needs mssp:read"

// ChildrenHiddenIn reports whether a tenant list lacks the children it would have with
// mssp:read (the client marks the home tenant so).
func ChildrenHiddenIn(ts []falcon.Tenant) bool {
	return len(ts) > 0 && ts[0].ChildrenHidden
}

// OneTenant says why a tenant list holds a single tenant: hidden children, or none.
func OneTenant(ts []falcon.Tenant) string {
	if ChildrenHiddenIn(ts) {
		return "one tenant: " + ChildrenHidden
	}
	return "this API client sees one tenant only (no Flight Control children)"
}
