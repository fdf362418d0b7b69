package hosts

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/hostrows"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// exportNames are the file's names of the columns whose value is an API field: that
// field's name (the others are named by their column ID).
var exportNames = map[column]string{
	colPlatform: "platform_name", colSensor: "agent_version", colSerial: "serial_number",
	colMAC: "mac_address", colDomain: "machine_domain", colSite: "site_name", colZTA: "zta_score",
}

// exportValue is a column's value in an export: as on screen (Columns), except that the
// groups are their IDs rather than their count and the ZTA score is the one the Reader
// holds (the value off the UI goroutine must not read the table).
func (m Model) exportValue(c column, rd hostrows.Reader) func(row hostrows.Row, h *falcon.Host) string {
	switch c {
	case colGroups:
		return func(_ hostrows.Row, h *falcon.Host) string { return strings.Join(h.Groups, ";") }
	case colZTA:
		return func(row hostrows.Row, _ *falcon.Host) string {
			if s, ok := rd.Score(row); ok {
				return strconv.Itoa(s)
			}
			return ""
		}
	}
	v := m.valueFunc(c)
	return func(_ hostrows.Row, h *falcon.Host) string { return v(*h) }
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
	values := make([]func(hostrows.Row, *falcon.Host) string, len(cols))
	for i, c := range cols {
		names = append(names, cmp.Or(exportNames[c], columnDefs[c].id))
		if c == colTenant {
			names = append(names, "cid")
		}
		values[i] = m.exportValue(c, rd)
	}
	label := m.names[m.cid]
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
			for j, c := range cols {
				dst = append(dst, values[j](rows[i], h))
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
