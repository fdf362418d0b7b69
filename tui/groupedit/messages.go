package groupedit

import (
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// EditedMsg announces a finished membership edit (an edit, a retry or an undo), so that every
// pane showing the group or its hosts reloads them. Result is the server's truth for the hosts
// sent in that run.
type EditedMsg struct {
	CID     string
	GroupID string
	Result  falcon.MembershipResult
}

// GroupUpdatedMsg announces that a group's settings changed (its rule, edited from the picker).
type GroupUpdatedMsg struct {
	CID   string
	Group falcon.HostGroup
}

// Internal results. Each carries the generation of the flow that asked for it; a result from
// an older flow (the user cancelled and started again) is dropped.

type groupsLoadedMsg struct {
	gen    int
	groups []falcon.HostGroup
	errs   map[string]error // per tenant CID
}

type countLoadedMsg struct {
	gen     int
	groupID string
	count   int
	err     error
}

type ruleSavedMsg struct {
	gen   int
	group falcon.HostGroup
	err   error
}

// runProgressMsg is one chunk done; the channel is read again for the next message.
type runProgressMsg struct {
	run      int
	progress falcon.MembershipProgress
	ch       <-chan tea.Msg
}

type runFinishedMsg struct {
	run    int
	result falcon.MembershipResult
	err    error
}
