package groupedit

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
)

const longReason = "outcome unknown: the membership check failed after the chunk was sent: falcon: cloud unreachable: POST /devices/entities/devices/v2: read tcp 127.0.0.1:39218->127.0.0.1:45031: connection reset by peer"

// boxText is the box's text with its frame removed and lines joined, so that a message
// wrapped over several lines reads as one.
func boxText(m Model) string {
	var parts []string
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
		parts = append(parts, strings.TrimSpace(strings.Trim(l, "│╭╮╰╯─")))
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// A failed host's reason can be read in full: the box uses the screen's width, and the
// reason under the cursor is shown whole below the table.
func TestLongResultReadableInFull(t *testing.T) {
	for _, w := range []int{120, 220} {
		hosts := tuitest.FakeHosts(cidA, "web", 3)
		m := toPicker(t, ready(cidA), falcon.AddHosts, hosts, testGroups(cidA))
		m.SetSize(w, 40)
		m, _ = m.Update(tuitest.Key("enter"))
		m, _ = m.Update(tuitest.Key("enter"))
		res := outcomes(falcon.AddHosts, "g-quar", hosts, 2, 0, errors.New(longReason))
		m, _ = m.Update(runFinishedMsg{run: m.runs, result: res})
		m, _ = m.Update(tuitest.Key("G")) // the failed host
		if got := boxText(m); !strings.Contains(got, "failed: "+longReason) {
			t.Fatalf("%d columns: the reason is not readable in full:\n%s", w, ansi.Strip(m.View()))
		}
		if w == 220 && ansi.StringWidth(strings.Split(m.View(), "\n")[0]) <= boxMaxWidth {
			t.Fatalf("220 columns: the box stays %d wide", ansi.StringWidth(strings.Split(m.View(), "\n")[0]))
		}
	}
}

// A rejected rule's explanation is wrapped, not cut.
func TestRuleErrorWrapped(t *testing.T) {
	m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 1), testGroups(cidA))
	m, _ = m.Update(tuitest.Key("e")) // the cursor starts on a static group: move to the dynamic one
	m, _ = m.Update(tuitest.Key("g"))
	m, _ = m.Update(tuitest.Key("e"))
	if m.step != stepRule {
		t.Fatalf("step %d, want the rule form", m.step)
	}
	m, _ = m.Update(tuitest.Key("x"))
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(ruleSavedMsg{gen: m.gen, err: falcon.ErrInvalidRule})
	if got := boxText(m); !strings.Contains(got, "check quotes, field names and operators") {
		t.Fatalf("the rule error is cut:\n%s", ansi.Strip(m.View()))
	}
}

// Why a tenant's groups are missing is wrapped in the picker, not cut.
func TestPickerErrorWrapped(t *testing.T) {
	m := New(nil, tuitest.Styles(), Options{})
	m.SetSize(100, 35)
	m.access[cidA] = AccessGranted
	m.Start(falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 1), nil)
	m, _ = m.Update(groupsLoadedMsg{gen: m.gen, groups: testGroups(cidA)[:1], errs: map[string]error{cidB: errors.New(longReason)}})
	if got := boxText(m); !strings.Contains(got, longReason) {
		t.Fatalf("the picker's error is cut:\n%s", ansi.Strip(m.View()))
	}
}
