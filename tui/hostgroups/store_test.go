package hostgroups

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"

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
