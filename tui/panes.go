package tui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// The root keeps each pane as its concrete type and dispatches with a switch, so that no
// pane is ever type-asserted back from an interface.

func (m *Model) updatePane(f focus, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch f {
	case focusTenants:
		m.tenantsPane, cmd = m.tenantsPane.Update(msg)
	case focusHosts:
		m.hostsPane, cmd = m.hostsPane.Update(msg)
	case focusGroups:
		m.groups, cmd = m.groups.Update(msg)
	case focusAlerts:
		m.alertsPane, cmd = m.alertsPane.Update(msg)
	case focusScopes:
		m.scopesPane, cmd = m.scopesPane.Update(msg)
	case focusHostDetail:
		m.detail, cmd = m.detail.Update(msg)
	case focusHostAlerts:
		m.hostAlerts, cmd = m.hostAlerts.Update(msg)
	case focusAlertDetail:
		m.alertView, cmd = m.alertView.Update(msg)
	}
	return cmd
}

// broadcast gives a message every pane and the overlay: results of a pane's own commands
// (which only that pane recognises) and announcements several panes act on.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, 10)
	for f := focusTenants; f <= focusAlertDetail; f++ {
		cmds = append(cmds, m.updatePane(f, msg))
	}
	var cmd tea.Cmd
	m.edit, cmd = m.edit.Update(msg)
	return tea.Batch(append(cmds, cmd)...)
}

func (m Model) paneView(f focus) string {
	switch f {
	case focusTenants:
		return m.tenantsPane.View()
	case focusHosts:
		return m.hostsPane.View()
	case focusGroups:
		return m.groups.View()
	case focusAlerts:
		return m.alertsPane.View()
	case focusScopes:
		return m.scopesPane.View()
	case focusHostDetail:
		return m.detail.View()
	case focusHostAlerts:
		return m.hostAlerts.View()
	case focusAlertDetail:
		return m.alertView.View()
	}
	return ""
}

// paneTitle is the frame title. Panes that say more about themselves provide Title().
func (m Model) paneTitle(f focus) string {
	switch f {
	case focusTenants:
		return m.tenantsPane.Title()
	case focusHosts:
		return m.hostsPane.Title()
	case focusGroups:
		return m.groups.Title()
	case focusAlerts:
		return m.alertsPane.Title()
	case focusScopes:
		return m.scopesPane.Title()
	case focusHostDetail:
		return m.detail.Title()
	case focusHostAlerts:
		return m.hostAlerts.Title()
	case focusAlertDetail:
		return m.alertView.Title()
	}
	return ""
}

func (m Model) paneKeys(f focus) help.KeyMap {
	switch f {
	case focusTenants:
		return m.tenantsPane.KeyMap()
	case focusHosts:
		return m.hostsPane.KeyMap()
	case focusGroups:
		return m.groups.KeyMap()
	case focusAlerts:
		return m.alertsPane.KeyMap()
	case focusScopes:
		return m.scopesPane.KeyMap()
	case focusHostDetail:
		return m.detail.KeyMap()
	case focusHostAlerts:
		return m.hostAlerts.KeyMap()
	case focusAlertDetail:
		return m.alertView.KeyMap()
	}
	return nil
}

func (m Model) capturing(f focus) bool {
	switch f {
	case focusTenants:
		return m.tenantsPane.Capturing()
	case focusHosts:
		return m.hostsPane.Capturing()
	case focusGroups:
		return m.groups.Capturing()
	case focusAlerts:
		return m.alertsPane.Capturing()
	case focusScopes:
		return m.scopesPane.Capturing()
	case focusHostDetail:
		return m.detail.Capturing()
	case focusHostAlerts:
		return m.hostAlerts.Capturing()
	case focusAlertDetail:
		return m.alertView.Capturing()
	}
	return false
}

func (m *Model) setPaneFocus(f focus, on bool) {
	type focuser interface {
		Focus()
		Blur()
	}
	var p focuser
	switch f {
	case focusTenants:
		p = &m.tenantsPane
	case focusHosts:
		p = &m.hostsPane
	case focusGroups:
		p = &m.groups
	case focusAlerts:
		p = &m.alertsPane
	case focusScopes:
		p = &m.scopesPane
	case focusHostDetail:
		p = &m.detail
	case focusHostAlerts:
		p = &m.hostAlerts
	case focusAlertDetail:
		p = &m.alertView
	default:
		return
	}
	if on {
		p.Focus()
	} else {
		p.Blur()
	}
}

// layout gives every pane the size of the main area (they all share it; one is shown).
func (m *Model) layout() {
	w, h := m.paneSize()
	m.tenantsPane.SetSize(w, h)
	m.hostsPane.SetSize(w, h)
	m.groups.SetSize(w, h)
	m.alertsPane.SetSize(w, h)
	m.scopesPane.SetSize(w, h)
	m.detail.SetSize(w, h)
	m.hostAlerts.SetSize(w, h)
	m.alertView.SetSize(w, h)
	m.edit.SetSize(m.width, m.height)
	m.cmd.setWidth(m.width)
}

// Screen rows: header, tab bar, the framed pane, status bar.
const (
	headerRows = 2 // header + tab bar
	frameRows  = 2 // the frame's top and bottom borders
	statusRows = 1
)

// paneSize is the inside of the frame.
func (m Model) paneSize() (int, int) {
	return max(0, m.width-2), max(0, m.height-headerRows-frameRows-statusRows)
}
