package hostgroups

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// filterEvent is what a key did to a list's `/` filter prompt.
type filterEvent uint8

const (
	filterPassed   filterEvent = iota // not the prompt's key (↑/↓): the list handles it
	filterConsumed                    // typed, but the text did not change
	filterEdited                      // the text changed: refilter from the first match
	filterKept                        // enter: the prompt closes, the filter stays
	filterCleared                     // esc: the prompt closes and the filter is dropped
)

// filterKey handles a key while the groups list's or the members list's filter prompt has
// the keyboard; the caller refilters (and relayouts) according to the event.
func filterKey(in *textinput.Model, on *bool, msg tea.KeyPressMsg) (filterEvent, tea.Cmd) {
	switch msg.String() {
	case "esc":
		*on = false
		in.Blur()
		in.SetValue("")
		return filterCleared, nil
	case "enter":
		*on = false
		in.Blur()
		return filterKept, nil
	case "up", "down":
		return filterPassed, nil
	}
	before := in.Value()
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	if in.Value() != before {
		return filterEdited, cmd
	}
	return filterConsumed, cmd
}
