package hosts

import (
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/hostrows"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/vtable"
)

// column identifies what a table column shows, independent of where it is drawn. The
// values are hostrows' sort columns (sortTo converts one to the other).
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
	colSerial
	colMAC
	colExternalIP
	colDomain
	colOU
	colSite
	colTags
	colFirstSeen
	colContainment
	colSensorPolicy
	colZTA
	numColumns
)

// columnDef is everything the pane knows of a column: its name in the config file and in
// saved views (ID, never changed once released), its name on screen, its layout, and the
// host fields (fields= of the list load) it needs beyond falcon.ListFields.
type columnDef struct {
	id     string
	name   string
	spec   vtable.Column
	fields []string
}

var columnDefs = [numColumns]columnDef{
	colHostname:     {"hostname", "hostname", vtable.Column{Title: "HOSTNAME", Min: 14, Flex: 3}, nil},
	colTenant:       {"tenant", "tenant", vtable.Column{Title: "TENANT", Min: 10, Flex: 2, Drop: 2}, nil},
	colPlatform:     {"platform", "platform", vtable.Column{Title: "PLATFORM", Width: 8, Drop: 5}, nil},
	colOS:           {"os", "OS", vtable.Column{Title: "OS", Min: 10, Flex: 2, Drop: 4}, nil},
	colSensor:       {"sensor", "sensor version", vtable.Column{Title: "SENSOR", Width: 12, Drop: 3}, nil},
	colLastSeen:     {"last_seen", "last seen", vtable.Column{Title: "LAST SEEN", Width: 9, Right: true}, nil},
	colState:        {"state", "state", vtable.Column{Title: "STATE", Width: 9}, nil},
	colLocalIP:      {"local_ip", "local IP", vtable.Column{Title: "LOCAL IP", Width: 15, Drop: 6}, nil},
	colGroups:       {"groups", "groups", vtable.Column{Title: "GROUPS", Width: 6, Right: true, Drop: 7}, nil},
	colSerial:       {"serial", "serial", vtable.Column{Title: "SERIAL", Min: 10, Flex: 1, Drop: 8}, []string{"serial_number"}},
	colMAC:          {"mac", "MAC", vtable.Column{Title: "MAC", Width: 17, Drop: 8}, []string{"mac_address"}},
	colExternalIP:   {"external_ip", "external IP", vtable.Column{Title: "EXTERNAL IP", Width: 15, Drop: 8}, nil},
	colDomain:       {"domain", "domain", vtable.Column{Title: "DOMAIN", Min: 10, Flex: 1, Drop: 8}, nil},
	colOU:           {"ou", "OU", vtable.Column{Title: "OU", Min: 10, Flex: 1, Drop: 8}, []string{"ou"}},
	colSite:         {"site", "site", vtable.Column{Title: "SITE", Min: 8, Flex: 1, Drop: 8}, nil},
	colTags:         {"tags", "tags", vtable.Column{Title: "TAGS", Min: 10, Flex: 1, Drop: 8}, nil},
	colFirstSeen:    {"first_seen", "first seen", vtable.Column{Title: "FIRST SEEN", Width: 10, Right: true, Drop: 8}, []string{"first_seen"}},
	colContainment:  {"containment", "containment", vtable.Column{Title: "CONTAINMENT", Width: 11, Drop: 8}, nil},
	colSensorPolicy: {"sensor_policy", "sensor policy", vtable.Column{Title: "SENSOR POLICY", Width: 13, Drop: 8}, []string{"device_policies"}},
	colZTA:          {"zta", "ZTA", vtable.Column{Title: "ZTA", Width: 5, Right: true, Drop: 1}, nil},
}

func (c column) String() string {
	if c >= 0 && c < numColumns {
		return columnDefs[c].name
	}
	return "column?"
}

// columnByID finds a column by its config name.
func columnByID(id string) (column, bool) {
	for c := range numColumns {
		if columnDefs[c].id == id {
			return c, true
		}
	}
	return 0, false
}

// The default layouts: what fits in 120 cells, and more on wide terminals rather than
// padding the flexible columns (wideAt, widerAt). The columns a width adds need no field
// beyond falcon.ListFields, so that a resize never needs a reload.
var (
	defaultColumns = []column{colHostname, colPlatform, colOS, colSensor, colLastSeen, colState, colLocalIP, colGroups}
	wideColumns    = []column{colDomain, colSite, colExternalIP}
	widerColumns   = []column{colTags, colContainment}
)

const (
	wideAt  = 160
	widerAt = 220
)

// layoutFor lists the columns in drawing order. chosen is the user's choice (nil: the
// default for the width). The tenant column is no one's choice: it comes first in
// all-tenants mode, and only then.
func layoutFor(allTenants bool, chosen []column, width int) []column {
	base := chosen
	if base == nil {
		base = append([]column(nil), defaultColumns...)
		if width >= wideAt {
			base = append(base, wideColumns...)
		}
		if width >= widerAt {
			base = append(base, widerColumns...)
		}
	}
	out := make([]column, 0, len(base)+1)
	if allTenants {
		out = append(out, colTenant)
	}
	for _, c := range base {
		if c != colTenant {
			out = append(out, c)
		}
	}
	if len(out) == 0 || (allTenants && len(out) == 1) {
		out = append(out, colHostname)
	}
	return out
}

func specs(cols []column) []vtable.Column {
	out := make([]vtable.Column, len(cols))
	for i, c := range cols {
		out[i] = columnDefs[c].spec
	}
	return out
}

