package groupedit

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
)

// picker is the filterable group list. Every group of the selection's tenants is listed so
// the user sees what exists; only static and staticByID groups can be chosen.
type picker struct {
	groups      []falcon.HostGroup
	errs        map[string]error // tenants whose groups could not be listed
	input       textinput.Model
	filtering   bool
	visible     []int // indexes into groups that pass the filter
	cursor      int   // index into visible
	offset      int   // first visible row on screen
	multiTenant bool
	hint        string // one-line answer to the last key (why a group cannot be chosen)
	// in counts, per group id, the selected hosts already in the group, from the hosts'
	// own group lists (Host.Groups); nil when the hosts carry no group data.
	in map[string]int
}

func (m Model) newPicker() picker {
	in := textinput.New()
	in.SetStyles(m.st.TextInput())
	in.Prompt = "/ "
	in.Placeholder = "filter groups"
	in.SetWidth(m.inputWidth())
	return picker{input: in}
}

// loadGroups lists the groups of each tenant. Tenants are few (the selection's), so they are
// listed one after the other; one tenant failing does not hide the others' groups.
func loadGroups(ctx context.Context, client *falcon.Client, gen int, cids []string) tea.Cmd {
	return func() tea.Msg {
		msg := groupsLoadedMsg{gen: gen, errs: map[string]error{}}
		for _, cid := range cids {
			gs, err := client.HostGroups.List(ctx, cid, "")
			if err != nil {
				msg.errs[cid] = err
				continue
			}
			for _, g := range gs {
				if g.CID == "" {
					g.CID = cid
				}
				msg.groups = append(msg.groups, g)
			}
		}
		return msg
	}
}

// setGroups fills the list. For a removal the cursor starts on the first group that holds
// some of the selected hosts; for an add, on the first group that can be chosen.
func (p *picker) setGroups(groups []falcon.HostGroup, errs map[string]error, hosts []falcon.Host, action falcon.MembershipAction) {
	p.groups, p.errs = groups, errs
	p.in = nil
	for _, h := range hosts {
		for _, gid := range h.Groups {
			if p.in == nil {
				p.in = map[string]int{}
			}
			p.in[gid]++
		}
	}
	seen := map[string]bool{}
	for _, g := range groups {
		seen[g.CID] = true
	}
	p.multiTenant = len(seen)+len(errs) > 1
	p.refilter()
	// Start where the common case is one keypress.
	first := -1
	for i, gi := range p.visible {
		g := p.groups[gi]
		if !g.Type.Manual() {
			continue
		}
		if first < 0 {
			first = i
		}
		if action == falcon.RemoveHosts && p.in[g.ID] > 0 {
			first = i
			break
		}
	}
	p.cursor = max(first, 0)
}

// refilter keeps the groups whose name, type or description contains every word typed.
func (p *picker) refilter() {
	words := strings.Fields(strings.ToLower(p.input.Value()))
	p.visible = p.visible[:0]
	for i, g := range p.groups {
		hay := strings.ToLower(g.Name + " " + string(g.Type) + " " + g.Description)
		ok := true
		for _, w := range words {
			if !strings.Contains(hay, w) {
				ok = false
				break
			}
		}
		if ok {
			p.visible = append(p.visible, i)
		}
	}
	p.cursor = min(p.cursor, max(len(p.visible)-1, 0))
}

// current is the group under the cursor.
func (p picker) current() (falcon.HostGroup, bool) {
	if p.cursor < 0 || p.cursor >= len(p.visible) {
		return falcon.HostGroup{}, false
	}
	return p.groups[p.visible[p.cursor]], true
}

func (p *picker) move(delta, rows int) {
	if len(p.visible) == 0 {
		return
	}
	p.cursor = max(0, min(len(p.visible)-1, p.cursor+delta))
	p.scroll(rows)
}

// scroll keeps the cursor on screen.
func (p *picker) scroll(rows int) {
	rows = max(rows, 1)
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+rows {
		p.offset = p.cursor - rows + 1
	}
	p.offset = max(0, min(p.offset, max(len(p.visible)-rows, 0)))
}

func (m Model) pickKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	p := &m.picker
	rows := m.pickRows()
	if p.filtering {
		switch msg.String() {
		case "esc":
			p.filtering = false
			p.input.Blur()
			p.input.SetValue("")
			p.refilter()
			p.scroll(rows)
			return m, nil
		case "enter":
			p.filtering = false
			p.input.Blur()
			return m, nil
		case "up", "ctrl+p":
			p.move(-1, rows)
			return m, nil
		case "down", "ctrl+n":
			p.move(1, rows)
			return m, nil
		}
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		p.refilter()
		p.scroll(rows)
		return m, cmd
	}
	p.hint = ""
	switch {
	case key.Matches(msg, m.keys.Up):
		p.move(-1, rows)
	case key.Matches(msg, m.keys.Down):
		p.move(1, rows)
	case key.Matches(msg, m.keys.PageUp):
		p.move(-rows, rows)
	case key.Matches(msg, m.keys.PageDown):
		p.move(rows, rows)
	case key.Matches(msg, m.keys.Home):
		p.move(-len(p.visible), rows)
	case key.Matches(msg, m.keys.End):
		p.move(len(p.visible), rows)
	case key.Matches(msg, m.keys.Filter):
		p.filtering = true
		return m, p.input.Focus()
	case key.Matches(msg, m.keys.Choose):
		g, ok := p.current()
		if !ok {
			return m, nil
		}
		if !g.Type.Manual() {
			p.hint = sanitize.Text(g.Name) + ": " + DynamicReason
			return m, nil
		}
		m.target = g
		return m, m.openConfirm(stepPick)
	case key.Matches(msg, m.keys.EditRule):
		g, ok := p.current()
		if !ok {
			return m, nil
		}
		if g.Type.Manual() {
			p.hint = "only dynamic groups have a rule; this one is " + string(g.Type)
			return m, nil
		}
		return m, m.openRule(g)
	case msg.String() == "esc" || msg.String() == "q":
		m.close()
	}
	return m, nil
}
