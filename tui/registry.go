package tui

import (
	"github.com/falcon-tui/falcon-tui/tui/alertdetail"
	"github.com/falcon-tui/falcon-tui/tui/alerts"
	"github.com/falcon-tui/falcon-tui/tui/hostdetail"
	"github.com/falcon-tui/falcon-tui/tui/hostgroups"
	"github.com/falcon-tui/falcon-tui/tui/hosts"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/requestlog"
	"github.com/falcon-tui/falcon-tui/tui/scopes"
	"github.com/falcon-tui/falcon-tui/tui/tenants"
	"github.com/falcon-tui/falcon-tui/tui/viewlist"
)

// DefaultRegistry is the explorer's panes: the one table the root reads. Rows that are not
// drill-downs are the tabs, in this order; every row gets the root's messages in this order,
// and (after the start pane's) lists its background work in the status bar in this order.
// Adding a pane is a package and a row here, and its keys in docs/KEYS.md (docs/TUI.md).
func DefaultRegistry() pane.Registry {
	return pane.Registry{
		Start: pane.Hosts,
		Panes: []pane.Spec{
			{Kind: pane.Tenants, Name: "Tenants", PicksTenant: true, Commands: []string{"tenants", "tenant", "t"},
				Desc: "parent and child tenants", New: pane.Make(tenants.New)},
			{Kind: pane.Hosts, Name: "Hosts", Commands: []string{"hosts", "host", "h"},
				Desc: "hosts of the current tenant", New: pane.Make(hosts.New)},
			{Kind: pane.Groups, Name: "Groups", Lazy: true, Commands: []string{"groups", "group", "hostgroups", "hg", "g"},
				Desc: "host groups", New: pane.Make(hostgroups.New)},
			{Kind: pane.Alerts, Name: "Alerts", Lazy: true, Commands: []string{"alerts", "alert"},
				Desc: "newest alerts", New: pane.Make(alerts.New)},
			{Kind: pane.Host, Name: "Host", Drill: true, New: pane.Make(hostdetail.New)},
			{Kind: pane.HostAlerts, Name: "Host alerts", Drill: true, Crumb: "alerts", New: pane.Make(alerts.New)},
			{Kind: pane.Alert, Name: "Alert", Drill: true, Crumb: "alert", New: pane.Make(alertdetail.New)},
			{Kind: pane.Scopes, Name: "Scopes", Lazy: true, Commands: []string{"scopes", "scope"},
				Desc: "what this API client may do", New: pane.Make(scopes.New)},
			{Kind: pane.Log, Name: "Log", Lazy: true, Commands: []string{"log", "requests"},
				Desc: "every API call of this session", New: pane.Make(requestlog.New)},
			// Opened by :views (tui/views.go), with the views file's list.
			{Kind: viewlist.Kind, Name: "Views", Drill: true, Crumb: "views", New: pane.Make(viewlist.New)},
		},
	}
}
