package hostrows

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// Ingest is the costly half of appending hosts, which may run on any goroutine — in the
// pane, the tea.Cmd that read the batch from the stream. Prepare reads every field of every
// host (memory the UI goroutine would otherwise wait on), interns the repeated values,
// gives each device its number, builds the search and sort keys and writes the per-row text
// to the arena. What it returns is a Batch of fixed-size prepared rows, which Table.Append
// copies into the row columns on the UI goroutine.
//
// The interning tables live here, behind a mutex: Prepare calls hold it while they intern,
// and the Table holds it only to copy the tables' slice headers after each Append (see
// publish). Interned values, device IDs and arena bytes are never rewritten, so readers of
// the copies need no lock. The tables outlive Reset (a reload interns the same values again
// and finds them); Clear starts a new Ingest.
type Ingest struct {
	mu       sync.Mutex
	dicts    [numDict]*dict
	sets     [numSet]*setDict
	texts    [numText]*arena
	ipTexts  [numIP]*arena
	devices  devIndex
	oddIndex map[string]uint32
	ids      column[[16]byte] // per hex device number
	oddIDs   []string         // per odd device number
	hexCount uint32
	oddCount uint32
	// nameRef is, per hex device number, the arena entry (+1) of the host name it had last:
	// a reload reuses it instead of writing the name again.
	nameRef column[uint32]
	// zta is the ZTA scores known, per device number (zta.go).
	zta  scores
	last [numSym]struct {
		val string
		id  uint32
	} // the previous host's values: consecutive hosts share most of them
}

func newIngest() *Ingest {
	in := &Ingest{oddIndex: map[string]uint32{}}
	for i := range in.dicts {
		in.dicts[i] = newDict()
	}
	for i := range in.sets {
		in.sets[i] = newSetDict()
	}
	for i := range in.texts {
		in.texts[i] = newArena()
	}
	for i := range in.ipTexts {
		in.ipTexts[i] = newArena()
	}
	return in
}

// Batch is hosts prepared for Table.Append.
type Batch struct {
	in    *Ingest
	hosts []falcon.Host // kept to prepare again if the table was cleared meanwhile
	rows  []prepared
	order []uint32 // the rows' indexes in host-name order
}

// Len is the number of hosts in the batch.
func (b *Batch) Len() int { return len(b.hosts) }

// prepared is one host as the row columns store it.
type prepared struct {
	dev  uint32
	sym  [numSym]uint32
	set  [numSet]uint32
	text [numText]uint32
	name nameKey
	ip   [numIP]uint64
	time [numTime]int64
	odd  bool
}

// Prepare prepares hosts for Append. It is safe to call from any goroutine, several at once.
func (in *Ingest) Prepare(hosts []falcon.Host) *Batch {
	b := &Batch{in: in, hosts: hosts, rows: make([]prepared, len(hosts))}
	var r rows
	in.mu.Lock()
	for i := range hosts {
		in.prepare(&hosts[i], &b.rows[i])
	}
	in.publish(&r)
	in.mu.Unlock()
	b.order = b.hostOrder(&r)
	return b
}

// hostOrder sorts the batch by host name, then ID, then position: hostCmp's order for the
// rows the batch will become (its rows are appended in batch order).
func (b *Batch) hostOrder(r *rows) []uint32 {
	keys := make([]hostKey, len(b.rows))
	for i := range keys {
		keys[i] = hostKey{b.rows[i].name, uint32(i)}
	}
	names := r.texts[textHostname]
	slices.SortFunc(keys, func(x, y hostKey) int {
		if c := compareNameKeys(x.k, y.k); c != 0 {
			return c
		}
		px, py := &b.rows[x.row], &b.rows[y.row]
		if x.k.long() {
			if c := strings.Compare(names.key(px.text[textHostname]), names.key(py.text[textHostname])); c != 0 {
				return c
			}
		}
		if c := idCompare(r, px.dev, py.dev); c != 0 {
			return c
		}
		return cmp.Compare(x.row, y.row)
	})
	order := make([]uint32, len(keys))
	for i, k := range keys {
		order[i] = k.row
	}
	return order
}

