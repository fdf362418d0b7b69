package hostrows

import (
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestHexPattern(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20_000 {
		var id [16]byte
		for i := range id {
			id[i] = byte(r.IntN(4)) * 0x11 // few distinct digits: many partial matches
		}
		text := hex.EncodeToString(id[:])
		var w string
		if r.IntN(2) == 0 {
			i := r.IntN(32)
			w = text[i : i+1+r.IntN(32-i)]
		} else {
			b := make([]byte, 1+r.IntN(6))
			for i := range b {
				b[i] = "0123456789abcdef"[r.IntN(4)*0x1%16]
			}
			w = string(b)
		}
		if got, want := newHexPattern(w).in(&id), strings.Contains(text, w); got != want {
			t.Fatalf("%q in %s: got %v, want %v", w, text, got, want)
		}
	}
}

func FuzzHexPattern(f *testing.F) {
	f.Add([]byte("0123456789abcdef"), "9a")
	f.Fuzz(func(t *testing.T, b []byte, w string) {
		var id [16]byte
		copy(id[:], b)
		if len(w) > 32 || strings.Trim(w, "0123456789abcdef") != "" {
			return
		}
		text := hex.EncodeToString(id[:])
		if got, want := newHexPattern(w).in(&id), strings.Contains(text, w); got != want {
			t.Fatalf("%q in %s: got %v, want %v", w, text, got, want)
		}
	})
}
