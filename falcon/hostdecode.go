package falcon

import (
	"encoding/binary"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// interner shares one copy of each repeated value among the hosts of a stream: a 100k
// host estate has a few dozen platforms, OS versions, sensor versions, sites, policy IDs
// and tag sets, so most of a Host's strings and slices point at shared memory, and a
// repeated value costs no allocation at all when decoded. Interned slices (tags, groups,
// OU) are shared between hosts: callers must treat them as read-only.
type interner struct {
	mu     sync.Mutex
	strs   map[string]string
	slices map[string][]string
}

func newInterner() *interner {
	return &interner{strs: map[string]string{}, slices: map[string][]string{}}
}

// maxInterned keeps an adversarial or very diverse estate from growing the tables forever:
// beyond it, values are kept as decoded.
const maxInterned = 1 << 16

// bytes returns the shared copy of b as a string.
func (in *interner) bytes(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if v, ok := in.strs[string(b)]; ok { // no allocation for the lookup
		return v
	}
	s := string(b)
	if len(in.strs) < maxInterned && len(s) <= 256 {
		in.strs[s] = s
	}
	return s
}

// list returns the shared copy of a list whose items are joined by NUL in key.
func (in *interner) list(key []byte, items func() []string) []string {
	in.mu.Lock()
	if v, ok := in.slices[string(key)]; ok {
		in.mu.Unlock()
		return v
	}
	in.mu.Unlock()
	out := items()
	in.mu.Lock()
	if len(in.slices) < maxInterned && len(key) <= 4096 {
		in.slices[string(key)] = out
	}
	in.mu.Unlock()
	return out
}

// hostDecoder decodes the resources of a devices entities reply (deviceapi.DeviceSwagger)
// straight into Hosts. Keys the client does not keep are skipped unread.
type hostDecoder struct {
	in     *interner
	cid    string // the tenant's CID, for records without one
	hosts  []Host
	expect int // capacity hint

	s       jscan
	scratch []byte   // unescaped strings
	key     []byte   // list interning key
	pol     []Policy // policies scratch
}

// decodeResources implements resourceDecoder: the scanner stands at the array.
func (d *hostDecoder) decodeResources(s *jscan) bool {
	d.s = *s
	defer func() { *s = d.s }()
	if d.s.null() {
		return true
	}
	d.hosts = make([]Host, 0, d.expect)
	return d.s.array(func() bool {
		d.hosts = append(d.hosts, Host{})
		return d.host(&d.hosts[len(d.hosts)-1])
	})
}

// text reads a string value as raw bytes with escapes decoded and invalid UTF-8 replaced
// (as encoding/json does); null and non-strings read as empty.
func (d *hostDecoder) text() []byte {
	s := &d.s
	if s.peek() != '"' {
		s.skip()
		return nil
	}
	raw, esc, ok := s.str()
	if !ok {
		return nil
	}
	if esc {
		d.scratch = appendUnescaped(d.scratch[:0], raw)
		raw = d.scratch
	}
	if !utf8.Valid(raw) {
		d.scratch = []byte(strings.ToValidUTF8(string(raw), "\uFFFD"))
		raw = d.scratch
	}
	return raw
}

// unique reads a per-host value (an allocation of its own).
func (d *hostDecoder) unique() string { return string(d.text()) }

// shared reads a value hosts repeat (interned).
func (d *hostDecoder) shared() string { return d.in.bytes(d.text()) }

// when reads a timestamp.
func (d *hostDecoder) when() time.Time { return parseTimeBytes(d.text()) }

// strings reads an array of strings as one interned, shared slice. The interning key is
// the items, each prefixed with its length, so no item can fake a boundary.
func (d *hostDecoder) strings() []string {
	s := &d.s
	if s.peek() != '[' {
		s.skip() // null or a non-list
		return nil
	}
	d.key = d.key[:0]
	n := 0
	s.array(func() bool {
		t := d.text()
		d.key = binary.AppendUvarint(d.key, uint64(len(t)))
		d.key = append(d.key, t...)
		n++
		return s.err == nil
	})
	if n == 0 || s.err != nil {
		return nil
	}
	return d.in.list(d.key, func() []string {
		out := make([]string, 0, n)
		for k := d.key; len(k) > 0; {
			l, w := binary.Uvarint(k)
			out = append(out, d.in.bytes(k[w:w+int(l)]))
			k = k[w+int(l):]
		}
		return out
	})
}

func (d *hostDecoder) host(h *Host) bool {
	s := &d.s
	ok := s.object(func(key []byte) bool {
		switch string(key) {
		case "device_id":
			h.DeviceID = d.unique()
		case "cid":
			h.CID = d.in.bytes(lowerASCII(d.text()))
		case "hostname":
			h.Hostname = d.unique()
		case "platform_name":
			h.Platform = d.shared()
		case "os_version":
			h.OSVersion = d.shared()
		case "os_product_name":
			h.OSProductName = d.shared()
		case "os_build":
			h.OSBuild = d.shared()
		case "kernel_version":
			h.KernelVersion = d.shared()
		case "agent_version":
			h.AgentVersion = d.shared()
		case "product_type_desc":
			h.ProductType = d.shared()
		case "status":
			h.Containment = d.shared()
		case "first_seen":
			h.FirstSeen = d.when()
		case "last_seen":
			h.LastSeen = d.when()
		case "last_reboot":
			h.LastReboot = d.when()
		case "modified_timestamp":
			h.Modified = d.when()
		case "local_ip":
			h.LocalIP = d.unique()
		case "external_ip":
			h.ExternalIP = d.shared() // one per site
		case "connection_ip":
			h.ConnectionIP = d.unique()
		case "default_gateway_ip":
			h.DefaultGateway = d.shared()
		case "mac_address":
			h.MAC = d.unique()
		case "machine_domain":
			h.MachineDomain = d.shared()
		case "ou":
			h.OU = d.strings()
		case "site_name":
			h.SiteName = d.shared()
		case "serial_number":
			h.SerialNumber = d.unique()
		case "system_manufacturer":
			h.Manufacturer = d.shared()
		case "system_product_name":
			h.Model = d.shared()
		case "last_login_user":
			h.LastLoginUser = d.shared()
		case "reduced_functionality_mode":
			h.RFM = d.shared()
		case "tags":
			h.Tags = d.strings()
		case "groups":
			h.Groups = d.strings()
		case "device_policies":
			h.Policies = d.policies()
		default:
			return s.skip()
		}
		return s.err == nil
	})
	if h.CID == "" {
		h.CID = d.cid
	}
	// Equal IPs are common (local = connection); keep one string.
	if h.ConnectionIP == h.LocalIP {
		h.ConnectionIP = h.LocalIP
	}
	return ok
}

// policies reads device_policies, a map of policy type to device.DevicePolicy, as a slice
// sorted by type (map order is random; a stable order keeps output deterministic).
func (d *hostDecoder) policies() []Policy {
	s := &d.s
	if s.null() {
		return nil
	}
	ps := d.pol[:0]
	s.object(func(typ []byte) bool {
		p := Policy{Type: d.in.bytes(typ)}
		ok := s.object(func(key []byte) bool {
			switch string(key) {
			case "policy_type":
				if t := d.text(); len(t) > 0 {
					p.Type = d.in.bytes(t)
				}
			case "policy_id":
				p.ID = d.shared()
			case "applied":
				p.Applied, _ = s.boolean()
			case "applied_date":
				p.AppliedDate = d.when()
			default:
				return s.skip()
			}
			return s.err == nil
		})
		ps = append(ps, p)
		return ok
	})
	d.pol = ps
	if len(ps) == 0 {
		return nil
	}
	slices.SortFunc(ps, func(a, b Policy) int { return strings.Compare(a.Type, b.Type) })
	return slices.Clone(ps) // exactly sized: the scratch grew by doubling
}

func lowerASCII(b []byte) []byte {
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// parseTimeBytes reads the RFC 3339 timestamps of the API without allocating for the
// common "2006-01-02T15:04:05Z" and "...05.000Z" forms; anything else goes through
// time.Parse, and what that rejects is the zero time.
func parseTimeBytes(b []byte) time.Time {
	if len(b) == 0 {
		return time.Time{}
	}
	if len(b) >= 20 && b[4] == '-' && b[7] == '-' && b[10] == 'T' && b[13] == ':' && b[16] == ':' && b[len(b)-1] == 'Z' {
		num := func(p []byte) (int, bool) {
			n := 0
			for _, c := range p {
				if c < '0' || c > '9' {
					return 0, false
				}
				n = n*10 + int(c-'0')
			}
			return n, true
		}
		y, ok1 := num(b[0:4])
		mo, ok2 := num(b[5:7])
		dd, ok3 := num(b[8:10])
		hh, ok4 := num(b[11:13])
		mi, ok5 := num(b[14:16])
		ss, ok6 := num(b[17:19])
		ns := 0
		ok7 := true
		if frac := b[19 : len(b)-1]; len(frac) > 0 {
			if frac[0] != '.' || len(frac) > 10 {
				ok7 = false
			} else {
				var f int
				f, ok7 = num(frac[1:])
				for range 10 - len(frac) {
					f *= 10
				}
				ns = f
			}
		}
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31 &&
			hh < 24 && mi < 60 && ss < 60 {
			return time.Date(y, time.Month(mo), dd, hh, mi, ss, ns, time.UTC)
		}
	}
	return parseTime(string(b))
}

// parseTime reads an RFC 3339 timestamp; anything else is the zero time.
func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
