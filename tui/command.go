package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/theme"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// maxSuggestions is how many completions the box above the command bar shows.
const maxSuggestions = 6

// suggestion is one completion: the full command text and what it does.
type suggestion struct {
	text, desc string
}

// commandBar is the `:` prompt with completion.
type commandBar struct {
	input textinput.Model
	st    *theme.Styles
	all   []suggestion
	match []suggestion
	sel   int
	// ctxNote stands under the `:ctx` candidates when some tenants cannot be among them
	// (children hidden without mssp:read).
	ctxNote string
}

func newCommandBar(st *theme.Styles, reg pane.Registry) commandBar {
	in := textinput.New()
	in.Prompt = ":"
	var names []string
	for _, s := range reg.StartFirst() {
		if len(s.Commands) > 0 {
			names = append(names, s.Commands[0])
		}
	}
	in.Placeholder = strings.Join(append(names, "ctx NAME", "profile NAME", "q"), ", ")
	in.SetStyles(st.TextInput())
	return commandBar{input: in, st: st}
}

func (c *commandBar) restyle()       { c.input.SetStyles(c.st.TextInput()) }
func (c *commandBar) setWidth(w int) { c.input.SetWidth(max(1, w-4)) }

// open resets the prompt with the current completions and the note for `:ctx`.
func (c *commandBar) open(all []suggestion, ctxNote string) tea.Cmd {
	c.all, c.ctxNote = all, ctxNote
	c.input.SetValue("")
	c.refresh()
	c.restyle()
	return c.input.Focus()
}

// refresh recomputes the completions for the text typed: prefix matches first, then (for
// tenant names and the like) matches anywhere.
func (c *commandBar) refresh() {
	v := strings.ToLower(strings.TrimLeft(c.input.Value(), " "))
	c.match = c.match[:0]
	if v == "" {
		c.sel = 0
		return
	}
	var later []suggestion
	for _, s := range c.all {
		t := strings.ToLower(s.text)
		switch {
		case strings.HasPrefix(t, v):
			c.match = append(c.match, s)
		case strings.Contains(v, " ") && strings.Contains(t, v[strings.Index(v, " ")+1:]) &&
			strings.HasPrefix(t, v[:strings.Index(v, " ")+1]):
			later = append(later, s)
		}
	}
	c.match = append(c.match, later...)
	c.sel = min(c.sel, max(0, len(c.match)-1))
}

func (c commandBar) selected() (suggestion, bool) {
	if len(c.match) == 0 {
		return suggestion{}, false
	}
	return c.match[c.sel], true
}

// view is the prompt line.
func (c commandBar) view(width int) string {
	return widget.FitLine(" "+c.input.View(), width)
}

// suggestionsView is the completion box drawn above the prompt ("" when there is none),
// at most width cells wide: descriptions are cut (or dropped) before the commands.
func (c commandBar) suggestionsView(width int) string {
	if len(c.match) == 0 {
		return ""
	}
	start := max(0, c.sel-maxSuggestions+1)
	end := min(len(c.match), start+maxSuggestions)
	inner := max(1, width-c.st.Overlay.GetHorizontalFrameSize())
	textW := 0
	for _, s := range c.match[start:end] {
		textW = max(textW, ansi.StringWidth(sanitize.Text(s.text)))
	}
	textW = min(textW, 48, inner)
	descW := min(40, inner-textW-2)
	var lines []string
	for i := start; i < end; i++ {
		s := c.match[i]
		text := widget.FitLine(sanitize.Text(s.text), textW)
		if i == c.sel {
			text = c.st.Selected.Render(text)
		}
		if descW >= 8 {
			text += "  " + c.st.Muted.Render(sanitize.Line(s.desc, descW))
		}
		lines = append(lines, text)
	}
	foot := "tab completes · enter runs"
	if len(c.match) > end-start {
		foot = fmt.Sprintf("%d more · tab completes", len(c.match)-(end-start))
	}
	lines = append(lines, c.st.Subtle.Render(sanitize.Line(foot, inner)))
	if verb, _, _ := strings.Cut(strings.TrimSpace(c.input.Value()), " "); c.ctxNote != "" && verbs[strings.ToLower(verb)] == "ctx" {
		lines = append(lines, c.st.Warn.Render(sanitize.Line(c.ctxNote, inner)))
	}
	return c.st.Overlay.Render(strings.Join(lines, "\n"))
}

