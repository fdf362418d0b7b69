package tenants

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// TestStoredTenantsShowWithTheirAges: a warm start lists the stored tenants before the
// API answers, with the counts last taken and their age, and each tenant's hosts' sync age;
// the API's counts then replace them and are recorded in the store.
func TestStoredTenantsShowWithTheirAges(t *testing.T) {
	cloud := tuitest.Start(t, falcontest.WithTenants(2), falcontest.WithHosts(40))
	ctx := context.Background()
	s, err := store.Open(ctx, "default", profiletest.New(), store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts, err := cloud.Client.Tenants.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counted := tuitest.Now.Add(-3 * time.Hour)
	synced := tuitest.Now.Add(-14 * time.Minute)
	var rows []store.Tenant
	for i, tn := range ts {
		rows = append(rows, store.Tenant{CID: tn.CID, Name: tn.Name, Parent: tn.ParentCID, Hosts: 1000 + i, Groups: -1, Alerts: 7, CountsAt: counted})
	}
	if err := s.PutTenants(ctx, rows, counted); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWatermark(ctx, ts[1].CID, store.Watermark{Modified: synced, DeltaAt: synced, FullAt: synced}); err != nil {
		t.Fatal(err)
	}

	m := New(pane.Deps{Client: cloud.Client, Styles: theme.New(true, theme.WithNoColor(true)), Now: tuitest.Clock, Store: s})
	m.SetSize(160, 20)
	r := tuitest.Drive(t, &m)
	stored, err := s.Tenants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r.Run(m.ShowStored(ts[0].CID, stored))
	screen := ansi.Strip(m.View())
	for _, want := range []string{ts[1].Name, "1,001", "3h ago", "SYNCED", "14m ago", "never"} {
		if !strings.Contains(screen, want) {
			t.Fatalf("the stored list does not show %q:\n%s", want, screen)
		}
	}

	r.Send(domain.TenantSyncedMsg{CID: ts[0].CID, At: tuitest.Now})
	if got := m.syncedCell(ts[0].CID); got != "just now" {
		t.Fatalf("a refreshed tenant's SYNCED cell is %q", got)
	}

	r.Run(m.Start(pane.Session{CID: ts[0].CID}))
	stored, err = s.Tenants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stored {
		sum, ok := m.Summary(st.CID)
		if !ok || st.Hosts != sum.Hosts || !st.CountsAt.Equal(tuitest.Now) {
			t.Fatalf("the store holds %d hosts counted %v for %s; the API counted %d now", st.Hosts, st.CountsAt, st.Name, sum.Hosts)
		}
	}
}

// TestNoStoreNoSyncedColumn: without a store the table is as before.
func TestNoStoreNoSyncedColumn(t *testing.T) {
	m, r, _ := setup(t, true, 200, 20)
	r.Run(m.Load())
	if strings.Contains(ansi.Strip(m.View()), "SYNCED") {
		t.Fatal("a SYNCED column without a store")
	}
}
