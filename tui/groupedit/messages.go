package groupedit

import (
	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
)

// The overlay's announcements are the domain's: every pane reloads what they change without
// importing the overlay.
type (
	EditedMsg       = domain.EditedMsg
	GroupUpdatedMsg = domain.GroupUpdatedMsg
)

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

// runProgressMsg is one chunk done; next reads the run's following report.
type runProgressMsg struct {
	run      int
	progress falcon.MembershipProgress
	next     stream.Item[runEvent]
}

type runFinishedMsg struct {
	run    int
	result falcon.MembershipResult
	err    error
}
