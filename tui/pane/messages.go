package pane

import (
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// Messages go up from the panes to the root, which acts on them whichever pane sent them.

// NavigateMsg asks the root to show pane To, opened on Target (see Opener): a drill-down is
// pushed on the current view, a tab is switched to.
type NavigateMsg struct {
	To     Kind
	Target any
}

// Navigate returns the command that sends a NavigateMsg.
func Navigate(to Kind, target any) tea.Cmd {
	return func() tea.Msg { return NavigateMsg{To: to, Target: target} }
}

// SwitchTenantMsg asks the root to make CID the current tenant (enter on a tenant).
type SwitchTenantMsg struct {
	CID  string
	Name string
}

// TenantsListedMsg tells the root which tenants the client can act in, home first.
type TenantsListedMsg struct{ Tenants []falcon.Tenant }

// EditMembershipMsg asks the root to open the group-edit overlay for these hosts. Group is
// the group being viewed (x in its member list: remove the hosts from it); nil = the user
// picks a group.
type EditMembershipMsg struct {
	Action falcon.MembershipAction
	Hosts  []falcon.Host
	Group  *falcon.HostGroup
}

// UndoMsg asks the root to undo the last group edit.
type UndoMsg struct{}