// suggestions are every command the bar can complete, given the tenants and profiles known.
func (m Model) suggestions() []suggestion {
	var out []suggestion
	for _, s := range m.reg.StartFirst() {
		if len(s.Commands) > 0 {
			out = append(out, suggestion{s.Commands[0], s.Desc})
		}
	}
	out = append(out, suggestion{"help", "keys"}, suggestion{"q", "quit"})
	out = append(out, exportSuggestions()...)
	out = append(out, m.viewSuggestions()...)
	for _, t := range m.tenants {
		out = append(out, suggestion{"ctx " + tenantLabel(t), "switch to " + strings.ToLower(t.CID)})
	}
	for _, t := range m.tenants {
		out = append(out, suggestion{"ctx " + strings.ToLower(t.CID), "switch to " + tenantLabel(t)})
	}
	if m.opts.OpenProfile != nil && m.opts.Profiles != nil {
		for _, p := range m.opts.Profiles() {
			out = append(out, suggestion{"profile " + p, "reconnect as profile " + p})
		}
	}
	return out
}

// commandKey handles keys while the command bar is open.
func (m Model) commandKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	c := &m.cmd
	switch msg.String() {
	case "esc": // ctrl+c too: the root handles it (it also arms quitting)
		m.overlay = overlayNone
		c.input.Blur()
		return m, nil
	case "tab":
		if s, ok := c.selected(); ok {
			c.input.SetValue(s.text)
			c.input.CursorEnd()
			c.refresh()
		}
		return m, nil
	case "down", "ctrl+n":
		if len(c.match) > 0 {
			c.sel = (c.sel + 1) % len(c.match)
		}
		return m, nil
	case "up", "ctrl+p":
		if len(c.match) > 0 {
			c.sel = (c.sel - 1 + len(c.match)) % len(c.match)
		}
		return m, nil
	case "enter":
		text := strings.TrimSpace(c.input.Value())
		if _, ok := m.parseCommand(text); !ok {
			if s, ok := c.selected(); ok {
				text = s.text
			}
		}
		m.overlay = overlayNone
		c.input.Blur()
		return m.run(text)
	}
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	c.refresh()
	return m, cmd
}

// command is a parsed command line: a built-in verb, or "show" and the pane to show.
type command struct {
	verb, arg string
	show      pane.Kind
}

// verbs are the root's own commands; the panes' come from the registry.
var verbs = map[string]string{
	"ctx": "ctx", "context": "ctx",
	"profile": "profile",
	"q":       "quit", "quit": "quit", "exit": "quit",
	"q!":   "quit!",
	"help": "help", "?": "help",
	"export": "export",
	"zta":    "zta",
	"save":   "save", "view": "view", "views": "views",
}

// builtinVerbs are the command names no pane may register.
func builtinVerbs() []string {
	out := make([]string, 0, len(verbs))
	for v := range verbs {
		out = append(out, v)
	}
	return out
}

// parseCommand splits "verb arg"; ok is false for an unknown verb or a missing argument.
func (m Model) parseCommand(text string) (command, bool) {
	text = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), ":"))
	verb, arg, _ := strings.Cut(text, " ")
	verb, arg = strings.ToLower(verb), strings.TrimSpace(arg)
	for _, s := range m.reg.Panes {
		if slices.Contains(s.Commands, verb) {
			return command{verb: "show", arg: arg, show: s.Kind}, true
		}
	}
	v, ok := verbs[verb]
	if !ok {
		return command{}, false
	}
	// `:ctx` and `:profile` without a name are still commands: run says how to use them.
	return command{verb: v, arg: arg}, true
}

