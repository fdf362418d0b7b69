package groupedit

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
)

// Golden screens of every step of the overlay at 120×35, composited over a dotted screen the
// way the root draws it (so the centring is checked too).

func TestGoldenProbe(t *testing.T) {
	m := ready()
	m.Start(falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 3), nil)
	if m.step != stepProbe {
		t.Fatalf("step %d, want probe", m.step)
	}
	requireGolden(t, m)
}

func TestGoldenPicker(t *testing.T) {
	m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 3), testGroups(cidA))
	requireGolden(t, m)
}

// The coloured picker: dynamic groups are drawn greyed (the theme's subtle role).
func TestGoldenPickerColour(t *testing.T) {
	m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 3), testGroups(cidA))
	golden.RequireEqual(t, m.View())
}

// Removing from a group picked from the hosts pane: the hosts' own group lists say which
// groups hold them, and the cursor starts on the first such group.
func TestGoldenPickerRemove(t *testing.T) {
	hosts := tuitest.FakeHosts(cidA, "web", 3)
	hosts[0].Groups = []string{"g-roll", "g-dyn"}
	hosts[2].Groups = []string{"g-roll"}
	m := toPicker(t, ready(cidA), falcon.RemoveHosts, hosts, testGroups(cidA))
	if g, _ := m.picker.current(); g.ID != "g-roll" {
		t.Fatalf("cursor on %q, want the group holding the hosts", g.Name)
	}
	requireGolden(t, m)
}

func TestGoldenPickerFiltered(t *testing.T) {
	m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 3), testGroups(cidA))
	m, _ = m.Update(tuitest.Key("/"))
	m = tuitest.Typed(m, "roll")
	requireGolden(t, m)
}

func TestGoldenPickerDynamicHint(t *testing.T) {
	m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 3), testGroups(cidA))
	m, _ = m.Update(tuitest.Key("up")) // the first row: Linux servers, dynamic
	m, _ = m.Update(tuitest.Key("enter"))
	if m.step != stepPick {
		t.Fatalf("a dynamic group was accepted: step %d", m.step)
	}
	requireGolden(t, m)
}

func TestGoldenPickerCrossTenant(t *testing.T) {
	hosts := append(tuitest.FakeHosts(cidA, "web", 2), tuitest.FakeHosts(cidB, "db", 2)...)
	groups := append(testGroups(cidA)[:2], testGroups(cidB)[1:3]...)
	groups[2].ID, groups[3].ID = "b-quar", "b-roll"
	m := toPicker(t, ready(cidA, cidB), falcon.AddHosts, hosts, groups)
	requireGolden(t, m)
}

func TestGoldenRuleError(t *testing.T) {
	m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 3), testGroups(cidA))
	m, _ = m.Update(tuitest.Key("up"))
	m, _ = m.Update(tuitest.Key("e"))
	if m.step != stepRule {
		t.Fatalf("e on a dynamic group: step %d, want rule", m.step)
	}
	m = tuitest.Typed(m, "+hostname:'web-")
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(ruleSavedMsg{gen: m.gen, err: errors.New("falcon: invalid assignment_rule: unterminated string at 38")})
	requireGolden(t, m)
}

func TestGoldenConfirm(t *testing.T) {
	m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 3), testGroups(cidA))
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(countLoadedMsg{gen: m.gen, groupID: "g-quar", count: 17})
	requireGolden(t, m)
}

func TestGoldenConfirmTyped(t *testing.T) {
	m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 1200), testGroups(cidA))
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(countLoadedMsg{gen: m.gen, groupID: "g-quar", count: 4021})
	m = tuitest.Typed(m, "120")
	m, _ = m.Update(tuitest.Key("enter")) // wrong count: refused, error shown
	if m.step != stepConfirm {
		t.Fatalf("a wrong typed count was accepted")
	}
	requireGolden(t, m)
}

func TestGoldenConfirmCrossTenant(t *testing.T) {
	hosts := append(tuitest.FakeHosts(cidA, "web", 2), tuitest.FakeHosts(cidB, "db", 3)...)
	m := toPicker(t, ready(cidA, cidB), falcon.AddHosts, hosts, testGroups(cidA))
	m, _ = m.Update(tuitest.Key("enter"))
	requireGolden(t, m)
}

