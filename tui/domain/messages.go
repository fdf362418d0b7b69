package domain

import (
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// The group-edit overlay's announcements. The root gives them to every pane: each reloads
// what it shows of the group or its hosts.

// EditedMsg announces a finished membership edit (an edit, a retry or an undo). Result is
// the server's truth for the hosts sent in that run.
type EditedMsg struct {
	CID     string
	GroupID string
	Result  falcon.MembershipResult
}

// GroupUpdatedMsg announces that a group's settings changed (its rule, edited from the
// overlay's picker).
type GroupUpdatedMsg struct {
	CID   string
	Group falcon.HostGroup
}

// AlertsUpdatedMsg announces alerts a triage changed, as the server holds them after the
// change (re-read): every pane that shows one of them replaces it.
type AlertsUpdatedMsg struct{ Alerts []falcon.Alert }

// TenantSyncedMsg says a tenant's hosts in the local store were refreshed at At (the hosts
// list's background refresh), for the panes that show how old stored rows are.
type TenantSyncedMsg struct {
	CID string
	At  time.Time
}
