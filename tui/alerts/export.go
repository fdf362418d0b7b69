package alerts

import (
	"slices"
	"strconv"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// exportColumns is what each table column is in an export, in the table's order: its names
// in the file and its values, raw (the writer neutralises API text). SEVERITY is two cells,
// the number and its band's name.
var exportColumns = []struct {
	col   int
	names []string
	value func(a *falcon.Alert, dst []string) []string
}{
	{colCreated, []string{"created"}, func(a *falcon.Alert, dst []string) []string { return append(dst, stamp(a.Created)) }},
	{colSeverity, []string{"severity", "severity_name"}, func(a *falcon.Alert, dst []string) []string {
		return append(dst, strconv.Itoa(a.Severity), domain.SeverityName(*a))
	}},
	{colStatus, []string{"status"}, func(a *falcon.Alert, dst []string) []string { return append(dst, a.Status) }},
	{colHost, []string{"hostname", "device_id"}, func(a *falcon.Alert, dst []string) []string {
		return append(dst, a.Hostname, a.DeviceID)
	}},
	{colAlert, []string{"name"}, func(a *falcon.Alert, dst []string) []string {
		if a.DisplayName != "" {
			return append(dst, a.DisplayName)
		}
		return append(dst, a.Name)
	}},
	{colTactic, []string{"tactic"}, func(a *falcon.Alert, dst []string) []string { return append(dst, a.Tactic) }},
	{colProduct, []string{"product"}, func(a *falcon.Alert, dst []string) []string { return append(dst, a.Product) }},
	{colTechnique, []string{"technique_id", "technique"}, func(a *falcon.Alert, dst []string) []string {
		return append(dst, a.TechniqueID, a.Technique)
	}},
	{colAssigned, []string{"assigned_to"}, func(a *falcon.Alert, dst []string) []string { return append(dst, a.AssignedTo) }},
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Export implements pane.Exporter: the alerts shown, in the order on screen (filters and
// sort), the composite id first. A host's alerts have no host columns (the file name says
// which host).
func (m Model) Export() (pane.Table, string, bool) {
	if len(m.view) == 0 {
		if m.loading {
			return pane.Table{}, "the alerts are still loading", false
		}
		return pane.Table{}, "no alert shown", false
	}
	// The alerts are shared, not copied: a page appends past the slice's length and a new
	// load starts a new slice. The row numbers are copied: a filter or sort rewrites them.
	alerts, rows := m.alerts, slices.Clone(m.view)
	cols := []string{"composite_id"}
	var values []func(*falcon.Alert, []string) []string
	for _, c := range exportColumns {
		if c.col == colHost && m.deviceID != "" {
			continue
		}
		cols = append(cols, c.names...)
		values = append(values, c.value)
	}
	t := pane.Table{Pane: "alerts", Tenant: m.cid, Columns: cols, Len: len(rows),
		Row: func(i int, dst []string) []string {
			a := &alerts[rows[i]]
			dst = append(dst, a.CompositeID)
			for _, v := range values {
				dst = v(a, dst)
			}
			return dst
		}}
	if m.tenantName != nil && m.tenantName(m.cid) != "" {
		t.Tenant = m.tenantName(m.cid)
	}
	if m.deviceID != "" { // a host's alerts: named after the host
		t.Tenant = m.hostname
		if t.Tenant == "" {
			t.Tenant = m.deviceID
		}
	}
	return t, "", true
}
