package hostgroups

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/vtable"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// ReadScope is the scope the pane reads with; writes need groupedit.WriteScope.
const ReadScope = "host-group:read"

// view is which list the pane shows.
type view uint8

const (
	viewGroups view = iota
	viewMembers
)

// count is a group's member count as loaded.
type count struct {
	n    int
	err  error
	done bool
}

// Model is the Host groups pane.
type Model struct {
	client *falcon.Client
	store  *store.Store // nil: no local store
	st     *theme.Styles
	keys   KeyMap
	ctx    context.Context
	now    func() time.Time

	tenantName func(string) string

	width, height int
	focused       bool

	cid        string
	gen        int                // list generation: a tenant switch or reload drops older results
	loadCtx    context.Context    // the current list's loads (the list, its counts)
	cancelLoad context.CancelFunc // ends them: a tenant switch or reload supersedes them
	access     groupedit.AccessMap
	prober     *groupedit.Prober

	groups   []falcon.HostGroup
	storedAt time.Time // when the rows shown were stored; zero once the API's list replaced them
	loading  bool
	err      error
	counts   map[string]count // group id → member count
	filter   widget.Prompt    // the group list's filter: the input holds it
	visible  []int            // indexes into groups passing the filter
	table    vtable.Model

	pendingCursor string // after a save: the group the cursor goes to once the list reloads

	view    view
	members members
	form    form
	notice  string // one line under the table: the answer to the last key
}

// New returns the pane; SetTenant starts loading. Without a Prober in d the pane probes
// host-group:write with one of its own (read-only sends no probe).
func New(d pane.Deps) Model {
	d = d.WithDefaults()
	if d.Prober == nil {
		d.Prober = groupedit.NewProber(d.Context, d.Client, d.ReadOnly)
	}
	m := Model{
		client:  d.Client,
		store:   d.Store,
		st:      d.Styles,
		ctx:     d.Context,
		loadCtx: d.Context,
		now:     d.Now,
		prober:  d.Prober,

		keys:   DefaultKeyMap(),
		access: groupedit.AccessMap{},
		counts: map[string]count{},
		filter: widget.NewPrompt(d.Styles),
		table:  vtable.New(groupColumns(), false),
	}
	m.members = m.newMembers()
	return m
}

// SetTenant shows tenant cid's groups: it loads them, their member counts, and probes once
// whether the client may write host groups there.
func (m *Model) SetTenant(cid string) tea.Cmd {
	m.cid = cid
	m.view = viewGroups
	m.members.stop()
	m.members = m.newMembers()
	m.form = form{}
	m.groups, m.visible, m.counts, m.storedAt = nil, nil, map[string]count{}, time.Time{}
	// The filter was about the old tenant's groups: in another tenant it would hide groups
	// for a reason the user no longer sees.
	m.filter.Close()
	m.filter.Input.SetValue("")
	m.layout()
	m.table.SetRows(0)
	m.table.SetCursor(0)
	m.notice = ""
	m.refreshKeyHelp()
	cmds := []tea.Cmd{m.reload()}
	if m.access.Of(m.client, cid) == groupedit.AccessUnknown {
		cmds = append(cmds, m.prober.Probe(cid)) // nil when this client probed cid already
	}
	return tea.Batch(cmds...)
}

// SetTenantName sets how Title labels tenants (nil, or no name: the short CID).
func (m *Model) SetTenantName(f func(cid string) string) { m.tenantName = f }

// SetTenants labels tenants in Title from the tenant list (the root learns it after start).
func (m *Model) SetTenants(ts []falcon.Tenant) { m.SetTenantName(domain.TenantNames(ts)) }

// Tenant is the CID shown.
func (m Model) Tenant() string { return m.cid }

// reload fetches the group list again; the loads of the list it replaces end.
func (m *Model) reload() tea.Cmd {
	if m.cancelLoad != nil {
		m.cancelLoad()
	}
	m.loadCtx, m.cancelLoad = context.WithCancel(m.ctx)
	m.gen = generation.Next()
	m.loading, m.err = true, nil
	if m.store != nil && len(m.groups) == 0 {
		// The stored list shows at once; the API's replaces it (docs/STORE.md).
		return tea.Batch(listGroups(m.loadCtx, m.client, m.gen, m.cid), readStored(m.loadCtx, m.store, m.gen, m.storeCID()))
	}
	return listGroups(m.loadCtx, m.client, m.gen, m.cid)
}

