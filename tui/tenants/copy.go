package tenants

import (
	"github.com/falcon-tui/falcon-tui/tui/clip"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// Copy implements pane.Copier: y copies the CID under the cursor, Y the tenant's name and
// CID.
func (m Model) Copy(full bool) (pane.Clip, bool) {
	t, ok := m.Selected()
	if !ok {
		return pane.Clip{}, false
	}
	if !full {
		return clip.Of("CID", t.CID)
	}
	return clip.Full("tenant", domain.TenantLabel(t), t.CID)
}
