package alertdetail

import (
	"github.com/falcon-tui/falcon-tui/tui/clip"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// Copy implements pane.Copier: y copies the alert's composite id, Y its name, composite id,
// severity, status, host and CID.
func (m Model) Copy(full bool) (pane.Clip, bool) {
	if !m.has {
		return pane.Clip{}, false
	}
	a := m.alert
	if !full {
		return clip.Of("alert id", a.CompositeID)
	}
	name := a.DisplayName
	if name == "" {
		name = a.Name
	}
	return clip.Full("alert", name, a.CompositeID, a.SeverityName, a.Status, a.Hostname, clip.ID(a.CID))
}
