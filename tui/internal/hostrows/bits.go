package hostrows

import "math/bits"

// bitset is a set of small integers (rows, device numbers).
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)>>6) }

func (b bitset) has(i int) bool { return i>>6 < len(b) && b[i>>6]&(1<<(i&63)) != 0 }

// grow makes room for i and returns the (possibly new) set.
func (b bitset) grow(i int) bitset {
	if need := i>>6 + 1; need > len(b) {
		b = append(b, make(bitset, need-len(b))...)
	}
	return b
}

func (b bitset) set(i int)   { b[i>>6] |= 1 << (i & 63) }
func (b bitset) unset(i int) { b[i>>6] &^= 1 << (i & 63) }

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// each calls f for every member in [lo, hi), in order.
func (b bitset) each(lo, hi int, f func(i int)) {
	for wi := lo >> 6; wi < len(b) && wi<<6 < hi; wi++ {
		w := b[wi]
		if wi == lo>>6 {
			w &= ^uint64(0) << (lo & 63)
		}
		for w != 0 {
			i := wi<<6 | bits.TrailingZeros64(w)
			if i >= hi {
				return
			}
			f(i)
			w &= w - 1
		}
	}
}