// run executes a command line.
func (m Model) run(text string) (Model, tea.Cmd) {
	if text == "" {
		return m, nil
	}
	c, ok := m.parseCommand(text)
	if !ok {
		return m, status.Warn("unknown command :%s (try :hosts, :ctx NAME, :q)", sanitize.Line(text, 40))
	}
	switch c.verb {
	case "quit":
		return m.requestQuit(false)
	case "quit!": // as in vi: even while a group edit runs
		return m.requestQuit(true)
	case "help":
		m.overlay, m.helpOff = overlayHelp, 0
		return m, nil
	case "show":
		return m.navigate(pane.NavigateMsg{To: c.show})
	case "export":
		cmd := m.exportView(c.arg)
		return m, cmd
	case "ctx":
		if c.arg == "" {
			return m, status.Info("usage: :ctx NAME or CID (:tenants lists them; tab completes)")
		}
		cid, err := m.resolveTenant(c.arg)
		if err != nil {
			return m, status.Warn("%s", err.Error())
		}
		return m.switchTenant(cid)
	case "zta":
		return m.runZTA(c.arg)
	case "save":
		return m.saveView(c.arg)
	case "view":
		return m.openView(c.arg)
	case "views":
		return m.listViews()
	case "profile":
		if m.opts.OpenProfile == nil {
			return m, status.Warn("profiles cannot be switched in this session")
		}
		if c.arg == "" {
			return m, status.Info("%s", m.profileUsage())
		}
		if m.edit.Running() {
			return m, status.Warn("%s", editRunningProfile)
		}
		// The notice is shown now, not sent as a command beside the connect: two commands
		// run concurrently, and a quick failure (a profile not logged in) could arrive
		// first and be replaced by "connecting…", leaving the outcome unreported.
		notice := m.timer(m.status.Push(status.Msg{Level: status.LevelInfo,
			Text: fmt.Sprintf("connecting as profile %s…", sanitize.Line(c.arg, 30))}))
		return m, tea.Batch(notice, openProfile(m.ctx, m.opts.OpenProfile, c.arg))
	}
	return m, nil
}

// profileUsage is what a bare `:profile` says: how to use it and the profiles stored.
func (m Model) profileUsage() string {
	var names []string
	if m.opts.Profiles != nil {
		for _, p := range m.opts.Profiles() {
			names = append(names, sanitize.Line(p, 30))
		}
	}
	if len(names) == 0 {
		return "usage: :profile NAME · no profile stored yet (falcon-tui login stores one)"
	}
	return "usage: :profile NAME · stored profiles: " + strings.Join(names, ", ")
}

// resolveTenant finds a tenant by CID (whole or a prefix of 6 or more), by name (exact,
// then a unique prefix, then a unique substring), all case-insensitively.
func (m Model) resolveTenant(arg string) (string, error) {
	a := strings.ToLower(strings.TrimSpace(arg))
	if len(m.tenants) == 0 {
		if len(a) == 32 {
			return a, nil // the list is not in yet; trust a whole CID
		}
		return "", fmt.Errorf("the tenant list has not loaded yet")
	}
	var byPrefix, bySub []string
	for _, t := range m.tenants {
		cid := strings.ToLower(t.CID)
		name := strings.ToLower(tenantLabel(t))
		switch {
		case cid == a || name == a:
			return t.CID, nil
		case len(a) >= 6 && strings.HasPrefix(cid, a), strings.HasPrefix(name, a):
			byPrefix = append(byPrefix, t.CID)
		case strings.Contains(name, a):
			bySub = append(bySub, t.CID)
		}
	}
	for _, set := range [][]string{byPrefix, bySub} {
		set = slices.Compact(set)
		switch len(set) {
		case 0:
			continue
		case 1:
			return set[0], nil
		default:
			return "", fmt.Errorf("%q matches %d tenants; type more of the name or CID", sanitize.Line(arg, 30), len(set))
		}
	}
	if domain.ChildrenHiddenIn(m.tenants) {
		return "", fmt.Errorf("no tenant %q: %s", sanitize.Line(arg, 30), domain.ChildrenHidden)
	}
	return "", fmt.Errorf("no tenant %q (:tenants lists them)", sanitize.Line(arg, 30))
}
