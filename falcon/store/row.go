package store

// A stored host is one compact row (the hosts table's row column, schema version 4). The
// values a tenant's hosts share — platforms, OS and sensor versions, statuses, sites, domains,
// external addresses, tag, group and OU lists, policy sets — are kept once per tenant in
// host_values and a row refers to them by number; what is the host's own (name, addresses,
// user, serial, times) is in the row. A row is then about a fifth of the size of the fields
// it holds, and reading is stepping through small rows and looking numbers up in a table:
// a million hosts decode in well under a second (docs/STORE.md).
//
// Row layout, version 1 (lengths, counts and value numbers are unsigned varints; times are
// signed varints of Unix seconds, 0 for the zero time):
//
//	0x01
//	strings: hostname, local_ip, last_login_user, serial_number, mac_address
//	         (each a length, then its bytes)
//	times:   first_seen, last_seen, modified_timestamp
//	values:  platform, os_version, os_product, agent_version, status, external_ip,
//	         machine_domain, site_name, tags, groups, ou, device_policies
//	         (each the number of a tenant value, 0 for an empty one)
//
// A tenant value is a kind byte and its payload: 's' and the string's bytes; 'l' and a list's
// items (each a length and its bytes); 'p' and a policy set's type and id strings in turn.
// The device id and the CID are the row's key, not in it. A policy keeps its type and id
// (what the hosts list shows), not whether it is applied.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

const rowVersion = 1

// The kinds of a tenant value.
const (
	kindString   = 's'
	kindList     = 'l'
	kindPolicies = 'p'
)

// valueEncoder numbers a tenant's values as its rows are encoded: known ones keep their
// number; new ones get the next and are collected for the caller to store.
type valueEncoder struct {
	ids     map[string]int64
	next    int64
	added   []int64  // the numbers of values new since the last flush
	addedV  [][]byte // and their encodings
	scratch []byte
}

func newValueEncoder() *valueEncoder { return &valueEncoder{ids: map[string]int64{}, next: 1} }

// known records a stored value.
func (e *valueEncoder) known(id int64, v []byte) {
	e.ids[string(v)] = id
	e.next = max(e.next, id+1)
}

// ref returns the number of the value in e.scratch (0 for an empty one: kind byte only).
func (e *valueEncoder) ref() uint64 {
	if len(e.scratch) == 1 {
		return 0
	}
	if id, ok := e.ids[string(e.scratch)]; ok { // no allocation for the lookup
		return uint64(id)
	}
	id := e.next
	e.next++
	v := string(e.scratch)
	e.ids[v] = id
	e.added, e.addedV = append(e.added, id), append(e.addedV, []byte(v))
	return uint64(id)
}

func (e *valueEncoder) str(s string) uint64 {
	e.scratch = append(append(e.scratch[:0], kindString), s...)
	return e.ref()
}

func (e *valueEncoder) list(l []string) uint64 {
	e.scratch = append(e.scratch[:0], kindList)
	for _, s := range l {
		e.scratch = appendString(e.scratch, s)
	}
	return e.ref()
}

func (e *valueEncoder) policies(ps []falcon.Policy) uint64 {
	e.scratch = append(e.scratch[:0], kindPolicies)
	for _, p := range ps {
		e.scratch = appendString(appendString(e.scratch, p.Type), p.ID)
	}
	return e.ref()
}

// encodeRow appends h's row to dst, numbering its shared values with e.
func encodeRow(dst []byte, e *valueEncoder, h *falcon.Host) []byte {
	dst = append(dst, rowVersion)
	for _, s := range [...]string{h.Hostname, h.LocalIP, h.LastLoginUser, h.SerialNumber, h.MAC} {
		dst = appendString(dst, s)
	}
	for _, t := range [...]time.Time{h.FirstSeen, h.LastSeen, h.Modified} {
		dst = binary.AppendVarint(dst, unix(t))
	}
	for _, s := range [...]string{h.Platform, h.OSVersion, h.OSProductName, h.AgentVersion, h.Containment,
		h.ExternalIP, h.MachineDomain, h.SiteName} {
		dst = binary.AppendUvarint(dst, e.str(s))
	}
	for _, l := range [...][]string{h.Tags, h.Groups, h.OU} {
		dst = binary.AppendUvarint(dst, e.list(l))
	}
	return binary.AppendUvarint(dst, e.policies(h.Policies))
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// errBadRow: a stored row or value that does not decode (damage SQLite did not notice, or a
// row of a newer version).
var errBadRow = errors.New("store: a stored host row does not decode")

// reader walks a row; any overrun sets bad and yields zero values from then on.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.bad, r.b = true, nil
		return nil
	}
	b := r.b[:n:n]
	r.b = r.b[n:]
	return b
}

