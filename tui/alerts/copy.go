package alerts

import (
	"github.com/falcon-tui/falcon-tui/tui/clip"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// Copy implements pane.Copier: y copies the composite id of the alert under the cursor
// (what the API's alert calls take); Y its name, composite id, severity, status, host and
// tenant.
func (m Model) Copy(full bool) (pane.Clip, bool) {
	a, ok := m.Selected()
	if !ok {
		return pane.Clip{}, false
	}
	if !full {
		return clip.Of("alert id", a.CompositeID)
	}
	name := a.DisplayName
	if name == "" {
		name = a.Name
	}
	tenant := ""
	if m.tenantName != nil {
		tenant = m.tenantName(a.CID)
	}
	return clip.Full("alert", name, a.CompositeID, a.SeverityName, a.Status, a.Hostname, tenant, clip.ID(a.CID))
}
