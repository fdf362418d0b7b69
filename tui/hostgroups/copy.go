package hostgroups

import (
	"github.com/falcon-tui/falcon-tui/tui/clip"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// Copy implements pane.Copier. In the group list y copies the group id, Y its name, id,
// type and assignment rule (a dynamic group's FQL). In a group's members y copies the
// device id, Y the host name, device id and the group's name and id.
func (m Model) Copy(full bool) (pane.Clip, bool) {
	if m.view == viewMembers {
		h, ok := m.members.current()
		if !ok {
			return pane.Clip{}, false
		}
		if !full {
			return clip.Of("device id", h.DeviceID)
		}
		g := m.members.group
		return clip.Full("member", h.Hostname, h.DeviceID, g.Name, clip.ID(g.ID))
	}
	g, ok := m.current()
	if !ok {
		return pane.Clip{}, false
	}
	if !full {
		return clip.Of("group id", g.ID)
	}
	return clip.Full("group", g.Name, g.ID, string(g.Type), g.AssignmentRule)
}
