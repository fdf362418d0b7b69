package tui

import (
	"context"
	"errors"
	"maps"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/savedview"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/viewlist"
)

// The root's share of columns, ZTA and saved views: the settings every pane is rebuilt
// with, the :zta, :save, :view and :views commands, and the files behind them (read and
// written in commands, never on Update).

// applyPaneSettings gives freshly built panes what outlives them: the kept column choice
// and the ZTA threshold.
func (m *Model) applyPaneSettings() {
	each(*m, func(c pane.ColumnChooser) { c.SetColumnChoice(m.hostColumns[m.opts.Profile]) })
	each(*m, func(z pane.ZTAMarker) { z.SetZTAThreshold(m.ztaThreshold) })
}

// applyStartView restores the view the explorer starts in (--view): before any load, so
// that the first load is already the view's.
func (m *Model) applyStartView(v *savedview.View) {
	if v == nil {
		return
	}
	if i, ok := m.index[v.Pane]; ok && !m.reg.Panes[i].Drill {
		m.stack = []pane.Kind{v.Pane}
		if r, ok := pane.As[pane.Viewer](m.panes[i]); ok {
			r.RestoreView(v.State, false)
		}
	}
}

// columnsKeptMsg is the end of writing a column choice to the settings file.
type columnsKeptMsg struct{ err error }

// keepColumns keeps a pane's new column choice for the profile (a command: it writes the
// settings file).
func (m Model) keepColumns(msg pane.ColumnsChosenMsg) (Model, tea.Cmd) {
	if msg.Kind != pane.Hosts {
		return m, nil
	}
	profile, cols := m.opts.Profile, msg.Columns
	m.hostColumns = maps.Clone(m.hostColumns) // the map is shared with earlier copies of the model
	if m.hostColumns == nil {
		m.hostColumns = map[string][]string{}
	}
	m.hostColumns[profile] = cols
	save := m.opts.SaveHostColumns
	if save == nil {
		return m, nil
	}
	return m, func() tea.Msg { return columnsKeptMsg{save(profile, cols)} }
}

// runZTA is `:zta N` (mark hosts below N), `:zta off`, and `:zta` (say what is in force).
func (m Model) runZTA(arg string) (Model, tea.Cmd) {
	arg = strings.ToLower(strings.TrimSpace(arg))
	n := 0
	switch arg {
	case "":
		if m.ztaThreshold == 0 {
			return m, status.Info("no ZTA threshold: :zta N marks the hosts scoring below N")
		}
		return m, status.Info("ZTA threshold %d: hosts below it are marked ▼", m.ztaThreshold)
	case "off", "0":
	default:
		v, err := strconv.Atoi(arg)
		if err != nil || v < 0 || v > 100 {
			return m, status.Warn("ZTA threshold %q: give a score from 0 to 100, or off", sanitize.Line(arg, 20))
		}
		n = v
	}
	m.ztaThreshold = n
	var cmds []tea.Cmd
	for _, p := range m.panes {
		if z, ok := pane.As[pane.ZTAMarker](p); ok {
			cmds = append(cmds, z.SetZTAThreshold(n))
		}
	}
	if n == 0 {
		each(m, func(z pane.ZTACounter) { z.SetZTACount(0, 0, "") })
		return m, tea.Batch(append(cmds, status.Info("ZTA threshold off"))...)
	}
	cmds = append(cmds, status.Info("ZTA threshold %d: hosts below it are marked ▼", n))
	if m.client != nil && m.connected {
		cmds = append(cmds, countBelow(m.clientCtx, m.client, m.cid, m.tenantName(m.cid), n, false))
	}
	return m, tea.Batch(cmds...)
}

// ztaCountedMsg is how many of a tenant's hosts score below a threshold.
type ztaCountedMsg struct {
	threshold, below int
	cid, name        string
	err              error
	quiet            bool // at startup: the count goes to the panes, not the status bar
}

