package hostrows

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"strconv"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// Row identifies a loaded host: rows are numbered from 0 in the order they were appended.
// A Row stays valid until Reset.
type Row uint32

// rows is a read-only view of the loaded hosts: the first n rows, the dict values and the
// text pages as they were when the view was taken. Copying it is cheap (headers only), and
// a copy stays valid while the store keeps appending, so a job works on its own copy
// without any lock.
type rows struct {
	n int

	dev    column[uint32]   // per row: device number (see devices)
	ids    column[[16]byte] // per device number: the ID as bytes
	oddIDs []string         // per odd device number: an ID that is not 32 lower-case hex digits

	sym   [numSym]column[uint32]
	set   [numSet]column[uint32]
	text  [numText]column[uint32] // arena references
	names column[nameKey]         // per row: the host name's sort prefix (see nameKey)
	ip    [numIP]column[uint64]   // packed IPv4, or an arena reference
	time  [numTime]column[int64]  // see packTime

	dicts    [numDict]dictView
	sets     [numSet]setView
	texts    [numText]arenaView
	ipTexts  [numIP]arenaView
	oddRows  []uint32 // ascending: rows with a value holding an escape sequence (see oddText)
	hexCount uint32   // device numbers handed out to hex IDs
	oddCount uint32   // … and to odd IDs
	zta      scores   // ZTA scores by device number (zta.go)
}

// oddDev marks a device number whose ID is kept as a string.
const oddDev = 1 << 31

// ipv4Flag marks a packed IPv4 address in an IP column.
const ipv4Flag = 1 << 63

// store owns the rows; it lives on the UI goroutine.
type store struct {
	r  rows
	in *Ingest
}

func newStore() *store {
	s := &store{in: newIngest()}
	s.publish()
	return s
}

// clearRows drops every row; the interning tables stay (see Ingest).
func (s *store) clearRows() {
	s.r = rows{}
	s.publish()
}

func (s *store) publish() {
	s.in.mu.Lock()
	s.in.publish(&s.r)
	s.in.mu.Unlock()
}

// add appends prepared rows and publishes the tables they refer to.
func (s *store) add(ps []prepared) {
	r := &s.r
	for i := range ps {
		p := &ps[i]
		row := r.n
		r.dev.set(row, p.dev)
		for f := range numSym {
			r.sym[f].set(row, p.sym[f])
		}
		for f := range numSet {
			r.set[f].set(row, p.set[f])
		}
		for f := range numText {
			r.text[f].set(row, p.text[f])
		}
		r.names.set(row, p.name)
		for f := range numIP {
			r.ip[f].set(row, p.ip[f])
		}
		for f := range numTime {
			r.time[f].set(row, p.time[f])
		}
		if p.odd {
			r.oddRows = append(r.oddRows, uint32(row))
		}
		r.n++
	}
	s.publish()
}

// parseHexID reads a Falcon ID: 32 lower-case hex digits. Anything else (upper case
// included, since the text must come back exactly) is kept as a string.
func parseHexID(s string) (b [16]byte, ok bool) {
	if len(s) != 32 {
		return b, false
	}
	for i := 0; i < 32; i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return b, false
		}
	}
	_, err := hex.Decode(b[:], []byte(s))
	return b, err == nil
}

// parseIPv4 reads a dotted quad written the way it would be printed (no leading zeros, no
// extra text), so that printing the packed form gives the same string back.
func parseIPv4(s string) (uint32, bool) {
	if len(s) < 7 || len(s) > 15 {
		return 0, false
	}
	var ip uint32
	part, digits, parts := 0, 0, 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if digits == 0 || part > 255 {
				return 0, false
			}
			ip = ip<<8 | uint32(part)
			parts++
			part, digits = 0, 0
			continue
		}
		c := s[i]
		if !isDigit(c) || (digits > 0 && part == 0) {
			return 0, false // not a digit, or a leading zero
		}
		part = part*10 + int(c-'0')
		digits++
	}
	return ip, parts == 4
}

// appendIPv4 prints a packed address.
func appendIPv4(dst []byte, ip uint32) []byte {
	for i := 3; i >= 0; i-- {
		dst = strconv.AppendUint(dst, uint64(ip>>(8*i)&0xff), 10)
		if i > 0 {
			dst = append(dst, '.')
		}
	}
	return dst
}

// Times are kept as Unix nanoseconds. The zero time (never) is noTime, which sorts first as
// time.Time.Compare sorts it; times outside the years 1678–2261 (which UnixNano cannot
// hold) are clamped to the nearest end.
const noTime = math.MinInt64

