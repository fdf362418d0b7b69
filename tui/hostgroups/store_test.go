package hostgroups

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// A loaded group list and a loaded member list reach the store, as the server sent them.
func TestSimLoadsWriteThrough(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(100), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full", false)
	st, err := store.Open(context.Background(), "default", profiletest.New(), store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d := &driver{tuitest.NewDriver(t, New(pane.Deps{Client: c, Store: st, Styles: tuitest.Styles()}), func(msg tea.Msg) bool {
		_, ok := msg.(status.Msg)
		return ok
	})}
	d.M.SetSize(paneW, paneH)
	d.M.Focus()
	d.Run(d.M.SetTenant(""))
	got, err := st.Groups(context.Background(), srv.ParentCID())
	if err != nil || len(got) != len(d.M.groups) || len(got) == 0 {
		t.Fatalf("stored %d groups (%v), pane shows %d", len(got), err, len(d.M.groups))
	}
	g, _ := d.M.current()
	d.Press("enter")
	ids, err := st.Members(context.Background(), srv.ParentCID(), g.ID)
	if err != nil || len(ids) != len(d.M.members.hosts) {
		t.Fatalf("stored %d members (%v), pane shows %d", len(ids), err, len(d.M.members.hosts))
	}
}

// Without a store nothing is written and nothing changes.
func TestNoStoreWritesNothing(t *testing.T) {
	if cmd := storeGroups(context.Background(), nil, cidA, nil, testNow); cmd != nil {
		t.Fatal("no store: a command")
	}
}

func storedPane(t *testing.T) (Model, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "default", profiletest.New(), store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.PutGroups(ctx, cidA, testGroups(), testNow.Add(-14*time.Minute)); err != nil {
		t.Fatal(err)
	}
	m := New(pane.Deps{Store: st, Styles: tuitest.Styles(), Now: func() time.Time { return testNow }})
	m.SetSize(paneW, paneH)
	m.Focus()
	m.SetTenant(cidA)
	msg := readStored(ctx, st, m.gen, cidA)()
	if msg == nil {
		t.Fatal("no stored groups read")
	}
	m, _ = m.Update(msg)
	return m, st
}

// The stored groups show at once with their age; the API's list replaces them.
func TestStoredGroupsFirstThenReplaced(t *testing.T) {
	m, _ := storedPane(t)
	if len(m.groups) != len(testGroups()) || !strings.Contains(m.Title(), "as of 14m ago") {
		t.Fatalf("stored: %d groups, title %q", len(m.groups), m.Title())
	}
	m, _ = m.Update(groupsLoadedMsg{gen: m.gen, groups: testGroups()[:2]})
	if len(m.groups) != 2 || strings.Contains(m.Title(), "as of") {
		t.Fatalf("after the load: %d groups, title %q", len(m.groups), m.Title())
	}
	// A stored list read late (after the API's) is dropped.
	m, _ = m.Update(storedGroupsMsg{gen: m.gen, groups: testGroups(), at: testNow})
	if len(m.groups) != 2 {
		t.Fatalf("late stored list replaced the API's: %d groups", len(m.groups))
	}
}

// A failed load keeps the stored rows and says where they are from and how old.
func TestStoredGroupsKeptOnLoadError(t *testing.T) {
	m, _ := storedPane(t)
	m, _ = m.Update(groupsLoadedMsg{gen: m.gen, err: errors.New("boom")})
	v := ansi.Strip(m.View())
	if len(m.groups) != len(testGroups()) || !strings.Contains(v, "from the store, as of 14m ago") || !strings.Contains(v, "Quarantine") {
		t.Fatalf("after a failed load:\n%s", v)
	}
}
