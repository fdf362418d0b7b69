// Package hostgroups is the Host groups pane: the tenant's groups with their type, member
// count (counted concurrently), rule and description; `enter` lists a group's members, where
// hosts are marked for removal or for adding to another group; and the group edits — create
// (static, staticByID or dynamic), rename, description, a dynamic group's assignment_rule
// (the server's verdict shown inline) and delete (the name typed to confirm).
//
// # Contract with the root (tui/)
//
// It follows the pane contract of docs/TUI.md (package pane): New(pane.Deps) — the Deps'
// Prober is shared with the group-edit overlay so that a tenant is probed once per client —
// and SetTenant(cid) as its first load (it is a lazy pane) and on every tenant switch, plus
// SetTenants for the tenant labels in its Title ("Host groups(Acme)[12]", "Host groups(Acme)
// › Quarantine[40]").
//
// Messages it sends up:
//
//   - pane.EditMembershipMsg{Action, Hosts, Group}: `x` (remove the marked members from
//     Group, the group shown) or `a` (add them to a group to pick; Group nil). The root
//     calls groupedit.Model.Start(msg.Action, msg.Hosts, msg.Group).
//   - pane.NavigateMsg{To: pane.Host, Target: host}: `enter` on a member.
//   - status.Msg notices.
//
// Messages it must receive even when not focused (the root gives every pane every result):
// domain.EditedMsg (reload the edited group's count and, when shown, its members),
// domain.GroupUpdatedMsg and groupedit.WriteProbedMsg (host-group:write per tenant).
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
