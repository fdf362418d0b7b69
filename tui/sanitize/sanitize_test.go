package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "web-01.corp", "web-01.corp"},
		{"sgr", "\x1b[31mred\x1b[0m", "red"},
		{"cursor move", "a\x1b[2J\x1b[Hb", "ab"},
		{"osc title bel", "x\x1b]0;pwned\x07y", "xy"},
		{"osc st", "x\x1b]52;c;ZXZpbA==\x1b\\y", "xy"},
		{"osc8 link", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"apc", "a\x1b_Gf=100;AAAA\x1b\\b", "ab"},
		{"two byte esc", "a\x1b7b\x1b(Bc", "abc"},
		{"8-bit csi utf8", "a\u009b31mb", "ab"},
		{"8-bit osc utf8", "a\u009d0;t\u009cb", "ab"},
		{"raw 8-bit csi byte", "a\x9b31mb", "a\uFFFD31mb"},
		{"c0", "a\x00b\x07c\x08d", "abcd"},
		{"del", "a\x7fb", "ab"},
		{"tabs newlines", "a\tb\nc\r\nd", "a b c  d"},
		{"line sep", "a\u2028b\u2029c", "a b c"},
		// Invisible characters are inert, but their place is marked (issue 11 item 19): a
		// spoofed name must not read as the genuine one. A run gets one placeholder.
		{"bidi override", "invoice\u202efdp.exe", "invoice\uFFFDfdp.exe"},
		{"bidi isolate", "\u2066x\u2069\u2067y\u2068", "\uFFFDx\uFFFDy\uFFFD"},
		{"zero width", "adm\u200bin\u200d\ufeff-GLBX-LT-0004F", "adm\uFFFDin\uFFFD-GLBX-LT-0004F"},
		{"lrm rlm", "a\u200eb\u200fc\u061c", "a\uFFFDb\uFFFDc\uFFFD"},
		{"zalgo", "e\u0301\u0302\u0303\u0304\u0305\u0306", "e\u0301\u0302\u0303"},
		{"cjk kept", "サーバー", "サーバー"},
		{"emoji kept", "host🔥", "host🔥"},
		{"arabic kept", "خادم", "خادم"},
		{"unterminated csi", "a\x1b[31", "a"},
		{"unterminated osc", "a\x1b]0;title", "a"},
		{"lone esc", "a\x1b", "a"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.in); got != c.want {
				t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly-10", 10, "exactly-10"},
		{"longer than ten", 10, "longer th…"},
		{"サーバー名前", 5, "サー…"}, // wide runes are never split
		{"サーバー名前", 6, "サー…"}, // 2+2+1 = 5 ≤ 6; a third wide rune would overflow
		{"\x1b[31mred\x1b[0m text", 4, "red…"},
		{"anything", 0, ""},
		{"anything", -3, ""},
		{"a\nb", 3, "a b"},
	}
	for _, c := range cases {
		got := Line(c.in, c.max)
		if got != c.want {
			t.Errorf("Line(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
		if w := ansi.StringWidth(got); w > c.max && c.max > 0 {
			t.Errorf("Line(%q, %d) is %d cells wide", c.in, c.max, w)
		}
	}
}

// forbidden reports a rune that must never reach the terminal.
func forbidden(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200b, r == 0x200c, r == 0x200d, r == 0x200e, r == 0x200f, r == 0xfeff, r == 0x061c:
		return true
	}
	return false
}

func FuzzText(f *testing.F) {
	for _, s := range []string{
		"", "plain", "\x1b[31mx", "\x1b]0;t\x07", "\u009b1m", "\x9b1m", "\u202e", "a\tb", "サーバー",
		"\x1bP\x1b\\", "\xc2", "\x1b", "e\u0301\u0301\u0301\u0301", "\u2066\u2069",
	} {
		f.Add(s, 8)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		out := Text(s)
		check(t, s, out)
		if n > 200 || n < -5 {
			n %= 200
		}
		line := Line(s, n)
		check(t, s, line)
		if n > 0 && ansi.StringWidth(line) > n {
			t.Fatalf("Line(%q, %d) = %q is %d cells", s, n, line, ansi.StringWidth(line))
		}
		if Text(out) != out {
			t.Fatalf("Text is not idempotent on %q: %q then %q", s, out, Text(out))
		}
	})
}

func check(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("output of %q is not valid UTF-8: %q", in, out)
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Fatalf("output of %q contains ESC: %q", in, out)
	}
	for _, r := range out {
		if forbidden(r) {
			t.Fatalf("output of %q contains %U: %q", in, r, out)
		}
	}
}

func BenchmarkTextClean(b *testing.B) {
	s := "WIN-DC01.corp.example.com"
	for b.Loop() {
		_ = Text(s)
	}
}