// countBelow says how many of the tenant's hosts an integration gating on the threshold
// (NetBird's zta_score_threshold) would refuse: one call, the assessments query's total.
func countBelow(ctx context.Context, c *falcon.Client, cid, name string, n int, quiet bool) tea.Cmd {
	return func() tea.Msg {
		count, err := c.ZTA.CountBelow(ctx, cid, n)
		return ztaCountedMsg{threshold: n, below: count, cid: cid, name: name, err: err, quiet: quiet}
	}
}

// ztaCounted passes a count to the panes that show it (the scopes readiness) and says it.
func (m Model) ztaCounted(msg ztaCountedMsg) (Model, tea.Cmd) {
	if msg.threshold != m.ztaThreshold || msg.cid != m.cid {
		return m, nil // a count for a threshold or tenant since replaced
	}
	n := msg.threshold
	switch {
	case errors.Is(msg.err, falcon.ErrScopeDenied):
		return m, status.Warn("ZTA threshold %d: counting needs zero-trust-assessment:read", n)
	case msg.err != nil:
		return m, status.Warn("ZTA threshold %d: %v", n, msg.err)
	}
	each(m, func(z pane.ZTACounter) { z.SetZTACount(n, msg.below, sanitize.Line(msg.name, 30)) })
	if msg.quiet {
		return m, nil
	}
	return m, status.Info("ZTA threshold %d: %d hosts of %s score below it and would be refused", n, msg.below, sanitize.Line(msg.name, 30))
}

// ztaCountAtStart counts for the threshold given on the command line, once connected.
func (m Model) ztaCountAtStart() tea.Cmd {
	if m.ztaThreshold == 0 || m.client == nil {
		return nil
	}
	return countBelow(m.clientCtx, m.client, m.cid, m.tenantName(m.cid), m.ztaThreshold, true)
}

// viewSavedMsg, viewReadMsg and viewsListedMsg are the ends of the views file's commands.
type (
	viewSavedMsg struct {
		name  string
		names []string
		err   error
	}
	viewReadMsg struct {
		view savedview.View
		err  error
	}
	viewDeletedMsg struct {
		name  string
		views []savedview.View
		err   error
	}
)

func (m Model) views() (*savedview.Store, tea.Cmd) {
	if m.opts.Views == nil {
		return nil, status.Warn("saved views are off in this session")
	}
	return m.opts.Views, nil
}

// saveView is `:save NAME`: the pane on screen, the tenant scope and the pane's state.
func (m Model) saveView(name string) (Model, tea.Cmd) {
	store, off := m.views()
	if off != nil {
		return m, off
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return m, status.Warn(":save NAME keeps this view under NAME (letters, digits, '.', '_', '-')")
	}
	if err := savedview.ValidateName(name); err != nil {
		return m, status.Warn("%s", err.Error())
	}
	v := savedview.View{Name: name, Pane: m.tab(), Tenant: strings.ToLower(m.cid), Profile: m.opts.Profile, Saved: m.now().UTC()}
	if r, ok := pane.As[pane.Viewer](m.pane(m.tab())); ok {
		v.State = r.ViewState()
	}
	return m, func() tea.Msg {
		err := store.Save(v)
		return viewSavedMsg{name: name, names: store.Names(), err: err}
	}
}

// openView is `:view NAME`: read the view, then restore it (viewRead).
func (m Model) openView(name string) (Model, tea.Cmd) {
	store, off := m.views()
	if off != nil {
		return m, off
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return m.listViews() // :view alone: the list to pick from
	}
	return m, func() tea.Msg {
		v, err := store.Get(name)
		return viewReadMsg{view: v, err: err}
	}
}

// listViews is `:views`: the views pane with the file's views.
func (m Model) listViews() (Model, tea.Cmd) {
	store, off := m.views()
	if off != nil {
		return m, off
	}
	return m, func() tea.Msg {
		vs, err := store.List()
		if err != nil {
			return status.Errorf("%v", err)()
		}
		return pane.NavigateMsg{To: viewlist.Kind, Target: vs}
	}
}

func (m Model) deleteView(name string) (Model, tea.Cmd) {
	store, off := m.views()
	if off != nil {
		return m, off
	}
	return m, func() tea.Msg {
		err := store.Delete(name)
		vs, _ := store.List()
		return viewDeletedMsg{name: name, views: vs, err: err}
	}
}

