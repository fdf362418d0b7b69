package falcontest

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// world is the whole simulated cloud: the parent CID, its children and
// the API clients. Everything is derived from the seed; timestamps are
// relative to the server clock at start.
type world struct {
	seed    int64
	start   int64 // Unix seconds
	ids     deviceIDCodec
	hostile bool

	tenants []*tenant // [0] = parent
	byCID   map[string]*tenant

	clients    []*apiClient
	clientByID map[string]*apiClient

	mssp *msspState
}

func (w *world) parent() *tenant { return w.tenants[0] }

// Random streams; each part of the dataset has its own so that sizes of
// one part never change the values of another.
const (
	streamTenants uint64 = iota + 1
	streamClients
	streamGroups
	streamAlerts
	streamUsers
	streamMSSP
	streamHosts = 1 << 40
)

func generate(cfg *config, now time.Time) *world {
	w := &world{
		seed:       cfg.seed,
		start:      now.Unix(),
		ids:        newDeviceIDCodec(cfg.seed),
		hostile:    cfg.hostile,
		byCID:      map[string]*tenant{},
		clientByID: map[string]*apiClient{},
	}
	r := newRand(cfg.seed, streamTenants)
	for i := 0; i <= cfg.tenants; i++ {
		t := newTenant(w, r, i)
		if i > 0 {
			t.parent = w.tenants[0]
		}
		w.tenants = append(w.tenants, t)
		w.byCID[t.cid] = t
	}
	unprov := cfg.unprov
	if !cfg.unprovSet && cfg.tenants >= 2 {
		unprov = []unprovisioned{{tenant: 2, prefix: "zero-trust-assessment"}}
	}
	for _, u := range unprov {
		if u.tenant >= 0 && u.tenant < len(w.tenants) {
			t := w.tenants[u.tenant]
			t.unprovisioned = append(t.unprovisioned, u.prefix)
		}
	}

	// Hosts dominate start-up time: generate them in parallel, in chunks
	// whose values depend only on (seed, tenant, index), so the result is
	// identical whatever the scheduling. Then each tenant's groups, users
	// and alerts, tenants in parallel (each from its own random stream):
	// at a thousand small tenants that is most of the work.
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	parallel := func(f func()) {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			f()
		}()
	}
	const chunk = 16384
	hostTags := make([][][]string, len(w.tenants))
	for ti, t := range w.tenants {
		t.hosts = make([]host, cfg.hosts)
		tags := make([][]string, cfg.hosts)
		hostTags[ti] = tags
		for lo := 0; lo < cfg.hosts; lo += chunk {
			hi := min(lo+chunk, cfg.hosts)
			parallel(func() {
				g := newHostGen(w, t)
				for i := lo; i < hi; i++ {
					tags[i] = g.host(i, &t.hosts[i])
				}
			})
		}
	}
	wg.Wait()
	for ti, t := range w.tenants {
		parallel(func() {
			for i := range t.hosts {
				t.hosts[i].tags = t.internTags(hostTags[ti][i])
			}
			hostTags[ti] = nil
			genGroups(w, t)
			genUsers(w, t)
			genAlerts(w, t, cfg.alerts)
			t.version.Store(1)
		})
	}
	wg.Wait()
	genClients(w, cfg)
	w.mssp = genMSSP(w)
	return w
}

func newTenant(w *world, r *rand.Rand, i int) *tenant {
	t := &tenant{
		idx:       i,
		cid:       randHex32(r),
		checksum:  strings.ToUpper(fmt.Sprintf("%02x", r.IntN(256))),
		tagIdx:    map[string]uint32{},
		groupByID: map[string]*group{},
		alertByID: map[string]*alert{},
		policies:  map[string]string{},
	}
	if i == 0 {
		k := int(uint64(w.seed) % uint64(len(parentNames)))
		t.name, t.code = parentNames[k], parentCodes[k]
	} else {
		k := (i - 1 + int(uint64(w.seed)%uint64(len(childNames)))) % len(childNames)
		t.name, t.code = childNames[k], childCodes[k]
		if round := (i - 1) / len(childNames); round > 0 {
			t.name += " " + strconv.Itoa(round+1)
			t.code += strconv.Itoa(round + 1)
		}
	}
	t.domain = "corp." + strings.ToLower(t.code) + ".com"
	t.created = w.start - int64(400+r.IntN(1500))*86400
	perm := r.Perm(len(siteTemplates))
	for _, p := range perm[:2+r.IntN(4)] {
		s := siteTemplates[p]
		s.external += strconv.Itoa(1 + r.IntN(250))
		t.sites = append(t.sites, s)
	}
	for range 150 {
		f, l := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		t.people = append(t.people, f[:1]+l)
	}
	for _, p := range policyTypes {
		t.policies[p] = randHex32(r)
	}
	t.policies["prevention-server"] = randHex32(r)
	return t
}

