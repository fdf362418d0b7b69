package hostrows

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
)

// oracle is the hosts pane's list data as it was before this package (tui/hosts/index.go),
// kept verbatim in substance: the engine must give the same order and the same rows.
type oracle struct {
	hosts   []falcon.Host
	hay     []string
	lname   []string
	order   []int
	view    []int
	sortBy  Column
	desc    bool
	filter  string
	now     time.Time
	tenants map[string]string
}

func (d *oracle) add(batch []falcon.Host) {
	start := len(d.hosts)
	d.hosts = append(d.hosts, batch...)
	fresh := make([]int, len(batch))
	for i := range batch {
		h := &d.hosts[start+i]
		d.lname = append(d.lname, strings.ToLower(sanitize.Text(h.Hostname)))
		d.hay = append(d.hay, oracleHaystack(h, d.tenants[h.CID]))
		fresh[i] = start + i
	}
	cmpf := d.less()
	slices.SortFunc(fresh, cmpf)
	d.order = oracleMerge(d.order, fresh, cmpf)
	if d.filter == "" {
		d.view = d.order
		return
	}
	d.view = oracleMerge(d.view, d.match(fresh), cmpf)
}

func (d *oracle) resort() {
	d.order = make([]int, len(d.hosts))
	for i := range d.order {
		d.order[i] = i
	}
	slices.SortFunc(d.order, d.less())
	d.refilter()
}

func (d *oracle) setFilter(f string) {
	d.filter = strings.ToLower(strings.TrimSpace(f))
	d.refilter()
}

func (d *oracle) setTenants(names map[string]string) {
	d.tenants = names
	for i := range d.hosts {
		d.hay[i] = oracleHaystack(&d.hosts[i], names[d.hosts[i].CID])
	}
}

func (d *oracle) refilter() {
	if d.filter == "" {
		d.view = d.order
		return
	}
	d.view = d.match(d.order)
}

func (d *oracle) match(rows []int) []int {
	words := strings.Fields(d.filter)
	var out []int
	for _, r := range rows {
		ok := true
		for _, w := range words {
			if !strings.Contains(d.hay[r], w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

func oracleHaystack(h *falcon.Host, tenant string) string {
	parts := []string{h.Hostname, h.Platform, h.OSVersion, h.OSProductName, h.AgentVersion,
		h.LocalIP, h.ExternalIP, h.DeviceID, h.MachineDomain, h.SiteName, h.LastLoginUser, tenant}
	parts = append(parts, h.Tags...)
	return strings.ToLower(sanitize.Text(strings.Join(parts, "\t")))
}

func oracleMerge(a, b []int, cmpf func(x, y int) int) []int {
	if len(b) == 0 {
		return a
	}
	out := make([]int, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if cmpf(b[j], a[i]) < 0 {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// less is the pane's comparison, plus the row as the very last tie-break: the pane's sort
// left rows with the same name and ID in whatever order the sort produced.
func (d *oracle) less() func(x, y int) int {
	by, desc, now := d.sortBy, d.desc, d.now
	hs, ln := d.hosts, d.lname
	osName := func(h *falcon.Host) string {
		if h.OSVersion != "" {
			return h.OSVersion
		}
		return h.OSProductName
	}
	primary := func(x, y int) int {
		a, b := &hs[x], &hs[y]
		switch by {
		case Tenant:
			return cmp.Compare(strings.ToLower(d.tenants[a.CID]), strings.ToLower(d.tenants[b.CID]))
		case Platform:
			return cmp.Compare(a.Platform, b.Platform)
		case OS:
			return Natural(osName(a), osName(b))
		case Sensor:
			return Natural(a.AgentVersion, b.AgentVersion)
		case LastSeen:
			return a.LastSeen.Compare(b.LastSeen)
		case State:
			return cmp.Compare(a.State(now), b.State(now))
		case LocalIP:
			return Natural(a.LocalIP, b.LocalIP)
		case Groups:
			return cmp.Compare(len(a.Groups), len(b.Groups))
		}
		return 0
	}
	return func(x, y int) int {
		c := primary(x, y)
		if c == 0 {
			c = cmp.Compare(ln[x], ln[y])
		}
		if c == 0 {
			c = cmp.Compare(hs[x].DeviceID, hs[y].DeviceID)
		}
		if c == 0 {
			c = cmp.Compare(x, y)
		}
		if desc {
			return -c
		}
		return c
	}
}
