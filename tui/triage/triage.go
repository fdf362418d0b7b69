// Package triage is the alert-triage box that the alerts list and the alert detail share:
// set the status, assign (to a console user of the tenant, to the analyst, or nobody) and
// comment, on one alert or the marked ones, through PATCH /alerts/entities/alerts/v3
// (docs/API.md §14). It asks before it sends as the group edits do (the count typed above
// 50 alerts or across tenants), reports each alert's outcome, re-reads an alert whose
// outcome is unknown before it offers to send again, and announces the alerts it changed
// (domain.AlertsUpdatedMsg) so that every pane showing them follows.
package triage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// WriteScope is the scope triage needs; UsersScope the one the assignee list needs.
const (
	WriteScope = "alerts:write"
	UsersScope = "usermgmt:read"
)

// Reasons a triage key gives instead of opening the box.
const (
	ReadOnlyReason = domain.ReadOnlyReason
	ScopeReason    = "needs " + WriteScope + ": this API client may read alerts but not triage them"
)

// TypeCountOver is the number of alerts above which the count must be typed to confirm.
const TypeCountOver = 50

// Action is what the box was opened for.
type Action uint8

const (
	SetStatus Action = iota + 1
	Assign
	Comment
)

// Options configure the box.
type Options struct {
	Context  context.Context
	Client   *falcon.Client
	Styles   *theme.Styles
	ReadOnly bool
	// Me is the analyst's console login or UUID for "assign to me" (docs/API.md §20); ""
	// = not configured, and the picker says how to set it.
	Me string
	// TenantName labels tenants (nil or "" = a short CID).
	TenantName func(cid string) string
	// Store records the changes the server confirmed (docs/STORE.md); nil = none.
	Store *store.Store
}

type step uint8

const (
	stepIdle step = iota
	stepStatus
	stepAssign
	stepComment
	stepConfirm
	stepRun
	stepReport
)

// access is what a tenant's alerts:write probe said.
type access uint8

const (
	accessUnknown access = iota
	accessGranted
	accessDenied
)

// Model is the box. The zero value is closed and usable once built with New.
type Model struct {
	opts   Options
	gen    int
	step   step
	alerts []falcon.Alert // the alerts the box acts on
	update falcon.AlertUpdate
	what   string // the change in words ("status → closed")

	access map[string]access // by lower-case CID

	// The pickers.
	cursor       int
	input        textinput.Model // the assignee filter, the comment, the typed count
	users        []falcon.User
	usersErr     error
	usersLoading bool
	hint         string

	err string // under the confirmation: a wrong count

	report report
}

// New returns a closed box.
func New(o Options) Model {
	if o.Context == nil {
		o.Context = context.Background()
	}
	return Model{opts: o, access: map[string]access{}}
}

// SetTenantName changes how tenants are labelled.
func (m *Model) SetTenantName(f func(string) string) { m.opts.TenantName = f }

// Active reports that the box is open and has the keyboard.
func (m Model) Active() bool { return m.step != stepIdle }

// Running reports that an update is being sent.
func (m Model) Running() bool { return m.step == stepRun }

// Open starts action on alerts, or says why it cannot (read-only, alerts:write missing).
func (m *Model) Open(action Action, alerts []falcon.Alert) tea.Cmd {
	if len(alerts) == 0 {
		return status.Info("no alert to triage here")
	}
	if m.opts.ReadOnly || (m.opts.Client != nil && m.opts.Client.ReadOnly()) {
		return status.Warn("%s", ReadOnlyReason)
	}
	for _, cid := range cids(alerts) {
		if m.access[cid] == accessDenied {
			return status.Warn("%s", ScopeReason)
		}
	}
	m.gen = generation.Next()
	m.alerts = slices.Clone(alerts)
	m.update, m.what, m.err, m.hint, m.cursor = falcon.AlertUpdate{}, "", "", "", 0
	switch action {
	case SetStatus:
		m.step = stepStatus
		// Start on the first status other than the alert's own.
		for i, s := range falcon.AlertStatuses {
			if string(s) != alerts[0].Status {
				m.cursor = i
				break
			}
		}
		return nil
	case Assign:
		if ts := cids(alerts); len(ts) > 1 {
			return status.Warn("a console user belongs to one tenant: mark alerts of one tenant to assign them (these are in %d)", len(ts))
		}
		m.step = stepAssign
		m.users, m.usersErr, m.usersLoading = nil, nil, true
		m.input = m.newInput("type to filter the users", 60)
		m.input.Prompt = "/ "
		return tea.Batch(m.input.Focus(), listUsers(m.opts.Context, m.opts.Client, m.gen, tenantOf(alerts[0])))
	case Comment:
		m.step = stepComment
		m.input = m.newInput("a note for the other analysts", 4000)
		return m.input.Focus()
	}
	return nil
}

func (m *Model) newInput(placeholder string, limit int) textinput.Model {
	in := textinput.New()
	if m.opts.Styles != nil {
		in.SetStyles(m.opts.Styles.TextInput())
	}
	in.Prompt = "› "
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.SetWidth(50)
	return in
}

