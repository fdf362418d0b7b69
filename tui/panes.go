package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// The root holds every pane by the contract of package pane and finds the optional parts
// with pane.As: it never asks which pane it holds.

// pane is the pane of kind k (every kind on the stack is registered).
func (m Model) pane(k pane.Kind) pane.Model { return m.panes[m.index[k]] }

// spec is the registry row of kind k.
func (m Model) spec(k pane.Kind) pane.Spec { return m.reg.Panes[m.index[k]] }

// has reports whether the registry lists kind k.
func (m Model) has(k pane.Kind) bool { _, ok := m.index[k]; return ok }

// each calls f with every pane that implements I, in registry order.
func each[I any](m Model, f func(I)) {
	for _, p := range m.panes {
		if i, ok := pane.As[I](p); ok {
			f(i)
		}
	}
}

// broadcast gives a message every pane and the overlay: results of a pane's own commands
// (which only that pane recognises) and announcements several panes act on.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.panes)+1)
	for _, p := range m.panes {
		cmds = append(cmds, p.Update(msg))
	}
	var cmd tea.Cmd
	m.edit, cmd = m.edit.Update(msg)
	return tea.Batch(append(cmds, cmd)...)
}

// start gives pane k its first load (Starter, else SetTenant) and marks it shown.
func (m *Model) start(k pane.Kind) tea.Cmd {
	m.shown[k] = true
	p := m.pane(k)
	if s, ok := pane.As[pane.Starter](p); ok {
		return s.Start(pane.Session{CID: m.cid, Tenants: m.tenants})
	}
	if s, ok := pane.As[pane.TenantSetter](p); ok {
		return s.SetTenant(m.cid)
	}
	return nil
}

func (m *Model) setPaneFocus(k pane.Kind, on bool) {
	if on {
		m.pane(k).Focus()
	} else {
		m.pane(k).Blur()
	}
}

// crumb is a drill-down's part of the path on the tab bar.
func (m Model) crumb(k pane.Kind) string {
	if c, ok := pane.As[pane.Crumber](m.pane(k)); ok {
		if s := c.Crumb(); s != "" {
			return s
		}
	}
	if s := m.spec(k); s.Crumb != "" {
		return s.Crumb
	}
	return m.spec(k).Name
}

// layout gives every pane the size of the main area (they all share it; one is shown).
func (m *Model) layout() {
	w, h := m.paneSize()
	for _, p := range m.panes {
		p.SetSize(w, h)
	}
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
