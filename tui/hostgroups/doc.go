// Package hostgroups is the Host groups pane: the tenant's groups with their type, member
// count (counted concurrently), rule and description; `enter` lists a group's members, where
// hosts are marked for removal or for adding to another group; and the group edits — create
// (static, staticByID or dynamic), rename, description, a dynamic group's assignment_rule
// (the server's verdict shown inline) and delete (the name typed to confirm).
//
// # Contract with the root (tui/)
//
//	groups := hostgroups.New(client, styles, hostgroups.Options{Context: ctx, Now: now, TenantName: namer})
//	cmd := groups.SetTenant(cid) // on first show and on every tenant switch
//
// It follows the pane contract of docs/TUI.md (Update/View/SetSize/Focus/Blur/Capturing/KeyMap)
// and also offers Title() for the frame ("Host groups(Acme)[12]", "Host groups(Acme) ›
// Quarantine[40]") and SetTenantName for tenant labels learnt after start.
//
// Messages it sends up:
//
//   - EditMembershipMsg{Action, Hosts, Group}: `x` (remove the marked members from Group, the
//     group shown) or `a` (add them to a group to pick; Group nil). The root calls
//     groupedit.Model.Start(msg.Action, msg.Hosts, msg.Group).
//   - OpenHostMsg{Host}: `enter` on a member.
//   - status.Msg notices.
//
// Messages it must receive even when not focused (the root broadcasts them):
// groupedit.EditedMsg (reload the edited group's count and, when shown, its members),
// groupedit.GroupUpdatedMsg and groupedit.WriteProbedMsg (host-group:write per tenant).
//
// Write keys (n, R, E, e, d, x, a) check access before anything is typed or sent: read-only
// says "read-only: no write call is sent", a tenant without host-group:write says "needs
// host-group:write"; their help text says the same. A missing host-group:read shows the
// "needs `host-group:read`" state instead of an empty list.
//
// Marks are keyed by device id, as in the hosts pane (space, ctrl+a marks every shown row,
// ctrl+x clears); they survive filtering, scrolling and reloads of the same group, and marks
// of hosts that left the group are dropped when the list reloads.
package hostgroups
