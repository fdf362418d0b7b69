package pane

// Copy and export: optional interfaces the root calls on the pane on screen (y / Y, and
// ctrl+s / :export). A pane implements them in a file of its own; the root writes the
// clipboard (OSC 52) and the file, and says what it did in the status bar.

// Clip is what y or Y puts on the clipboard.
type Clip struct {
	// Text goes to the clipboard as is: ids raw (tui/clip.ID checks their form), names
	// already through tui/clip.Join (no control sequence reaches the user's terminal when
	// the text is pasted).
	Text string
	// What names it for the status bar: "device id", "host", "alert id".
	What string
	// Show is a short form for the status bar (ids shortened): the status bar never shows
	// Text itself.
	Show string
}

// Copier is a pane with something under its cursor worth pasting elsewhere. Copy(false) is
// the natural id (y), Copy(true) a fuller form (Y); ok is false when there is nothing to
// copy (an empty list).
type Copier interface {
	Copy(full bool) (clip Clip, ok bool)
}

// Table is a snapshot of the rows a pane shows, for an export: its filter and its order,
// only the marked rows when some are marked. Exporter.Export builds it on the Update
// goroutine and must stay cheap there; Row is called later on another goroutine, so it may
// read only what the snapshot captured and nothing the pane changes afterwards.
type Table struct {
	// Pane names the view in the file name: "hosts", "alerts", "groups", "members", "scopes".
	Pane string
	// Tenant names the tenant(s) in the file name (a label or a CID; "all" for every
	// tenant; "" for none). The root makes it safe for a file name.
	Tenant string
	// Columns are the header: the view's columns, named for a data file (snake_case).
	Columns []string
	// Len is the number of rows.
	Len int
	// Marked says the rows are the marked ones only.
	Marked bool
	// Row appends row i's cells (one per column, raw API text: the writer neutralises it)
	// to dst and returns it.
	Row func(i int, dst []string) []string
}

// Exporter is a pane whose view can be saved to a file (ctrl+s, :export). ok is false when
// the view has nothing to export (still loading, or an error on screen); why says so.
type Exporter interface {
	Export() (t Table, why string, ok bool)
}
