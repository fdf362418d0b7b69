package scopes

import (
	"fmt"

	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// The NetBird set's readiness line also says how many hosts its ZTA gate would refuse at
// the threshold in force (:zta N, --zta-threshold): NetBird's Falcon integration admits a
// peer only when the host's overall score reaches zta_score_threshold. The root counts
// (ZTA.CountBelow, one call) and hands the count over.

// netbirdSet is the integration set the count belongs to (falcon/scopehealth sets.go).
const netbirdSet = "netbird-edr"

// ztaCount is the last count the root gave: hosts of the tenant below the threshold.
type ztaCount struct {
	threshold, below int
	tenant           string
	known            bool
}

// SetZTACount implements pane.ZTACounter (threshold 0: no threshold, nothing to say).
func (m *Model) SetZTACount(threshold, below int, tenant string) {
	m.zta = ztaCount{threshold: threshold, below: below, tenant: tenant, known: threshold > 0}
}

// ztaNote is what the NetBird line says of the threshold ("" without one).
func (m Model) ztaNote(set string) string {
	if set != netbirdSet || !m.zta.known {
		return ""
	}
	return m.st.Muted.Render(fmt.Sprintf(" · at ZTA %d: %s hosts of %s refused", m.zta.threshold, widget.Int(m.zta.below), m.zta.tenant))
}
