package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/export"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// exportedMsg is the end of an export: the file written and its rows, or why not.
type exportedMsg struct {
	path string
	rows int
	what string // "hosts", "marked hosts"
	err  error
}

// exportView saves the view on screen (ctrl+s, :export [FORMAT] [PATH]) in the background:
// the pane hands over a snapshot of its rows (pane.Exporter), and a command writes them to
// PATH, or to a new file in the data directory named after the view, the tenant and the
// time. An export never overwrites a file. The "exporting…" notice is shown at once, not by
// a command: a command could deliver it after the export's own result.
func (m *Model) exportView(arg string) tea.Cmd {
	view := m.top()
	ex, ok := pane.As[pane.Exporter](m.pane(view))
	if !ok {
		return status.Info("nothing to export in %s (hosts, groups, a group's members, alerts and scopes export)", m.spec(view).Name)
	}
	format, path, err := exportArgs(arg)
	if err != nil {
		return status.Warn("%s", err.Error())
	}
	t, why, ok := ex.Export()
	if !ok {
		return status.Info("nothing to export: %s", why)
	}
	numbered := path == ""
	if numbered {
		dir, err := export.DefaultDir()
		if err != nil {
			return status.Warn("export: %s", err.Error())
		}
		path = filepath.Join(dir, export.FileName(t.Pane, t.Tenant, m.now(), format))
	}
	what := strings.ToLower(m.spec(view).Name)
	if t.Marked {
		what = "marked " + what
	}
	expire := m.timer(m.status.Push(status.Msg{Level: status.LevelInfo, Text: fmt.Sprintf("exporting %s %s…", widget.Int(t.Len), what)}))
	return tea.Batch(expire, func() tea.Msg { return writeExport(t, format, path, numbered, what) })
}

// writeExport writes the table; it runs as a command, off the Update goroutine.
func writeExport(t pane.Table, format export.Format, path string, numbered bool, what string) exportedMsg {
	f, path, err := export.Create(path, numbered)
	if err != nil {
		return exportedMsg{what: what, err: err}
	}
	w, err := export.NewWriter(f, format, t.Columns)
	var row []string
	for i := 0; err == nil && i < t.Len; i++ {
		row = t.Row(i, row[:0])
		err = w.Write(row)
	}
	if err == nil {
		err = w.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path) // no half-written file left behind
		return exportedMsg{path: path, what: what, err: err}
	}
	return exportedMsg{path: path, rows: t.Len, what: what}
}

// exported says where the export went, or why it failed.
func (m Model) exported(msg exportedMsg) tea.Cmd {
	if msg.err != nil {
		return status.Warn("export failed: %s", sanitize.Line(msg.err.Error(), 120))
	}
	return status.Success("exported %s %s to %s", widget.Int(msg.rows), msg.what, msg.path)
}

// exportArgs reads `:export [csv|json|ndjson] [PATH]`: the format (default: from PATH's
// extension, else CSV) and the path ("" = a new file in the data directory). ~/ is the
// home directory.
func exportArgs(arg string) (export.Format, string, error) {
	arg = strings.TrimSpace(arg)
	first, rest, _ := strings.Cut(arg, " ")
	format, ok := export.ParseFormat(first)
	path := strings.TrimSpace(rest)
	if !ok {
		path = arg
		format, ok = export.ParseFormat(strings.TrimPrefix(filepath.Ext(path), "."))
		if !ok {
			format = export.CSV
		}
	}
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", "", fmt.Errorf("export: %w", err)
		}
		path = filepath.Join(home, rest)
	}
	return format, path, nil
}

// exportSuggestions are the command bar's completions of :export.
func exportSuggestions() []suggestion {
	out := []suggestion{{"export", "save the view on screen (CSV) in the data directory"}}
	for _, f := range export.Formats {
		out = append(out, suggestion{"export " + string(f.Format), f.Desc})
	}
	return out
}
