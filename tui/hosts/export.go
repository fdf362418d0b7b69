package hosts

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// exportColumns is what each table column is in an export: its name in the file and its
// value, raw (the writer neutralises API text). The columns exported are the table's
// (m.cols: the layout, and later the column chooser's), after the device id.
var exportColumns = map[column]struct {
	name  string
	value func(h *falcon.Host, tenants map[string]string, now time.Time) string
}{
	colHostname: {"hostname", func(h *falcon.Host, _ map[string]string, _ time.Time) string { return h.Hostname }},
	colTenant:   {"tenant", func(h *falcon.Host, t map[string]string, _ time.Time) string { return t[h.CID] }},
	colPlatform: {"platform_name", func(h *falcon.Host, _ map[string]string, _ time.Time) string { return h.Platform }},
	colOS:       {"os", func(h *falcon.Host, _ map[string]string, _ time.Time) string { return osName(h) }},
	colSensor:   {"agent_version", func(h *falcon.Host, _ map[string]string, _ time.Time) string { return h.AgentVersion }},
	colLastSeen: {"last_seen", func(h *falcon.Host, _ map[string]string, _ time.Time) string { return stamp(h.LastSeen) }},
	colState:    {"state", func(h *falcon.Host, _ map[string]string, now time.Time) string { return h.State(now).String() }},
	colLocalIP:  {"local_ip", func(h *falcon.Host, _ map[string]string, _ time.Time) string { return h.LocalIP }},
	colGroups: {"groups", func(h *falcon.Host, _ map[string]string, _ time.Time) string {
		return strings.Join(h.Groups, ";")
	}},
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Export implements pane.Exporter: the hosts shown, in their order (the local filter, the
// FQL filter and the sort on screen), or, when hosts are marked, the marked ones in that
// order (as a and x act on them). The snapshot costs the UI goroutine a copy of the row
// numbers, not of the hosts.
func (m Model) Export() (pane.Table, string, bool) {
	hosts, rows, marked := m.exportRows()
	if len(rows) == 0 {
		if m.loading {
			return pane.Table{}, "the hosts are still loading", false
		}
		return pane.Table{}, "no host shown", false
	}
	cols := slices.Clone(m.cols)
	names := []string{"device_id"}
	for _, c := range cols {
		names = append(names, exportColumns[c].name)
		if c == colTenant {
			names = append(names, "cid")
		}
	}
	tenants, now := maps.Clone(m.names), m.now()
	label := tenants[m.cid]
	if label == "" {
		label = m.cid
	}
	if m.all && len(m.tenants) > 1 {
		label = "all"
	}
	return pane.Table{
		Pane: "hosts", Tenant: label, Columns: names, Len: len(rows), Marked: marked,
		Row: func(i int, dst []string) []string {
			h := &hosts[rows[i]]
			dst = append(dst, h.DeviceID)
			for _, c := range cols {
				dst = append(dst, exportColumns[c].value(h, tenants, now))
				if c == colTenant {
					dst = append(dst, h.CID)
				}
			}
			return dst
		},
	}, "", true
}

// exportRows is the view as the export reads it: the hosts and the row numbers of the
// hosts shown, in order (only the marked ones when some are). The hosts' slice is shared,
// not copied: a loaded host is never written again (a batch appends past the slice's
// length, a reload makes a new slice). The row numbers are copied, since a sort reorders
// them in place.
func (m Model) exportRows() (hosts []falcon.Host, rows []int, marked bool) {
	hosts = m.d.hosts
	if len(m.marks) == 0 {
		return hosts, slices.Clone(m.d.view), false
	}
	for _, r := range m.d.order {
		if _, ok := m.marks[hosts[r].DeviceID]; ok {
			rows = append(rows, r)
		}
	}
	return hosts, rows, true
}
