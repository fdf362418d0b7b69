package pane

import tea "charm.land/bubbletea/v2"

// Column choice: a pane whose columns the user picks (the hosts list) sends
// ColumnsChosenMsg when the choice changes; the root keeps it in the profile's settings and
// gives it back after building the pane (ColumnChooser).

// ColumnsChosenMsg is a new choice of a pane's columns (nil: back to the default).
type ColumnsChosenMsg struct {
	Kind    Kind
	Columns []string
}

// ColumnChooser is a pane whose columns are chosen: SetColumnChoice restores a choice kept
// from an earlier session (column IDs; unknown ones are skipped).
type ColumnChooser interface {
	SetColumnChoice(ids []string)
}

// ViewState is what a saved view keeps of a pane (`:save NAME`, docs/KEYS.md): filters,
// sort and columns. The root keeps the pane, the tenant and this.
type ViewState struct {
	FQL        string   `json:"fql,omitempty"`
	Filter     string   `json:"filter,omitempty"`
	Sort       string   `json:"sort,omitempty"` // a column ID
	Desc       bool     `json:"desc,omitempty"`
	AllTenants bool     `json:"all_tenants,omitempty"`
	Columns    []string `json:"columns,omitempty"`
}

// Viewer is a pane whose state a saved view keeps. RestoreView puts a state back; with
// load it also starts the load the state asks for (at startup the pane's first load
// follows anyway).
type Viewer interface {
	ViewState() ViewState
	RestoreView(v ViewState, load bool) tea.Cmd
}

// ZTAMarker is a pane that marks hosts below a ZTA threshold (`:zta N`, --zta-threshold;
// 0 turns it off).
type ZTAMarker interface {
	SetZTAThreshold(n int) tea.Cmd
}

// OpenViewMsg asks the root to restore a saved view (enter in the views pane).
type OpenViewMsg struct{ Name string }

// DeleteViewMsg asks the root to delete a saved view (d in the views pane).
type DeleteViewMsg struct{ Name string }

// ZTACounter is a pane told how many hosts of the tenant score below the ZTA threshold
// (the scopes readiness: what NetBird's gate would refuse); threshold 0 clears it.
type ZTACounter interface {
	SetZTACount(threshold, below int, tenant string)
}
