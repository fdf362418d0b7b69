package widget

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

func TestInt(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", -1234567: "-1,234,567"} {
		if got := Int(n); got != want {
			t.Errorf("Int(%d) = %q", n, got)
		}
	}
}

func TestFitAndSpread(t *testing.T) {
	out := Fit("a\nサーバー名前が長い\n", 6, 4)
	lines := strings.Split(out, "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if ansi.StringWidth(l) != 6 {
			t.Fatalf("line %q is %d cells", l, ansi.StringWidth(l))
		}
	}
	if s := Spread("left side", "right", 12); ansi.StringWidth(s) != 12 || !strings.HasSuffix(s, "right") {
		t.Fatalf("Spread = %q", s)
	}
}

func TestLoadErrorNamesTheScope(t *testing.T) {
	st := theme.New(true, theme.WithNoColor(true))
	err := fmt.Errorf("wrapped: %w", falcon.ErrScopeDenied)
	out := strings.Join(strings.Fields(ansi.Strip(LoadError(st, 80, 10, err, "host-group:read", "abc123"))), " ")
	if !strings.Contains(out, "needs `host-group:read`") || !strings.Contains(out, "Host groups: Read") || !strings.Contains(out, "abc123") {
		t.Fatalf("scope state:\n%s", out)
	}
	out = ansi.Strip(LoadError(st, 80, 10, errors.New("falcon: boom \x1b[2J"), "x", ""))
	if !strings.Contains(out, "boom") || strings.Contains(out, "\x1b") {
		t.Fatalf("error state:\n%q", out)
	}
}

// A truncated left side must not run into the right side: "…r re-probe" read as one word.
func TestSpreadKeepsAGapAfterTruncation(t *testing.T) {
	got := Spread("Scope health · 5 tenants", "r re-probe", 20)
	if got != "Scope he… r re-probe" {
		t.Fatalf("Spread = %q", got)
	}
	if got := Spread("short", "right", 12); got != "short  right" {
		t.Fatalf("Spread without truncation = %q", got)
	}
	// Exactly as wide as the room: it would touch right ("background⠧ group edit",
	// issue 11 item 21), so it is cut to keep the gap.
	if got := Spread("exactly", "right", 12); got != "exact… right" {
		t.Fatalf("Spread that just fits = %q", got)
	}
}

func TestWrapCells(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		want  []string
	}{
		{"", 4, nil},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"ab", 0, []string{"a", "b"}},
		{"日本語の", 3, []string{"日", "本", "語", "の"}}, // a wide character is never split
	} {
		if got := WrapCells(c.in, c.width); strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
			t.Errorf("WrapCells(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}
