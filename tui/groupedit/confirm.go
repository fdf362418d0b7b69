package groupedit

import (
	"context"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// confirm is the last look before a write: the group, its type and size, how many hosts and
// the first of them by name. Large or cross-tenant selections need the count typed, because
// a stray enter on 4,000 hosts is the mistake this screen exists to stop.
type confirm struct {
	back       step          // esc returns here (the picker, or nothing)
	send       []falcon.Host // hosts in the group's tenant: what will be sent
	skipped    []falcon.Host // hosts of other tenants, which cannot join this group
	typed      bool          // the count must be typed
	input      textinput.Model
	err        string
	count      int // the group's member count before the edit
	countErr   error
	countKnown bool
}

func (m *Model) openConfirm(back step) tea.Cmd {
	c := confirm{back: back}
	for _, h := range m.hosts {
		if h.CID == "" || m.target.CID == "" || h.CID == m.target.CID {
			c.send = append(c.send, h)
		} else {
			c.skipped = append(c.skipped, h)
		}
	}
	if len(c.send) == 0 {
		m.picker.hint = "none of the selected hosts is in " + m.tenantLabel(m.target.CID)
		if back == stepPick {
			m.step = stepPick
			return nil
		}
		m.close()
		return status.Warn("none of the selected hosts is in the group's tenant")
	}
	c.typed = len(c.send) > m.opts.TypeCountOver || len(c.skipped) > 0 || len(m.tenants()) > 1 ||
		(m.undoing != nil && m.undoing.typed)
	if c.typed {
		in := textinput.New()
		in.SetStyles(m.st.TextInput())
		in.Prompt = "› "
		in.CharLimit = 9
		in.SetWidth(12)
		c.input = in
	}
	m.confirm = c
	m.step = stepConfirm
	cmds := []tea.Cmd{memberCount(m.opts.Context, m.client, m.gen, m.target)}
	if c.typed {
		cmds = append(cmds, m.confirm.input.Focus())
	}
	return tea.Batch(cmds...)
}

func memberCount(ctx context.Context, client *falcon.Client, gen int, g falcon.HostGroup) tea.Cmd {
	return func() tea.Msg {
		n, err := client.HostGroups.MemberCount(ctx, g.CID, g.ID)
		return countLoadedMsg{gen: gen, groupID: g.ID, count: n, err: err}
	}
}

func (m Model) confirmKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	c := &m.confirm
	switch s := msg.String(); {
	case s == "esc":
		if c.back == stepPick {
			m.step = stepPick
			return m, nil
		}
		m.close()
		return m, nil
	case s == "enter" || (!c.typed && (s == "y" || s == "Y")):
		if c.typed {
			got := strings.ReplaceAll(strings.TrimSpace(c.input.Value()), ",", "")
			if n, err := strconv.Atoi(got); err != nil || n != len(c.send) {
				c.err = "that is not the number of hosts: type " + strconv.Itoa(len(c.send)) + " exactly"
				return m, nil
			}
		}
		return m, m.startFlow()
	case !c.typed && (s == "n" || s == "N" || s == "q"):
		if c.back == stepPick {
			m.step = stepPick
			return m, nil
		}
		m.close()
		return m, nil
	}
	if !c.typed {
		return m, nil
	}
	if msg.Text != "" && strings.Trim(msg.Text, "0123456789,") != "" {
		return m, nil // only a count can be typed here
	}
	var cmd tea.Cmd
	c.err = ""
	c.input, cmd = c.input.Update(msg)
	return m, cmd
}
