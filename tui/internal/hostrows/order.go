package hostrows

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// Column is a list column the rows can be sorted by.
type Column uint8

// The hosts pane's columns.
const (
	Hostname Column = iota
	Tenant
	Platform
	OS
	Sensor
	LastSeen
	State
	LocalIP
	Groups
	Serial
	MAC
	ExternalIP
	Domain
	OU
	Site
	Tags
	FirstSeen
	Containment
	SensorPolicy
	ZTA
)

var columnNames = [...]string{"hostname", "tenant", "platform", "OS", "sensor version", "last seen", "state", "local IP", "groups",
	"serial", "MAC", "external IP", "domain", "OU", "site", "tags", "first seen", "containment", "sensor policy", "ZTA"}

func (c Column) String() string {
	if int(c) < len(columnNames) {
		return columnNames[c]
	}
	return "column?"
}

// Sort is an order of the rows: by a column (the hosts pane's comparison for it), ties by
// the lower-case sanitised host name, then the device ID, then the row (so that even
// duplicates have one order). Desc reverses the whole order. Now is the clock the State
// column is computed at.
type Sort struct {
	By   Column
	Desc bool
	Now  time.Time
}

// orderer compares rows under one Sort. One lives on the UI goroutine (for merging each
// batch in); each job makes its own.
type orderer struct {
	r      *rows
	by     Column
	desc   bool
	now    int64
	labels map[string]string // CID → tenant label; never written once published
	tkeys  []string          // per CID index: the lower-case label, filled on demand
	// rank is the last rank table keyFunc built, for as many values as the dict had then:
	// the one on the UI goroutine sorts each batch in, and the values rarely change
	// between batches (a few hundred sensor versions, thousands of rows each).
	rank []uint32
	// zta is the ZTA scores as they were when the orderer was made: scores that arrive
	// later change the order only through a new sort job, never under the runs already
	// sorted (see Table.SetScores).
	zta scores
}

func newOrderer(r *rows, s Sort, labels map[string]string) *orderer {
	return &orderer{r: r, by: s.By, desc: s.Desc, now: packTime(s.Now), labels: labels, zta: r.zta}
}

func (o *orderer) tenantKey(id uint32) string {
	for int(id) >= len(o.tkeys) {
		cid := o.r.dicts[dictCID].vals[len(o.tkeys)]
		o.tkeys = append(o.tkeys, strings.ToLower(o.labels[cid]))
	}
	return o.tkeys[id]
}

// cmp is the total order of the Sort.
func (o *orderer) cmp(a, b uint32) int {
	c := o.primary(int(a), int(b))
	if c == 0 {
		c = hostCmp(o.r, a, b)
	}
	if o.desc {
		return -c
	}
	return c
}

func (o *orderer) primary(a, b int) int {
	r := o.r
	switch o.by {
	case Tenant:
		sa, sb := r.sym[symCID].at(a), r.sym[symCID].at(b)
		if sa == sb {
			return 0
		}
		return strings.Compare(o.tenantKey(sa), o.tenantKey(sb))
	case Platform:
		return symCompare(r, symPlatform, a, b, strings.Compare)
	case OS:
		sa, sb := r.osSym(a), r.osSym(b)
		if sa == sb {
			return 0
		}
		vals := r.dicts[dictOS].vals
		return Natural(vals[sa], vals[sb])
	case Sensor:
		return symCompare(r, symSensor, a, b, Natural)
	case LastSeen:
		return cmp.Compare(r.time[timeLastSeen].at(a), r.time[timeLastSeen].at(b))
	case State:
		return cmp.Compare(r.state(a, o.now), r.state(b, o.now))
	case LocalIP:
		return ipCompare(r, ipLocal, a, b)
	case Groups:
		sets := r.sets[setGroups].lists
		return cmp.Compare(len(sets[r.set[setGroups].at(a)]), len(sets[r.set[setGroups].at(b)]))
	case Serial:
		return symCompare(r, symSerial, a, b, Natural)
	case MAC:
		return symCompare(r, symMAC, a, b, strings.Compare)
	case ExternalIP:
		return symCompare(r, symExternalIP, a, b, Natural)
	case Domain:
		return symCompare(r, symDomain, a, b, strings.Compare)
	case Site:
		return symCompare(r, symSite, a, b, strings.Compare)
	case Containment:
		return symCompare(r, symContainment, a, b, strings.Compare)
	case SensorPolicy:
		return symCompare(r, symSensorPolicy, a, b, strings.Compare)
	case OU, Tags:
		f := setOU
		if o.by == Tags {
			f = setTags
		}
		la, lb := r.setList(f, a), r.setList(f, b)
		return slices.Compare(la, lb)
	case FirstSeen:
		return cmp.Compare(r.time[timeFirstSeen].at(a), r.time[timeFirstSeen].at(b))
	case ZTA:
		return cmp.Compare(o.ztaKey(r.devnum(a)), o.ztaKey(r.devnum(b)))
	}
	return 0
}

// ztaKey orders scores, with the hosts whose score is not known last in either direction:
// a sort by ZTA shows the scores known first, and fetching more never brings unknown rows
// back to the top.
func (o *orderer) ztaKey(dev uint32) uint8 {
	v := o.zta.at(dev)
	if v == 0 && !o.desc {
		return 255
	}
	return v
}

func symCompare(r *rows, f, a, b int, compare func(x, y string) int) int {
	sa, sb := r.sym[f].at(a), r.sym[f].at(b)
	if sa == sb {
		return 0
	}
	vals := r.dicts[symFields[f].dict].vals
	return compare(vals[sa], vals[sb])
}

