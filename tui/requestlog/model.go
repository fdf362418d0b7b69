// Package requestlog is the request-log pane: every API call of the session, newest first,
// as the client's CallLog records it (docs/API.md §19), followed live; enter shows one call
// in full.
package requestlog

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/vtable"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Model is the request-log pane.
type Model struct {
	calls  *falcon.CallLog
	st     *theme.Styles
	keys   KeyMap
	ctx    context.Context
	now    func() time.Time
	follow bool           // wait on the log for new records (off in tests that drain every command)
	loc    *time.Location // times are shown in it: the local zone

	gen     int
	started bool
	last    uint64 // Seq of the newest record read
	dropped uint64 // records the ring let go before this pane read them (a burst it missed)
	// recs is what the pane holds, oldest first, never more than the ring's size.
	recs []falcon.CallRecord
	hay  []string
	view []int // indexes into recs, newest first, after the filter

	tenantName func(cid string) string

	table  vtable.Model
	filter string
	prompt widget.Prompt

	detail    bool // enter: one call in full
	shown     falcon.CallRecord
	offset    int
	scrollKey widget.ScrollKeyMap

	width, height int
	focused       bool
}

// New returns the pane on the request log of d.Client (nil: an empty log).
func New(d pane.Deps) Model {
	d = d.WithDefaults()
	m := Model{st: d.Styles, keys: DefaultKeyMap(), ctx: d.Context, now: d.Now, follow: !d.Static, loc: time.Local,
		prompt: widget.NewPrompt(d.Styles), scrollKey: widget.DefaultScrollKeyMap()}
	if d.Client != nil {
		m.calls = d.Client.Calls()
	}
	m.table = vtable.New(columns, false)
	return m
}

// Start reads what the log holds and begins following it.
func (m *Model) Start(s pane.Session) tea.Cmd {
	m.started = true
	m.gen = generation.Next()
	return m.pull()
}

// pull takes the records newer than the last read and, following, waits for the next. The
// channel is taken before the read, so that a record added in between wakes the wait.
func (m *Model) pull() tea.Cmd {
	if m.calls == nil {
		return nil
	}
	ch := m.calls.Changed()
	recs, last, dropped := m.calls.Since(m.last)
	m.last = last
	m.dropped += dropped
	if len(recs) > 0 {
		m.add(recs)
	}
	if !m.follow {
		return nil
	}
	ctx, gen := m.ctx, m.gen
	return func() tea.Msg {
		select {
		case <-ch:
			return callsChangedMsg{gen: gen}
		case <-ctx.Done():
			return nil
		}
	}
}

// droppedTotal is how many calls of the session the pane no longer holds: the ring let them
// go (before or after the pane read them) to keep its size.
func (m Model) droppedTotal() uint64 { return m.last - uint64(len(m.recs)) }

// callsChangedMsg says the log has records the pane has not read.
type callsChangedMsg struct{ gen int }

// add keeps recs (oldest first), dropping the pane's oldest beyond the ring's size, and
// keeps the cursor on its call unless it was on the newest.
func (m *Model) add(recs []falcon.CallRecord) {
	keep, onTop := uint64(0), m.table.Cursor() == 0
	if r, ok := m.Selected(); ok {
		keep = r.Seq
	}
	m.recs = append(m.recs, recs...)
	for _, r := range recs {
		m.hay = append(m.hay, haystack(r, m.tenantLabel(r.CID)))
	}
	if over := len(m.recs) - m.calls.Cap(); over > 0 {
		m.recs = append([]falcon.CallRecord(nil), m.recs[over:]...)
		m.hay = append([]string(nil), m.hay[over:]...)
	}
	m.refilter()
	if !onTop && keep != 0 {
		m.cursorTo(keep)
	}
}

func (m *Model) cursorTo(seq uint64) {
	for row, i := range m.view {
		if m.recs[i].Seq == seq {
			m.table.SetCursor(row)
			return
		}
	}
}

func haystack(r falcon.CallRecord, tenant string) string {
	return strings.ToLower(strings.Join([]string{r.Method, r.Path, statusWord(r), r.TraceID, r.CID, tenant, r.Err}, "\x00"))
}

