package theme

import (
	"strings"
	"testing"
)

func TestNoColorHasNoColour(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	s := New(true)
	if !s.NoColor || s.FocusedColor != nil {
		t.Fatal("NO_COLOR ignored")
	}
	for _, out := range []string{s.Critical.Render("x"), s.Selected.Render("x"), s.Online.Render("x"), s.Accent.Render("x")} {
		if strings.Contains(out, "38;") || strings.Contains(out, "48;") {
			t.Fatalf("colour code under NO_COLOR: %q", out)
		}
	}
	if s.Selected.Render("x") == "x" || s.Critical.Render("x") == "x" {
		t.Fatal("without colour the cursor row and criticals must still stand out")
	}
	if !New(true, WithNoColor(false)).IsDark || New(true, WithNoColor(false)).NoColor {
		t.Fatal("WithNoColor(false) did not override the environment")
	}
}

func TestDarkAndLightDiffer(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	d, l := New(true), New(false)
	if d.Critical.Render("x") == l.Critical.Render("x") || d.Selected.Render("x") == l.Selected.Render("x") {
		t.Fatal("dark and light themes are the same")
	}
	if d.HostState("contained").Render("x") != d.Contained.Render("x") {
		t.Fatal("host state roles")
	}
}
