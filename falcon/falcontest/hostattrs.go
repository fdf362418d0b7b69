package falcontest

import (
	"strconv"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

// hostSchema is the FQL schema of hosts (filter and sort).
var hostSchema = fql.Schema{
	"device_id": fql.String, "cid": fql.String, "hostname": fql.String,
	"platform_name": fql.String, "platform_id": fql.String,
	"os_version": fql.String, "os_build": fql.String, "os_product_name": fql.String,
	"kernel_version": fql.String, "major_version": fql.String, "minor_version": fql.String,
	"agent_version": fql.String, "agent_load_flags": fql.String,
	"config_id_base": fql.String, "config_id_build": fql.String, "config_id_platform": fql.String,
	"status": fql.String, "host_hidden_status": fql.String, "filesystem_containment_status": fql.String,
	"detection_suppression_status": fql.String, "reduced_functionality_mode": fql.String,
	"provision_status": fql.String, "linux_sensor_mode": fql.String,
	"local_ip": fql.String, "external_ip": fql.String, "connection_ip": fql.String,
	"default_gateway_ip": fql.String, "mac_address": fql.String, "connection_mac_address": fql.String,
	"machine_domain": fql.String, "ou": fql.String, "site_name": fql.String,
	"serial_number": fql.String, "system_manufacturer": fql.String, "system_product_name": fql.String,
	"bios_manufacturer": fql.String, "bios_version": fql.String,
	"product_type": fql.String, "product_type_desc": fql.String,
	"chassis_type": fql.String, "chassis_type_desc": fql.String,
	"last_login_user": fql.String, "tags": fql.String, "groups": fql.String,
	"service_provider": fql.String, "instance_id": fql.String, "zone_group": fql.String,
	"cpu_signature": fql.String, "deployment_type": fql.String,
	"device_policies.prevention.policy_id": fql.String, "device_policies.sensor_update.policy_id": fql.String,
	"first_seen": fql.Time, "last_seen": fql.Time, "modified_timestamp": fql.Time,
	"last_reboot": fql.Time, "first_login_timestamp": fql.Time, "last_login_timestamp": fql.Time,
}

// hostRef addresses one host for FQL matching and rendering. It must only
// be used while the tenant's read lock is held.
type hostRef struct {
	s   *Server
	t   *tenant
	i   int
	now int64 // Unix seconds, for pending containment
	// dynOnly limits "groups" to static kinds (used while evaluating
	// dynamic rules, which must not depend on each other).
	staticGroupsOnly bool
}

func (r hostRef) h() *host { return &r.t.hosts[r.i] }

func rfc3339(sec int64) string { return time.Unix(sec, 0).UTC().Format(time.RFC3339) }

// derived returns 0..max-1 from the host seed and a salt.
func (r hostRef) derived(salt uint64, n int) int {
	return int(splitmix64(r.h().seed^salt) % uint64(n))
}

func (r hostRef) status() string {
	h := r.h()
	st := h.status
	if st == stContainPending || st == stLiftPending {
		if r.now-h.modified >= int64(r.s.cfg.actionDelay/time.Second) {
			if st == stContainPending {
				st = stContained
			} else {
				st = stNormal
			}
		}
	}
	return statusNames[st]
}

func (r hostRef) localIP() string {
	x := splitmix64(r.h().seed ^ 0x1b)
	return "10." + strconv.Itoa(r.t.sites[r.h().site].octet) + "." + strconv.Itoa(int(x&0xff)) + "." + strconv.Itoa(1+int((x>>8)%253)+1)
}

func (r hostRef) gateway() string {
	ip := r.localIP()
	return ip[:strings.LastIndexByte(ip, '.')] + ".1"
}

var ouis = map[string]string{
	"Dell Inc.": "18-db-f2", "LENOVO": "8c-16-45", "HP": "9c-7b-ef", "Apple Inc.": "3c-22-fb",
	"VMware, Inc.": "00-50-56", "Microsoft Corporation": "00-15-5d", "Amazon EC2": "0a-3f-9c",
}

func (r hostRef) mac() string {
	x := splitmix64(r.h().seed ^ 0x3ac)
	oui := ouis[hwProfiles[r.h().hw].manufacturer]
	b := []byte(oui)
	for k := range 3 {
		v := byte(x >> (8 * k))
		b = append(b, '-', hexDigits[v>>4], hexDigits[v&0xF])
	}
	return string(b)
}

const serialAlphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"

func (r hostRef) serial() string {
	x := splitmix64(r.h().seed ^ 0x5e71a1)
	pick := func(n int) string {
		b := make([]byte, n)
		y := x
		for k := range b {
			if k%12 == 11 {
				y = splitmix64(y)
			}
			b[k] = serialAlphabet[y%uint64(len(serialAlphabet))]
			y /= uint64(len(serialAlphabet))
		}
		return string(b)
	}
	h := hex32(x, splitmix64(x))
	switch hwProfiles[r.h().hw].serial {
	case serDell:
		return pick(7)
	case serLenovo:
		return "PF" + pick(6)
	case serHP:
		return "5CG" + pick(7)
	case serApple:
		return "C02" + pick(9)
	case serVMware:
		var sb strings.Builder
		sb.WriteString("VMware-")
		for k := 0; k < 16; k++ {
			if k == 8 {
				sb.WriteByte('-')
			} else if k > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(h[2*k : 2*k+2])
		}
		return sb.String()
	case serAzure:
		d := strconv.FormatUint(x, 10) + strconv.FormatUint(splitmix64(x), 10)
		d = (d + strings.Repeat("0", 28))[:28]
		return d[0:4] + "-" + d[4:8] + "-" + d[8:12] + "-" + d[12:16] + "-" + d[16:20] + "-" + d[20:24] + "-" + d[24:26]
	default:
		return "ec2" + h[3:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
	}
}

func (r hostRef) lastReboot() int64 {
	h := r.h()
	return max(h.firstSeen, h.lastSeen-int64(r.derived(0x4eb, 20*86400)))
}

func (r hostRef) ou() []string {
	p := osProfiles[r.h().os]
	switch {
	case p.platform != "Windows":
		return nil
	case p.productType == "2":
		return []string{"Domain Controllers"}
	case p.productType == "3":
		return []string{"Servers", r.t.sites[r.h().site].name}
	}
	return []string{"Workstations", r.t.sites[r.h().site].name}
}

func (r hostRef) domain() string {
	if osProfiles[r.h().os].platform == "Windows" {
		return r.t.domain
	}
	return ""
}

func (r hostRef) lastUser() string {
	p := osProfiles[r.h().os]
	switch {
	case p.productType == "1":
		return r.t.people[r.h().user]
	case p.platform == "Windows":
		return []string{"Administrator", "svc_backup", "svc_sql"}[r.derived(0x05e, 3)]
	}
	return []string{"root", "ec2-user", "ubuntu", "ansible"}[r.derived(0x05e, 4)]
}

func (r hostRef) agentVersion() string {
	p := &osProfiles[r.h().os]
	return p.agents[min(int(r.h().agent), len(p.agents)-1)]
}

func (r hostRef) rfm() string {
	if r.h().flags&flRFM != 0 {
		return "yes"
	}
	return "no"
}

func (r hostRef) hidden() string {
	if r.h().flags&flHidden != 0 {
		return "hidden"
	}
	return "visible"
}

func (r hostRef) cloud() (provider, instance, zone string) {
	if hwProfiles[r.h().hw].manufacturer != "Amazon EC2" {
		return "", "", ""
	}
	x := splitmix64(r.h().seed ^ 0xec2)
	return "AWS_EC2_V2", "i-0" + hex32(x, x)[:16], []string{"us-east-1a", "us-east-1b", "eu-west-1a"}[x%3]
}

func (r hostRef) preventionPolicy() string {
	if osProfiles[r.h().os].productType != "1" {
		return r.t.policies["prevention-server"]
	}
	return r.t.policies["prevention"]
}

// groupIDs lists the ids of the groups the host is in, in group order.
// Dynamic memberships must be fresh (ensureDynamic) unless staticGroupsOnly.
func (r hostRef) groupIDs() []string {
	var out []string
	for _, g := range r.t.groups {
		if g.groupType == "dynamic" {
			if r.staticGroupsOnly || !g.dynOK {
				continue
			}
		}
		if g.members.has(r.i) {
			out = append(out, g.id)
		}
	}
	return out
}

// FQLValues implements fql.Record.
func (r hostRef) FQLValues(field string) []string {
	h := r.h()
	p := &osProfiles[h.os]
	hw := &hwProfiles[h.hw]
	one := func(v string) []string {
		if v == "" {
			return nil
		}
		return []string{v}
	}
	switch field {
	case "device_id":
		return []string{r.s.w.ids.encode(r.t.idx, r.i)}
	case "cid":
		return []string{r.t.cid}
	case "hostname":
		return one(h.hostname)
	case "platform_name":
		return []string{p.platform}
	case "platform_id":
		return []string{p.platformID}
	case "os_version":
		return []string{p.osVersion}
	case "os_build":
		return one(p.osBuild)
	case "os_product_name":
		return []string{p.productName}
	case "kernel_version":
		return []string{p.kernel}
	case "major_version":
		return []string{p.major}
	case "minor_version":
		return []string{p.minor}
	case "agent_version":
		return []string{r.agentVersion()}
	case "agent_load_flags":
		return []string{"1"}
	case "config_id_base":
		return []string{"65994763"}
	case "config_id_build":
		return []string{strings.Split(r.agentVersion(), ".")[2]}
	case "config_id_platform":
		return []string{map[string]string{"Windows": "3", "Mac": "4", "Linux": "8"}[p.platform]}
	case "status":
		return []string{r.status()}
	case "host_hidden_status":
		return []string{r.hidden()}
	case "filesystem_containment_status":
		return []string{"normal"}
	case "detection_suppression_status":
		if h.flags&flSuppressed != 0 {
			return []string{"suppressed"}
		}
		return nil
	case "reduced_functionality_mode":
		return []string{r.rfm()}
	case "provision_status":
		return []string{"Provisioned"}
	case "linux_sensor_mode":
		if p.platform != "Linux" {
			return nil
		}
		if h.flags&flRFM != 0 {
			return []string{"User Mode"}
		}
		return []string{"Kernel Mode"}
	case "local_ip", "connection_ip":
		return []string{r.localIP()}
	case "external_ip":
		return []string{r.t.sites[h.site].external}
	case "default_gateway_ip":
		return []string{r.gateway()}
	case "mac_address", "connection_mac_address":
		return []string{r.mac()}
	case "machine_domain":
		return one(r.domain())
	case "ou":
		return r.ou()
	case "site_name":
		return []string{r.t.sites[h.site].name}
	case "serial_number":
		return []string{r.serial()}
	case "system_manufacturer":
		return []string{hw.manufacturer}
	case "system_product_name":
		return []string{hw.product}
	case "bios_manufacturer":
		return []string{hw.bios}
	case "bios_version":
		return []string{hw.biosVersion}
	case "product_type":
		return []string{p.productType}
	case "product_type_desc":
		return []string{p.typeDesc}
	case "chassis_type":
		return []string{p.chassisType}
	case "chassis_type_desc":
		return []string{p.chassisDsc}
	case "last_login_user":
		return []string{r.lastUser()}
	case "tags":
		return r.t.tagsOf(h)
	case "groups":
		return r.groupIDs()
	case "service_provider", "instance_id", "zone_group":
		sp, inst, zone := r.cloud()
		return one(map[string]string{"service_provider": sp, "instance_id": inst, "zone_group": zone}[field])
	case "cpu_signature":
		return []string{strconv.Itoa(198000 + r.derived(0xc9, 999))}
	case "deployment_type":
		return []string{"Standard"}
	case "device_policies.prevention.policy_id":
		return []string{r.preventionPolicy()}
	case "device_policies.sensor_update.policy_id":
		return []string{r.t.policies["sensor_update"]}
	case "first_seen":
		return []string{rfc3339(h.firstSeen)}
	case "last_seen":
		return []string{rfc3339(h.lastSeen)}
	case "modified_timestamp":
		return []string{rfc3339(h.modified)}
	case "last_reboot":
		return []string{rfc3339(r.lastReboot())}
	case "first_login_timestamp":
		return []string{rfc3339(h.firstSeen + 600)}
	case "last_login_timestamp":
		return []string{rfc3339(h.lastSeen - int64(r.derived(0x1091, 3600*8)))}
	}
	return nil
}
