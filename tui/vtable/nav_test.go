package vtable

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

func press(code rune, mod tea.KeyMod, text string) tea.KeyPressMsg {
	return tea.KeyPressMsg{Code: code, Mod: mod, Text: text}
}

// Each shared key moves the cursor by its amount; other keys are left to the pane.
func TestNavigateMovesByKey(t *testing.T) {
	m := New([]Column{{Title: "A"}}, false)
	m.SetSize(20, 11) // a page is 10 rows, half a page 5
	m.SetRows(100)
	km := DefaultNavKeyMap()
	steps := []struct {
		name string
		msg  tea.KeyPressMsg
		want int
	}{
		{"j", press('j', 0, "j"), 1},
		{"down", press(tea.KeyDown, 0, ""), 2},
		{"k", press('k', 0, "k"), 1},
		{"pgdown", press(tea.KeyPgDown, 0, ""), 11},
		{"ctrl+f", press('f', tea.ModCtrl, ""), 21},
		{"ctrl+b", press('b', tea.ModCtrl, ""), 11},
		{"ctrl+d", press('d', tea.ModCtrl, ""), 16},
		{"ctrl+u", press('u', tea.ModCtrl, ""), 11},
		{"G", press('G', 0, "G"), 99},
		{"pgup", press(tea.KeyPgUp, 0, ""), 89},
		{"g", press('g', 0, "g"), 0},
		{"end", press(tea.KeyEnd, 0, ""), 99},
		{"home", press(tea.KeyHome, 0, ""), 0},
		{"up at the top", press(tea.KeyUp, 0, ""), 0},
	}
	for _, s := range steps {
		if !m.Navigate(s.msg, km) {
			t.Fatalf("%s: not handled", s.name)
		}
		if m.Cursor() != s.want {
			t.Fatalf("%s: cursor %d, want %d", s.name, m.Cursor(), s.want)
		}
	}
	if m.Navigate(press('x', 0, "x"), km) {
		t.Fatal("x was handled as movement")
	}
}

// A pane without half-page moves leaves ctrl+u / ctrl+d to its own keys and out of its help.
func TestNavigateWithoutHalfPage(t *testing.T) {
	m := New([]Column{{Title: "A"}}, false)
	m.SetSize(20, 11)
	m.SetRows(100)
	km := DefaultNavKeyMap().WithoutHalfPage()
	if m.Navigate(press('d', tea.ModCtrl, ""), km) || m.Cursor() != 0 {
		t.Fatalf("ctrl+d moved the cursor to %d with half-page moves dropped", m.Cursor())
	}
	if got := len(km.Bindings()); got != 6 {
		t.Fatalf("%d bindings in help, want 6", got)
	}
	if got := len(DefaultNavKeyMap().Bindings()); got != 8 {
		t.Fatalf("%d default bindings, want 8", got)
	}
	if b := km.Bindings(); b[4].Help().Desc != "first" || b[5].Help().Desc != "last" {
		t.Fatalf("help order: %q, %q", b[4].Help().Desc, b[5].Help().Desc)
	}
}
