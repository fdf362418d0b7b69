package store

// A stored host is one compact row (the hosts table's row column, schema version 4): reading
// one blob per host and slicing it is several times faster than reading a column per field
// through database/sql, and it keeps every field store.Fields fills.
//
// Layout, version 1 (all lengths and counts are unsigned varints; times are signed varints of
// Unix seconds, 0 for the zero time):
//
//	0x01
//	strings: hostname, platform, os_version, os_product, agent_version, status, local_ip,
//	         external_ip, machine_domain, site_name, last_login_user, serial_number,
//	         mac_address (each a length, then its bytes)
//	times:   first_seen, last_seen, modified_timestamp
//	lists:   tags, groups, ou (each the byte length of its items, then the items as strings)
//	policies: the byte length of its items, then type and id strings in turn
//
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

// encodeRow appends h's stored fields to dst.
func encodeRow(dst []byte, h *falcon.Host) []byte {
	dst = append(dst, rowVersion)
	for _, s := range [...]string{h.Hostname, h.Platform, h.OSVersion, h.OSProductName, h.AgentVersion,
		h.Containment, h.LocalIP, h.ExternalIP, h.MachineDomain, h.SiteName, h.LastLoginUser,
		h.SerialNumber, h.MAC} {
		dst = appendString(dst, s)
	}
	for _, t := range [...]time.Time{h.FirstSeen, h.LastSeen, h.Modified} {
		dst = binary.AppendVarint(dst, unix(t))
	}
	for _, l := range [...][]string{h.Tags, h.Groups, h.OU} {
		n := 0
		for _, s := range l {
			n += uvarintLen(len(s)) + len(s)
		}
		dst = binary.AppendUvarint(dst, uint64(n))
		for _, s := range l {
			dst = appendString(dst, s)
		}
	}
	n := 0
	for _, p := range h.Policies {
		n += uvarintLen(len(p.Type)) + len(p.Type) + uvarintLen(len(p.ID)) + len(p.ID)
	}
	dst = binary.AppendUvarint(dst, uint64(n))
	for _, p := range h.Policies {
		dst = appendString(dst, p.Type)
		dst = appendString(dst, p.ID)
	}
	return dst
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func uvarintLen(n int) int {
	l := 1
	for ; n >= 0x80; n >>= 7 {
		l++
	}
	return l
}

// errBadRow: a stored row that does not decode (damage SQLite did not notice, or a row of a
// newer version).
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

// span is where a host's unique value lies in its batch's string.
type span struct{ from, to uint32 }

// Unique values (one per host: no point sharing them) go into one string per batch.
const (
	uDeviceID = iota
	uHostname
	uLocalIP
	uSerial
	uMAC
	nUnique
)

// rowDecoder decodes rows into hosts. Values that repeat across an estate — platforms, OS
// and sensor versions, sites, domains, users, tag, group and OU lists, policies — are shared
// (one copy each for all the hosts it decodes, batches and tenants alike); values of one host
// (device id, name, local IP, serial, MAC) are cut out of one string per batch. Shared slices
// are read-only for callers, as those of falcon's own decoder are.
type rowDecoder struct {
	strs   map[string]string
	lists  map[string][]string
	pols   map[string][]falcon.Policy
	unique []byte // this batch's unique values, back to back
	spans  []span // nUnique per host of the batch
	items  []string
	pitems []falcon.Policy
}

func newRowDecoder() *rowDecoder {
	return &rowDecoder{strs: map[string]string{}, lists: map[string][]string{}, pols: map[string][]falcon.Policy{}}
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

// keep records b as host's unique value k of the current batch.
func (d *rowDecoder) keep(b []byte) {
	from := uint32(len(d.unique))
	d.unique = append(d.unique, b...)
	d.spans = append(d.spans, span{from, uint32(len(d.unique))})
}

// list decodes a list's items, shared.
func (d *rowDecoder) list(raw []byte) ([]string, bool) {
	if len(raw) == 0 {
		return nil, true
	}
	if l, ok := d.lists[string(raw)]; ok {
		return l, true
	}
	items := d.items[:0]
	r := reader{b: raw}
	for len(r.b) > 0 && !r.bad {
		items = append(items, d.str(r.bytes()))
	}
	d.items = items[:0]
	if r.bad {
		return nil, false
	}
	l := append([]string(nil), items...)
	if len(d.lists) < maxInterned && len(raw) <= 4096 {
		d.lists[string(raw)] = l
	}
	return l, true
}

// policies decodes a policy list, shared.
func (d *rowDecoder) policies(raw []byte) ([]falcon.Policy, bool) {
	if len(raw) == 0 {
		return nil, true
	}
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
	if r.bad {
		return nil, false
	}
	l := append([]falcon.Policy(nil), ps...)
	if len(d.pols) < maxInterned && len(raw) <= 4096 {
		d.pols[string(raw)] = l
	}
	return l, true
}

// decode fills h (but its unique values: finish does) from a row of the current batch.
func (d *rowDecoder) decode(h *falcon.Host, id, row []byte) error {
	r := reader{b: row}
	if len(row) == 0 || row[0] != rowVersion {
		return fmt.Errorf("%w (version %d)", errBadRow, firstByte(row))
	}
	r.b = r.b[1:]
	mark := len(d.spans)
	d.keep(id)
	d.keep(r.bytes()) // hostname
	h.Platform = d.str(r.bytes())
	h.OSVersion = d.str(r.bytes())
	h.OSProductName = d.str(r.bytes())
	h.AgentVersion = d.str(r.bytes())
	h.Containment = d.str(r.bytes())
	d.keep(r.bytes()) // local IP
	h.ExternalIP = d.str(r.bytes())
	h.MachineDomain = d.str(r.bytes())
	h.SiteName = d.str(r.bytes())
	h.LastLoginUser = d.str(r.bytes())
	d.keep(r.bytes()) // serial
	d.keep(r.bytes()) // MAC
	h.FirstSeen = fromUnix(r.varint())
	h.LastSeen = fromUnix(r.varint())
	h.Modified = fromUnix(r.varint())
	var ok [4]bool
	h.Tags, ok[0] = d.list(r.bytes())
	h.Groups, ok[1] = d.list(r.bytes())
	h.OU, ok[2] = d.list(r.bytes())
	h.Policies, ok[3] = d.policies(r.bytes())
	if r.bad || len(r.b) != 0 || !ok[0] || !ok[1] || !ok[2] || !ok[3] {
		d.spans = d.spans[:mark] // the batch goes on without this row
		d.unique = d.unique[:0]
		if mark > 0 {
			d.unique = d.unique[:d.spans[mark-1].to]
		}
		return errBadRow
	}
	return nil
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}

// finish gives hosts (the batch's, in decode order) their unique values, from one string,
// and starts the next batch.
func (d *rowDecoder) finish(hosts []falcon.Host) {
	s := string(d.unique)
	for i := range hosts {
		sp := d.spans[i*nUnique : (i+1)*nUnique]
		h := &hosts[i]
		h.DeviceID = s[sp[uDeviceID].from:sp[uDeviceID].to]
		h.Hostname = s[sp[uHostname].from:sp[uHostname].to]
		h.LocalIP = s[sp[uLocalIP].from:sp[uLocalIP].to]
		h.SerialNumber = s[sp[uSerial].from:sp[uSerial].to]
		h.MAC = s[sp[uMAC].from:sp[uMAC].to]
	}
	d.unique, d.spans = d.unique[:0], d.spans[:0]
}

// decodeRow decodes one row on its own (tests, fuzzing).
func decodeRow(id string, row []byte) (falcon.Host, error) {
	d := newRowDecoder()
	var h [1]falcon.Host
	if err := d.decode(&h[0], []byte(id), row); err != nil {
		return falcon.Host{}, err
	}
	d.finish(h[:])
	return h[0], nil
}
