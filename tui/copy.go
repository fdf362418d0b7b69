package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// copyRow puts what is under the cursor of the view on screen on the clipboard: its id (y)
// or a fuller form (Y), by OSC 52 (tea.SetClipboard), which reaches the user's own
// terminal over SSH and through tmux (README, "Copy"). The status bar says what was copied,
// shortened: the id itself is written to the terminal only inside the OSC 52 sequence.
func (m Model) copyRow(full bool) tea.Cmd {
	view := m.top()
	c, ok := pane.As[pane.Copier](m.pane(view))
	if !ok {
		return status.Info("nothing to copy in %s", m.spec(view).Name)
	}
	clip, ok := c.Copy(full)
	if !ok || clip.Text == "" {
		return status.Info("nothing to copy: no row under the cursor")
	}
	return tea.Batch(tea.SetClipboard(clip.Text),
		status.Success("copied %s %s", sanitize.Line(clip.What, 20), sanitize.Line(clip.Show, 48)))
}