func (m *Model) refilter() {
	words := strings.Fields(strings.ToLower(m.filter))
	m.view = m.view[:0]
	for i := len(m.recs) - 1; i >= 0; i-- {
		ok := true
		for _, w := range words {
			if !strings.Contains(m.hay[i], w) {
				ok = false
				break
			}
		}
		if ok {
			m.view = append(m.view, i)
		}
	}
	m.table.SetRows(len(m.view))
}

// Selected is the call under the cursor.
func (m Model) Selected() (falcon.CallRecord, bool) {
	if len(m.view) == 0 {
		return falcon.CallRecord{}, false
	}
	return m.recs[m.view[m.table.Cursor()]], true
}

// Records is what the pane holds, newest first (before the filter).
func (m Model) Records() []falcon.CallRecord {
	out := make([]falcon.CallRecord, len(m.recs))
	for i, r := range m.recs {
		out[len(m.recs)-1-i] = r
	}
	return out
}

// SetTenants labels tenants from the tenant list.
func (m *Model) SetTenants(ts []falcon.Tenant) {
	m.tenantName = domain.TenantNames(ts)
	for i, r := range m.recs {
		m.hay[i] = haystack(r, m.tenantLabel(r.CID))
	}
	m.refilter()
}

func (m Model) tenantLabel(cid string) string {
	if m.tenantName != nil {
		if n := m.tenantName(cid); n != "" {
			return n
		}
	}
	if cid == "" {
		return "home"
	}
	return domain.ShortID(cid)
}

// SetSize implements the pane contract.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.resize()
}

func (m *Model) resize() {
	m.table.SetSize(m.width, max(1, m.height-m.prompt.Lines()))
	m.prompt.Input.SetWidth(max(1, m.width-8))
	m.clamp()
}

// Focus and Blur implement the pane contract.
func (m *Model) Focus() { m.focused = true; m.table.Focus() }
func (m *Model) Blur()  { m.focused = false; m.table.Blur() }

// Capturing reports whether the filter prompt has the keyboard.
func (m Model) Capturing() bool { return m.prompt.Open() }

// KeyMap implements the pane contract.
func (m Model) KeyMap() help.KeyMap { return m.keys }

// Task implements the pane contract: the pane loads nothing.
func (m Model) Task() string { return "" }

// Update implements the pane contract.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case callsChangedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		return m, m.pull()
	case tea.BackgroundColorMsg:
		m.prompt.Restyle()
	case tea.KeyPressMsg:
		switch {
		case m.prompt.Open():
			return m.promptKey(msg)
		case m.detail:
			return m.detailKey(msg)
		}
		return m.key(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		if m.detail {
			m.offset, _ = widget.Scroll(msg, m.scrollKey, m.offset, max(1, m.height-1))
			m.clamp()
			return m, nil
		}
		if m.table.Mouse(msg) {
			m.open()
		}
	}
	return m, nil
}

func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	if m.table.Navigate(msg, k.NavKeyMap) {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Open):
		m.open()
	case key.Matches(msg, k.Filter):
		cmd := m.prompt.OpenFilter("path, status, trace id, tenant…", m.filter)
		m.resize()
		return m, cmd
	case key.Matches(msg, k.Clear):
		if m.filter != "" {
			m.filter = ""
			m.refilter()
		}
	}
	return m, nil
}

func (m *Model) open() {
	if r, ok := m.Selected(); ok {
		m.detail, m.shown, m.offset = true, r, 0
	}
}

func (m Model) detailKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Back) {
		m.detail = false
		return m, nil
	}
	m.offset, _ = widget.Scroll(msg, m.scrollKey, m.offset, max(1, m.height-1))
	m.clamp()
	return m, nil
}

func (m *Model) clamp() {
	if m.detail {
		m.offset = max(0, min(m.offset, len(m.detailLines())-m.height))
	}
}

// promptKey handles a key while the filter prompt is open: the rows follow as it is typed.
func (m Model) promptKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	ev, cmd := m.prompt.Key(msg)
	switch ev {
	case widget.PromptEdited:
		if m.prompt.Value() != m.filter {
			m.filter = m.prompt.Value()
			m.refilter()
		}
	case widget.PromptCleared:
		m.filter = ""
		m.refilter()
		m.resize()
	case widget.PromptKept, widget.PromptDismissed, widget.PromptQuery:
		m.resize()
	}
	return m, cmd
}