// ipCompare is Natural() on the addresses' text; two packed IPv4 addresses compare as
// numbers, which is what Natural() gives for dotted quads without leading zeros.
func ipCompare(r *rows, f, a, b int) int {
	va, vb := r.ip[f].at(a), r.ip[f].at(b)
	if va&vb&ipv4Flag != 0 {
		return cmp.Compare(uint32(va), uint32(vb))
	}
	var ba, bb [15]byte
	return Natural(ipText(r, f, va, ba[:0]), ipText(r, f, vb, bb[:0]))
}

func ipText(r *rows, f int, v uint64, buf []byte) string {
	if v&ipv4Flag != 0 {
		return bytesString(appendIPv4(buf, uint32(v)))
	}
	return r.ipTexts[f].raw(uint32(v))
}

// hostCmp is the tie-break of every sort and the Hostname column's order.
func hostCmp(r *rows, a, b uint32) int {
	if a == b {
		return 0
	}
	ka, kb := r.names.at(int(a)), r.names.at(int(b))
	if c := compareNameKeys(ka, kb); c != 0 {
		return c
	}
	if ka.long() {
		if c := strings.Compare(r.hostnameKey(int(a)), r.hostnameKey(int(b))); c != 0 {
			return c
		}
	}
	if c := idCompare(r, r.devnum(int(a)), r.devnum(int(b))); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

// idCompare orders device numbers as their IDs' text would order. Lower-case hex digits
// sort as the bytes they spell, so two hex IDs compare as bytes.
func idCompare(r *rows, a, b uint32) int {
	if a == b {
		return 0
	}
	if (a|b)&oddDev == 0 {
		ia, ib := r.ids.at(int(a)), r.ids.at(int(b))
		return bytes.Compare(ia[:], ib[:])
	}
	return strings.Compare(r.deviceID(a), r.deviceID(b))
}

func compareNameKeys(a, b nameKey) int {
	if a.hi != b.hi {
		return cmp.Compare(a.hi, b.hi)
	}
	return cmp.Compare(a.lo, b.lo)
}

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

// keyFunc returns the integer sort key of a row for the orderer's column.
func (o *orderer) keyFunc() func(row int) uint64 {
	r := o.r
	switch o.by {
	case Tenant:
		d := r.dicts[dictCID]
		rank := o.ranks(len(d.vals), func(a, b int) int {
			return strings.Compare(o.tenantKey(uint32(a)), o.tenantKey(uint32(b)))
		})
		col := r.sym[symCID]
		return func(row int) uint64 { return uint64(rank[col.at(row)]) }
	case Platform:
		return o.symKey(symPlatform, strings.Compare)
	case OS:
		vals := r.dicts[dictOS].vals
		rank := o.ranks(len(vals), func(a, b int) int { return Natural(vals[a], vals[b]) })
		return func(row int) uint64 { return uint64(rank[r.osSym(row)]) }
	case Sensor:
		return o.symKey(symSensor, Natural)
	case LastSeen:
		col := r.time[timeLastSeen]
		return func(row int) uint64 { return uint64(col.at(row)) ^ 1<<63 }
	case State:
		vals := r.dicts[dictContainment].vals
		contained := make([]bool, len(vals))
		for i, v := range vals {
			contained[i] = isContained(v)
		}
		cc, ls, now := r.sym[symContainment], r.time[timeLastSeen], o.now
		return func(row int) uint64 { return uint64(stateAt(contained[cc.at(row)], ls.at(row), now)) }
	case Groups:
		lists, col := r.sets[setGroups].lists, r.set[setGroups]
		return func(row int) uint64 { return uint64(len(lists[col.at(row)])) }
	case Serial:
		return o.symKey(symSerial, Natural)
	case MAC:
		return o.symKey(symMAC, strings.Compare)
	case ExternalIP:
		return o.symKey(symExternalIP, Natural)
	case Domain:
		return o.symKey(symDomain, strings.Compare)
	case Site:
		return o.symKey(symSite, strings.Compare)
	case Containment:
		return o.symKey(symContainment, strings.Compare)
	case SensorPolicy:
		return o.symKey(symSensorPolicy, strings.Compare)
	case OU, Tags:
		f := setOU
		if o.by == Tags {
			f = setTags
		}
		lists, col := r.sets[f].lists, r.set[f]
		rank := o.ranks(len(lists), func(a, b int) int { return slices.Compare(lists[a], lists[b]) })
		return func(row int) uint64 { return uint64(rank[col.at(row)]) }
	case FirstSeen:
		col := r.time[timeFirstSeen]
		return func(row int) uint64 { return uint64(col.at(row)) ^ 1<<63 }
	case ZTA:
		return func(row int) uint64 { return uint64(o.ztaKey(r.devnum(row))) }
	}
	return func(int) uint64 { return 0 }
}

func (o *orderer) symKey(f int, compare func(a, b string) int) func(row int) uint64 {
	vals := o.r.dicts[symFields[f].dict].vals
	rank := o.ranks(len(vals), func(a, b int) int { return compare(vals[a], vals[b]) })
	col := o.r.sym[f]
	return func(row int) uint64 { return uint64(rank[col.at(row)]) }
}

// ranks is ranks(n, compare) for the orderer's column, built again only when the column's
// dict has grown since the last call (an orderer sorts one column, and dict values are
// never rewritten).
func (o *orderer) ranks(n int, compare func(a, b int) int) []uint32 {
	if len(o.rank) != n {
		o.rank = ranks(n, compare)
	}
	return o.rank
}

// ranks numbers n distinct values in the order of compare; values compare calls equal get
// the same rank.
func ranks(n int, compare func(a, b int) int) []uint32 {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, compare)
	rank := make([]uint32, n)
	for i := 1; i < n; i++ {
		rank[idx[i]] = rank[idx[i-1]]
		if compare(idx[i-1], idx[i]) != 0 {
			rank[idx[i]]++
		}
	}
	return rank
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