// loadFields are the fields a list load asks for: falcon.ListFields plus what the columns
// shown need (falcon.ListFields is the client's; the extras are appended here).
func loadFields(cols []column) []string {
	out := append([]string(nil), falcon.ListFields...)
	for _, c := range cols {
		for _, f := range columnDefs[c].fields {
			if !contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Column is a visible column of the hosts list, for whatever shows or writes the list
// elsewhere (exports): its heading and the text of a host's cell.
type Column struct {
	ID      string // the config name: hostname, os, zta…
	Heading string // as on screen: HOSTNAME, OS, ZTA…
	Value   func(h falcon.Host) string
}

// Columns are the columns the list shows, in order: the user's choice (kept per profile)
// or the default for the terminal's width. Values are plain text (not sanitised).
func (m Model) Columns() []Column {
	out := make([]Column, len(m.cols))
	for i, c := range m.cols {
		out[i] = Column{ID: columnDefs[c].id, Heading: columnDefs[c].spec.Title, Value: m.valueFunc(c)}
	}
	return out
}

// valueFunc is the text of a column for a host record.
func (m Model) valueFunc(c column) func(falcon.Host) string {
	now, names, rows := m.now(), m.names, m.rows
	switch c {
	case colHostname:
		return func(h falcon.Host) string { return h.Hostname }
	case colTenant:
		return func(h falcon.Host) string {
			if n := names[h.CID]; n != "" {
				return n
			}
			return h.CID
		}
	case colPlatform:
		return func(h falcon.Host) string { return h.Platform }
	case colOS:
		return func(h falcon.Host) string {
			if h.OSVersion != "" {
				return h.OSVersion
			}
			return h.OSProductName
		}
	case colSensor:
		return func(h falcon.Host) string { return h.AgentVersion }
	case colLastSeen:
		return func(h falcon.Host) string { return timeText(h.LastSeen) }
	case colState:
		return func(h falcon.Host) string { return h.State(now).String() }
	case colLocalIP:
		return func(h falcon.Host) string { return h.LocalIP }
	case colGroups:
		return func(h falcon.Host) string { return strconv.Itoa(len(h.Groups)) }
	case colSerial:
		return func(h falcon.Host) string { return h.SerialNumber }
	case colMAC:
		return func(h falcon.Host) string { return h.MAC }
	case colExternalIP:
		return func(h falcon.Host) string { return h.ExternalIP }
	case colDomain:
		return func(h falcon.Host) string { return h.MachineDomain }
	case colOU:
		return func(h falcon.Host) string { return strings.Join(h.OU, "/") }
	case colSite:
		return func(h falcon.Host) string { return h.SiteName }
	case colTags:
		return func(h falcon.Host) string { return strings.Join(h.Tags, " ") }
	case colFirstSeen:
		return func(h falcon.Host) string { return timeText(h.FirstSeen) }
	case colContainment:
		return func(h falcon.Host) string { return h.Containment }
	case colSensorPolicy:
		return func(h falcon.Host) string { return hostrows.SensorPolicyID(&h) }
	case colZTA:
		return func(h falcon.Host) string {
			if row, ok := rows.Find(h.DeviceID); ok {
				if s, ok := rows.Score(row); ok {
					return strconv.Itoa(s)
				}
			}
			return ""
		}
	}
	return func(falcon.Host) string { return "" }
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
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
	zta   int // the ZTA threshold (0: none)
}

func (c cells) row(row int) hostrows.Row { return c.rows[row-c.first] }

func (c cells) Marked(row int) bool { return c.t.Marked(c.row(row)) }

func (c cells) Cell(row, col int) (string, *lipgloss.Style) {
	r, t := c.row(row), c.t
	switch c.cols[col] {
	case colHostname:
		name := t.Hostname(r)
		if name == "" {
			name = "(no hostname) " + domain.ShortID(t.DeviceID(r))
		}
		if c.zta > 0 {
			// Below the threshold: a glyph, so that it reads without colour too.
			if s, ok := t.Score(r); ok && s < c.zta {
				return belowGlyph + " " + name, &c.st.Warn
			}
		}
		if t.Hostname(r) == "" {
			return name, &c.st.Muted
		}
		return name, nil
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
	case colSerial:
		return t.Serial(r), nil
	case colMAC:
		return t.MAC(r), nil
	case colExternalIP:
		return t.ExternalIP(r), nil
	case colDomain:
		return t.Domain(r), nil
	case colOU:
		return strings.Join(t.OU(r), "/"), &c.st.Muted
	case colSite:
		return t.Site(r), nil
	case colTags:
		return strings.Join(t.Tags(r), " "), &c.st.Muted
	case colFirstSeen:
		if ts := t.FirstSeen(r); !ts.IsZero() {
			return domain.Ago(c.now, ts), nil
		}
		return "–", &c.st.Subtle
	case colContainment:
		return t.Containment(r), nil
	case colSensorPolicy:
		return domain.ShortID(t.SensorPolicy(r)), &c.st.Muted
	case colZTA:
		s, ok := t.Score(r)
		switch {
		case !ok:
			return "–", &c.st.Subtle
		case c.zta > 0 && s < c.zta:
			return belowGlyph + strconv.Itoa(s), &c.st.Warn
		}
		return strconv.Itoa(s), nil
	}
	return "", nil
}

// belowGlyph marks a host whose ZTA score is below the threshold.
const belowGlyph = "▼"

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
