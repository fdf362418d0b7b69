package falcontest

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

// hostJSON renders hosts as deviceapi.DeviceSwagger (and device.Device for
// group members — same keys for everything we fill). It is built per
// response from the compact store. A fields= selection (combined devices)
// is planned once per response into want/sub, indexed like hostFields, so
// a trimmed record costs only the keys it carries: nothing else is derived.
type hostJSON struct {
	jw
	want []bool     // per hostFields entry; nil = every key
	sub  []fieldSet // per hostFields entry: nested selection (nil = whole)
	memo hostMemo   // values several keys share, for the host being rendered
}

// hostMemo caches derived values used by more than one key of a record.
type hostMemo struct {
	ip, mac                  string
	groups                   []string
	provider, instance, zone string
	haveIP, haveMAC, haveGrp bool
	haveCloud                bool
}

func (j *hostJSON) ip(r hostRef) string {
	if !j.memo.haveIP {
		j.memo.ip, j.memo.haveIP = r.localIP(), true
	}
	return j.memo.ip
}

func (j *hostJSON) mac(r hostRef) string {
	if !j.memo.haveMAC {
		j.memo.mac, j.memo.haveMAC = r.mac(), true
	}
	return j.memo.mac
}

func (j *hostJSON) groups(r hostRef) []string {
	if !j.memo.haveGrp {
		j.memo.groups, j.memo.haveGrp = r.groupIDs(), true
	}
	return j.memo.groups
}

func (j *hostJSON) cloud(r hostRef) (provider, instance, zone string) {
	if !j.memo.haveCloud {
		j.memo.provider, j.memo.instance, j.memo.zone = r.cloud()
		j.memo.haveCloud = true
	}
	return j.memo.provider, j.memo.instance, j.memo.zone
}

// fieldSet is a parsed fields= selection: each named key maps to the
// selection of its nested keys, nil meaning the whole value. Dotted names
// select inside objects (device_policies.prevention.applied, meta.version),
// as the sort names of the spec spell nested keys (a guess: the spec's
// example names top-level keys only); a dotted name under a scalar key
// (local_ip.raw) selects the scalar. Keys the spec requires are always kept.
type fieldSet map[string]fieldSet

// parseFields parses fields=a,b.c; nil (everything) when v names nothing.
func parseFields(v string) fieldSet {
	var fs fieldSet
	for f := range strings.SplitSeq(v, ",") {
		var path []string
		for p := range strings.SplitSeq(strings.TrimSpace(f), ".") {
			if p = strings.TrimSpace(p); p != "" {
				path = append(path, p)
			}
		}
		if len(path) == 0 {
			continue
		}
		if fs == nil {
			fs = fieldSet{}
		}
		fs.add(path)
	}
	return fs
}

func (fs fieldSet) add(path []string) {
	sub, ok := fs[path[0]]
	switch {
	case len(path) == 1:
		fs[path[0]] = nil // the whole value wins over any part of it
	case ok && sub == nil:
		// already whole
	default:
		if sub == nil {
			sub = fieldSet{}
			fs[path[0]] = sub
		}
		sub.add(path[1:])
	}
}

// keeps says whether nested key k is selected.
func (fs fieldSet) keeps(k string) bool {
	if fs == nil {
		return true
	}
	_, ok := fs[k]
	return ok
}

// of returns the selection inside nested key k (nil = whole).
func (fs fieldSet) of(k string) fieldSet {
	if fs == nil {
		return nil
	}
	return fs[k]
}

// hostField renders one top-level key of a host record (or nothing, when
// the host has no such value).
type hostField struct {
	name string
	put  func(j *hostJSON, r hostRef, sel fieldSet)
}

// str is a string key that is left out when empty.
func str(name string, v func(j *hostJSON, r hostRef) string) hostField {
	return hostField{name, func(j *hostJSON, r hostRef, _ fieldSet) {
		if s := v(j, r); s != "" {
			j.kstr(name, s)
		}
	}}
}

// fixed is a key with the same value on every host.
func fixed(name, v string) hostField {
	return str(name, func(*hostJSON, hostRef) string { return v })
}

