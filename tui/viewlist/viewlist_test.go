package viewlist

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/savedview"
)

func views() []savedview.View {
	return []savedview.View{
		{Name: "stale-win", Pane: pane.Hosts, Tenant: strings.Repeat("ab", 16),
			State: pane.ViewState{FQL: "platform_name:'Windows'", Filter: "dc", Sort: "last_seen", Desc: true, Columns: []string{"hostname", "zta"}}},
		{Name: "everyone", Pane: pane.Hosts, State: pane.ViewState{AllTenants: true}},
		{Name: "alerts\x1b[31m", Pane: pane.Alerts},
	}
}

func TestListOpenDelete(t *testing.T) {
	m := New(pane.Deps{Styles: tuitest.Styles()})
	m.SetSize(130, 8)
	m.Open(views())
	out := m.View()
	tuitest.AssertSize(t, out, 130, 8)
	plain := ansi.Strip(out)
	for _, want := range []string{"stale-win", "abababab…abab", "fql platform_name:'Windows'  /dc  sort last_seen ▼  2 columns", "everyone", "all tenants", "start tenant"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("view lacks %q:\n%s", want, plain)
		}
	}
	if strings.Contains(out, "\x1b[31m") {
		t.Fatal("a view name's escape sequence reached the screen")
	}
	if m.Title() != "Views[3]" {
		t.Fatalf("title %q", m.Title())
	}
	m, cmd := m.Update(tuitest.Key("j"))
	if cmd != nil {
		t.Fatal("j sent something")
	}
	_, cmd = m.Update(tuitest.Key("enter"))
	if got := tuitest.MsgOf[pane.OpenViewMsg](t, cmd); got.Name != "everyone" {
		t.Fatalf("enter opens %q", got.Name)
	}
	_, cmd = m.Update(tuitest.Key("d"))
	if got := tuitest.MsgOf[pane.DeleteViewMsg](t, cmd); got.Name != "everyone" {
		t.Fatalf("d deletes %q", got.Name)
	}
	// The list after a delete keeps the cursor in range.
	m.Open(views()[:1])
	if _, cmd = m.Update(tuitest.Key("enter")); tuitest.MsgOf[pane.OpenViewMsg](t, cmd).Name != "stale-win" {
		t.Fatal("cursor out of range after the list shrank")
	}
}

func TestEmpty(t *testing.T) {
	m := New(pane.Deps{Styles: tuitest.Styles()})
	m.SetSize(60, 6)
	m.Open([]savedview.View(nil))
	if out := ansi.Strip(m.View()); !strings.Contains(out, "no saved views") || !strings.Contains(out, ":save NAME") {
		t.Fatalf("empty list:\n%s", out)
	}
	if _, cmd := m.Update(tuitest.Key("enter")); cmd != nil {
		t.Fatal("enter on an empty list sent something")
	}
}
