package tui

import (
	"os"
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"

	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// docs/KEYS.md must name every key any view binds: a key added to a pane (any pane the
// registry lists) without a line in the document fails here.
func TestKeysDocumentIsComplete(t *testing.T) {
	doc, err := os.ReadFile("../docs/KEYS.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	names := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", "pgdown": "pgdn"}
	maps := map[string]help.KeyMap{"global": DefaultKeyMap(), "groupedit": groupedit.DefaultKeyMap()}
	for _, s := range DefaultRegistry().Panes {
		maps[string(s.Kind)] = s.New(pane.Deps{Styles: theme.New(true)}).KeyMap()
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
