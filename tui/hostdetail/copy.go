package hostdetail

import (
	"github.com/falcon-tui/falcon-tui/tui/clip"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// Copy implements pane.Copier: y copies the host's device id, Y its name, device id, CID,
// and serial number.
func (m Model) Copy(full bool) (pane.Clip, bool) {
	if !m.has {
		return pane.Clip{}, false
	}
	h := m.host
	if !full {
		return clip.Of("device id", h.DeviceID)
	}
	return clip.Full("host", h.Hostname, h.DeviceID, clip.ID(h.CID), h.SerialNumber)
}
