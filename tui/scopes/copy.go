package scopes

import (
	"strings"

	"github.com/falcon-tui/falcon-tui/falcon/scopehealth"
	"github.com/falcon-tui/falcon-tui/tui/clip"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// Copy implements pane.Copier: y copies the id of the scope under the cursor
// ("host-group"); Y its console name, id and the permissions it has ("host-group:read
// host-group:write"), what an administrator ticks in the API client's definition.
func (m Model) Copy(full bool) (pane.Clip, bool) {
	if m.cursor < 0 || m.cursor >= len(m.defs) {
		return pane.Clip{}, false
	}
	d := m.defs[m.cursor]
	if !full {
		return clip.Of("scope id", d.ID)
	}
	var perms []string
	for _, a := range []scopehealth.Access{scopehealth.Read, scopehealth.Write} {
		if d.Access(a) != nil {
			perms = append(perms, d.ID+":"+string(a))
		}
	}
	return clip.Full("scope", d.Name, d.ID, strings.Join(perms, " "))
}
