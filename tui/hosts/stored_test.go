package hosts

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// storedCloud is a churning simulator on a clock the test moves, a client, and a store.
type storedCloud struct {
	srv    *falcontest.Server
	client *falcon.Client
	store  *store.Store
	*falcontest.Clock
}

func (c *storedCloud) clock() time.Time        { return c.Now() }
func (c *storedCloud) advance(d time.Duration) { c.Advance(d) }

func newStoredCloud(t *testing.T, opts ...falcontest.Option) *storedCloud {
	t.Helper()
	c := &storedCloud{Clock: falcontest.NewClock(tuitest.Now)}
	all := append([]falcontest.Option{falcontest.WithSeed(7), falcontest.WithClock(c.clock),
		falcontest.WithTokenLifetime(24 * time.Hour)}, opts...)
	c.srv = falcontest.NewServer(all...)
	t.Cleanup(c.srv.Close)
	c.client = tuitest.Connect(t, c.srv, "full", falcon.Config{})
	s, err := store.Open(context.Background(), "default", profiletest.New(), store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	c.store = s
	return c
}

// pane is a hosts pane on the cloud and its store, driven to completion.
func (c *storedCloud) pane(t *testing.T) *live {
	t.Helper()
	m := New(pane.Deps{Client: c.client, Styles: theme.New(true, theme.WithNoColor(true)), Now: c.clock,
		Store: c.store, Static: true})
	m.SetSize(120, 30)
	m.Focus()
	l := &live{t: t, m: m}
	l.r = tuitest.Drive(t, &l.m)
	return l
}

// serverHosts is what the server lists for cid now: device id → host name.
func (c *storedCloud) serverHosts(t *testing.T, cid string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for hs, err := range c.client.Hosts.Stream(context.Background(), cid, falcon.HostQuery{Fields: []string{"device_id", "hostname"}}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			out[h.DeviceID] = h.Hostname
		}
	}
	return out
}