// SetSize sets the pane's size; View fills exactly this.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.layout()
}

// Focus and Blur change how the cursor row is drawn.
func (m *Model) Focus() {
	m.focused = true
	m.table.Focus()
	m.members.table.Focus()
}

func (m *Model) Blur() {
	m.focused = false
	m.table.Blur()
	m.members.table.Blur()
}

// Capturing reports whether a text input has the keyboard.
func (m Model) Capturing() bool {
	return m.filter.Open() || m.members.filter.Open() || m.form.kind != formNone
}

// KeyMap is the help of the view on screen.
func (m Model) KeyMap() help.KeyMap {
	if m.view == viewMembers {
		return membersHelp{m.keys}
	}
	return m.keys
}

// Task names what the pane is loading for the status bar ("" = nothing).
func (m Model) Task() string {
	switch {
	case m.view == viewMembers && m.members.loading:
		return "group members"
	case m.loading:
		return "groups"
	}
	return ""
}

// Marked returns the marked members of the group on screen, in list order.
func (m Model) Marked() []falcon.Host { return m.members.marked() }

// writeBlocked is why writes cannot go to the current tenant ("" = they can, as far as known).
func (m Model) writeBlocked() string { return m.access.Of(m.client, m.cid).Reason() }

// refreshKeyHelp makes the write keys' help say why they are off.
func (m *Model) refreshKeyHelp() { m.keys.explain(m.writeBlocked()) }

// Update handles keys (when focused, as the root sends them) and the pane's results.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case groupedit.WriteProbedMsg:
		if !m.prober.Accepts(msg) {
			return m, nil
		}
		m.access.Record(msg)
		if msg.CID == m.cid {
			m.refreshKeyHelp()
		}
		return m, nil
	case groupsLoadedMsg:
		return m.groupsLoaded(msg)
	case storedGroupsMsg:
		return m.storedGroups(msg)
	case countLoadedMsg:
		if msg.gen != m.gen {
			return m, msg.next.Stop()
		}
		m.counts[msg.groupID] = count{n: msg.n, err: msg.err, done: true}
		return m, msg.next.Next()
	case membersBatchMsg:
		return m.membersBatch(msg)
	case groupSavedMsg:
		return m.groupSaved(msg)
	case groupDeletedMsg:
		return m.groupDeleted(msg)
	case domain.EditedMsg:
		return m.edited(msg)
	case domain.GroupUpdatedMsg:
		return m.groupUpdated(msg)
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.BackgroundColorMsg:
		// The root has rebuilt the shared styles; inputs keep a copy of theirs.
		m.restyle()
		return m, nil
	}
	return m.updateInputs(msg)
}

// restyle gives every text input the current theme's styles.
func (m *Model) restyle() {
	ti := m.st.TextInput()
	m.filter.Restyle()
	m.members.filter.Restyle()
	for i := range m.form.inputs {
		m.form.inputs[i].SetStyles(ti)
	}
}

// updateInputs forwards cursor blinks and pastes to the input that has focus.
func (m Model) updateInputs(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch {
	case m.form.kind != formNone:
		m.form, cmd = m.form.update(msg)
	case m.filter.Open():
		cmd = m.filter.Update(msg)
	case m.members.filter.Open():
		cmd = m.members.filter.Update(msg)
	}
	return m, cmd
}

func (m Model) handleKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	if m.form.kind != formNone {
		return m.formKey(msg)
	}
	if m.view == viewMembers {
		return m.membersKey(msg)
	}
	return m.groupsKey(msg)
}

// current is the group under the cursor.
func (m Model) current() (falcon.HostGroup, bool) {
	c := m.table.Cursor()
	if c < 0 || c >= len(m.visible) {
		return falcon.HostGroup{}, false
	}
	return m.groups[m.visible[c]], true
}

// groupIndex finds a group by id.
func (m Model) groupIndex(id string) int {
	for i, g := range m.groups {
		if g.ID == id {
			return i
		}
	}
	return -1
}
