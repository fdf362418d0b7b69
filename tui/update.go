package tui

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// Update routes a message: keys to the overlay or the focused pane (after the global keys),
// announcements from panes to the root's navigation, everything else to every pane.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.quitting {
		// q cancelled everything the client runs; what still arrives before the program
		// reads its quit message is dropped unread, so that nothing delays the exit.
		return m, nil
	}
	next, cmd := m.update(msg)
	spin := next.armSpinner()
	return next, tea.Batch(cmd, spin)
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		// Every pane holds this pointer: one assignment restyles them all.
		*m.st = *theme.New(msg.IsDark(), themeOpts(m.opts)...)
		m.cmd.restyle()
		// Text inputs hold a copy of their styles: the panes restyle them.
		return m, m.broadcast(msg)
	case connectedMsg:
		return m.onConnected(msg)
	case storedTenantsMsg:
		return m.storedTenants(msg)
	case profileOpenedMsg:
		return m.profileOpened(msg)
	case clockMsg:
		// Requests age out of the sliding minute and cooldowns end without any reply to
		// say so: read the states again.
		m.refreshRates()
		return m, m.timer(clockTick())
	case spinMsg:
		m.spin++
		m.spinning = false
		if m.client != nil {
			m.tokens = m.client.TokenProgress()
		}
		return m, nil
	case rateMsg:
		if msg.gen != m.rateGen || msg.item.Done {
			return m, msg.item.Stop() // the subscription of a client :profile replaced, or ended
		}
		if m.client != nil {
			m.rate = m.client.RateLimit(m.cid)
		}
		each(m, func(r pane.RateSetter) { r.SetRate(msg.item.Value) })
		return m, msg.item.Next()
	case status.Msg:
		return m, m.timer(m.status.Push(msg))
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		return m.mouse(msg.(tea.MouseMsg))
	case pane.TenantsListedMsg:
		return m.tenantsListed(msg.Tenants)
	case pane.SwitchTenantMsg:
		return m.switchTenant(msg.CID)
	case pane.NavigateMsg:
		return m.navigate(msg)
	case pane.EditMembershipMsg:
		return m, m.edit.Start(msg.Action, msg.Hosts, msg.Group)
	case pane.UndoMsg:
		return m, m.undo()
	case exportedMsg:
		return m, m.exported(msg)
	}
	if next, cmd, ok := m.viewsUpdate(msg); ok {
		return next, cmd
	}
	if m.status.Update(msg) {
		return m, nil
	}
	return m, m.broadcast(msg)
}

// undo reverts the last group edit, or says why it cannot.
func (m *Model) undo() tea.Cmd {
	if m.opts.ReadOnly {
		return status.Warn(domain.ReadOnlyReason)
	}
	if !m.edit.CanUndo() {
		return status.Info("no group edit to undo")
	}
	return m.edit.Undo()
}

// key handles a key press: overlays first, then global keys, then the focused pane.
func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	if m.connErr != nil || (m.connecting && m.client != nil && !m.stored) {
		switch msg.String() {
		case "q", "ctrl+c", "esc":
			return m.quit()
		case "r":
			if m.connErr != nil {
				m.connErr, m.connecting = nil, true
				return m, connect(m.clientCtx, m.client)
			}
		}
		return m, nil
	}
	// A quit request arms the next one (see requestQuit); any other key disarms it.
	armed := m.quitArmed
	m.quitArmed = false
	if msg.String() == "ctrl+c" {
		if m.overlay == overlayCommand && !armed {
			m.overlay = overlayNone // ctrl+c first leaves the prompt, as in a shell
			m.cmd.input.Blur()
			m.quitArmed = true
			if m.edit.Running() {
				return m, status.Warn("%s", editRunningQuit)
			}
			return m, nil
		}
		return m.requestQuit(armed)
	}
	if m.edit.Active() {
		if m.edit.Running() && msg.String() == "q" {
			return m.requestQuit(armed) // the progress box has no text input
		}
		var cmd tea.Cmd
		m.edit, cmd = m.edit.Update(msg)
		return m, cmd
	}
	switch m.overlay {
	case overlayHelp:
		return m.helpKey(msg)
	case overlayCommand:
		return m.commandKey(msg)
	}
	if !m.pane(m.top()).Capturing() {
		k := m.keys
		switch {
		case key.Matches(msg, k.Quit):
			return m.requestQuit(armed)
		case key.Matches(msg, k.Command):
			m.overlay = overlayCommand
			note := ""
			if domain.ChildrenHiddenIn(m.tenants) {
				note = domain.ChildrenHidden
			}
			return m, m.cmd.open(m.suggestions(), note)
		case key.Matches(msg, k.Help):
			m.overlay, m.helpOff = overlayHelp, 0
			return m, nil
		case key.Matches(msg, k.Next):
			return m, m.cycle(1)
		case key.Matches(msg, k.Prev):
			return m, m.cycle(-1)
		case key.Matches(msg, k.Undo):
			return m, m.undo()
		case key.Matches(msg, k.Copy, k.CopyFull):
			return m, m.copyRow(key.Matches(msg, k.CopyFull))
		case key.Matches(msg, k.Export):
			cmd := m.exportView("")
			return m, cmd
		case key.Matches(msg, k.Log) && m.has(pane.Log):
			return m, m.goTab(pane.Log)
		case key.Matches(msg, k.Back) && len(m.stack) > 1:
			return m, m.pop()
		}
	}
	top := m.pane(m.top())
	capturing := top.Capturing()
	cmd := top.Update(msg)
	if cmd == nil && !capturing {
		cmd = m.unusedKey(m.top(), msg)
	}
	return m, cmd
}

// editRunningQuit is what the first q says while a group edit runs.
const editRunningQuit = "a group edit is running: press q again to abandon it (its per-host report will be lost)"

// requestQuit quits, unless a group edit is running and this is not the second request in a
// row: quitting would abandon the edit with no report, so the first q (or ctrl+c) says so
// and arms the next one.
func (m Model) requestQuit(armed bool) (Model, tea.Cmd) {
	if m.edit.Running() && !armed {
		m.quitArmed = true
		return m, status.Warn("%s", editRunningQuit)
	}
	return m.quit()
}

// quit ends the session at once: every call, stream and probe of the client is cancelled
// (they all descend from clientCtx), so none of them holds the exit, and the program quits.
// Revoking the tokens is the caller's, after the program, within its own short budget.
func (m Model) quit() (Model, tea.Cmd) {
	m.quitting = true
	if m.cancelClient != nil {
		m.cancelClient()
	}
	return m, tea.Quit
}

// cliKeys are the pane keys docs/CLI.md §10 promises, with what they do where they apply.
var cliKeys = map[string]string{
	"enter": "drill-down", "/": "filter", "f": "FQL filter", "space": "marking", "a": "add to group", "x": "remove from group",
}

// unusedKey answers a key of docs/CLI.md §10 that the view on screen does not have, so that it
// never seems to do nothing for no reason.
func (m Model) unusedKey(view pane.Kind, msg tea.KeyPressMsg) tea.Cmd {
	k := msg.String()
	what, ok := cliKeys[k]
	if !ok {
		return nil
	}
	if km := m.pane(view).KeyMap(); km != nil {
		for _, group := range km.FullHelp() {
			for _, b := range group {
				if slices.Contains(b.Keys(), k) {
					return nil // the view has the key; it had nothing to do this time
				}
			}
		}
	}
	return status.Info("no %s in %s (? lists its keys)", what, m.spec(view).Name)
}
