package widget

import (
	"errors"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// PromptMode says which of a list pane's prompts has the keyboard.
type PromptMode uint8

const (
	PromptClosed PromptMode = iota
	PromptFilter            // `/`: the local filter, applied as it is typed
	PromptFQL               // `f`: a server-side FQL filter, applied on enter
)

// PromptEvent is what a key did to the open prompt; the pane acts on it.
type PromptEvent uint8

const (
	PromptTyped     PromptEvent = iota // the input took the key; the text did not change
	PromptEdited                       // the text changed: a filter pane refilters with Value
	PromptKept                         // enter on the filter: closed, the filter stays
	PromptCleared                      // esc on the filter: closed and emptied; drop the filter
	PromptDismissed                    // esc on the FQL prompt: closed, the applied filter stays
	PromptQuery                        // enter on the FQL prompt: load again with FQL()
	PromptBusy                         // enter while the last FQL filter awaits its answer
)

// PromptKeys are the keys that end a prompt.
type PromptKeys struct {
	Submit, Cancel key.Binding
}

// DefaultPromptKeys are enter and esc.
func DefaultPromptKeys() PromptKeys {
	return PromptKeys{
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// Prompt is a list pane's one-line prompt: the local filter and, for a list the server
// filters, the FQL filter with its round trip. An FQL filter is sent on enter and stays
// pending until the first reply of the load it started: a reply the server rejected
// (falcon.ErrInvalidRequest) reopens the prompt with the server's words under it and puts
// back the filter that was in force; any other reply closes it.
type Prompt struct {
	Input textinput.Model
	Keys  PromptKeys

	st      *theme.Styles
	mode    PromptMode
	fql     string // applied server-side filter
	prevFQL string // in force before the pending one: back to it on a rejection
	pending bool   // an FQL filter was sent; the first reply decides
	err     string // the server's complaint about the last FQL filter
}

// NewPrompt returns a closed prompt drawn with st.
func NewPrompt(st *theme.Styles) Prompt {
	return Prompt{Input: textinput.New(), Keys: DefaultPromptKeys(), st: st}
}

// OpenFilter opens the local filter prompt holding value.
func (p *Prompt) OpenFilter(placeholder, value string) tea.Cmd {
	p.mode = PromptFilter
	return p.open("/ ", placeholder, value)
}

// OpenFQL opens the FQL prompt holding the applied filter.
func (p *Prompt) OpenFQL(placeholder string) tea.Cmd {
	p.mode, p.err = PromptFQL, ""
	return p.open("FQL ", placeholder, p.fql)
}

// open readies the input: prompt and placeholder, the value with the cursor at its end, the
// current theme's styles (it may have changed since the input was built), and focus.
func (p *Prompt) open(prompt, placeholder, value string) tea.Cmd {
	p.Input.Prompt = prompt
	p.Input.Placeholder = placeholder
	p.Input.SetValue(value)
	p.Input.CursorEnd()
	p.Input.SetStyles(p.st.TextInput())
	return p.Input.Focus()
}

// Mode is the prompt that has the keyboard (PromptClosed: none).
func (p Prompt) Mode() PromptMode { return p.mode }

// Open reports whether a prompt has the keyboard.
func (p Prompt) Open() bool { return p.mode != PromptClosed }

// Value is the text in the input.
func (p Prompt) Value() string { return p.Input.Value() }

// FQL is the server-side filter in force (the pending one once sent).
func (p Prompt) FQL() string { return p.fql }

// Applied is the FQL filter the rows on screen answer: while a new one is pending (sent, not
// answered), the one before it. Titles and info lines show this one, so that a count never
// reads as the pending filter's before its rows arrive.
func (p Prompt) Applied() string {
	if p.pending {
		return p.prevFQL
	}
	return p.fql
}

// Pending reports an FQL filter sent and not answered yet.
func (p Prompt) Pending() bool { return p.pending }

// Err is the server's complaint about the last FQL filter ("" when it took it).
func (p Prompt) Err() string { return p.err }

// Key handles a key while the prompt is open.
func (p *Prompt) Key(msg tea.KeyPressMsg) (PromptEvent, tea.Cmd) {
	switch {
	case key.Matches(msg, p.Keys.Cancel):
		ev := PromptDismissed
		if p.mode == PromptFilter {
			ev = PromptCleared
			p.Input.SetValue("")
		}
		p.mode, p.err = PromptClosed, ""
		p.Input.Blur()
		return ev, nil
	case key.Matches(msg, p.Keys.Submit):
		if p.mode == PromptFilter {
			p.mode = PromptClosed
			p.Input.Blur()
			return PromptKept, nil
		}
		if p.pending {
			return PromptBusy, nil
		}
		p.prevFQL, p.fql = p.fql, p.Input.Value()
		p.pending, p.err = true, ""
		p.Input.Blur()
		return PromptQuery, nil
	}
	before := p.Input.Value()
	var cmd tea.Cmd
	p.Input, cmd = p.Input.Update(msg)
	if p.Input.Value() != before {
		return PromptEdited, cmd
	}
	return PromptTyped, cmd
}

// Answer takes the first reply of the load a submitted FQL filter started (call it only
// while Pending). rejected says the server refused the filter: the prompt is open again
// with its reason, the filter before it is back in force, and cmd focuses the input.
func (p *Prompt) Answer(err error) (rejected bool, cmd tea.Cmd) {
	p.pending = false
	if errors.Is(err, falcon.ErrInvalidRequest) {
		p.err = ErrorText(err)
		p.fql = p.prevFQL
		p.Input.SetStyles(p.st.TextInput())
		return true, p.Input.Focus()
	}
	p.mode, p.err = PromptClosed, ""
	p.Input.Blur()
	return false, nil
}

// ResetFQL drops the FQL filter (applied or pending) and closes its prompt: the list is
// about something else now (another tenant, another host). An open filter prompt stays.
func (p *Prompt) ResetFQL() {
	p.fql, p.prevFQL, p.err, p.pending = "", "", "", false
	if p.mode == PromptFQL {
		p.Close()
	}
}

// SetFQL puts an FQL filter in force without asking (a saved view): the caller loads with
// it. The FQL prompt closes.
func (p *Prompt) SetFQL(fql string) {
	p.ResetFQL()
	p.fql = fql
}

// Close closes whichever prompt is open.
func (p *Prompt) Close() {
	p.mode = PromptClosed
	p.Input.Blur()
}

// Update passes cursor blinks and pastes to the input while a prompt is open.
func (p *Prompt) Update(msg tea.Msg) tea.Cmd {
	if p.mode == PromptClosed {
		return nil
	}
	var cmd tea.Cmd
	p.Input, cmd = p.Input.Update(msg)
	return cmd
}

// Restyle gives the input the current theme's styles (after the root rebuilt them).
func (p *Prompt) Restyle() { p.Input.SetStyles(p.st.TextInput()) }

// Lines is how many lines View takes: the prompt, and the server's complaint under an FQL
// prompt.
func (p Prompt) Lines() int {
	switch {
	case p.mode == PromptFQL && p.err != "":
		return 2
	case p.mode != PromptClosed:
		return 1
	}
	return 0
}

// View draws the open prompt at width ("" when closed): under the FQL prompt, "querying…"
// while the filter is pending and the server's complaint when it refused one.
func (p Prompt) View(width int) string {
	switch p.mode {
	case PromptFilter:
		return p.Input.View()
	case PromptFQL:
		line := p.Input.View()
		if p.pending {
			line = Spread(line, p.st.Muted.Render(" querying…"), width)
		}
		if p.err != "" {
			line += "\n" + p.st.Error.Render("✗ "+sanitize.Line(p.err, width-2))
		}
		return line
	}
	return ""
}