// osKey and hwKey are keys read from the host's OS or hardware profile.
func osKey(name string, v func(p *osProfile) string) hostField {
	return str(name, func(_ *hostJSON, r hostRef) string { return v(&osProfiles[r.h().os]) })
}

func hwKey(name string, v func(p *hwProfile) string) hostField {
	return str(name, func(_ *hostJSON, r hostRef) string { return v(&hwProfiles[r.h().hw]) })
}

func timeKey(name string, v func(r hostRef) int64) hostField {
	return str(name, func(_ *hostJSON, r hostRef) string { return rfc3339(v(r)) })
}

var configPlatform = map[string]string{"Windows": "3", "Mac": "4", "Linux": "8"}

// hostFields are the keys of a host record in the order they are rendered.
// device_id and cid come first and are always rendered (the spec requires
// them).
var hostFields = []hostField{
	str("device_id", func(_ *hostJSON, r hostRef) string { return r.s.w.ids.encode(r.t.idx, r.i) }),
	str("cid", func(_ *hostJSON, r hostRef) string { return r.t.cid }),
	fixed("agent_load_flags", "1"),
	str("agent_local_time", func(_ *hostJSON, r hostRef) string {
		return time.Unix(r.h().lastSeen, 0).UTC().Format("2006-01-02T15:04:05.000Z")
	}),
	str("agent_version", func(_ *hostJSON, r hostRef) string { return r.agentVersion() }),
	hwKey("bios_manufacturer", func(p *hwProfile) string { return p.bios }),
	hwKey("bios_version", func(p *hwProfile) string { return p.biosVersion }),
	osKey("chassis_type", func(p *osProfile) string { return p.chassisType }),
	osKey("chassis_type_desc", func(p *osProfile) string { return p.chassisDsc }),
	fixed("config_id_base", "65994763"),
	str("config_id_build", func(_ *hostJSON, r hostRef) string { return strings.Split(r.agentVersion(), ".")[2] }),
	osKey("config_id_platform", func(p *osProfile) string { return configPlatform[p.platform] }),
	str("cpu_signature", func(_ *hostJSON, r hostRef) string { return strconv.Itoa(198000 + r.derived(0xc9, 999)) }),
	fixed("cpu_vendor", "0"),
	fixed("deployment_type", "Standard"),
	str("detection_suppression_status", func(_ *hostJSON, r hostRef) string {
		if r.h().flags&flSuppressed != 0 {
			return "suppressed"
		}
		return ""
	}),
	str("connection_ip", func(j *hostJSON, r hostRef) string { return j.ip(r) }),
	str("connection_mac_address", func(j *hostJSON, r hostRef) string { return j.mac(r) }),
	str("default_gateway_ip", func(j *hostJSON, r hostRef) string {
		ip := j.ip(r)
		return ip[:strings.LastIndexByte(ip, '.')] + ".1"
	}),
	str("external_ip", func(_ *hostJSON, r hostRef) string { return r.t.sites[r.h().site].external }),
	fixed("filesystem_containment_status", "normal"),
	timeKey("first_login_timestamp", func(r hostRef) int64 { return r.h().firstSeen + 600 }),
	timeKey("first_seen", func(r hostRef) int64 { return r.h().firstSeen }),
	{"groups", func(j *hostJSON, r hostRef, _ fieldSet) { j.kstrs("groups", nonNil(j.groups(r))) }},
	str("group_hash", func(j *hostJSON, r hostRef) string { return groupHash(j.groups(r)) }),
	str("host_hidden_status", func(_ *hostJSON, r hostRef) string {
		if r.h().flags&flHidden != 0 {
			return "hidden"
		}
		return ""
	}),
	str("host_utc_offset", func(_ *hostJSON, r hostRef) string { return r.t.sites[r.h().site].utc }),
	str("hostname", func(_ *hostJSON, r hostRef) string { return r.h().hostname }),
	str("instance_id", func(j *hostJSON, r hostRef) string { _, inst, _ := j.cloud(r); return inst }),
	osKey("kernel_version", func(p *osProfile) string { return p.kernel }),
	timeKey("last_login_timestamp", func(r hostRef) int64 { return r.h().lastSeen - int64(r.derived(0x1091, 3600*8)) }),
	str("last_login_user", func(_ *hostJSON, r hostRef) string { return r.lastUser() }),
	timeKey("last_reboot", hostRef.lastReboot),
	timeKey("last_seen", func(r hostRef) int64 { return r.h().lastSeen }),
	str("linux_sensor_mode", func(_ *hostJSON, r hostRef) string {
		switch {
		case osProfiles[r.h().os].platform != "Linux":
			return ""
		case r.h().flags&flRFM != 0:
			return "User Mode"
		}
		return "Kernel Mode"
	}),
	str("local_ip", func(j *hostJSON, r hostRef) string { return j.ip(r) }),
	str("mac_address", func(j *hostJSON, r hostRef) string { return j.mac(r) }),
	str("machine_domain", func(_ *hostJSON, r hostRef) string { return r.domain() }),
	osKey("major_version", func(p *osProfile) string { return p.major }),
	osKey("minor_version", func(p *osProfile) string { return p.minor }),
	timeKey("modified_timestamp", func(r hostRef) int64 { return r.h().modified }),
	osKey("os_build", func(p *osProfile) string { return p.osBuild }),
	osKey("os_product_name", func(p *osProfile) string { return p.productName }),
	osKey("os_version", func(p *osProfile) string { return p.osVersion }),
	{"ou", func(j *hostJSON, r hostRef, _ fieldSet) {
		if ou := r.ou(); ou != nil {
			j.kstrs("ou", ou)
		}
	}},
	osKey("platform_id", func(p *osProfile) string { return p.platformID }),
	osKey("platform_name", func(p *osProfile) string { return p.platform }),
	osKey("pointer_size", func(p *osProfile) string { return p.pointerSz }),
	osKey("product_type", func(p *osProfile) string { return p.productType }),
	osKey("product_type_desc", func(p *osProfile) string { return p.typeDesc }),
	fixed("provision_status", "Provisioned"),
	str("reduced_functionality_mode", func(_ *hostJSON, r hostRef) string { return r.rfm() }),
	str("serial_number", func(_ *hostJSON, r hostRef) string { return r.serial() }),
	osKey("service_pack_major", func(p *osProfile) string { return p.servicePack }),
	str("service_provider", func(j *hostJSON, r hostRef) string { sp, _, _ := j.cloud(r); return sp }),
	str("site_name", func(_ *hostJSON, r hostRef) string { return r.t.sites[r.h().site].name }),
	str("status", func(_ *hostJSON, r hostRef) string { return r.status() }),
	hwKey("system_manufacturer", func(p *hwProfile) string { return p.manufacturer }),
	hwKey("system_product_name", func(p *hwProfile) string { return p.product }),
	{"tags", func(j *hostJSON, r hostRef, _ fieldSet) { j.kstrs("tags", nonNil(r.t.tagsOf(r.h()))) }},
	str("zone_group", func(j *hostJSON, r hostRef) string { _, _, zone := j.cloud(r); return zone }),
	{"device_policies", (*hostJSON).devicePolicies},
	{"policies", func(j *hostJSON, r hostRef, sel fieldSet) {
		j.key("policies")
		j.byte('[')
		j.policy(r, "prevention", r.preventionPolicy(), sel)
		j.byte(']')
		j.comma()
	}},
	{"meta", func(j *hostJSON, r hostRef, sel fieldSet) {
		h := r.h()
		v := strconv.FormatInt(h.modified-h.firstSeen, 10)
		j.key("meta")
		j.open()
		if sel.keeps("version") {
			j.kstr("version", v)
		}
		if sel.keeps("version_string") {
			j.kstr("version_string", v[:min(len(v), 4)]+"-"+strconv.Itoa(int(h.tags)))
		}
		j.close()
		j.comma()
	}},
}