// hwByOS lists, per osProfiles index, the hardware profiles that fit it.
var hwByOS = func() [][]int {
	out := make([][]int, len(osProfiles))
	for i, p := range osProfiles {
		for k, hw := range hwProfiles {
			if hw.platform == p.platform && hw.server == (p.productType != "1") {
				out[i] = append(out[i], k)
			}
		}
	}
	return out
}()

// hostGen generates hosts of one tenant; one per goroutine.
type hostGen struct {
	w    *world
	t    *tenant
	pcg  *rand.PCG
	r    *rand.Rand
	cum  []int
	tsum int
}

func newHostGen(w *world, t *tenant) *hostGen {
	g := &hostGen{w: w, t: t, pcg: rand.NewPCG(0, 0)}
	g.r = rand.New(g.pcg)
	for _, p := range osProfiles {
		g.tsum += p.weight
		g.cum = append(g.cum, g.tsum)
	}
	return g
}

func base36(i, width int, upper bool) string {
	s := strconv.FormatInt(int64(i), 36)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return s
}

// host fills h with host i and returns its tags.
func (g *hostGen) host(i int, h *host) []string {
	seed := splitmix64(uint64(g.w.seed) ^ streamHosts ^ uint64(g.t.idx)<<32 ^ uint64(i))
	g.pcg.Seed(seed, uint64(g.t.idx)+1)
	r, t, now := g.r, g.t, g.w.start
	h.seed = seed

	x := r.IntN(g.tsum)
	os, _ := slices.BinarySearch(g.cum, x+1)
	h.os = uint8(os)
	p := &osProfiles[os]
	hws := hwByOS[os]
	h.hw = uint8(hws[r.IntN(len(hws))])
	// Most hosts run a current sensor; a tail lags behind.
	switch a := r.IntN(100); {
	case a < 55:
		h.agent = 0
	case a < 80:
		h.agent = 1
	case a < 93:
		h.agent = 2
	default:
		h.agent = uint8(min(3+r.IntN(2), len(p.agents)-1))
	}
	h.site = uint8(r.IntN(len(t.sites)))
	h.user = uint16(r.IntN(len(t.people)))

	h.firstSeen = now - int64(3600+r.IntN(3*365*86400))
	switch a := r.IntN(100); {
	case a < 80: // online
		h.lastSeen = now - int64(r.IntN(2*3600))
	case a < 90:
		h.lastSeen = now - int64(2*3600+r.IntN(5*86400))
	case a < 94:
		h.lastSeen = now - int64(7*86400+r.IntN(23*86400))
	default: // stale
		h.lastSeen = now - int64(30*86400+r.IntN(150*86400))
	}
	h.lastSeen = max(h.lastSeen, h.firstSeen+60)
	h.modified = h.lastSeen + int64(r.IntN(120))
	if h.modified > now {
		h.modified = now
	}

	switch a := r.IntN(1000); {
	case a < 15:
		h.status = stContained
	case a < 18:
		h.status, h.modified = stContainPending, now
	case a < 20:
		h.status, h.modified = stLiftPending, now
	}
	if r.IntN(200) == 0 {
		h.flags |= flHidden
	}
	if (p.platform == "Linux" && r.IntN(30) == 0) || r.IntN(500) == 0 {
		h.flags |= flRFM
	}
	if r.IntN(500) == 0 {
		h.flags |= flSuppressed
	}

	h.hostname = g.hostname(i, p, h)
	return g.tags(p, r, i)
}