// viewsUpdate handles the ends of the views commands; ok is false for other messages.
func (m Model) viewsUpdate(msg tea.Msg) (Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case pane.ColumnsChosenMsg:
		m, cmd := m.keepColumns(msg)
		return m, cmd, true
	case ztaCountedMsg:
		m, cmd := m.ztaCounted(msg)
		return m, cmd, true
	case columnsKeptMsg:
		if msg.err != nil {
			return m, status.Warn("columns not kept: %v", msg.err), true
		}
		return m, nil, true
	case pane.OpenViewMsg:
		m, cmd := m.openView(msg.Name)
		return m, cmd, true
	case pane.DeleteViewMsg:
		m, cmd := m.deleteView(msg.Name)
		return m, cmd, true
	case viewSavedMsg:
		if msg.err != nil {
			return m, status.Warn("view not saved: %v", msg.err), true
		}
		m.viewNames = msg.names
		return m, status.Success("view %s saved (:view %s restores it)", msg.name, msg.name), true
	case viewDeletedMsg:
		if msg.err != nil {
			return m, status.Warn("%v", msg.err), true
		}
		m.viewNames = m.viewNames[:0]
		for _, v := range msg.views {
			m.viewNames = append(m.viewNames, v.Name)
		}
		if i, ok := m.index[viewlist.Kind]; ok {
			if o, ok := pane.As[pane.Opener](m.panes[i]); ok {
				o.Open(msg.views)
			}
		}
		return m, status.Info("view %s deleted", msg.name), true
	case viewReadMsg:
		if errors.Is(msg.err, savedview.ErrNotFound) {
			return m, status.Warn("%v (:views lists them)", msg.err), true
		}
		if msg.err != nil {
			return m, status.Warn("%v", msg.err), true
		}
		m, cmd := m.applyView(msg.view)
		return m, cmd, true
	}
	return m, nil, false
}

// applyView restores a view: its tenant, its pane, the pane's state.
func (m Model) applyView(v savedview.View) (Model, tea.Cmd) {
	i, ok := m.index[v.Pane]
	if !ok || m.reg.Panes[i].Drill {
		return m, status.Warn("view %s shows a pane this version does not have (%s)", v.Name, sanitize.Line(string(v.Pane), 20))
	}
	if !m.connected {
		return m, status.Warn("not connected yet")
	}
	var cmds []tea.Cmd
	if cid := strings.ToLower(v.Tenant); cid != "" && cid != strings.ToLower(m.cid) {
		if len(m.tenants) > 0 && !m.seesTenant(cid) {
			return m, status.Warn("view %s is of tenant %s, which this API client does not see", v.Name, cid)
		}
		var cmd tea.Cmd
		m, cmd = m.switchTenant(cid)
		cmds = append(cmds, cmd)
	}
	if len(m.stack) > 1 {
		m.setPaneFocus(m.top(), false)
		m.stack = m.stack[:1]
		m.focusTop()
	}
	cmds = append(cmds, m.goTab(v.Pane))
	if r, ok := pane.As[pane.Viewer](m.panes[i]); ok {
		cmds = append(cmds, r.RestoreView(v.State, true))
	}
	cmds = append(cmds, status.Success("view %s", v.Name))
	return m, tea.Batch(cmds...)
}

func (m Model) seesTenant(cid string) bool {
	for _, t := range m.tenants {
		if strings.EqualFold(t.CID, cid) {
			return true
		}
	}
	return false
}

// viewSuggestions complete `:view NAME` and offer `:save`, `:views` and `:zta`.
func (m Model) viewSuggestions() []suggestion {
	out := []suggestion{{"zta ", "mark hosts scoring below N (off: none)"}}
	if m.opts.Views == nil {
		return out
	}
	out = append(out, suggestion{"views", "saved views (d deletes)"}, suggestion{"save ", "keep this view as NAME"})
	for _, n := range m.viewNames {
		out = append(out, suggestion{"view " + n, "restore the saved view"})
	}
	return out
}

// loadViewNames reads the names for completion (once, at start: small and local).
func loadViewNames(s *savedview.Store) []string {
	if s == nil {
		return nil
	}
	return s.Names()
}
