package groupedit

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Options tune the overlay. The zero value gives the defaults.
type Options struct {
	// Context is the parent of every call; nil = Background. A write already sent is not
	// cancelled when the user hides the box: only the end of the program ends it.
	Context context.Context
	// TypeCountOver is the selection size above which the user must type the count to
	// confirm (default 50). Cross-tenant selections always need it.
	TypeCountOver int
	// PreviewHosts is how many host names the confirmation lists (default 5).
	PreviewHosts int
	// UndoDepth is how many edits `u` can walk back (default 20).
	UndoDepth int
	// Store is the local store the confirmed membership changes are recorded in
	// (docs/STORE.md); nil = none.
	Store *store.Store
	// TenantName labels a CID for the user ("" or nil: the CID itself).
	TenantName func(cid string) string
	// Prober sends the host-group:write probes; the root shares one per client with the
	// host-groups pane. nil = one of the overlay's own, under Context.
	Prober *Prober
}

func (o Options) withDefaults() Options {
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.TypeCountOver <= 0 {
		o.TypeCountOver = 50
	}
	if o.PreviewHosts <= 0 {
		o.PreviewHosts = 5
	}
	if o.UndoDepth <= 0 {
		o.UndoDepth = 20
	}
	return o
}

// step is where the overlay's flow is.
type step uint8

const (
	stepIdle    step = iota
	stepProbe        // waiting for the host-group:write probe of the tenant(s)
	stepLoad         // loading the groups to pick from
	stepPick         // picking a group
	stepRule         // editing a dynamic group's rule (from the picker)
	stepConfirm      // showing what will be sent
	stepRun          // the edit is running
	stepReport       // per-host result
)

// Model is the group-edit overlay: group picker, confirmation, progress and report, plus the
// undo history of membership edits. The root keeps one for the whole session.
type Model struct {
	client *falcon.Client
	st     *theme.Styles
	opts   Options
	keys   KeyMap

	width, height int

	step   step
	hidden bool // the run goes on in the background; the box is not shown
	gen    int  // flow generation: results of an abandoned flow are dropped
	runs   int  // number of the current run: progress of any other run is dropped
	access AccessMap

	// The request.
	action  falcon.MembershipAction
	hosts   []falcon.Host     // the selection, one entry per device id, in marked order
	names   map[string]string // device id → hostname, kept for reports of retries and undos
	fixed   bool              // the group was given to Start (no picker)
	undoing *edit             // the flow reverts this history entry (Undo)
	probing map[string]bool   // tenants whose probe is awaited
	target  falcon.HostGroup

	picker  picker
	rule    ruleForm
	confirm confirm
	run     runState
	report  report
	history []*edit // undo stack, newest last
}

// New returns an idle overlay.
func New(client *falcon.Client, st *theme.Styles, opts Options) Model {
	opts = opts.withDefaults()
	if opts.Prober == nil {
		opts.Prober = NewProber(opts.Context, client, false)
	}
	return Model{
		client: client,
		st:     st,
		opts:   opts,
		keys:   DefaultKeyMap(),
		access: AccessMap{},
		names:  map[string]string{},
	}
}

// Init is a Bubble Tea model's; the overlay needs nothing at start.
func (m Model) Init() tea.Cmd { return nil }

// Active reports whether the box is shown. While it is, the root sends it every key.
func (m Model) Active() bool { return m.step != stepIdle && !m.hidden }

// Capturing reports whether a text input has the keyboard (same meaning as for panes).
func (m Model) Capturing() bool { return m.Active() }

// Running reports whether a membership edit is in flight (shown or in the background).
func (m Model) Running() bool { return m.step == stepRun }

// SetSize gives the size of the screen the box is centred on.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.picker.input.SetWidth(m.inputWidth())
	m.rule.input.SetWidth(m.inputWidth())
	m.confirm.input.SetWidth(12)
}

// KeyMap returns the overlay's keys for the root's help.
func (m Model) KeyMap() help.KeyMap { return m.keys }