func (in *Ingest) prepare(h *falcon.Host, p *prepared) {
	p.dev = in.device(h.DeviceID)
	odd := oddText(h.DeviceID)
	for f := range symFields {
		sf := &symFields[f]
		v, last := sf.get(h), &in.last[f]
		if v != last.val {
			last.val, last.id = v, in.dicts[sf.dict].intern(v)
		}
		p.sym[f] = last.id
		odd = odd || (sf.searched && in.dicts[sf.dict].odd[last.id])
	}
	for f := range setFields {
		sd := in.sets[f]
		id := sd.intern(setFields[f].get(h))
		p.set[f] = id
		if setFields[f].searched {
			for _, e := range sd.elems[id] {
				odd = odd || sd.elem.odd[e]
			}
		}
	}
	for f := range textFields {
		raw := textFields[f].get(h)
		key := searchKey(raw)
		if f == textHostname {
			p.text[f] = in.hostname(p.dev, key, raw)
			p.name = namePrefix(key)
		} else {
			p.text[f] = in.texts[f].put(key, raw)
		}
		odd = odd || (textFields[f].searched && oddText(raw))
	}
	for f := range ipFields {
		raw := ipFields[f].get(h)
		if ip, ok := parseIPv4(raw); ok {
			p.ip[f] = ipv4Flag | uint64(ip)
		} else {
			p.ip[f] = uint64(in.ipTexts[f].put(searchKey(raw), raw))
		}
		odd = odd || (ipFields[f].searched && oddText(raw))
	}
	for f := range timeFields {
		p.time[f] = packTime(*timeFields[f].ptr(h))
	}
	p.odd = odd
}

// hostname writes a host name to the arena, or reuses the entry the device had.
func (in *Ingest) hostname(dev uint32, key, raw string) uint32 {
	a := in.texts[textHostname]
	if dev&oddDev != 0 {
		return a.put(key, raw)
	}
	if ref := in.nameRef.at(int(dev)); ref != 0 && a.view().raw(ref-1) == raw {
		return ref - 1
	}
	ref := a.put(key, raw)
	in.nameRef.set(int(dev), ref+1)
	return ref
}

// device returns the device number of an ID, handing out a new one for an unseen ID.
func (in *Ingest) device(id string) uint32 {
	if b, ok := parseHexID(id); ok {
		return in.devices.intern(&in.ids, b, func() uint32 {
			n := in.hexCount
			if n >= oddDev {
				panic("hostrows: too many devices")
			}
			in.ids.set(int(n), b)
			in.nameRef.set(int(n), 0)
			in.hexCount++
			return n
		})
	}
	if n, ok := in.oddIndex[id]; ok {
		return n
	}
	n := oddDev | in.oddCount
	in.oddIDs = append(in.oddIDs, id)
	in.oddCount++
	in.oddIndex[id] = n
	return n
}

// lookup returns the device number of an ID if it has one.
func (in *Ingest) lookup(id string) (uint32, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if b, ok := parseHexID(id); ok {
		return in.devices.lookup(&in.ids, b)
	}
	n, ok := in.oddIndex[id]
	return n, ok
}

// publish copies the tables' headers into a rows view; the caller holds mu.
func (in *Ingest) publish(r *rows) {
	for i, d := range in.dicts {
		r.dicts[i] = d.view()
	}
	for i, d := range in.sets {
		r.sets[i] = d.view()
	}
	for i, a := range in.texts {
		r.texts[i] = a.view()
	}
	for i, a := range in.ipTexts {
		r.ipTexts[i] = a.view()
	}
	r.ids, r.oddIDs, r.hexCount, r.oddCount = in.ids, in.oddIDs, in.hexCount, in.oddCount
	r.zta = in.zta
}
