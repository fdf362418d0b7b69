package clip

import "testing"

func TestIDKeepsIdsAndRefusesAnythingElse(t *testing.T) {
	for _, id := range []string{"0123456789abcdef0123456789ABCDEF", "cid0:ind:dev1:1234-56-789", "host-group"} {
		if got := ID(id); got != id {
			t.Errorf("ID(%q) = %q, want it unchanged", id, got)
		}
	}
	for _, bad := range []string{"", "abc def", "abc\x1b]52;c;ZXZpbA==\x07", "abc\n", "-rf", "a\u202eb"} {
		if got := ID(bad); got != "" {
			t.Errorf("ID(%q) = %q, want it refused", bad, got)
		}
	}
}

func TestJoinCleansNames(t *testing.T) {
	got := Join("web\x1b]52;c;ZXZpbA==\x07-01", "", "0123456789abcdef0123456789abcdef", "a\tb\nc")
	if want := "web-01\t0123456789abcdef0123456789abcdef\ta b c"; got != want {
		t.Fatalf("Join = %q, want %q", got, want)
	}
}

func TestFullShowsTheIdShortened(t *testing.T) {
	c, ok := Full("host", "web-01", "0123456789abcdef0123456789abcdef", "Acme")
	if !ok || c.Text != "web-01\t0123456789abcdef0123456789abcdef\tAcme" || c.Show != "web-01 · 01234567…cdef" {
		t.Fatalf("Full = %+v, %v", c, ok)
	}
	if _, ok := Of("device id", "not an id!"); ok {
		t.Fatal("Of accepted a malformed id")
	}
}
