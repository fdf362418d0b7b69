// Package groupedit is the overlay that adds hosts to a host group or removes them from it,
// started from any pane: pick a group, confirm, run in 500-host chunks with progress, read
// the per-host report, retry the failures, undo.
//
// # Contract with the root (tui/)
//
// Construction, once per session:
//
//	ge := groupedit.New(client, styles, groupedit.Options{TenantName: func(cid string) string {...}})
//
// Starting a flow (messages go up, method calls go down):
//
//   - pane.EditMembershipMsg{Action, Hosts, Group} → cmd := ge.Start(msg.Action, msg.Hosts, msg.Group)
//     (Group is the group whose members are shown, for `x`; nil means "pick a group")
//   - the global `u` and pane.UndoMsg               → cmd := ge.Undo()   (ge.CanUndo() says if there is one;
//     the box opens on the undo's confirmation)
//
// Start and Undo return a status.Msg command instead of opening the box when the edit
// cannot be sent: read-only ("read-only: no write call is sent"), a tenant without
// host-group:write ("needs host-group:write"), a dynamic group, an empty selection, or an
// edit still running.
//
// While ge.Active() the root sends every key to ge.Update (the box is modal; ge.Capturing()
// is then true, so q, :, tab and ? are not global) and draws the box over the screen:
//
//	if l := ge.Layer(); l != nil {
//		screen = lipgloss.NewCompositor(lipgloss.NewLayer(screen), l).Render()
//	}
//
// (ge.View() is the box alone; ge.Position() is where it goes; ge.SetSize takes the whole
// screen's size.) Every other message must reach ge.Update too, active or not: the overlay's
// own results (group lists, chunk progress, the final result) arrive while the box is hidden,
// because `esc` during a run lets it go on in the background.
//
// Messages the overlay sends up:
//
//   - EditedMsg{CID, GroupID, Result} after every run (edit, retry, undo): panes showing the
//     group or its hosts reload (the hosts' groups column, the group's members and count).
//     It is domain.EditedMsg, so that the panes need not import the overlay.
//   - GroupUpdatedMsg{CID, Group} (domain.GroupUpdatedMsg) after the rule of a dynamic group
//     was edited from the picker.
//   - WriteProbedMsg{CID, Access} from the host-group:write probe. Forward it to the host-groups
//     pane as well: both record it, so the keys can say "needs host-group:write" up front.
//   - status.Msg notices (summary of each run, reasons an edit was refused).
//
// ge.ProbeTenant(cid) probes host-group:write once per tenant and client (call it on a tenant
// switch; pass the same Options.Prober to the host-groups pane so the two share the call);
// ge.WriteBlocked(cid) is then the reason a/x cannot be used there ("" when they can), for
// the hosts pane's key help.
//
// # Behaviour
//
// The picker offers the groups of the selection's tenants; static and staticByID groups can
// be chosen, a dynamic one is greyed with "its rule decides — press e to edit the rule" and
// `e` edits its assignment_rule in place (server errors shown inline). The confirmation shows
// the group, its type, its member count and the first hosts by name; selections of more than
// Options.TypeCountOver hosts (default 50) or spanning tenants need the count typed. Hosts of
// other tenants than the group's are never sent (a group holds only its tenant's hosts) and
// are counted as skipped. The run uses client.HostGroups.EditMembers; its per-host outcomes
// (changed / already a member / failed with the reason) are the server's truth and make the
// report. `r` resends exactly the failed hosts; `u` sends the inverse action for exactly the
// hosts the edit changed (MembershipResult.Changed), after a confirmation like the edit's —
// hosts it failed to revert stay undoable.
package groupedit
