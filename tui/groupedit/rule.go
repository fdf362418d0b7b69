package groupedit

import (
	"context"
	"errors"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// ruleForm edits a dynamic group's assignment rule, reached with `e` from the picker when the
// user wanted to move hosts by hand into a group whose rule decides.
type ruleForm struct {
	group  falcon.HostGroup
	input  textinput.Model
	err    string // the server's answer to the last save, shown under the field
	saving bool
	// initial is the rule the field opened with, as sanitised for the screen: saving it
	// unchanged would rewrite a rule that held tabs, newlines or invisible characters.
	initial string
}

func (m *Model) openRule(g falcon.HostGroup) tea.Cmd {
	if r := m.access.Of(m.client, g.CID).Reason(); r != "" {
		m.picker.hint = r
		return nil
	}
	in := textinput.New()
	in.SetStyles(m.st.TextInput())
	in.Prompt = "rule › "
	in.Placeholder = "FQL, e.g. hostname:'web-*'+platform_name:'Linux'"
	in.CharLimit = 4096
	in.SetWidth(m.inputWidth())
	in.SetValue(sanitize.Text(g.AssignmentRule)) // API text: no control sequence reaches the screen
	in.CursorEnd()
	m.rule = ruleForm{group: g, input: in, initial: strings.TrimSpace(in.Value())}
	m.step = stepRule
	return m.rule.input.Focus()
}

// saveRule sends the rule; an invalid FQL comes back as the server's error, shown inline.
func saveRule(ctx context.Context, client *falcon.Client, gen int, g falcon.HostGroup, rule string) tea.Cmd {
	return func() tea.Msg {
		out, err := client.HostGroups.Update(ctx, g.CID, g.ID, falcon.GroupSpec{AssignmentRule: rule})
		if err == nil && out.CID == "" {
			out.CID = g.CID
		}
		return ruleSavedMsg{gen: gen, group: out, err: err}
	}
}

func (m Model) ruleKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	if m.rule.saving {
		return m, nil // the answer is on its way; keys would edit a rule already sent
	}
	switch msg.String() {
	case "esc":
		m.step = stepPick
		m.rule.input.Blur()
		return m, nil
	case "enter":
		v := strings.TrimSpace(m.rule.input.Value())
		if v == m.rule.initial {
			m.step = stepPick
			m.rule.input.Blur()
			return m, status.Info("rule of %s unchanged: nothing sent", displayName(m.rule.group.Name))
		}
		if v == "" {
			m.rule.err = "a dynamic group needs a rule"
			return m, nil
		}
		m.rule.saving, m.rule.err = true, ""
		return m, saveRule(m.opts.Context, m.client, m.gen, m.rule.group, v)
	}
	var cmd tea.Cmd
	m.rule.input, cmd = m.rule.input.Update(msg)
	return m, cmd
}

func (m Model) ruleSaved(msg ruleSavedMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen || m.step != stepRule {
		return m, nil
	}
	m.rule.saving = false
	if msg.err != nil {
		m.rule.err = RuleError(msg.err)
		return m, nil
	}
	g := msg.group
	if g.ID == "" { // a client that answers without the group: keep what we know
		g = m.rule.group
		g.AssignmentRule = strings.TrimSpace(m.rule.input.Value())
	}
	for i := range m.picker.groups {
		if m.picker.groups[i].ID == g.ID {
			m.picker.groups[i] = g
		}
	}
	m.picker.hint = ""
	m.step = stepPick
	m.rule.input.Blur()
	cid := g.CID
	return m, tea.Batch(
		func() tea.Msg { return GroupUpdatedMsg{CID: cid, Group: g} },
		status.Success("rule of %s saved", displayName(g.Name)),
	)
}

// RuleError words a failed rule save for the user. Falcon answers an assignment_rule it
// cannot parse with a bare 500 (terraform-provider-crowdstrike issue #33), which says nothing
// about the rule; the client recognises that answer (falcon.ErrInvalidRule) and the message
// says what it means. Other errors, an outage's 5xx among them, pass through.
func RuleError(err error) string {
	if !errors.Is(err, falcon.ErrInvalidRule) {
		return errText(err)
	}
	msg := "the cloud rejected the rule (HTTP 500, its answer to an FQL rule it cannot parse): " +
		"check quotes, field names and operators"
	var apiErr *falcon.APIError
	if errors.As(err, &apiErr) && apiErr.TraceID != "" {
		msg += " [trace " + sanitize.Line(apiErr.TraceID, 40) + "]"
	}
	return msg
}
