package hosts

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/hostrows"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
)

// data is the loaded hosts and the two index slices the table draws from. order holds every
// row sorted; view is the rows of order that pass the local filter (the same slice when no
// filter is set). Both are rebuilt only when the data, the sort or the filter change — never
// on a keypress that only moves the cursor.
type data struct {
	hosts []falcon.Host
	hay   []string // per host: lower-case text the local filter searches
	lname []string // per host: lower-case hostname, the default sort key

	order []int
	view  []int

	sortBy   column
	sortDesc bool
	filter   string // lower-case local filter
	typed    string // the filter as the user typed it (shown, and edited again on /)
	now      time.Time
	tenants  map[string]string // CID → name, for the tenant column
}

func (d *data) reset() {
	d.hosts, d.hay, d.lname, d.order, d.view = nil, nil, nil, nil, nil
}

// add appends a batch: the new rows are sorted among themselves and merged into order (and,
// when they pass the filter, into view) in one linear pass.
func (d *data) add(batch []falcon.Host) {
	start := len(d.hosts)
	d.hosts = append(d.hosts, batch...)
	fresh := make([]int, len(batch))
	for i := range batch {
		h := &d.hosts[start+i]
		// Keys are built from the sanitised text so that a name starting with an escape
		// sequence sorts where it reads, not first.
		d.lname = append(d.lname, strings.ToLower(sanitize.Text(h.Hostname)))
		d.hay = append(d.hay, haystack(h, d.tenants[h.CID]))
		fresh[i] = start + i
	}
	cmpf := d.less()
	slices.SortFunc(fresh, cmpf)
	d.order = merge(d.order, fresh, cmpf)
	if d.filter == "" {
		d.view = d.order
		return
	}
	d.view = merge(d.view, d.match(fresh), cmpf)
}

// resort sorts every row by the current column and re-applies the filter.
func (d *data) resort() {
	if d.order == nil || len(d.order) != len(d.hosts) {
		d.order = make([]int, len(d.hosts))
		for i := range d.order {
			d.order[i] = i
		}
	}
	slices.SortFunc(d.order, d.less())
	d.refilter()
}

// setFilter changes the local filter and rebuilds view.
func (d *data) setFilter(f string) {
	d.typed = f
	d.filter = strings.ToLower(strings.TrimSpace(f))
	d.refilter()
}

func (d *data) refilter() {
	if d.filter == "" {
		d.view = d.order
		return
	}
	d.view = d.match(d.order)
}

// match keeps the rows whose text contains every word of the filter, in order.
func (d *data) match(rows []int) []int {
	words := strings.Fields(d.filter)
	out := make([]int, 0, len(rows)/4)
	for _, r := range rows {
		hay := d.hay[r]
		ok := true
		for _, w := range words {
			if !strings.Contains(hay, w) {
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

// position finds a device's row in view (-1 if it is filtered out or gone).
func (d *data) position(deviceID string) int {
	if deviceID == "" {
		return -1
	}
	for i, r := range d.view {
		if d.hosts[r].DeviceID == deviceID {
			return i
		}
	}
	return -1
}

// haystack is what the local filter matches: the visible columns plus the IDs and tags an
// analyst is likely to paste.
func haystack(h *falcon.Host, tenant string) string {
	parts := []string{h.Hostname, h.Platform, h.OSVersion, h.OSProductName, h.AgentVersion,
		h.LocalIP, h.ExternalIP, h.DeviceID, h.MachineDomain, h.SiteName, h.LastLoginUser, tenant}
	parts = append(parts, h.Tags...)
	return strings.ToLower(sanitize.Text(strings.Join(parts, "\t")))
}

// merge merges two sorted index slices into a new one.
func merge(a, b []int, cmpf func(x, y int) int) []int {
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

// less returns the comparison for the current sort. Ties fall back to the hostname and then
// the device ID so that the order is total and stable across reloads.
func (d *data) less() func(x, y int) int {
	by, desc, now := d.sortBy, d.sortDesc, d.now
	hs, ln := d.hosts, d.lname
	primary := func(x, y int) int {
		a, b := &hs[x], &hs[y]
		switch by {
		case colTenant:
			return cmp.Compare(strings.ToLower(d.tenants[a.CID]), strings.ToLower(d.tenants[b.CID]))
		case colPlatform:
			return cmp.Compare(a.Platform, b.Platform)
		case colOS:
			return natural(osName(a), osName(b))
		case colSensor:
			return natural(a.AgentVersion, b.AgentVersion)
		case colLastSeen:
			return a.LastSeen.Compare(b.LastSeen)
		case colState:
			return cmp.Compare(a.State(now), b.State(now))
		case colLocalIP:
			return natural(a.LocalIP, b.LocalIP)
		case colGroups:
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
		if desc {
			return -c
		}
		return c
	}
}

// natural is the one natural-order comparison (digit runs compared as numbers), shared with
// the list engine that will replace this file's index.
func natural(a, b string) int { return hostrows.Natural(a, b) }

// osName is what the OS column shows.
func osName(h *falcon.Host) string {
	if h.OSVersion != "" {
		return h.OSVersion
	}
	return h.OSProductName
}
