package hostgroups

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/groupedit"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// formKind is which edit the form at the bottom of the pane makes.
type formKind uint8

const (
	formNone formKind = iota
	formCreate
	formRename
	formDescription
	formRule
	formDelete
)

// Create-form fields.
const (
	fieldType = iota
	fieldName
	fieldDescription
	fieldRule
)

// createTypes are the group types offered on create, in the order `←/→` cycles them.
var createTypes = []falcon.GroupType{falcon.GroupStatic, falcon.GroupStaticByID, falcon.GroupDynamic}

// form edits one group (or creates one). Every field is a text input; the create form also
// has a type selector. The server's answer to a save is shown under the fields.
type form struct {
	kind   formKind
	group  falcon.HostGroup // the group edited (not for create)
	inputs []textinput.Model
	focus  int // index into inputs; for create, fieldType is the selector
	gtype  int // index into createTypes
	err    string
	saving bool
	width  int
	// initial is the text an edit form opened with: the API's value as sanitised for the
	// screen. Sending it back unchanged would rewrite a value that held tabs, newlines or
	// invisible characters, so an unchanged field sends nothing.
	initial string
}

type groupSavedMsg struct {
	gen   int
	kind  formKind
	group falcon.HostGroup
	err   error
}

type groupDeletedMsg struct {
	gen   int
	group falcon.HostGroup
	err   error
}

func (m Model) newInput(prompt, placeholder, value string, width int) textinput.Model {
	in := textinput.New()
	in.SetStyles(m.st.TextInput())
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.CharLimit = 4096
	in.SetWidth(width)
	in.SetValue(value)
	in.CursorEnd()
	return in
}

// startForm opens an edit form, unless writes cannot be sent (said before the user types).
func (m Model) startForm(kind formKind, g falcon.HostGroup) (Model, tea.Cmd) {
	if r := m.writeBlocked(); r != "" {
		m.notice = r
		return m, status.Warn("%s", r)
	}
	w := max(m.width-20, 20)
	f := form{kind: kind, group: g, width: w}
	switch kind {
	case formCreate:
		f.inputs = []textinput.Model{
			{}, // the type selector has no input
			m.newInput("name        › ", "e.g. Quarantine", "", w),
			m.newInput("description › ", "optional", "", w),
			m.newInput("rule (FQL)  › ", "dynamic groups: e.g. platform_name:'Linux'+hostname:'web-*'", "", w),
		}
		f.focus = fieldName
	case formRename:
		f.inputs = []textinput.Model{m.newInput("name › ", "new name", sanitize.Text(g.Name), w)}
	case formDescription:
		f.inputs = []textinput.Model{m.newInput("description › ", "", sanitize.Text(g.Description), w)}
	case formRule:
		if g.Type != falcon.GroupDynamic {
			m.notice = "only dynamic groups have a rule; " + sanitize.Line(g.Name, 40) + " is " + string(g.Type)
			return m, nil
		}
		f.inputs = []textinput.Model{m.newInput("rule › ", "FQL, e.g. platform_name:'Linux'", sanitize.Text(g.AssignmentRule), w)}
	case formDelete:
		f.inputs = []textinput.Model{m.newInput("type the name › ", sanitize.Text(g.Name), "", w)}
	}
	if kind == formRename || kind == formDescription || kind == formRule {
		f.initial = strings.TrimSpace(f.inputs[0].Value())
	}
	m.form = f
	m.layout()
	return m, m.form.inputs[m.form.focus].Focus()
}

func (f form) update(msg tea.Msg) (form, tea.Cmd) {
	if f.kind == formNone || f.focus >= len(f.inputs) || (f.kind == formCreate && f.focus == fieldType) {
		return f, nil
	}
	var cmd tea.Cmd
	f.inputs[f.focus], cmd = f.inputs[f.focus].Update(msg)
	return f, cmd
}

// fields lists the create form's fields in tab order (the rule only for dynamic groups).
func (f form) fields() []int {
	if f.kind != formCreate {
		return []int{0}
	}
	if createTypes[f.gtype] == falcon.GroupDynamic {
		return []int{fieldType, fieldName, fieldDescription, fieldRule}
	}
	return []int{fieldType, fieldName, fieldDescription}
}

func (f *form) moveFocus(d int) tea.Cmd {
	fs := f.fields()
	pos := 0
	for i, x := range fs {
		if x == f.focus {
			pos = i
		}
	}
	if f.focus < len(f.inputs) && f.inputs[f.focus].Focused() {
		f.inputs[f.focus].Blur()
	}
	f.focus = fs[(pos+d+len(fs))%len(fs)]
	if f.kind == formCreate && f.focus == fieldType {
		return nil
	}
	return f.inputs[f.focus].Focus()
}

func (m Model) formKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	f := &m.form
	if f.saving {
		return m, nil
	}
	switch msg.String() {
	case "esc":
		m.form = form{}
		m.layout()
		return m, nil
	case "tab", "down":
		return m, f.moveFocus(1)
	case "shift+tab", "up":
		return m, f.moveFocus(-1)
	case "enter":
		return m.submit()
	}
	if f.kind == formCreate && f.focus == fieldType {
		switch msg.String() {
		case "left", "h":
			f.gtype = (f.gtype + len(createTypes) - 1) % len(createTypes)
		case "right", "l", "space":
			f.gtype = (f.gtype + 1) % len(createTypes)
		}
		m.layout()
		return m, nil
	}
	f.err = ""
	var cmd tea.Cmd
	f.inputs[f.focus], cmd = f.inputs[f.focus].Update(msg)
	m.layout() // an error of several lines is gone
	return m, cmd
}