// SetTenantName sets how tenants are labelled (the root learns names after start).
func (m *Model) SetTenantName(f func(cid string) string) { m.opts.TenantName = f }

// ProbeTenant checks host-group:write in tenant cid once per client, so that write keys can
// say why they are disabled before the user tries. It returns nil when the answer is known
// or the probe was sent already (a tenant switch back and forth sends one probe).
func (m *Model) ProbeTenant(cid string) tea.Cmd {
	if m.access.Of(m.client, cid) != AccessUnknown {
		return nil
	}
	return m.opts.Prober.Probe(cid)
}

// WriteBlocked is the reason membership edits cannot be sent in tenant cid ("" = they can, or
// it is not known yet). The hosts pane can show it on its a/x keys.
func (m Model) WriteBlocked(cid string) string { return m.access.Of(m.client, cid).Reason() }

// Start opens the overlay for adding hosts to (or removing them from) a group. current is
// the group being viewed (x in a group's member list); nil means "pick a group". The
// returned command may be a status message instead, when the edit cannot be sent at all.
func (m *Model) Start(action falcon.MembershipAction, hosts []falcon.Host, current *falcon.HostGroup) tea.Cmd {
	switch {
	case m.step == stepRun:
		return status.Warn("a group edit is still running")
	case m.client != nil && m.client.ReadOnly():
		return status.Warn(ReadOnlyReason)
	case current != nil && !current.Type.Manual():
		return status.Warn("%s: %s", displayName(current.Name), DynamicReason)
	}
	sel := dedupe(hosts)
	if len(sel) == 0 {
		return status.Warn("no hosts selected: mark hosts with space first")
	}
	m.gen = generation.Next()
	m.reset()
	m.action, m.hosts = action, sel
	for _, h := range sel {
		if h.Hostname != "" {
			m.names[h.DeviceID] = h.Hostname
		}
	}
	var cids []string
	if current != nil {
		m.fixed, m.target = true, *current
		if m.target.CID == "" {
			m.target.CID = sel[0].CID
		}
		cids = []string{m.target.CID}
	} else {
		cids = m.tenants()
	}
	var probes []tea.Cmd
	denied := 0
	for _, cid := range cids {
		switch m.access.Of(m.client, cid) {
		case AccessUnknown:
			// Sent again after a failure; nil while one is on its way: its answer ends the wait.
			m.probing[cid] = true
			probes = append(probes, m.opts.Prober.Retry(cid))
		case AccessDenied:
			denied++
		}
	}
	if denied == len(cids) {
		m.step = stepIdle
		return status.Warn("%s: %s", verb(action), ScopeReason)
	}
	if len(probes) > 0 {
		m.step = stepProbe
		return tea.Batch(probes...)
	}
	return m.advance()
}

// reset clears the per-flow state (not the access map, names or undo history).
func (m *Model) reset() {
	m.hidden, m.fixed, m.undoing = false, false, nil
	m.hosts, m.target = nil, falcon.HostGroup{}
	m.probing = map[string]bool{}
	m.picker = m.newPicker()
	m.rule = ruleForm{}
	m.confirm = confirm{}
	m.report = report{}
}

// advance leaves the probe step: to the confirmation when the group is known, else to the picker.
func (m *Model) advance() tea.Cmd {
	if m.fixed {
		if m.access.Of(m.client, m.target.CID) == AccessDenied {
			m.step = stepIdle
			return status.Warn("%s: %s", verb(m.action), ScopeReason)
		}
		return m.openConfirm(stepIdle)
	}
	var cids []string
	for _, cid := range m.tenants() {
		if m.access.Of(m.client, cid) != AccessDenied {
			cids = append(cids, cid)
		}
	}
	if len(cids) == 0 {
		m.step = stepIdle
		return status.Warn("%s: %s", verb(m.action), ScopeReason)
	}
	m.step = stepLoad
	return loadGroups(m.opts.Context, m.client, m.gen, cids)
}

// close hides the box and forgets the flow (never while a run is in flight).
func (m *Model) close() {
	m.step = stepIdle
	m.reset()
}

