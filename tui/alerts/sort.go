package alerts

import (
	"cmp"
	"slices"
	"strings"
)

// sortKey is the order of the list; `s` cycles through them. Rows that tie keep the
// server's order, newest first.
type sortKey uint8

const (
	sortCreated  sortKey = iota // newest first, as the server sends them
	sortSeverity                // most severe first
	sortStatus                  // new, reopened, in progress, closed
	sortHost                    // hostname A→Z (tenant list only)
)

func (k sortKey) String() string {
	return [...]string{"time (newest first)", "severity (highest first)", "status (new first)", "host (A→Z)"}[k]
}

// next is the order after k; a host's list skips the host order.
func (k sortKey) next(hostMode bool) sortKey {
	k = (k + 1) % 4
	if k == sortHost && hostMode {
		k = sortCreated
	}
	return k
}

// statusRank puts the statuses in triage order.
func statusRank(s string) int {
	switch s {
	case "new":
		return 0
	case "reopened":
		return 1
	case "in_progress":
		return 2
	case "closed":
		return 4
	}
	return 3
}

// sortView orders the filtered rows by the chosen key; view holds ascending indexes (the
// server's newest-first order), so a stable sort keeps that order among ties.
func (m *Model) sortView() {
	var by func(a, b int) int
	switch m.sort {
	case sortSeverity:
		by = func(a, b int) int { return cmp.Compare(m.alerts[b].Severity, m.alerts[a].Severity) }
	case sortStatus:
		by = func(a, b int) int { return cmp.Compare(statusRank(m.alerts[a].Status), statusRank(m.alerts[b].Status)) }
	case sortHost:
		by = func(a, b int) int {
			return cmp.Compare(strings.ToLower(m.alerts[a].Hostname), strings.ToLower(m.alerts[b].Hostname))
		}
	default:
		return
	}
	slices.SortStableFunc(m.view, by)
}

// showSort puts the header's arrow on the sorted column.
func (m *Model) showSort() {
	col, desc := colCreated, true
	switch m.sort {
	case sortSeverity:
		col = colSeverity
	case sortStatus:
		col, desc = colStatus, false
	case sortHost:
		col, desc = colHost, false
	}
	m.table.SetSort(m.tableColumn(col), desc)
}

// tableColumn is the table's index of a column (host mode has no HOST column).
func (m *Model) tableColumn(col int) int {
	if m.deviceID != "" && col > colHost {
		return col - 1
	}
	return col
}
