package untrusted

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// unsafe reports a rune that must never leave Text: a control, a format character
// (bidi, zero-width, BOM) or a line separator.
func unsafe(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029
}

func TestTextRemovesWholeSequences(t *testing.T) {
	cases := map[string]string{
		"plain-host-01":                             "plain-host-01",
		"a\x1b]52;c;ZXZpbA==\x07b":                  "ab", // OSC 52 clipboard write, BEL-terminated
		"a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\": "alink",
		"\x1b[2J\x1b[Hcleared":                      "cleared",
		"evil\u202egpj.exe":                         "evil\ufffdgpj.exe", // marked, not silently removed
		"zero\u200b\u200dwidth\ufeff":               "zero\ufffdwidth\ufffd",
		"tab\tnew\nline":                            "tab new line",
		"c1\u009b31mred":                            "c1red",
		"bad\xffbyte":                               "bad\ufffdbyte",
		"サーバー東京":                                    "サーバー東京",
	}
	for in, want := range cases {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzUntrustedText(f *testing.F) {
	for _, s := range []string{"", "host", "\x1b[31mred", "\x1b]0;title\x07", "\u202e", "a\u0301\u0301\u0301\u0301\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range out {
			if unsafe(r) {
				t.Fatalf("Text(%q) kept %U", s, r)
			}
		}
		if again := Text(out); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, again)
		}
		if strings.ContainsRune(out, 0x1b) {
			t.Fatalf("ESC survived in %q", out)
		}
	})
}
