// Package clip builds what the panes put on the clipboard (y, Y): ids as the API gave them,
// when they have the form of an id, and names cleaned of anything a terminal would act on.
package clip

import (
	"regexp"
	"strings"

	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
)

// idForm is what an id from the API may look like: device ids, CIDs and group ids are 32 hex
// digits, an alert's composite id joins them with ':' and '-', a scope id is "host-group".
var idForm = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,255}$`)

// ID is id when it has the form of an id, else "": the text came from the API, and an id
// with anything else in it (an escape sequence, a space, a newline) is not copied.
func ID(id string) string {
	if !idForm.MatchString(id) {
		return ""
	}
	return id
}

// Join cleans each part (sanitize.Text: no control character or escape sequence, one line)
// and joins the non-empty ones with tabs, so that the line pastes into a spreadsheet as
// cells.
func Join(parts ...string) string {
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(sanitize.Text(p)); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\t")
}

// Of is the clip of an id (y): ok is false when id is empty or not of an id's form.
func Of(what, id string) (pane.Clip, bool) {
	if ID(id) == "" {
		return pane.Clip{}, false
	}
	return pane.Clip{Text: id, What: what, Show: domain.ShortID(id)}, true
}

// Full is the clip of a fuller form (Y): id (checked as ID does; "" leaves it out) among
// the other parts, named what, shown as name · short id.
func Full(what, name, id string, more ...string) (pane.Clip, bool) {
	id = ID(id)
	text := Join(append([]string{name, id}, more...)...)
	if text == "" {
		return pane.Clip{}, false
	}
	show := sanitize.Line(name, 30)
	if id != "" {
		if show != "" {
			show += " · "
		}
		show += domain.ShortID(id)
	}
	return pane.Clip{Text: text, What: what, Show: show}, true
}
