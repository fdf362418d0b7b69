package tuitest

import "testing"

// The names must round-trip: panes match keys by their String().
func TestKeyNames(t *testing.T) {
	for _, name := range []string{"up", "down", "enter", "esc", "tab", "shift+tab", "space", "ctrl+a",
		"ctrl+x", "a", "G", "S", "?", ":", "/", "pgdown", "home", "ctrl+c", "backspace"} {
		if got := Key(name).String(); got != name {
			t.Errorf("Key(%q).String() = %q", name, got)
		}
	}
}