// alwaysRendered counts the leading hostFields every record carries.
const alwaysRendered = 2 // device_id, cid

var hostFieldIndex = func() map[string]int {
	m := make(map[string]int, len(hostFields))
	for k, f := range hostFields {
		m[f.name] = k
	}
	return m
}()

// plan turns a fields= selection into want/sub (nil fields = every key).
func (j *hostJSON) plan(fields fieldSet) {
	if fields == nil {
		return
	}
	j.want = make([]bool, len(hostFields))
	j.sub = make([]fieldSet, len(hostFields))
	for k := range alwaysRendered {
		j.want[k] = true
	}
	for name, sel := range fields {
		if k, ok := hostFieldIndex[name]; ok {
			j.want[k], j.sub[k] = true, sel
		}
	}
}

// perHost estimates the rendered size of one record, to size the buffer:
// ~3.5 KB for a full record, far less for a trimmed one.
func (j *hostJSON) perHost() int {
	if j.want == nil {
		return 3500
	}
	n := 64
	for _, w := range j.want {
		if w {
			n += 64
		}
	}
	return min(n, 3500)
}

func (j *hostJSON) host(r hostRef) {
	j.memo = hostMemo{}
	j.open()
	for k := range hostFields {
		if j.want == nil {
			hostFields[k].put(j, r, nil)
		} else if j.want[k] {
			hostFields[k].put(j, r, j.sub[k])
		}
	}
	j.close()
}

