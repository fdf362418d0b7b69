package hosts

import (
	"strconv"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/hostrows"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/vtable"
)

// column identifies what a table column shows, independent of where it is drawn.
type column int

const (
	colHostname column = iota
	colTenant
	colPlatform
	colOS
	colSensor
	colLastSeen
	colState
	colLocalIP
	colGroups
)

var columnNames = map[column]string{
	colHostname: "hostname", colTenant: "tenant", colPlatform: "platform", colOS: "OS",
	colSensor: "sensor version", colLastSeen: "last seen", colState: "state",
	colLocalIP: "local IP", colGroups: "groups",
}

func (c column) String() string { return columnNames[c] }

// columnSpec is how a column is laid out.
var columnSpec = map[column]vtable.Column{
	colHostname: {Title: "HOSTNAME", Min: 14, Flex: 3},
	colTenant:   {Title: "TENANT", Min: 10, Flex: 2, Drop: 2},
	colPlatform: {Title: "PLATFORM", Width: 8, Drop: 5},
	colOS:       {Title: "OS", Min: 10, Flex: 2, Drop: 4},
	colSensor:   {Title: "SENSOR", Width: 12, Drop: 3},
	colLastSeen: {Title: "LAST SEEN", Width: 9, Right: true},
	colState:    {Title: "STATE", Width: 9},
	colLocalIP:  {Title: "LOCAL IP", Width: 15, Drop: 6},
	colGroups:   {Title: "GROUPS", Width: 6, Right: true, Drop: 7},
}

// layoutFor lists the columns in drawing order; the tenant column only in all-tenants mode.
func layoutFor(allTenants bool) []column {
	if allTenants {
		return []column{colTenant, colHostname, colPlatform, colOS, colSensor, colLastSeen, colState, colLocalIP, colGroups}
	}
	return []column{colHostname, colPlatform, colOS, colSensor, colLastSeen, colState, colLocalIP, colGroups}
}

func specs(cols []column) []vtable.Column {
	out := make([]vtable.Column, len(cols))
	for i, c := range cols {
		out[i] = columnSpec[c]
	}
	return out
}

// cells adapts the list to the table: built per frame with the rows of the window (one
// binary search), and only asked for the rows on screen.
type cells struct {
	t     *hostrows.Table
	rows  []hostrows.Row // the window's rows, from position first
	first int
	cols  []column
	st    *theme.Styles
	names map[string]string // CID → tenant name
	now   time.Time
}

func (c cells) row(row int) hostrows.Row { return c.rows[row-c.first] }

func (c cells) Marked(row int) bool { return c.t.Marked(c.row(row)) }

func (c cells) Cell(row, col int) (string, *lipgloss.Style) {
	r, t := c.row(row), c.t
	switch c.cols[col] {
	case colHostname:
		if name := t.Hostname(r); name != "" {
			return name, nil
		}
		return "(no hostname) " + domain.ShortID(t.DeviceID(r)), &c.st.Muted
	case colTenant:
		cid := t.CID(r)
		if name := c.names[cid]; name != "" {
			return name, &c.st.Muted
		}
		return domain.ShortID(cid), &c.st.Muted
	case colPlatform:
		return t.Platform(r), nil
	case colOS:
		return t.OSName(r), nil
	case colSensor:
		return t.Sensor(r), &c.st.Muted
	case colLastSeen:
		return domain.Ago(c.now, t.LastSeen(r)), nil
	case colState:
		st := t.State(r, c.now)
		return st.String(), stateStyle(c.st, st)
	case colLocalIP:
		return t.LocalIP(r), nil
	case colGroups:
		n := t.GroupCount(r)
		if n == 0 {
			return "–", &c.st.Subtle
		}
		return strconv.Itoa(n), nil
	}
	return "", nil
}

// stateStyle points at the theme's style for a state (a pointer, so that no cell allocates).
func stateStyle(st *theme.Styles, s falcon.HostState) *lipgloss.Style {
	switch s {
	case falcon.StateOnline:
		return &st.Online
	case falcon.StateOffline:
		return &st.Offline
	case falcon.StateStale:
		return &st.Stale
	case falcon.StateContained:
		return &st.Contained
	}
	return &st.Muted
}
