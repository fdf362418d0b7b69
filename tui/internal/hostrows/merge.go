package hostrows

// Merging sorted runs: a batch into the fresh run as it arrives (in place when nothing else
// holds the run), fresh into base when a compaction job runs, the keyed runs of the
// host-name order, and the binary searches that find a position across two runs (gallop,
// search, split).

import "slices"

// keyedRun is rows in host-name order (or its reverse) with their name keys alongside, so
// that merging two runs reads keys in sequence instead of one random row per comparison.
type keyedRun struct {
	rows []uint32
	keys []nameKey
}

// keysOf reads the name keys of rows.
func keysOf(r *rows, rows []uint32) []nameKey {
	out := make([]nameKey, len(rows))
	for i, row := range rows {
		out[i] = r.names.at(int(row))
	}
	return out
}

// mergeKeyed merges b into a, both in host-name order (reversed when desc).
func mergeKeyed(r *rows, a, b keyedRun, desc bool) keyedRun {
	out := keyedRun{make([]uint32, 0, len(a.rows)+len(b.rows)), make([]nameKey, 0, len(a.rows)+len(b.rows))}
	i := 0
	for j, x := range b.rows {
		kx := b.keys[j]
		before := func(k int) bool { // a[k] comes before x
			c := compareNameKeys(a.keys[k], kx)
			if c == 0 {
				c = hostCmp(r, a.rows[k], x)
			}
			if desc {
				c = -c
			}
			return c < 0
		}
		k := gallopFunc(i, len(a.rows), before)
		out.rows = append(append(out.rows, a.rows[i:k]...), x)
		out.keys = append(append(out.keys, a.keys[i:k]...), kx)
		i = k
	}
	out.rows = append(out.rows, a.rows[i:]...)
	out.keys = append(out.keys, a.keys[i:]...)
	return out
}

// mergeInPlaceKeyed is mergeInPlace for keyed runs (a must be held by nothing else).
func mergeInPlaceKeyed(r *rows, a, b keyedRun, desc bool) keyedRun {
	i := len(a.rows)
	a.rows = slices.Grow(a.rows, len(b.rows))[:i+len(b.rows)]
	a.keys = slices.Grow(a.keys, len(b.keys))[:i+len(b.keys)]
	for j := len(b.rows) - 1; j >= 0; j-- {
		x, kx := b.rows[j], b.keys[j]
		after := func(k int) bool { // a[k] comes after x
			c := compareNameKeys(a.keys[k], kx)
			if c == 0 {
				c = hostCmp(r, a.rows[k], x)
			}
			if desc {
				c = -c
			}
			return c > 0
		}
		// p: the first index in a[:i] whose element comes after x, galloping back from i
		p := i
		for step := 1; p > 0 && after(p-1); step *= 2 {
			lo := max(0, p-step)
			if after(lo) {
				p = lo
				continue
			}
			for lo+1 < p {
				m := int(uint(lo+p) >> 1)
				if after(m) {
					p = m
				} else {
					lo = m
				}
			}
			break
		}
		copy(a.rows[p+j+1:], a.rows[p:i])
		copy(a.keys[p+j+1:], a.keys[p:i])
		a.rows[p+j], a.keys[p+j] = x, kx
		i = p
	}
	return a
}

// gallopFunc returns the first index k in [lo, n) with !before(k) (before holds on a prefix).
func gallopFunc(lo, n int, before func(k int) bool) int {
	hi, step := lo, 1
	for hi < n && before(hi) {
		lo = hi + 1
		hi += step
		step *= 2
	}
	hi = min(hi, n)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if before(m) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// merge merges sorted b into sorted a (b usually the smaller), both under compare, into a
// new slice. Each element of b finds its place by galloping from the previous one, so the
// cost is |b|·log(|a|/|b|) comparisons plus copying a.
func merge(a, b []uint32, compare func(x, y uint32) int) []uint32 {
	out := make([]uint32, 0, len(a)+len(b))
	i := 0
	for _, x := range b {
		j := gallop(a, i, x, compare)
		out = append(out, a[i:j]...)
		out = append(out, x)
		i = j
	}
	return append(out, a[i:]...)
}

// mergeInPlace merges sorted b into sorted a in a's own array (grown if need be): each
// element of b, from the last, gallops back to its place and the run of a after it moves
// up. Only for an a nothing else holds.
func mergeInPlace(a, b []uint32, compare func(x, y uint32) int) []uint32 {
	i := len(a)
	a = slices.Grow(a, len(b))[:len(a)+len(b)]
	for j := len(b) - 1; j >= 0; j-- {
		x := b[j]
		// p: the first index in a[:i] whose element comes after x
		p := i
		for step := 1; p > 0 && compare(a[p-1], x) > 0; step *= 2 {
			lo := max(0, p-step)
			if compare(a[lo], x) > 0 {
				p = lo
				continue
			}
			for lo+1 < p { // a[lo] before x, a[p] after x
				m := int(uint(lo+p) >> 1)
				if compare(a[m], x) > 0 {
					p = m
				} else {
					lo = m
				}
			}
			break
		}
		copy(a[p+j+1:], a[p:i])
		a[p+j] = x
		i = p
	}
	return a
}

// gallop returns the first index i ≥ lo with a[i] after x (a is sorted and holds no x).
func gallop(a []uint32, lo int, x uint32, compare func(x, y uint32) int) int {
	hi, step := lo, 1
	for hi < len(a) && compare(a[hi], x) < 0 {
		lo = hi + 1
		hi += step
		step *= 2
	}
	hi = min(hi, len(a))
	return lo + search(a[lo:hi], x, compare)
}

// search returns how many elements of sorted a come before x.
func search(a []uint32, x uint32, compare func(x, y uint32) int) int {
	i, _ := slices.BinarySearchFunc(a, x, compare)
	return i
}

// split returns how many of the first k elements of the merge of a and b come from b.
func split(a, b []uint32, k int, compare func(x, y uint32) int) int {
	lo, hi := max(0, k-len(a)), min(k, len(b))
	for lo < hi {
		i := int(uint(lo+hi) >> 1)
		if j := k - i; j > 0 && compare(b[i], a[j-1]) < 0 {
			lo = i + 1
		} else {
			hi = i
		}
	}
	return lo
}
