package triage

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// Update takes the box's results whenever they arrive, and keys while it is open.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case AccessMsg:
		switch {
		case msg.Err != nil:
			// Transport trouble: say nothing now; an update would tell.
		case msg.State.Missing():
			m.access[msg.CID] = accessDenied
		case msg.State == falcon.ScopeGranted:
			m.access[msg.CID] = accessGranted
		}
		return m, nil
	case usersListedMsg:
		if msg.gen != m.gen || m.step != stepAssign {
			return m, nil
		}
		m.usersLoading, m.users, m.usersErr = false, msg.users, msg.err
		m.cursor = 0
		return m, nil
	case sentMsg:
		if msg.gen != m.gen || m.step != stepRun {
			return m, nil
		}
		return m.sent(msg)
	case tea.KeyPressMsg:
		if !m.Active() {
			return m, nil
		}
		return m.key(msg)
	case tea.PasteMsg:
		if m.input.Focused() {
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			return m, cmd
		}
	}
	return m, nil
}

func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch m.step {
	case stepStatus:
		return m.statusKey(msg)
	case stepAssign:
		return m.assignKey(msg)
	case stepComment:
		return m.commentKey(msg)
	case stepConfirm:
		return m.confirmKey(msg)
	case stepRun:
		return m, status.Info("the update is being sent: its report follows")
	case stepReport:
		return m.reportKey(msg)
	}
	return m, nil
}

func (m Model) statusKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	n := len(falcon.AlertStatuses)
	switch msg.String() {
	case "up", "k", "ctrl+p":
		m.cursor = (m.cursor + n - 1) % n
	case "down", "j", "ctrl+n":
		m.cursor = (m.cursor + 1) % n
	case "1", "2", "3", "4":
		m.cursor = int(msg.String()[0] - '1')
		fallthrough
	case "enter":
		m.update = falcon.AlertUpdate{Status: falcon.AlertStatuses[m.cursor]}
		m.what = describe(m.update, "")
		return m.openConfirm()
	case "esc", "q":
		m.close()
	}
	return m, nil
}

// pick is one line of the assignee picker.
type pick struct {
	label string
	user  *falcon.User
	me    bool
	none  bool // unassign
}

// picks are the picker's lines for the filter typed: "me" and "nobody" first, then the
// tenant's users whose name or login contains every word.
func (m Model) picks() []pick {
	words := strings.Fields(strings.ToLower(m.input.Value()))
	match := func(s string) bool {
		s = strings.ToLower(s)
		for _, w := range words {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	}
	var out []pick
	if me := m.opts.Me; match("me "+me) || me != "" && match(me) {
		label := "me (not set for this profile)"
		if me != "" {
			label = "me (" + me + ")"
		}
		out = append(out, pick{label: label, me: true})
	}
	if match("unassign nobody") {
		out = append(out, pick{label: "nobody (unassign)", none: true})
	}
	for i := range m.users {
		u := &m.users[i]
		if match(u.Name() + " " + u.UID) {
			label := u.Name()
			if u.UID != "" && u.UID != label {
				label += " <" + u.UID + ">"
			}
			if u.Status != "" && u.Status != "active" {
				label += " (" + u.Status + ")"
			}
			out = append(out, pick{label: label, user: u})
		}
	}
	return out
}

func (m Model) assignKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	ps := m.picks()
	switch msg.String() {
	case "esc":
		m.close()
		return m, nil
	case "up", "ctrl+p":
		m.cursor = max(0, m.cursor-1)
		return m, nil
	case "down", "ctrl+n":
		m.cursor = min(max(0, len(ps)-1), m.cursor+1)
		return m, nil
	case "enter":
		if m.cursor >= len(ps) {
			return m, nil
		}
		p := ps[m.cursor]
		switch {
		case p.none:
			m.update = falcon.AlertUpdate{Unassign: true}
			m.what = describe(m.update, "")
		case p.me:
			u, why := m.me()
			if why != "" {
				m.hint = why
				return m, nil
			}
			m.update = falcon.AlertUpdate{AssignToUUID: u.UUID}
			m.what = describe(m.update, "me, "+sanitize.Line(u.Name(), 40))
		default:
			m.update = falcon.AlertUpdate{AssignToUUID: p.user.UUID}
			m.what = describe(m.update, sanitize.Line(p.user.Name(), 40))
		}
		return m.openConfirm()
	}
	var cmd tea.Cmd
	before := m.input.Value()
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() != before {
		m.cursor, m.hint = 0, ""
	}
	return m, cmd
}

