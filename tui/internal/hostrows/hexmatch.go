package hostrows

import (
	"encoding/binary"
	"math/bits"
)

// hexPattern finds a run of lower-case hex digits in a device ID kept as 16 bytes, without
// printing the ID: the ID is 32 nibbles in two words, the word's first digit is looked for
// in all 16 nibbles of a word at once (a zero-nibble test on the XOR), and only the few
// places found are compared in full. A filter word that may be part of an ID costs a dozen
// nanoseconds a row instead of printing a million IDs.
type hexPattern struct {
	nibbles []uint8
	first   uint64 // the first nibble in every nibble of a word
}

func newHexPattern(w string) hexPattern {
	p := hexPattern{nibbles: make([]uint8, len(w))}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c <= '9' {
			p.nibbles[i] = c - '0'
		} else {
			p.nibbles[i] = c - 'a' + 10
		}
	}
	if len(w) > 0 {
		p.first = uint64(p.nibbles[0]) * 0x1111111111111111
	}
	return p
}

const (
	lowNibbles  = 0x7777777777777777
	highNibbles = 0x8888888888888888
)

// zeroNibbles returns a mask with the top bit of every zero nibble of v set (exactly: no
// carries between nibbles).
func zeroNibbles(v uint64) uint64 {
	return ^(((v & lowNibbles) + lowNibbles) | v) & highNibbles
}

// in reports whether the pattern occurs in the ID's 32-digit text.
func (p hexPattern) in(id *[16]byte) bool {
	k := len(p.nibbles)
	if k == 0 {
		return true
	}
	hi, lo := binary.BigEndian.Uint64(id[:8]), binary.BigEndian.Uint64(id[8:])
	for half, w := range [2]uint64{hi, lo} {
		for m := zeroNibbles(w ^ p.first); m != 0; m &= m - 1 {
			// the nibble's index from the left: bit 63-4i+3 … the top bit of nibble i
			i := half*16 + (15 - bits.TrailingZeros64(m)/4)
			if i+k <= 32 && p.at(hi, lo, i) {
				return true
			}
		}
	}
	return false
}

// at compares the pattern with the ID's digits from index i.
func (p hexPattern) at(hi, lo uint64, i int) bool {
	for j, want := range p.nibbles {
		n := i + j
		var got uint64
		if n < 16 {
			got = hi >> (60 - 4*n) & 15
		} else {
			got = lo >> (60 - 4*(n-16)) & 15
		}
		if uint8(got) != want {
			return false
		}
	}
	return true
}
