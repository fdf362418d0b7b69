package hostrows

// The orders the rows can be in: the columns, Sort, and the orderer that compares two rows
// under a Sort (cmp) or turns a column into an integer key per row through rank tables of
// its distinct values (keyFunc). The sorts and merges that use it are in sort.go and
// merge.go.

import (
	"bytes"
	"cmp"
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
