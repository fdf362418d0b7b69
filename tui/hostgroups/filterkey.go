package hostgroups

import (
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// filterKey handles a key while the groups list's or the members list's filter prompt has
// the keyboard: ↑/↓ still move in the list (ok is false: the list handles them); anything
// else goes to the prompt, and the caller refilters according to the event.
func filterKey(p *widget.Prompt, msg tea.KeyPressMsg) (ev widget.PromptEvent, cmd tea.Cmd, ok bool) {
	switch msg.String() {
	case "up", "down":
		return ev, nil, false
	}
	ev, cmd = p.Key(msg)
	return ev, cmd, true
}

// filterPlaceholders say what each list's filter searches.
const (
	groupsFilterHint  = "filter by name, type, rule or description"
	membersFilterHint = "filter by hostname, platform, OS or device id"
)