func (g *hostGen) hostname(i int, p *osProfile, h *host) string {
	r, t := g.r, g.t
	site3 := strings.ToUpper(t.sites[h.site].name[:3])
	var name string
	switch p.hostPattern {
	case patWinWorkstation:
		kind := "WS"
		if p.chassisDsc == "Notebook" {
			kind = "LT"
		}
		name = t.code + "-" + kind + "-" + base36(i, 5, true)
	case patWinServer:
		name = site3 + "-" + serverRoles[r.IntN(len(serverRoles))] + "-" + base36(i, 4, true)
	case patWinDC:
		name = site3 + "-DC-" + base36(i, 3, true)
	case patMac:
		name = t.people[h.user] + "-mbp-" + base36(i, 5, false)
	default:
		name = linuxRoles[r.IntN(len(linuxRoles))] + "-" + linuxEnvs[r.IntN(len(linuxEnvs))] + "-" + base36(i, 5, false)
	}
	if g.w.hostile {
		switch {
		case i == 7:
			name = strings.Repeat("LONG-NAME-", 1024) + name // 10 KB
		case i%37 == 11:
			name = hostileStrings[(i/37)%len(hostileStrings)] + "-" + name
		}
	}
	return name
}

func (g *hostGen) tags(p *osProfile, r *rand.Rand, i int) []string {
	var tags []string
	add := func(pct int, tag string) {
		if r.IntN(100) < pct {
			tags = append(tags, tag)
		}
	}
	if p.productType != "1" {
		add(70, "FalconGroupingTags/Prod")
		add(8, "FalconGroupingTags/PCI")
		add(5, "FalconGroupingTags/DMZ")
		add(3, "FalconGroupingTags/CrownJewels")
	} else {
		add(2, "FalconGroupingTags/VIP")
		add(3, "FalconGroupingTags/Contractor")
		if p.platform == "Windows" {
			add(2, "FalconGroupingTags/Kiosk")
		}
		switch r.IntN(10) {
		case 0:
			tags = append(tags, "FalconGroupingTags/Finance")
		case 1:
			tags = append(tags, "FalconGroupingTags/HR")
		case 2, 3:
			tags = append(tags, "FalconGroupingTags/Engineering")
		}
	}
	switch r.IntN(20) {
	case 0:
		tags = append(tags, "SensorGroupingTags/Ring1")
	case 1, 2:
		tags = append(tags, "SensorGroupingTags/Ring2")
	}
	if g.w.hostile && i%101 == 5 {
		tags = append(tags, "FalconGroupingTags/"+hostileStrings[(i/101)%len(hostileStrings)])
	}
	slices.Sort(tags)
	return tags
}

func genGroups(w *world, t *tenant) {
	r := newRand(w.seed, streamGroups^uint64(t.idx)<<16)
	n := 8 + r.IntN(8)
	ns, nb := 2+r.IntN(3), 2+r.IntN(3)
	nd := min(max(n-ns-nb, 2), len(dynamicGroups))
	var picks []groupTemplate
	for _, set := range []struct {
		from []groupTemplate
		n    int
	}{{dynamicGroups, nd}, {staticGroups, ns}, {staticByIDGroups, nb}} {
		perm := r.Perm(len(set.from))
		for _, k := range perm[:set.n] {
			picks = append(picks, set.from[k])
		}
	}
	r.Shuffle(len(picks), func(i, j int) { picks[i], picks[j] = picks[j], picks[i] })
	authors := []string{
		t.people[0] + "@" + strings.TrimPrefix(t.domain, "corp."),
		t.people[1] + "@" + strings.TrimPrefix(t.domain, "corp."),
		"api-client-" + randHex32(r)[:8],
	}
	for k, tpl := range picks {
		g := &group{
			id:          randHex32(r),
			name:        tpl.name,
			description: tpl.description,
			groupType:   tpl.groupType,
			createdBy:   authors[r.IntN(len(authors))],
			created:     w.start - int64(86400*(30+r.IntN(700))),
			members:     newBitset(len(t.hosts)),
		}
		g.modifiedBy = g.createdBy
		g.modified = g.created + int64(r.IntN(int(w.start-g.created)))
		if w.hostile && k == 0 {
			g.name = hostileStrings[0] + " " + g.name
			g.description = strings.Repeat("very long description ", 470)
		}
		switch tpl.groupType {
		case "dynamic":
			g.rule = tpl.rule
		default:
			if len(t.hosts) > 0 {
				k := 3 + r.IntN(min(60, len(t.hosts)/20+3))
				for _, i := range r.Perm(len(t.hosts))[:min(k, len(t.hosts))] {
					if g.groupType == "static" {
						g.hostnames = append(g.hostnames, t.hosts[i].hostname)
					} else {
						g.aids = append(g.aids, w.ids.encode(t.idx, i))
					}
					g.members.set(i)
				}
			}
			g.rule = staticRule(g)
		}
		t.groups = append(t.groups, g)
		t.groupByID[g.id] = g
	}
}