func TestGoldenConfirmRemove(t *testing.T) {
	m := ready(cidA)
	g := testGroups(cidA)[1]
	m.Start(falcon.RemoveHosts, tuitest.FakeHosts(cidA, "web", 8), &g)
	m, _ = m.Update(countLoadedMsg{gen: m.gen, groupID: g.ID, count: 8})
	requireGolden(t, m)
}

func TestGoldenRunning(t *testing.T) {
	m := toPicker(t, ready(cidA), falcon.AddHosts, tuitest.FakeHosts(cidA, "web", 1200), testGroups(cidA))
	m, _ = m.Update(tuitest.Key("enter"))
	m = tuitest.Typed(m, "1200")
	m, _ = m.Update(tuitest.Key("enter"))
	if m.step != stepRun {
		t.Fatalf("step %d, want run", m.step)
	}
	m, _ = m.Update(runProgressMsg{run: m.runs, progress: falcon.MembershipProgress{Done: 500, Total: 1200}})
	requireGolden(t, m)
}

func TestGoldenReport(t *testing.T) {
	m := reportAfter(t, 3, 1, 2)
	requireGolden(t, m)
}

func TestGoldenReportFailedOnly(t *testing.T) {
	m := reportAfter(t, 3, 1, 2)
	m, _ = m.Update(tuitest.Key("f"))
	requireGolden(t, m)
}

func TestGoldenReportUndo(t *testing.T) {
	m := reportAfter(t, 3, 1, 0)
	m.Undo()
	m, _ = m.Update(tuitest.Key("y"))
	ids := m.run.ids
	if len(ids) != 3 {
		t.Fatalf("undo sends %d hosts, want the 3 changed", len(ids))
	}
	res := falcon.MembershipResult{GroupID: "g-quar", Action: falcon.RemoveHosts}
	for _, id := range ids {
		res.Hosts = append(res.Hosts, falcon.HostOutcome{DeviceID: id, Outcome: falcon.OutcomeChanged})
	}
	m, _ = m.Update(runFinishedMsg{run: m.runs, result: res})
	requireGolden(t, m)
}

// reportAfter runs an add of 6 hosts to Quarantine that ends with the given outcome counts.
func reportAfter(t *testing.T, changed, unchanged, failed int) Model {
	t.Helper()
	hosts := tuitest.FakeHosts(cidA, "web", changed+unchanged+failed)
	m := toPicker(t, ready(cidA), falcon.AddHosts, hosts, testGroups(cidA))
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(tuitest.Key("enter"))
	if m.step != stepRun {
		t.Fatalf("step %d, want run", m.step)
	}
	res := outcomes(falcon.AddHosts, "g-quar", hosts, changed, unchanged,
		errors.New("falcon: 500 internal server error (trace 5f1c2a)"))
	m, _ = m.Update(runFinishedMsg{run: m.runs, result: res})
	if m.step != stepReport {
		t.Fatalf("step %d, want report", m.step)
	}
	return m
}

// Hostile group and host names never reach the screen raw.
func TestViewSanitizesNames(t *testing.T) {
	groups := testGroups(cidA)
	groups[1].Name = "Quar\x1b]52;c;ZXZpbA==\x07antine\x1b[2J"
	hosts := tuitest.FakeHosts(cidA, "web", 2)
	hosts[0].Hostname = "evil\x1b[31mred\u202e"
	m := toPicker(t, ready(cidA), falcon.AddHosts, hosts, groups)
	for _, v := range []string{m.View()} {
		if strings.Contains(v, "\x1b]52") || strings.Contains(v, "\x1b[2J") || strings.Contains(v, "\u202e") {
			t.Fatalf("picker shows raw control sequences: %q", v)
		}
	}
	m, _ = m.Update(tuitest.Key("enter"))
	v := m.View()
	if strings.Contains(v, "\x1b[31mred") || strings.Contains(v, "\u202e") || strings.Contains(v, "\x1b]52") {
		t.Fatalf("confirmation shows raw control sequences: %q", v)
	}
}