// assertShowsServer checks the pane shows exactly the server's hosts, each once.
func assertShowsServer(t *testing.T, l *live, want map[string]string) {
	t.Helper()
	got := viewHosts(l.m)
	seen := map[string]bool{}
	for _, h := range got {
		if seen[h.DeviceID] {
			t.Fatalf("host %s is listed twice", h.DeviceID)
		}
		seen[h.DeviceID] = true
		name, ok := want[h.DeviceID]
		if !ok {
			t.Fatalf("host %s (%s) is listed but the server no longer has it", h.DeviceID, h.Hostname)
		}
		if name != h.Hostname {
			t.Fatalf("host %s is listed as %q, the server says %q", h.DeviceID, h.Hostname, name)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("the list shows %d hosts, the server has %d", len(got), len(want))
	}
	if _, loaded := l.m.Count(); loaded != len(want) {
		t.Fatalf("the title counts %d hosts loaded, the server has %d", loaded, len(want))
	}
}

// TestWarmStartShowsStoredRowsThenRefreshes is the explorer's warm start, on the hosts
// list: a first start fills the store from the API; a second pane on the same store shows
// those rows before any call (with their age), then the refresh after churn brings it to
// exactly the server's hosts — changed ones replaced, hidden and removed ones gone.
func TestWarmStartShowsStoredRowsThenRefreshes(t *testing.T) {
	c := newStoredCloud(t, falcontest.WithTenants(0), falcontest.WithHosts(1500), falcontest.WithChurn(0.01))
	cid := c.srv.ParentCID()

	first := c.pane(t)
	first.run(first.m.SetTenant(cid))
	if err := first.m.Err(); err != nil {
		t.Fatal(err)
	}
	assertShowsServer(t, first, c.serverHosts(t, cid))

	c.advance(30 * time.Minute) // ~30% of the hosts change, some hide, some come back
	c.srv.ResetStats()
	second := c.pane(t)
	second.run(second.m.ShowStored(cid, nil))
	if n := c.srv.Stats().RequestsTotal; n != 0 {
		t.Fatalf("showing the stored rows made %d API calls", n)
	}
	if _, loaded := second.m.Count(); loaded != len(viewHosts(first.m)) {
		t.Fatalf("the stored list shows %d hosts, the first start had %d", loaded, len(viewHosts(first.m)))
	}
	if age := c.clock().Sub(second.m.AsOf()); age < 29*time.Minute {
		t.Fatalf("the stored rows say they are %v old; they were synced 30 minutes ago", age)
	}
	if info := second.m.infoLine(); !strings.Contains(info, "as of 30m ago") {
		t.Fatalf("the info line does not give the age: %q", info)
	}

	second.run(second.m.SetTenant(cid)) // connected: the refresh
	if err := second.m.Err(); err != nil {
		t.Fatal(err)
	}
	assertShowsServer(t, second, c.serverHosts(t, cid))
	if at := second.m.sync.asOf[cid]; !at.Equal(c.clock()) {
		t.Fatalf("after the refresh the rows are as of %v, want now (%v)", at, c.clock())
	}
	if !second.m.AsOf().IsZero() || strings.Contains(second.m.infoLine(), "as of") {
		t.Fatalf("refreshed rows still say how old they are: %q", second.m.infoLine())
	}
	if st := c.srv.Stats(); st.RequestsTotal > 12 {
		t.Fatalf("a delta refresh of one tenant took %d calls", st.RequestsTotal)
	}
}

// TestRefreshKeysFollowTheServer: r refreshes (a delta and the ids), R reloads every row;
// both end on exactly the server's hosts, and an FQL filter loads from the API, not the
// store.
func TestRefreshKeysFollowTheServer(t *testing.T) {
	c := newStoredCloud(t, falcontest.WithTenants(0), falcontest.WithHosts(800), falcontest.WithChurn(0.02))
	cid := c.srv.ParentCID()
	l := c.pane(t)
	l.run(l.m.SetTenant(cid))

	c.advance(10 * time.Minute)
	l.press("r")
	assertShowsServer(t, l, c.serverHosts(t, cid))

	c.advance(10 * time.Minute)
	c.srv.ResetStats()
	l.press("R")
	assertShowsServer(t, l, c.serverHosts(t, cid))
	if c.srv.Stats().RequestsTotal < 2 {
		t.Fatal("R sent no full reload")
	}

	l.press("f")
	l.typeText("platform_name:'Windows'")
	l.press("enter")
	if l.m.sync.on {
		t.Fatal("an FQL filter must load from the API: the store cannot apply it")
	}
	for _, h := range viewHosts(l.m) {
		if h.Platform != "Windows" {
			t.Fatalf("FQL platform_name:'Windows' shows a %s host", h.Platform)
		}
	}
}

// TestAllTenantsFromTheStore: all-tenants mode reads every tenant's stored rows and
// refreshes them, the current tenant first.
func TestAllTenantsFromTheStore(t *testing.T) {
	c := newStoredCloud(t, falcontest.WithTenants(3), falcontest.WithHosts(300))
	ts, err := c.client.Tenants.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	l := c.pane(t)
	l.m.SetTenants(ts)
	l.run(l.m.SetTenant(c.srv.ParentCID()))
	l.press("t")
	want := map[string]string{}
	for _, tn := range ts {
		for id, name := range c.serverHosts(t, tn.CID) {
			want[id] = name
		}
	}
	assertShowsServer(t, l, want)
	if !slices.Equal(l.m.sync.scope, l.m.scopeCIDs()) || len(l.m.sync.scope) != len(ts) {
		t.Fatalf("store scope %v, want every tenant", l.m.sync.scope)
	}
}

// TestGroupEditReReadsTheChangedHosts: a group edit does not move the hosts'
// modified_timestamp, so a delta would not see it; the changed hosts are read again, their
// rows replaced (the GROUPS column follows) and the store records the server's rows.
func TestGroupEditReReadsTheChangedHosts(t *testing.T) {
	c := newStoredCloud(t, falcontest.WithTenants(0), falcontest.WithHosts(200))
	cid := c.srv.ParentCID()
	l := c.pane(t)
	l.run(l.m.SetTenant(cid))
	ctx := context.Background()
	groups, err := c.client.HostGroups.List(ctx, cid, "")
	if err != nil {
		t.Fatal(err)
	}
	var gid string
	for _, g := range groups {
		if g.Type == falcon.GroupStatic {
			gid = g.ID
			break
		}
	}
	var target falcon.Host
	for _, h := range viewHosts(l.m) {
		if !slices.Contains(h.Groups, gid) {
			target = h
			break
		}
	}
	if gid == "" || target.DeviceID == "" {
		t.Fatal("no static group, or no host outside it")
	}
	res, err := c.client.HostGroups.EditMembers(ctx, cid, gid, falcon.AddHosts, []string{target.DeviceID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.r.Send(domain.EditedMsg{CID: cid, GroupID: gid, Result: res})
	row, ok := l.m.rows.Find(target.DeviceID)
	if !ok || !slices.Contains(l.m.rows.Groups(row), gid) {
		t.Fatalf("after the edit the list does not show %s in group %s", target.Hostname, gid)
	}
	if n := len(viewHosts(l.m)); n != len(c.serverHosts(t, cid)) {
		t.Fatalf("the re-read changed the row count to %d", n)
	}
	found := false
	err = c.store.Hosts(ctx, cid, func(r store.HostRow) error {
		if r.DeviceID == target.DeviceID {
			found = slices.Contains(r.Groups, gid)
		}
		return nil
	})
	if err != nil || !found {
		t.Fatalf("the store does not record the confirmed membership (%v)", err)
	}
}