// Update handles keys while Active, and the overlay's own results at any time.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		// The root has rebuilt the shared styles; inputs keep a copy of theirs.
		ti := m.st.TextInput()
		m.picker.input.SetStyles(ti)
		m.rule.input.SetStyles(ti)
		m.confirm.input.SetStyles(ti)
		return m, nil
	case WriteProbedMsg:
		if !m.opts.Prober.Accepts(msg) {
			return m, nil
		}
		m.access.Record(msg)
		if m.step != stepProbe || !m.probing[msg.CID] {
			return m, nil
		}
		delete(m.probing, msg.CID)
		if len(m.probing) > 0 {
			return m, nil
		}
		return m, m.advance()
	case groupsLoadedMsg:
		if msg.gen != m.gen || m.step != stepLoad {
			return m, nil
		}
		m.picker.setGroups(msg.groups, msg.errs, m.hosts, m.action)
		m.step = stepPick
		return m, nil
	case countLoadedMsg:
		if msg.gen == m.gen && msg.groupID == m.target.ID {
			m.confirm.count, m.confirm.countErr, m.confirm.countKnown = msg.count, msg.err, true
		}
		return m, nil
	case ruleSavedMsg:
		return m.ruleSaved(msg)
	case runProgressMsg:
		if msg.run != m.runs || m.step != stepRun {
			return m, msg.next.Stop()
		}
		m.run.progress = msg.progress
		return m, msg.next.Next()
	case runFinishedMsg:
		if msg.run != m.runs || m.step != stepRun {
			return m, nil
		}
		return m.finish(msg)
	case tea.KeyPressMsg:
		if !m.Active() {
			return m, nil
		}
		return m.handleKey(msg)
	}
	// Cursor blinks and other input messages go to whichever input has focus.
	return m.updateInputs(msg)
}

func (m Model) handleKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch m.step {
	case stepProbe, stepLoad:
		if msg.String() == "esc" {
			m.close()
		}
		return m, nil
	case stepPick:
		return m.pickKey(msg)
	case stepRule:
		return m.ruleKey(msg)
	case stepConfirm:
		return m.confirmKey(msg)
	case stepRun:
		if msg.String() == "esc" {
			m.hidden = true
			return m, status.Info("%s continues in the background", m.run.title(m))
		}
		return m, nil
	case stepReport:
		return m.reportKey(msg)
	}
	return m, nil
}

func (m Model) updateInputs(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.step {
	case stepPick:
		if m.picker.filtering {
			m.picker.input, cmd = m.picker.input.Update(msg)
		}
	case stepRule:
		m.rule.input, cmd = m.rule.input.Update(msg)
	case stepConfirm:
		if m.confirm.typed {
			m.confirm.input, cmd = m.confirm.input.Update(msg)
		}
	}
	return m, cmd
}

// tenants lists the CIDs of the selection, in first-seen order.
func (m Model) tenants() []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range m.hosts {
		if !seen[h.CID] {
			seen[h.CID] = true
			out = append(out, h.CID)
		}
	}
	return out
}

// tenantLabel names a tenant for the user.
func (m Model) tenantLabel(cid string) string {
	if m.opts.TenantName != nil {
		if n := m.opts.TenantName(cid); n != "" {
			return n
		}
	}
	if cid == "" {
		return "home tenant"
	}
	return cid
}

// dedupe keeps the first host of each device id, in order.
func dedupe(hosts []falcon.Host) []falcon.Host {
	seen := make(map[string]bool, len(hosts))
	out := make([]falcon.Host, 0, len(hosts))
	for _, h := range hosts {
		if h.DeviceID == "" || seen[h.DeviceID] {
			continue
		}
		seen[h.DeviceID] = true
		out = append(out, h)
	}
	return out
}

// verb is the action for a sentence start.
func verb(a falcon.MembershipAction) string {
	if a == falcon.RemoveHosts {
		return "remove from group"
	}
	return "add to group"
}

// plural formats a count with its noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", one)
	}
	return fmt.Sprintf("%s %s", widget.Int(n), many)
}
