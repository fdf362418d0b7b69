package tui

import (
	"os"
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"

	"github.com/falcon-tui/falcon-tui/tui/alertdetail"
	"github.com/falcon-tui/falcon-tui/tui/alerts"
	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/hostdetail"
	"github.com/falcon-tui/falcon-tui/tui/hostgroups"
	"github.com/falcon-tui/falcon-tui/tui/hosts"
	"github.com/falcon-tui/falcon-tui/tui/scopes"
	"github.com/falcon-tui/falcon-tui/tui/tenants"
)

// docs/KEYS.md must name every key any view binds: a key added to a pane without a line
// in the document fails here.
func TestKeysDocumentIsComplete(t *testing.T) {
	doc, err := os.ReadFile("../docs/KEYS.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	names := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", "pgdown": "pgdn"}
	maps := map[string]help.KeyMap{
		"global": DefaultKeyMap(), "tenants": tenants.DefaultKeyMap(), "hosts": hosts.DefaultKeyMap(),
		"hostdetail": hostdetail.DefaultKeyMap(), "hostgroups": hostgroups.DefaultKeyMap(),
		"alerts": alerts.DefaultKeyMap(), "alertdetail": alertdetail.DefaultKeyMap(),
		"scopes": scopes.DefaultKeyMap(), "groupedit": groupedit.DefaultKeyMap(),
	}
	for pane, km := range maps {
		for _, group := range km.FullHelp() {
			for _, b := range group {
				for _, k := range b.Keys() {
					name := k
					if n, ok := names[k]; ok {
						name = n
					}
					if !strings.Contains(text, "`"+name+"`") {
						t.Errorf("%s: key %q (%s) is not in docs/KEYS.md", pane, name, b.Help().Desc)
					}
				}
			}
		}
	}
	// The help box's own keys.
	for _, k := range []string{"j", "k", "pgup", "pgdn", "space", "esc", "?", "enter"} {
		if !strings.Contains(text, "`"+k+"`") {
			t.Errorf("help box key %q is not in docs/KEYS.md", k)
		}
	}
}
