package hostrows

// The sorts behind a sort job: the rows in host-name order by a radix sort on their name
// keys (hostOrder), and that order re-sorted by an orderer's column (orderBy, orderByIP) on
// an integer key per row. The comparisons and rank tables they sort by are in order.go.

import (
	"cmp"
	"context"
	"slices"
)

// checkEvery is how many rows a job handles between looks at its context.
const checkEvery = 1 << 14

// hostOrder sorts the rows [lo, hi) by host name (then ID, then row): a radix sort on the
// rows' 16-byte name keys (read in row order, so from memory in sequence), then the few runs
// of equal keys — the same name, or long names with the same start — sorted by hostCmp.
func hostOrder(ctx context.Context, r *rows, lo, hi int) ([]uint32, []nameKey, error) {
	keys := make([]hostKey, hi-lo)
	for i := range keys {
		if i%checkEvery == 0 && ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		keys[i] = hostKey{r.names.at(lo + i), uint32(lo + i)}
	}
	keys = radixSortHost(keys)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j].k == keys[i].k {
			j++
		}
		if j-i > 1 {
			run := keys[i:j]
			slices.SortFunc(run, func(x, y hostKey) int { return hostCmp(r, x.row, y.row) })
		}
		i = j
	}
	out, nks := make([]uint32, len(keys)), make([]nameKey, len(keys))
	for i, k := range keys {
		out[i], nks[i] = k.row, k.k
	}
	return out, nks, nil
}

// radixSortHost sorts by name key, stably, a byte a pass from the last; bytes every key
// shares cost no pass.
func radixSortHost(a []hostKey) []hostKey {
	if len(a) < 2 {
		return a
	}
	var allHi, anyHi, allLo, anyLo uint64 = ^uint64(0), 0, ^uint64(0), 0
	for _, x := range a {
		allHi &= x.k.hi
		anyHi |= x.k.hi
		allLo &= x.k.lo
		anyLo |= x.k.lo
	}
	tmp := make([]hostKey, len(a))
	for pass := 0; pass < 16; pass++ {
		shift := uint(pass%8) * 8
		all, anyb := allLo, anyLo
		if pass >= 8 {
			all, anyb = allHi, anyHi
		}
		if (all>>shift)&0xff == (anyb>>shift)&0xff {
			continue
		}
		var count [256]int
		if pass < 8 {
			for i := range a {
				count[a[i].k.lo>>shift&0xff]++
			}
		} else {
			for i := range a {
				count[a[i].k.hi>>shift&0xff]++
			}
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		if pass < 8 {
			for i := range a {
				d := a[i].k.lo >> shift & 0xff
				tmp[count[d]] = a[i]
				count[d]++
			}
		} else {
			for i := range a {
				d := a[i].k.hi >> shift & 0xff
				tmp[count[d]] = a[i]
				count[d]++
			}
		}
		a, tmp = tmp, a
	}
	return a
}

type hostKey struct {
	k   nameKey
	row uint32
}

// orderBy sorts the rows of host (which is in host-name order) by s. Every column but the
// host name and the local IP reduces to an integer key per row — a rank among the column's
// distinct values, a time, a state, a count — and a stable radix sort on that key keeps the
// host-name order among equal keys, which is exactly the tie-break.
func orderBy(ctx context.Context, o *orderer, host []uint32) ([]uint32, error) {
	if len(host) == 0 {
		return nil, ctx.Err()
	}
	r := o.r
	var out []uint32
	switch o.by {
	case Hostname:
		out = slices.Clone(host)
	case LocalIP:
		var err error
		if out, err = orderByIP(ctx, r, ipLocal, host); err != nil {
			return nil, err
		}
	default:
		key := o.keyFunc()
		ks := make([]keyed, len(host))
		if len(host) > chunkLen && len(host) > r.n/4 {
			// Most rows: compute the keys in row order (columns read in sequence), then
			// pick them up in host-name order from one array.
			byRow := make([]uint64, r.n)
			for row := range byRow {
				if row%checkEvery == 0 && ctx.Err() != nil {
					return nil, ctx.Err()
				}
				byRow[row] = key(row)
			}
			for i, row := range host {
				ks[i] = keyed{byRow[row], row}
			}
		} else {
			for i, row := range host {
				ks[i] = keyed{key(int(row)), row}
			}
		}
		ks = radixSort(ks)
		out = make([]uint32, len(ks))
		for i, k := range ks {
			out[i] = k.v
		}
	}
	if o.desc {
		slices.Reverse(out)
	}
	return out, ctx.Err()
}

// orderByIP sorts by address: packed IPv4 rows by a radix sort on the number, other rows
// (IPv6, empty, odd text) with Natural() — both stable on host-name order — and the two
// runs merged with Natural() and host-name position as the tie-break.
func orderByIP(ctx context.Context, r *rows, f int, host []uint32) ([]uint32, error) {
	var v4 []keyed
	var other []uint32 // positions in host
	col := r.ip[f]
	for pos, row := range host {
		if pos%checkEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if v := col.at(int(row)); v&ipv4Flag != 0 {
			v4 = append(v4, keyed{uint64(uint32(v)), uint32(pos)})
		} else {
			other = append(other, uint32(pos))
		}
	}
	v4 = radixSort(v4)
	sorted := make([]uint32, len(v4))
	for i, k := range v4 {
		sorted[i] = k.v
	}
	text := func(pos uint32, buf []byte) string { return ipText(r, f, col.at(int(host[pos])), buf) }
	byText := func(a, b uint32) int {
		var ba, bb [15]byte
		if c := Natural(text(a, ba[:0]), text(b, bb[:0])); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
	slices.SortStableFunc(other, func(a, b uint32) int { return Natural(text(a, nil), text(b, nil)) })
	if len(other) > len(sorted) {
		sorted, other = other, sorted
	}
	out := merge(sorted, other, byText)
	for i, pos := range out {
		out[i] = host[pos]
	}
	return out, nil
}

type keyed struct {
	k uint64
	v uint32
}

// radixSort sorts by k, stably, 8 bits a pass from the lowest byte; a byte every key
// shares costs one counting pass and no move.
func radixSort(a []keyed) []keyed {
	if len(a) < 2 {
		return a
	}
	var all, any uint64 = ^uint64(0), 0
	for _, x := range a {
		all &= x.k
		any |= x.k
	}
	tmp := make([]keyed, len(a))
	for shift := 0; shift < 64; shift += 8 {
		if (all>>shift)&0xff == (any>>shift)&0xff {
			continue // every key has the same byte here
		}
		var count [256]int
		for _, x := range a {
			count[(x.k>>shift)&0xff]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, x := range a {
			d := (x.k >> shift) & 0xff
			tmp[count[d]] = x
			count[d]++
		}
		a, tmp = tmp, a
	}
	return a
}