// me finds the analyst among the tenant's users by the configured login or UUID
// (docs/API.md §20: the API cannot say who an API client acts for). why says what to do when
// it cannot.
func (m Model) me() (falcon.User, string) {
	me := strings.TrimSpace(m.opts.Me)
	if me == "" {
		return falcon.User{}, MeUnsetReason
	}
	if m.usersErr != nil {
		return falcon.User{}, "the console users could not be read: " + errText(m.usersErr)
	}
	if m.usersLoading {
		return falcon.User{}, "the console users are still loading"
	}
	for _, u := range m.users {
		if strings.EqualFold(u.UID, me) || strings.EqualFold(u.UUID, me) {
			return u, ""
		}
	}
	return falcon.User{}, "no console user " + sanitize.Line(me, 60) + " in " + m.tenantLabel(tenantOf(m.alerts[0])) + ": pick the user from the list"
}

// MeUnsetReason says how to name the analyst for "assign to me".
const MeUnsetReason = "\"me\" is not set for this profile: run 'falcon-tui login --me YOUR-LOGIN' (or start with FALCON_TUI_ME=YOUR-LOGIN)"

func (m Model) commentKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch msg.String() {
	case "esc":
		m.close()
		return m, nil
	case "enter":
		text := strings.TrimSpace(m.input.Value())
		if text == "" {
			m.hint = "type the comment first (esc cancels)"
			return m, nil
		}
		m.update = falcon.AlertUpdate{Comment: text}
		m.what = describe(m.update, "")
		return m.openConfirm()
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	m.hint = ""
	return m, cmd
}

// typed reports whether the confirmation needs the count typed: above TypeCountOver alerts
// or across tenants.
func (m Model) typed() bool { return len(m.alerts) > TypeCountOver || len(cids(m.alerts)) > 1 }

func (m Model) openConfirm() (Model, tea.Cmd) {
	if err := m.update.Validate(); err != nil {
		m.hint = err.Error()
		return m, nil
	}
	m.step, m.err = stepConfirm, ""
	if m.typed() {
		m.input = m.newInput("", 9)
		m.input.SetWidth(12)
		return m, m.input.Focus()
	}
	m.input.Blur()
	return m, nil
}

func (m Model) confirmKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	s := msg.String()
	switch {
	case s == "esc" || (!m.typed() && (s == "n" || s == "N" || s == "q")):
		m.close()
		return m, nil
	case s == "enter" || (!m.typed() && (s == "y" || s == "Y")):
		if m.typed() {
			got := strings.ReplaceAll(strings.TrimSpace(m.input.Value()), ",", "")
			if n, err := strconv.Atoi(got); err != nil || n != len(m.alerts) {
				m.err = "that is not the number of alerts: type " + strconv.Itoa(len(m.alerts)) + " exactly"
				return m, nil
			}
		}
		m.step = stepRun
		m.input.Blur()
		return m, send(m.opts.Context, m.opts.Client, m.gen, m.alerts, m.update)
	}
	if !m.typed() || (msg.Text != "" && strings.Trim(msg.Text, "0123456789,") != "") {
		return m, nil
	}
	var cmd tea.Cmd
	m.err = ""
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// sent shows the report, tells the panes the alerts' new state, and says the outcome.
func (m Model) sent(msg sentMsg) (Model, tea.Cmd) {
	m.report = newReport(m.alerts, m.update, msg)
	m.step, m.cursor = stepReport, 0
	if msg.err != nil && isScopeDenied(msg.err) {
		for _, cid := range cids(m.alerts) {
			m.access[cid] = accessDenied
		}
	}
	home := ""
	if m.opts.Client != nil {
		home = m.opts.Client.HomeCID()
	}
	cmds := []tea.Cmd{m.report.summaryStatus(m.what),
		storeTriage(m.opts.Context, m.opts.Store, home, m.alerts, m.update, msg, time.Now())}
	if len(msg.reread) > 0 {
		as := msg.reread
		cmds = append(cmds, func() tea.Msg { return domain.AlertsUpdatedMsg{Alerts: as} })
	}
	return m, tea.Batch(cmds...)
}

func (m Model) reportKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch msg.String() {
	case "enter", "esc", "q":
		m.close()
	case "up", "k":
		m.cursor = max(0, m.cursor-1)
	case "down", "j":
		m.cursor = min(max(0, len(m.report.rows)-1), m.cursor+1)
	case "r":
		again := m.report.retryable()
		if len(again) == 0 {
			return m, status.Info("nothing to send again: every alert was updated, or its outcome must be checked first")
		}
		m.alerts, m.gen = again, generation.Next() // a result of the first send is not this one's
		return m.openConfirm()
	}
	return m, nil
}