// maxInterned keeps a very diverse estate (or a damaged store) from growing a decoder's
// tables without end: beyond it, values are kept as decoded.
const maxInterned = 1 << 16

// Values are numbered from 1 without gaps (valueEncoder); a decoder's table is indexed by
// number, so a damaged number far beyond the count must not size it.
const valueIDSlack = 64

// span is where a host's own value lies in its batch's string.
type span struct{ from, to uint32 }

// A host's own values go into one string per batch.
const (
	uDeviceID = iota
	uHostname
	uLocalIP
	uUser
	uSerial
	uMAC
	nUnique
)

// tenantValue is one of the current tenant's values, decoded on first use.
type tenantValue struct {
	raw     []byte // kind byte and payload; empty: no such value
	decoded bool
	str     string
	list    []string
	pols    []falcon.Policy
}

// rowDecoder decodes rows into hosts. Shared values are decoded once per tenant and, through
// strs, lists and pols, shared among all the tenants it decodes; a host's own values (device
// id, name, local IP, user, serial, MAC) are cut out of one string per batch. Shared slices
// are read-only for callers, as those of falcon's own decoder are.
type rowDecoder struct {
	strs   map[string]string
	lists  map[string][]string
	pols   map[string][]falcon.Policy
	values []tenantValue // the current tenant's, by number
	raw    []byte        // their bytes
	unique []byte        // this batch's own values, back to back
	spans  []span        // nUnique per host of the batch
	items  []string
	pitems []falcon.Policy
}

func newRowDecoder() *rowDecoder {
	return &rowDecoder{strs: map[string]string{}, lists: map[string][]string{}, pols: map[string][]falcon.Policy{}}
}

// tenant starts a tenant: ids[i] is the number of the value whose encoding ends at ends[i]
// in data.
func (d *rowDecoder) tenant(ids []int64, ends []uint32, data []byte) error {
	clear(d.values)
	d.values = d.values[:0]
	d.raw = append(d.raw[:0], data...) // the batch's buffer goes back to the scanner
	from := uint32(0)
	for i, id := range ids {
		if id <= 0 || id > int64(2*len(ids)+valueIDSlack) || ends[i] < from || int(ends[i]) > len(d.raw) {
			return fmt.Errorf("%w (value %d)", errBadRow, id)
		}
		if int(id) >= len(d.values) {
			d.values = append(d.values, make([]tenantValue, int(id)+1-len(d.values))...)
		}
		d.values[id] = tenantValue{raw: d.raw[from:ends[i]:ends[i]]}
		from = ends[i]
	}
	return nil
}

// str returns the shared copy of b.
func (d *rowDecoder) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := d.strs[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	if len(d.strs) < maxInterned && len(b) <= 256 {
		d.strs[s] = s
	}
	return s
}

// value returns value id of the current tenant, decoded, if it is of kind.
func (d *rowDecoder) value(id uint64, kind byte) (*tenantValue, bool) {
	if id >= uint64(len(d.values)) || len(d.values[id].raw) == 0 || d.values[id].raw[0] != kind {
		return nil, false
	}
	v := &d.values[id]
	if v.decoded {
		return v, true
	}
	payload := v.raw[1:]
	switch kind {
	case kindString:
		v.str = d.str(payload)
	case kindList:
		l, ok := d.list(payload)
		if !ok {
			return nil, false
		}
		v.list = l
	case kindPolicies:
		ps, ok := d.policies(payload)
		if !ok {
			return nil, false
		}
		v.pols = ps
	}
	v.decoded = true
	return v, true
}