var (
	minTime = time.Unix(0, math.MinInt64+1)
	maxTime = time.Unix(0, math.MaxInt64)
)

func packTime(t time.Time) int64 {
	switch {
	case t.IsZero():
		return noTime
	case t.Before(minTime):
		return math.MinInt64 + 1
	case t.After(maxTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

func unpackTime(v int64) time.Time {
	if v == noTime {
		return time.Time{}
	}
	return time.Unix(0, v).UTC()
}

// Readers. They work on any view: the store's own (UI goroutine) or a job's copy.

func (r *rows) devnum(row int) uint32 { return r.dev.at(row) }

// deviceID returns the ID of a device number as received.
func (r *rows) deviceID(n uint32) string {
	if n&oddDev != 0 {
		return r.oddIDs[n&^oddDev]
	}
	b := r.ids.at(int(n))
	return hex.EncodeToString(b[:])
}

func (r *rows) symVal(f, row int) string { return r.dicts[symFields[f].dict].vals[r.sym[f].at(row)] }

// nameKey is the start of a host name's search key, for sorting without reading the arena:
// the first 15 bytes, big-endian and zero-padded, then min(length, 16). Sanitised names hold
// no NUL, so comparing keys orders names as comparing the strings does, except that two
// names longer than 15 bytes with the same 15 first bytes tie (and are compared in full).
type nameKey struct{ hi, lo uint64 }

func namePrefix(key string) nameKey {
	var b [16]byte
	copy(b[:15], key)
	b[15] = byte(min(len(key), 16))
	return nameKey{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

// long reports whether names with this key may still differ after the key.
func (k nameKey) long() bool { return k.lo&0xff == 16 }

func (r *rows) hostnameKey(row int) string {
	return r.texts[textHostname].key(r.text[textHostname].at(row))
}

func (r *rows) textRaw(f, row int) string { return r.texts[f].raw(r.text[f].at(row)) }

func (r *rows) ipRaw(f, row int) string {
	v := r.ip[f].at(row)
	if v&ipv4Flag != 0 {
		return string(appendIPv4(make([]byte, 0, 15), uint32(v)))
	}
	return r.ipTexts[f].raw(uint32(v))
}

// osName is what the OS column shows: the OS version, else the product name.
func (r *rows) osSym(row int) uint32 {
	if v := r.sym[symOSVersion].at(row); v != 0 {
		return v
	}
	return r.sym[symOSProduct].at(row)
}

func (r *rows) contained(row int) bool {
	return isContained(r.symVal(symContainment, row))
}

func isContained(v string) bool { return v == "contained" || v == "containment_pending" }

func (r *rows) setList(f, row int) []string { return r.sets[f].lists[r.set[f].at(row)] }

// host rebuilds the list fields of a row as a falcon.Host. Tags and Groups are shared with
// other rows: read-only.
func (r *rows) host(row int) falcon.Host {
	var h falcon.Host
	h.DeviceID = r.deviceID(r.devnum(row))
	for f := range symFields {
		symFields[f].set(&h, r.symVal(f, row))
	}
	for f := range setFields {
		setFields[f].set(&h, r.setList(f, row))
	}
	for f := range textFields {
		textFields[f].set(&h, r.textRaw(f, row))
	}
	for f := range ipFields {
		ipFields[f].set(&h, r.ipRaw(f, row))
	}
	for f := range timeFields {
		*timeFields[f].ptr(&h) = unpackTime(r.time[f].at(row))
	}
	return h
}

// state is the analyst-facing state of a row at now, as falcon.Host.State computes it.
func (r *rows) state(row int, now int64) falcon.HostState {
	return stateAt(r.contained(row), r.time[timeLastSeen].at(row), now)
}

func stateAt(contained bool, lastSeen, now int64) falcon.HostState {
	if contained {
		return falcon.StateContained
	}
	if lastSeen == noTime {
		return falcon.StateStale
	}
	age := satSub(now, lastSeen)
	switch {
	case age >= int64(falcon.StaleAfter):
		return falcon.StateStale
	case age <= int64(falcon.OnlineWindow):
		return falcon.StateOnline
	}
	return falcon.StateOffline
}

// satSub is a-b clamped to the int64 range, as time.Time.Sub clamps.
func satSub(a, b int64) int64 {
	d := a - b
	switch {
	case b > 0 && d > a:
		return math.MinInt64
	case b < 0 && d < a:
		return math.MaxInt64
	}
	return d
}
