package hostrows

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// fixedNow is the clock of every test in this package.
var fixedNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// fakeEstate generates a deterministic estate with the repetition of a real one: a few
// platforms and OS versions, a dozen sensor versions, tens of sites and domains, thousands
// of users, a few hundred tag sets and group memberships, host names like api-prod-000a7.
type fakeEstate struct {
	r       *rand.Rand
	tenants []string
	labels  map[string]string
	next    int
	pool    []falcon.Host
	buf     []falcon.Host
	strs    map[string]string
	lists   map[string][]string
}

// intern shares repeated values as the client's decoder does (falcon/hostdecode.go): hosts
// with the same OS or site carry the very same string.
func (e *fakeEstate) intern(s string) string {
	if v, ok := e.strs[s]; ok {
		return v
	}
	e.strs[s] = s
	return s
}

func (e *fakeEstate) internList(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	key := strings.Join(l, "\x00")
	if v, ok := e.lists[key]; ok {
		return v
	}
	e.lists[key] = l
	return l
}

func newFakeEstate(tenants int, seed uint64) *fakeEstate {
	e := &fakeEstate{r: rand.New(rand.NewPCG(seed, 0x5eed)), labels: map[string]string{},
		strs: map[string]string{}, lists: map[string][]string{}}
	for i := range tenants {
		cid := fmt.Sprintf("%016x%016x", e.r.Uint64(), e.r.Uint64())
		e.tenants = append(e.tenants, cid)
		e.labels[cid] = fmt.Sprintf("Customer %03d", i)
	}
	return e
}

var (
	fakePlatforms = []string{"Windows", "Windows", "Windows", "Windows", "Windows", "Linux", "Linux", "Linux", "Mac", "Mac"}
	fakeOS        = map[string][]string{
		"Windows": {"Windows 11", "Windows 10", "Windows Server 2022", "Windows Server 2019", "Windows Server 2016"},
		"Linux":   {"Ubuntu 22.04", "Ubuntu 24.04", "RHEL 9.4", "RHEL 8.10", "Debian 12", "Amazon Linux 2023"},
		"Mac":     {"Sonoma (14)", "Sequoia (15)", "Ventura (13)"},
	}
	fakeProduct = map[string]string{"Windows": "Windows", "Linux": "Linux", "Mac": "macOS"}
	fakeRoles   = []string{"api", "web", "db", "app", "cache", "mq", "k8s-node", "dc", "fs", "print"}
	fakeEnvs    = []string{"prod", "dev", "stg", "qa"}
	fakeTags    = []string{"FalconGroupingTags/pci", "FalconGroupingTags/dmz", "SensorGroupingTags/vdi",
		"FalconGroupingTags/critical", "FalconGroupingTags/finance", "FalconGroupingTags/eu", "FalconGroupingTags/us"}
)

func (e *fakeEstate) hosts(n int) []falcon.Host {
	out := make([]falcon.Host, n)
	r := e.r
	for i := range out {
		seq := e.next
		e.next++
		p := fakePlatforms[r.IntN(len(fakePlatforms))]
		site := r.IntN(60)
		h := falcon.Host{
			DeviceID:      fmt.Sprintf("%016x%016x", r.Uint64(), r.Uint64()),
			CID:           e.tenants[r.IntN(len(e.tenants))],
			Platform:      p,
			OSVersion:     fakeOS[p][r.IntN(len(fakeOS[p]))],
			OSProductName: fakeProduct[p],
			AgentVersion:  fmt.Sprintf("7.%d.%d.0", 14+r.IntN(7), 16703+r.IntN(4)*101),
			LocalIP:       fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), 1+r.IntN(254)),
			ExternalIP:    fmt.Sprintf("203.0.%d.%d", site, 1+r.IntN(4)),
			MachineDomain: fmt.Sprintf("corp%02d.example.com", r.IntN(20)),
			SiteName:      fmt.Sprintf("site-%02d", site),
			LastLoginUser: fmt.Sprintf("user%04d", r.IntN(5000)),
			LastSeen:      fixedNow.Add(-time.Duration(r.Int64N(30*24*3600)) * time.Second),
			Containment:   "normal",
		}
		name := strconv.FormatInt(int64(seq*7919%60466176), 36)
		for len(name) < 5 {
			name = "0" + name
		}
		if p == "Windows" && r.IntN(3) == 0 {
			h.Hostname = fmt.Sprintf("DESKTOP-%07X", r.IntN(1<<28))
		} else {
			h.Hostname = fakeRoles[r.IntN(len(fakeRoles))] + "-" + fakeEnvs[r.IntN(len(fakeEnvs))] + "-" + name
		}
		switch x := r.IntN(200); {
		case x < 4:
			h.Containment = "contained"
		case x < 5:
			h.Containment = "containment_pending"
		}
		if r.IntN(100) == 0 {
			h.LocalIP = fmt.Sprintf("fe80::%x", r.IntN(1<<16))
		}
		for range r.IntN(3) {
			h.Tags = append(h.Tags, fakeTags[r.IntN(len(fakeTags))])
		}
		for g := range r.IntN(4) {
			h.Groups = append(h.Groups, fmt.Sprintf("%032x", 1000+g*7+r.IntN(3)))
		}
		for _, p := range []*string{&h.AgentVersion, &h.ExternalIP, &h.MachineDomain, &h.SiteName, &h.LastLoginUser} {
			*p = e.intern(*p)
		}
		h.Tags, h.Groups = e.internList(h.Tags), e.internList(h.Groups)
		out[i] = h
	}
	return out
}