func genUsers(w *world, t *tenant) {
	r := newRand(w.seed, streamUsers^uint64(t.idx)<<16)
	mail := strings.TrimPrefix(t.domain, "corp.")
	for k := range 8 + r.IntN(10) {
		f, l := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		u := &user{
			uuid:    uuidFrom(r),
			uid:     fmt.Sprintf("%s.%s%d@%s", f, l, k, mail),
			first:   strings.ToUpper(f[:1]) + f[1:],
			last:    strings.ToUpper(l[:1]) + l[1:],
			status:  "active",
			created: t.created + int64(r.IntN(300*86400)),
		}
		u.lastLogin = w.start - int64(r.IntN(40*86400))
		if r.IntN(10) == 0 {
			u.status = "inactive"
		}
		if w.hostile && k%4 == 1 {
			// Console users name themselves: the assignment picker must cope.
			u.first = hostileStrings[(k/4)%len(hostileStrings)] + u.first
		}
		t.users = append(t.users, u)
	}
}

func uuidFrom(r *rand.Rand) string {
	h := randHex32(r)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

// secretAlphabet is what Falcon client secrets are made of.
const secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func genClients(w *world, cfg *config) {
	specs := []clientSpec{
		{name: "full", scopes: fullScopes()},
		{name: "analyst", scopes: analystScopes()},
		{name: "partial", scopes: partialScopes()},
	}
	specs = append(specs, cfg.clients...)
	for _, s := range specs {
		var hsh uint64 = 14695981039346656037
		for _, c := range []byte(s.name) {
			hsh = (hsh ^ uint64(c)) * 1099511628211
		}
		r := newRand(w.seed, streamClients^hsh)
		c := &apiClient{name: s.name, id: randHex32(r), scopes: map[string]bool{}}
		var sb strings.Builder
		for range 40 {
			sb.WriteByte(secretAlphabet[r.IntN(len(secretAlphabet))])
		}
		c.secret = sb.String()
		c.created = w.parent().created + int64(r.IntN(200*86400))
		for _, sc := range s.scopes {
			if !c.scopes[sc] {
				c.scopes[sc] = true
				c.scopeList = append(c.scopeList, sc)
			}
		}
		slices.Sort(c.scopeList)
		if old, ok := w.clientByID[c.id]; ok { // same name twice: last wins
			*old = *c
			continue
		}
		w.clients = append(w.clients, c)
		w.clientByID[c.id] = c
	}
}

// staticRule renders the assignment_rule of a static or staticByID group
// the way the console stores it (terraform-provider GenerateAssignmentRule).
func staticRule(g *group) string {
	list := func(vs []string) string {
		if len(vs) == 0 {
			return "['']"
		}
		q := make([]string, len(vs))
		for i, v := range vs {
			q[i] = fqlQuote(v)
		}
		return "[" + strings.Join(q, ",") + "]"
	}
	if g.groupType == "static" {
		return "device_id:[''],hostname:" + list(g.hostnames)
	}
	return "device_id:" + list(g.aids) + ",hostname:['']"
}

// fqlQuote single-quotes v for FQL, escaping quotes and backslashes.
func fqlQuote(v string) string {
	v = strings.ReplaceAll(v, `\`, `\\`)
	return "'" + strings.ReplaceAll(v, "'", `\'`) + "'"
}
