package hosts

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/hostrows"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// exportColumns is what each table column is in an export: its name in the file and its
// value, raw (the writer neutralises API text). The columns exported are the table's
// (m.cols: the layout, and later the column chooser's), after the device id.
var exportColumns = map[column]struct {
	name  string
	value func(h *falcon.Host, tenants map[string]string, now time.Time) string
}{
	// The OS column shows the OS version, else the product name (hostrows' OSName).
	colHostname: {"hostname", func(h *falcon.Host, _ map[string]string, _ time.Time) string { return h.Hostname }},
	colTenant:   {"tenant", func(h *falcon.Host, t map[string]string, _ time.Time) string { return t[h.CID] }},
	colPlatform: {"platform_name", func(h *falcon.Host, _ map[string]string, _ time.Time) string { return h.Platform }},
	colOS: {"os", func(h *falcon.Host, _ map[string]string, _ time.Time) string {
		return cmp.Or(h.OSVersion, h.OSProductName)
	}},
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
	rd, rows, marked := m.exportRows()
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
			host := rd.Host(rows[i])
			h := &host
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

// exportRows is the view as the export reads it: a Reader of the loaded rows and the rows
// shown, in order (only the marked ones when some are, hidden by the filter or not, as a
// and x act on them). The Reader is read on the export's goroutine; the row numbers are a
// copy, since the view changes with the next batch, sort or filter.
func (m Model) exportRows() (rd hostrows.Reader, rows []hostrows.Row, marked bool) {
	rd = m.rows.Reader()
	if m.rows.MarkCount() == 0 {
		return rd, m.rows.View(), false
	}
	return rd, m.rows.MarkedRows(), true
}