// Close closes the box (not while an update is being sent).
func (m *Model) close() { m.step = stepIdle; m.input.Blur() }

// tenantOf is an alert's tenant, lower case.
func tenantOf(a falcon.Alert) string { return strings.ToLower(a.CID) }

// cids are the distinct tenants of alerts, in order.
func cids(alerts []falcon.Alert) []string {
	var out []string
	for _, a := range alerts {
		if c := tenantOf(a); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func (m Model) tenantLabel(cid string) string {
	if m.opts.TenantName != nil {
		if n := m.opts.TenantName(cid); n != "" {
			return n
		}
	}
	return domain.ShortID(cid)
}

// ProbeAccess asks whether the API client may triage alerts in tenant cid (alerts:write),
// so that the keys can say so before the user tries. Nothing is sent in read-only mode.
func (m Model) ProbeAccess(cid string) tea.Cmd {
	if m.opts.Client == nil || m.opts.ReadOnly || m.opts.Client.ReadOnly() {
		return nil
	}
	if _, ok := m.access[strings.ToLower(cid)]; ok {
		return nil
	}
	ctx, c := m.opts.Context, m.opts.Client
	return func() tea.Msg {
		st, err := c.Alerts.WriteAccess(ctx, cid)
		return AccessMsg{CID: strings.ToLower(cid), State: st, Err: err}
	}
}

// AccessMsg is the answer of an alerts:write probe. Every pane with a triage box records it.
type AccessMsg struct {
	CID   string
	State falcon.ScopeState
	Err   error
}

// Denied reports that tenant cid's probe said alerts:write is missing.
func (m Model) Denied(cid string) bool { return m.access[strings.ToLower(cid)] == accessDenied }

// usersListedMsg carries a tenant's console users for the assignee picker.
type usersListedMsg struct {
	gen   int
	users []falcon.User
	err   error
}

func listUsers(ctx context.Context, c *falcon.Client, gen int, cid string) tea.Cmd {
	if c == nil {
		return nil
	}
	return func() tea.Msg {
		us, err := c.Users.List(ctx, cid, "")
		return usersListedMsg{gen: gen, users: us, err: err}
	}
}

// sentMsg is the outcome of an update and the re-read of the alerts it may have changed.
type sentMsg struct {
	gen       int
	results   []falcon.AlertResult
	err       error          // the first error that stopped a tenant's update
	reread    []falcon.Alert // the alerts updated or of unknown outcome, as the server now has them
	rereadErr error
}

// send applies the update per tenant, then re-reads the alerts that were updated or whose
// outcome is unknown: the rows show what the server holds, and an unknown outcome is settled
// by looking before anything is sent again.
func send(ctx context.Context, c *falcon.Client, gen int, alerts []falcon.Alert, u falcon.AlertUpdate) tea.Cmd {
	return func() tea.Msg {
		out := sentMsg{gen: gen}
		byTenant := map[string][]string{}
		var order []string
		for _, a := range alerts {
			cid := tenantOf(a)
			if _, ok := byTenant[cid]; !ok {
				order = append(order, cid)
			}
			byTenant[cid] = append(byTenant[cid], a.CompositeID)
		}
		reread := map[string][]string{}
		for _, cid := range order {
			res, err := c.Alerts.Update(ctx, cid, byTenant[cid], u)
			out.results = append(out.results, res.Alerts...)
			if err != nil && out.err == nil {
				out.err = err
			}
			for _, r := range res.Alerts {
				if r.Outcome == falcon.AlertUpdated || r.Outcome == falcon.AlertUnknown {
					reread[cid] = append(reread[cid], r.CompositeID)
				}
			}
		}
		for _, cid := range order {
			if len(reread[cid]) == 0 {
				continue
			}
			as, err := c.Alerts.Get(ctx, cid, reread[cid]...)
			out.reread = append(out.reread, as...)
			if err != nil && out.rereadErr == nil {
				out.rereadErr = err
			}
		}
		return out
	}
}

// errText is an error in the words the report shows.
func errText(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, falcon.ErrScopeDenied):
		if s := widget.ScopeOf(err, WriteScope); s != WriteScope {
			return "needs " + s
		}
		return ScopeReason
	case errors.Is(err, falcon.ErrReadOnly):
		return ReadOnlyReason
	}
	return widget.ErrorText(err)
}

// describe is the update in words, for the confirmation and the report.
func describe(u falcon.AlertUpdate, assignee string) string {
	var parts []string
	if u.Status != "" {
		parts = append(parts, "status → "+statusWord(string(u.Status)))
	}
	if u.AssignToUUID != "" {
		parts = append(parts, "assign to "+assignee)
	}
	if u.Unassign {
		parts = append(parts, "unassign")
	}
	if strings.TrimSpace(u.Comment) != "" {
		parts = append(parts, "add a comment")
	}
	return strings.Join(parts, ", ")
}

func statusWord(s string) string { return strings.ReplaceAll(s, "_", " ") }

// plural is "1 alert", "3 alerts".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
