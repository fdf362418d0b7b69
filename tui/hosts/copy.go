package hosts

import (
	"github.com/falcon-tui/falcon-tui/tui/clip"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// Copy implements pane.Copier: y copies the device id under the cursor; Y the host name,
// device id, tenant name and CID, and the FQL filter in force (what a ticket or a colleague
// needs to find the host again).
func (m Model) Copy(full bool) (pane.Clip, bool) {
	h, ok := m.Selected()
	if !ok {
		return pane.Clip{}, false
	}
	if !full {
		return clip.Of("device id", h.DeviceID)
	}
	var fql string
	if f := m.FQL(); f != "" {
		fql = "fql " + f
	}
	return clip.Full("host", h.Hostname, h.DeviceID, m.names[h.CID], clip.ID(h.CID), fql)
}
