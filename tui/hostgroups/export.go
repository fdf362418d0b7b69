package hostgroups

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// groupExportColumns are the group table's columns in an export (the group id first).
var groupExportColumns = []string{"id", "name", "type", "members", "assignment_rule", "description"}

// memberExportColumns are the member table's columns in an export, in the table's order
// (the device id, last on screen, first in the file).
var memberExportColumns = []string{"device_id", "hostname", "platform_name", "os_version", "last_seen", "state"}

// Export implements pane.Exporter: the groups shown (filtered) with their member counts,
// or, in a group's members, the hosts shown, only the marked ones when some are (as a and
// x act on them).
func (m Model) Export() (pane.Table, string, bool) {
	tenant := m.cid
	if m.tenantName != nil && m.tenantName(m.cid) != "" {
		tenant = m.tenantName(m.cid)
	}
	if m.view == viewMembers {
		return m.exportMembers(tenant)
	}
	if len(m.visible) == 0 {
		if m.loading {
			return pane.Table{}, "the groups are still loading", false
		}
		return pane.Table{}, "no group shown", false
	}
	// Groups are few (hundreds): their cells are made here, since an edit rewrites a group
	// in place and the counts change as they load.
	rows := make([][]string, len(m.visible))
	for i, gi := range m.visible {
		g := m.groups[gi]
		rows[i] = []string{g.ID, g.Name, string(g.Type), m.countCell(g.ID), g.AssignmentRule, g.Description}
	}
	return pane.Table{Pane: "groups", Tenant: tenant, Columns: groupExportColumns, Len: len(rows),
		Row: func(i int, dst []string) []string { return append(dst, rows[i]...) }}, "", true
}

// countCell is a group's member count in an export: the number, or why there is none.
func (m Model) countCell(id string) string {
	c, ok := m.counts[id]
	switch {
	case !ok || !c.done:
		return ""
	case errors.Is(c.err, falcon.ErrScopeDenied):
		return "no scope"
	case c.err != nil:
		return "error"
	}
	return strconv.Itoa(c.n)
}

// exportMembers is the member list's snapshot. The hosts are shared, not copied (a batch
// appends past the slice's length, a reload starts a new slice); the row numbers are
// copied, since a filter rewrites them in place.
func (m Model) exportMembers(tenant string) (pane.Table, string, bool) {
	ms := m.members
	hosts := ms.hosts
	var rows []int
	marked := len(ms.marks) > 0
	if marked {
		for i, h := range hosts {
			if _, ok := ms.marks[h.DeviceID]; ok {
				rows = append(rows, i)
			}
		}
	} else {
		rows = slices.Clone(ms.visible)
	}
	if len(rows) == 0 {
		if ms.loading {
			return pane.Table{}, "the members are still loading", false
		}
		return pane.Table{}, "no member shown", false
	}
	now := m.now()
	return pane.Table{Pane: "members-" + ms.group.Name, Tenant: tenant, Columns: memberExportColumns,
		Len: len(rows), Marked: marked,
		Row: func(i int, dst []string) []string {
			h := &hosts[rows[i]]
			return append(dst, h.DeviceID, h.Hostname, h.Platform, h.OSVersion, stamp(h.LastSeen), h.State(now).String())
		}}, "", true
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
