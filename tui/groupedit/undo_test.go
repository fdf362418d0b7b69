package groupedit

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
)

// addAll runs an add of n hosts to Quarantine in which every host changed, and closes the report.
func addAll(t *testing.T, n int) (Model, []string) {
	t.Helper()
	hosts := tuitest.FakeHosts(cidA, "web", n)
	m := toPicker(t, ready(cidA), falcon.AddHosts, hosts, testGroups(cidA))
	m, _ = m.Update(tuitest.Key("enter"))
	if m.confirm.typed {
		m = tuitest.Typed(m, widgetInt(n))
	}
	m, _ = m.Update(tuitest.Key("enter"))
	if m.step != stepRun {
		t.Fatalf("step %d, want run", m.step)
	}
	m, _ = m.Update(runFinishedMsg{run: m.runs, result: outcomes(falcon.AddHosts, "g-quar", hosts, n, 0, nil)})
	m, _ = m.Update(tuitest.Key("enter")) // close the report
	ids := make([]string, n)
	for i, h := range hosts {
		ids[i] = h.DeviceID
	}
	return m, ids
}

func widgetInt(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// Undo is a write: it is confirmed like the edit it reverts, and the box says what it will do.
func TestUndoIsConfirmedLikeTheEdit(t *testing.T) {
	m, ids := addAll(t, 3)
	m.Undo() // the global u, long after the edit
	if m.step != stepConfirm || m.Running() {
		t.Fatalf("u: step %d, want the confirmation", m.step)
	}
	screen := ansi.Strip(m.View())
	for _, want := range []string{"Undo: remove 3 hosts from “Quarantine”?", "reverts", "added 3 hosts"} {
		if !strings.Contains(screen, want) {
			t.Fatalf("%q missing from the undo confirmation:\n%s", want, screen)
		}
	}
	// esc sends nothing and keeps the edit undoable.
	m, _ = m.Update(tuitest.Key("esc"))
	if m.Active() || m.Running() || !m.CanUndo() {
		t.Fatalf("esc on the undo confirmation: active %v, running %v, undoable %v", m.Active(), m.Running(), m.CanUndo())
	}
	m.Undo()
	m, _ = m.Update(tuitest.Key("y"))
	if m.step != stepRun || !m.run.undo || m.run.action != falcon.RemoveHosts || !slices.Equal(m.run.ids, ids) {
		t.Fatalf("y on the undo confirmation: step %d, run %+v", m.step, m.run)
	}
}

// An undo of more than 50 hosts needs the count typed, as the edit did.
func TestLargeUndoNeedsTheTypedCount(t *testing.T) {
	m, _ := addAll(t, 60)
	m.Undo()
	if m.step != stepConfirm || !m.confirm.typed {
		t.Fatalf("undo of 60 hosts: step %d, typed %v", m.step, m.confirm.typed)
	}
	m, _ = m.Update(tuitest.Key("y"))
	m, _ = m.Update(tuitest.Key("enter"))
	if m.Running() {
		t.Fatal("the undo of 60 hosts ran without the typed count")
	}
	m = tuitest.Typed(m, "60")
	m, _ = m.Update(tuitest.Key("enter"))
	if !m.Running() || !m.run.undo || len(m.run.ids) != 60 {
		t.Fatalf("typed count: running %v, %+v", m.Running(), m.run)
	}
}
