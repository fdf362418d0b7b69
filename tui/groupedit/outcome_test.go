package groupedit

import (
	"errors"

	tea "charm.land/bubbletea/v2"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// reportTitle is the report's first line.
func reportTitle(m Model) string {
	return strings.TrimSpace(strings.Trim(strings.Split(ansi.Strip(m.View()), "\n")[1], "│ "))
}

// The report's title and the run's notice follow the outcome: nothing changed is never
// "Added to" nor a ✓.
func TestReportTitleFollowsTheOutcome(t *testing.T) {
	for _, tc := range []struct {
		name                       string
		changed, unchanged, failed int
		title                      string
		level                      status.Level
	}{
		{"all added", 3, 0, 0, "Added to “Quarantine”", status.LevelSuccess},
		{"partly", 2, 1, 1, "Partly added to “Quarantine”", status.LevelWarn},
		{"all failed", 0, 0, 4, "Not added to “Quarantine”", status.LevelWarn},
		{"all members already", 0, 3, 0, "Nothing added to “Quarantine”", status.LevelInfo},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hosts := tuitest.FakeHosts(cidA, "web", tc.changed+tc.unchanged+tc.failed)
			m := toPicker(t, ready(cidA), falcon.AddHosts, hosts, testGroups(cidA))
			m, _ = m.Update(tuitest.Key("enter"))
			m, _ = m.Update(tuitest.Key("enter"))
			res := outcomes(falcon.AddHosts, "g-quar", hosts, tc.changed, tc.unchanged, errors.New("boom"))
			m, cmd := m.Update(runFinishedMsg{run: m.runs, result: res})
			if got := reportTitle(m); !strings.HasPrefix(got, tc.title+" (static)") {
				t.Fatalf("title %q, want %q", got, tc.title)
			}
			var notice status.Msg
			for _, msg := range tuitest.Drain(t, func(tea.Msg) tea.Cmd { return nil }, cmd) {
				if s, ok := msg.(status.Msg); ok {
					notice = s
				}
			}
			if notice.Level != tc.level || (tc.changed == 0 && strings.Contains(notice.Text, "adding")) {
				t.Fatalf("notice %v %q, want level %v", notice.Level, notice.Text, tc.level)
			}
		})
	}
}

// A run that failed as a whole is titled as such, not "Added to".
func TestWholeFailureTitle(t *testing.T) {
	hosts := tuitest.FakeHosts(cidA, "web", 2)
	m := toPicker(t, ready(cidA), falcon.AddHosts, hosts, testGroups(cidA))
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(tuitest.Key("enter"))
	m, _ = m.Update(runFinishedMsg{run: m.runs, err: errors.New("falcon: cloud unreachable")})
	if got := reportTitle(m); !strings.HasPrefix(got, "Not added to “Quarantine”") {
		t.Fatalf("title %q", got)
	}
}

// The remove picker says which groups hold the marked hosts, and says so when none does.
func TestRemovePickerSaysWhichGroupsHoldTheHosts(t *testing.T) {
	hosts := tuitest.FakeHosts(cidA, "web", 3)
	m := toPicker(t, ready(cidA), falcon.RemoveHosts, hosts, testGroups(cidA))
	if screen := ansi.Strip(m.View()); !strings.Contains(screen, "none of the 3 hosts is in any of these groups") {
		t.Fatalf("no word that no group holds the hosts:\n%s", screen)
	}
	hosts[0].Groups = []string{"g-roll", "g-dyn"}
	hosts[2].Groups = []string{"g-roll"}
	m = toPicker(t, ready(cidA), falcon.RemoveHosts, hosts, testGroups(cidA))
	if screen := ansi.Strip(m.View()); !strings.Contains(screen, "the hosts are in 2 of these groups: Linux servers, Rollout wave 1") {
		t.Fatalf("the groups holding the hosts are not named:\n%s", screen)
	}
}

// Choosing a group that holds none of the hosts for a removal is allowed (the host list may
// be older than the group) but the confirmation says what the hosts' lists show.
func TestRemoveConfirmWarnsWhenNoHostIsAMember(t *testing.T) {
	hosts := tuitest.FakeHosts(cidA, "web", 2)
	hosts[0].Groups = []string{"g-roll"}
	m := toPicker(t, ready(cidA), falcon.RemoveHosts, hosts, testGroups(cidA))
	m, _ = m.Update(tuitest.Key("g"))
	m, _ = m.Update(tuitest.Key("down")) // Quarantine: holds neither host
	m, _ = m.Update(tuitest.Key("enter"))
	if m.step != stepConfirm {
		t.Fatalf("step %d, want confirm", m.step)
	}
	if got := boxText(m); !strings.Contains(got, "none of these hosts is in “Quarantine” as the host list shows them: the cloud will report each one not a member") {
		t.Fatalf("no warning:\n%s", ansi.Strip(m.View()))
	}
}