// nastyHosts are hosts built to hit every corner of the comparisons and the filter:
// duplicate names and IDs, upper-case and odd IDs, escape sequences that swallow the next
// field, non-ASCII names, leading zeros in addresses, IPv6, zero and equal times.
func nastyHosts(n int, seed uint64, tenants []string) []falcon.Host {
	r := rand.New(rand.NewPCG(seed, 99))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	ids := []string{}
	out := make([]falcon.Host, n)
	for i := range out {
		id := fmt.Sprintf("%032x", r.Uint64()%5000)
		switch r.IntN(20) {
		case 0:
			id = fmt.Sprintf("%032X", r.Uint64()%5000) // upper case: kept as text
		case 1:
			id = pick("", "abc", "dev-\x1b]0;x", "ABCDEF")
		case 2:
			if len(ids) > 0 {
				id = ids[r.IntN(len(ids))] // the same device twice
			}
		}
		ids = append(ids, id)
		h := falcon.Host{
			DeviceID: id,
			CID:      tenants[r.IntN(len(tenants))],
			Hostname: pick("web-01", "WEB-01", "web-1", "web-10", "web-9", "", "db", "Db-02", "é-host", "İSTANBUL",
				"e\u0301\u0302\u0303\u0304x", "\x1b[31mred", "a\x1b]0;t", "z\u009b1m", "サーバー", "web-01.corp.example.com",
				"web-01.corp.example.com.long", "web-01.corp.example.com.lonG", "0x", "00", "0", "a\tb", "a b"),
			Platform:      pick("Windows", "Linux", "Mac", "", "linux"),
			OSVersion:     pick("", "Windows 11", "Ubuntu 22.04", "RHEL 9.10", "RHEL 9.9", "rhel 09.9", "x\x1b"),
			OSProductName: pick("", "Windows", "Linux", "macOS"),
			AgentVersion:  pick("7.10.1", "7.9.1", "7.09.1", "7.1", "", "7.10.1.0", "7.1a", "7.1-"),
			LocalIP: pick("10.0.0.1", "10.0.0.10", "10.0.0.9", "010.0.0.1", "10.0.0.01", "", "fe80::1", "10.0.0",
				"255.255.255.255", "0.0.0.0", "1.2.3.4", "1.2.3.4x", "256.1.1.1", "10.0.0.1\x1b[", "10.0.0.2"),
			ExternalIP:    pick("", "1.1.1.1", "203.0.113.9"),
			MachineDomain: pick("", "corp.example.com", "CORP"),
			SiteName:      pick("", "Berlin", "Zürich", "s\x1b[1m"),
			LastLoginUser: pick("", "alice", "BOB", "carol"),
			Containment:   pick("normal", "normal", "contained", "containment_pending", "lift_containment_pending", ""),
		}
		switch r.IntN(6) {
		case 0:
			h.LastSeen = time.Time{}
		case 1:
			h.LastSeen = fixedNow.Add(-time.Hour) // exactly at the online edge
		case 2:
			h.LastSeen = fixedNow.Add(-falcon.StaleAfter)
		default:
			h.LastSeen = fixedNow.Add(-time.Duration(r.Int64N(10*24*3600*1e9)) * time.Nanosecond).In(time.FixedZone("x", 3600))
		}
		for range r.IntN(3) {
			h.Tags = append(h.Tags, pick("pci", "DMZ", "t\x1b]0;", "a", "ä"))
		}
		for range r.IntN(3) {
			h.Groups = append(h.Groups, pick("g1", "g2", "g3"))
		}
		out[i] = h
	}
	return out
}

// benchHosts is hosts for the benchmarks, made fast: rows are copies of a pool of
// generated hosts with their own device ID, host name and local IP, so generating a million
// costs far less than loading them and leaves little garbage behind. The slice is reused by
// the next call: the table keeps nothing of a batch once Append returned.
func (e *fakeEstate) benchHosts(n int) []falcon.Host {
	if e.pool == nil {
		e.pool = e.hosts(1 << 14)
	}
	if cap(e.buf) < n {
		e.buf = make([]falcon.Host, n)
	}
	out := e.buf[:n]
	var id [32]byte
	for i := range out {
		seq := e.next
		e.next++
		h := e.pool[e.r.IntN(len(e.pool))]
		const digits = "0123456789abcdef"
		x, y := e.r.Uint64(), e.r.Uint64()
		for k := range 16 {
			id[k], id[16+k] = digits[x>>(4*k)&15], digits[y>>(4*k)&15]
		}
		h.DeviceID = string(id[:])
		name := strconv.FormatInt(int64(seq*7919%60466176), 36)
		cut := len(h.Hostname) - 5
		h.Hostname = h.Hostname[:cut] + "00000"[:5-min(5, len(name))] + name
		if h.LocalIP[0] == '1' {
			h.LocalIP = "10." + strconv.Itoa(seq>>16&255) + "." + strconv.Itoa(seq>>8&255) + "." + strconv.Itoa(seq&255)
		}
		out[i] = h
	}
	return out
}