// list decodes a list's items, shared.
func (d *rowDecoder) list(raw []byte) ([]string, bool) {
	if l, ok := d.lists[string(raw)]; ok {
		return l, true
	}
	items := d.items[:0]
	r := reader{b: raw}
	for len(r.b) > 0 && !r.bad {
		items = append(items, d.str(r.bytes()))
	}
	d.items = items[:0]
	if r.bad || len(items) == 0 {
		return nil, false
	}
	l := append([]string(nil), items...)
	if len(d.lists) < maxInterned && len(raw) <= 4096 {
		d.lists[string(raw)] = l
	}
	return l, true
}

// policies decodes a policy set, shared.
func (d *rowDecoder) policies(raw []byte) ([]falcon.Policy, bool) {
	if l, ok := d.pols[string(raw)]; ok {
		return l, true
	}
	ps := d.pitems[:0]
	r := reader{b: raw}
	for len(r.b) > 0 && !r.bad {
		typ := d.str(r.bytes())
		ps = append(ps, falcon.Policy{Type: typ, ID: d.str(r.bytes())})
	}
	d.pitems = ps[:0]
	if r.bad || len(ps) == 0 {
		return nil, false
	}
	l := append([]falcon.Policy(nil), ps...)
	if len(d.pols) < maxInterned && len(raw) <= 4096 {
		d.pols[string(raw)] = l
	}
	return l, true
}

// keep records b as the next own value of the current host.
func (d *rowDecoder) keep(b []byte) {
	from := uint32(len(d.unique))
	d.unique = append(d.unique, b...)
	d.spans = append(d.spans, span{from, uint32(len(d.unique))})
}

// decode fills h (but its own values: finish does) from one of the current tenant's rows.
func (d *rowDecoder) decode(h *falcon.Host, id, row []byte) error {
	if len(row) == 0 || row[0] != rowVersion {
		return errBadRow
	}
	r := reader{b: row[1:]}
	mark, umark := len(d.spans), len(d.unique)
	d.keep(id)
	for range nUnique - 1 {
		d.keep(r.bytes())
	}
	h.FirstSeen = fromUnix(r.varint())
	h.LastSeen = fromUnix(r.varint())
	h.Modified = fromUnix(r.varint())
	ok := true
	for _, f := range [...]*string{&h.Platform, &h.OSVersion, &h.OSProductName, &h.AgentVersion, &h.Containment,
		&h.ExternalIP, &h.MachineDomain, &h.SiteName} {
		if n := r.uvarint(); n != 0 {
			v, found := d.value(n, kindString)
			if !found {
				ok = false
				break
			}
			*f = v.str
		}
	}
	for _, f := range [...]*[]string{&h.Tags, &h.Groups, &h.OU} {
		if n := r.uvarint(); ok && n != 0 {
			v, found := d.value(n, kindList)
			if !found {
				ok = false
				break
			}
			*f = v.list
		}
	}
	if n := r.uvarint(); ok && n != 0 {
		v, found := d.value(n, kindPolicies)
		if found {
			h.Policies = v.pols
		}
		ok = found
	}
	if !ok || r.bad || len(r.b) != 0 {
		d.spans, d.unique = d.spans[:mark], d.unique[:umark] // the batch stops here
		return errBadRow
	}
	return nil
}

// finish gives hosts (the batch's, in decode order) their own values, from one string, and
// starts the next batch.
func (d *rowDecoder) finish(hosts []falcon.Host) {
	s := string(d.unique)
	for i := range hosts {
		sp := d.spans[i*nUnique : (i+1)*nUnique]
		h := &hosts[i]
		h.DeviceID = s[sp[uDeviceID].from:sp[uDeviceID].to]
		h.Hostname = s[sp[uHostname].from:sp[uHostname].to]
		h.LocalIP = s[sp[uLocalIP].from:sp[uLocalIP].to]
		h.LastLoginUser = s[sp[uUser].from:sp[uUser].to]
		h.SerialNumber = s[sp[uSerial].from:sp[uSerial].to]
		h.MAC = s[sp[uMAC].from:sp[uMAC].to]
	}
	d.unique, d.spans = d.unique[:0], d.spans[:0]
}