func (j *hostJSON) devicePolicies(r hostRef, sel fieldSet) {
	j.key("device_policies")
	j.open()
	for _, pt := range policyTypes {
		if !sel.keeps(pt) {
			continue
		}
		id := r.t.policies[pt]
		if pt == "prevention" {
			id = r.preventionPolicy()
		}
		j.key(pt)
		j.policy(r, pt, id, sel.of(pt))
		j.comma()
	}
	j.close()
	j.comma()
}

// policy renders a device.DevicePolicy; policy_type and policy_id, which
// the spec requires, are always rendered, like device_id and cid.
func (j *hostJSON) policy(r hostRef, typ, id string, sel fieldSet) {
	h := r.h()
	j.open()
	j.kstr("policy_type", typ)
	j.kstr("policy_id", id)
	if sel.keeps("applied") {
		j.key("applied")
		j.bool(true)
		j.comma()
	}
	if sel.keeps("settings_hash") {
		j.kstr("settings_hash", hex32(splitmix64(h.seed^uint64(len(typ))), uint64(len(id)))[:8])
	}
	if sel.keeps("assigned_date") {
		j.kstr("assigned_date", rfc3339(h.firstSeen+300))
	}
	if sel.keeps("applied_date") {
		j.kstr("applied_date", rfc3339(h.firstSeen+360))
	}
	if typ == "sensor_update" && sel.keeps("uninstall_protection") {
		j.kstr("uninstall_protection", "ENABLED")
	}
	if (typ == "device_control" || typ == "firewall") && sel.keeps("rule_groups") {
		j.key("rule_groups")
		j.raw("[]")
		j.comma()
	}
	j.close()
}

func groupHash(ids []string) string {
	var x uint64 = 0x9ae16a3b2f90404f
	for _, id := range ids {
		for k := 0; k < len(id); k++ {
			x = (x ^ uint64(id[k])) * 1099511628211
		}
	}
	return hex32(splitmix64(x), splitmix64(x^1)) + hex32(splitmix64(x^2), splitmix64(x^3))
}

// hostBufs recycles the large buffers host pages are rendered into.
var hostBufs = sync.Pool{New: func() any { return new([]byte) }}

// putHostBuf returns a renderHosts buffer once the reply is written.
func putHostBuf(b []byte) {
	if cap(b) <= 64<<20 {
		b = b[:0]
		hostBufs.Put(&b)
	}
}

// renderHosts renders hosts idx of t as a JSON array (recycle with
// putHostBuf); fields trims the records (nil = full records).
func (s *Server) renderHosts(t *tenant, idx []int32, fields fieldSet, now int64) []byte {
	var j hostJSON
	j.plan(fields)
	j.b = (*hostBufs.Get().(*[]byte))[:0]
	// Size up front: growing a multi-MB slice by append's 1.25× steps
	// would copy it dozens of times.
	if need := 64 + len(idx)*j.perHost(); cap(j.b) < need {
		j.b = make([]byte, 0, need)
	}
	j.byte('[')
	for k, i := range idx {
		if k > 0 {
			j.comma()
		}
		j.host(hostRef{s: s, t: t, i: int(i), now: now})
	}
	j.byte(']')
	return j.b
}