// value is the trimmed text of input i.
func (f form) value(i int) string { return strings.TrimSpace(f.inputs[i].Value()) }

// submit validates what it can locally and sends the write; the server validates the rest
// (an FQL rule, a duplicate name) and its message comes back under the fields.
func (m Model) submit() (Model, tea.Cmd) {
	f := &m.form
	g := f.group
	client, gen, cid, ctx := m.client, m.gen, m.cid, m.ctx
	var run func() tea.Msg
	switch f.kind {
	case formCreate:
		spec := falcon.GroupSpec{
			Name:        f.value(fieldName),
			Description: f.value(fieldDescription),
			Type:        createTypes[f.gtype],
		}
		if spec.Type == falcon.GroupDynamic {
			spec.AssignmentRule = f.value(fieldRule)
		}
		if spec.Name == "" {
			f.err = "a group needs a name"
			return m, nil
		}
		run = func() tea.Msg {
			out, err := client.HostGroups.Create(ctx, cid, spec)
			return groupSavedMsg{gen: gen, kind: formCreate, group: out, err: err}
		}
	case formRename, formDescription, formRule:
		v := f.value(0)
		if v == f.initial {
			what := map[formKind]string{formRename: "name", formDescription: "description", formRule: "rule"}[f.kind]
			m.form = form{}
			m.layout()
			return m, status.Info("%s of %s unchanged: nothing sent", what, sanitize.Line(g.Name, 40))
		}
		var spec falcon.GroupSpec
		switch f.kind {
		case formRename:
			if v == "" {
				f.err = "a group needs a name"
				return m, nil
			}
			spec.Name = v
		case formDescription:
			if v == "" {
				// GroupSpec leaves empty fields unchanged, so an empty description would
				// silently do nothing.
				f.err = "type a description (an empty one leaves the current one unchanged)"
				return m, nil
			}
			spec.Description = v
		case formRule:
			if v == "" {
				f.err = "a dynamic group needs a rule"
				return m, nil
			}
			spec.AssignmentRule = v
		}
		kind := f.kind
		run = func() tea.Msg {
			out, err := client.HostGroups.Update(ctx, cid, g.ID, spec)
			return groupSavedMsg{gen: gen, kind: kind, group: out, err: err}
		}
	case formDelete:
		if f.value(0) != strings.TrimSpace(sanitize.Text(g.Name)) {
			f.err = "type the group's name exactly to delete it"
			return m, nil
		}
		run = func() tea.Msg {
			err := client.HostGroups.Delete(ctx, cid, g.ID)
			return groupDeletedMsg{gen: gen, group: g, err: err}
		}
	default:
		return m, nil
	}
	f.saving, f.err = true, ""
	return m, run
}

func (m Model) groupSaved(msg groupSavedMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen || m.form.kind != msg.kind {
		return m, nil
	}
	m.form.saving = false
	if msg.err != nil {
		m.form.err = errText(msg.err)
		if msg.kind == formRule || (msg.kind == formCreate && createTypes[m.form.gtype] == falcon.GroupDynamic) {
			m.form.err = groupedit.RuleError(msg.err)
		}
		if errors.Is(msg.err, falcon.ErrScopeDenied) {
			m.access[m.cid] = groupedit.AccessDenied
			m.refreshKeyHelp()
		}
		m.layout() // the error may take several lines
		return m, nil
	}
	g := msg.group
	if g.CID == "" {
		g.CID = m.cid
	}
	m.form = form{}
	m.layout()
	verb := "saved"
	if msg.kind == formCreate {
		verb = "created"
	}
	note := status.Success("group %s %s", sanitize.Line(g.Name, 40), verb)
	if i := m.groupIndex(g.ID); i >= 0 && g.ID != "" {
		m.groups[i] = g
		if m.view == viewMembers && m.members.group.ID == g.ID {
			m.members.group = g
		}
	}
	// Reload so that the list shows the server's truth (sorting, the new group, its count);
	// the cursor stays on (or moves to) the saved group.
	m.pendingCursor = g.ID
	cmds := []tea.Cmd{note, m.reload()}
	if g.ID != "" {
		cmds = append(cmds, storeGroup(m.ctx, m.store, m.storeCID(), g, m.now()))
	}
	if m.view == viewMembers && m.members.group.ID == g.ID && msg.kind == formRule {
		cmds = append(cmds, m.reloadMembers())
	}
	return m, tea.Batch(cmds...)
}

func (m Model) groupDeleted(msg groupDeletedMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen || m.form.kind != formDelete {
		return m, nil
	}
	m.form.saving = false
	if msg.err != nil {
		m.form.err = errText(msg.err)
		m.layout() // the error may take several lines
		return m, nil
	}
	m.form = form{}
	if m.view == viewMembers && m.members.group.ID == msg.group.ID {
		m.members.stop()
		m.view = viewGroups
	}
	m.layout()
	return m, tea.Batch(status.Success("group %s deleted", sanitize.Line(msg.group.Name, 40)), m.reload(),
		storeGroupDeleted(m.ctx, m.store, m.storeCID(), msg.group.ID))
}

// errText is an error for the user: the server's message, sanitized, without the prefix.
func errText(err error) string {
	switch {
	case errors.Is(err, falcon.ErrScopeDenied):
		return groupedit.ScopeReason
	case errors.Is(err, falcon.ErrReadOnly):
		return groupedit.ReadOnlyReason
	}
	return sanitize.Line(strings.TrimPrefix(err.Error(), "falcon: "), 300)
}
