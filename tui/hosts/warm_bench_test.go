package hosts

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// warmStore is a store holding tenants × perTenant hosts, built once per size (writing a
// million rows takes seconds), with the keyring that holds its key.
type warmStore struct {
	dir  string
	kr   *profiletest.Keyring
	cids []string
}

var warmStores = map[int]*warmStore{}

func buildWarmStore(b *testing.B, tenants, perTenant int) *warmStore {
	b.Helper()
	if w, ok := warmStores[tenants*perTenant]; ok {
		return w
	}
	dir, err := os.MkdirTemp("", "falcon-tui-warm-")
	if err != nil {
		b.Fatal(err)
	}
	w := &warmStore{dir: dir, kr: profiletest.New()}
	ctx := context.Background()
	s, err := store.Open(ctx, "default", w.kr, store.Options{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	synced := time.Now().Add(-14 * time.Minute)
	var ts []store.Tenant
	for i := range tenants {
		cid := fmt.Sprintf("%032x", 0xc1d0000+i)
		parent := ""
		if i > 0 {
			parent = w.cidOrFirst(cid)
		}
		w.cids = append(w.cids, cid)
		ts = append(ts, store.Tenant{CID: cid, Name: fmt.Sprintf("Customer %04d", i), Parent: parent, Hosts: perTenant, Groups: -1, Alerts: -1})
		hs := benchHosts(perTenant, i*perTenant)
		for j := range hs {
			hs[j].CID = cid
			hs[j].Modified = synced.Add(-time.Duration(j) * time.Second)
		}
		if err := s.PutHosts(ctx, cid, hs, synced); err != nil {
			b.Fatal(err)
		}
		if err := s.SetWatermark(ctx, cid, store.Watermark{Modified: synced, DeltaAt: synced, FullAt: synced}); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.PutTenants(ctx, ts, synced); err != nil {
		b.Fatal(err)
	}
	warmStores[tenants*perTenant] = w
	return w
}

func (w *warmStore) cidOrFirst(cid string) string {
	if len(w.cids) == 0 {
		return cid
	}
	return w.cids[0]
}

// runProgram runs cmd and what it leads to as Bubble Tea does: every command on a
// goroutine of its own, every message through Update on this one, until done(m) holds or
// nothing is left.
func runProgram(m Model, cmd tea.Cmd, done func(Model) bool) Model {
	msgs := make(chan tea.Msg, 256)
	inflight := 0
	run := func(c tea.Cmd) {
		if c == nil {
			return
		}
		inflight++
		go func() { msgs <- c() }()
	}
	run(cmd)
	for inflight > 0 {
		msg := <-msgs
		inflight--
		switch msg := msg.(type) {
		case nil:
			continue
		case tea.BatchMsg:
			for _, c := range msg {
				run(c)
			}
			continue
		}
		var next tea.Cmd
		m, next = m.Update(msg)
		if done(m) {
			return m
		}
		run(next)
	}
	return m
}

// BenchmarkWarmStart is a warm start of the hosts list in all-tenants mode on a store
// holding 1,000 tenants' hosts: open the store (its key from the keyring), read the stored
// tenant list (the root does this at Init), then read and show the stored rows, as the
// program runs it. first-frame-ms is until the first rows are on screen (a View drawn),
// full-list-ms until every stored row is in the list (the bounds: 100 ms and 2 s at
// a million hosts).
func BenchmarkWarmStart(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(rowsName(n), func(b *testing.B) {
			w := buildWarmStore(b, 1000, n/1000)
			ctx := context.Background()
			var first, full, open time.Duration
			for b.Loop() {
				start := time.Now()
				s, err := store.Open(ctx, "default", w.kr, store.Options{Dir: w.dir})
				if err != nil {
					b.Fatal(err)
				}
				stored, err := s.Tenants(ctx)
				if err != nil || len(stored) != 1000 {
					b.Fatalf("%d stored tenants, %v", len(stored), err)
				}
				ts := make([]falcon.Tenant, len(stored))
				for i, t := range stored {
					ts[i] = falcon.Tenant{CID: t.CID, Name: t.Name, ParentCID: t.Parent}
				}
				open += time.Since(start)
				m := New(pane.Deps{Styles: theme.New(true, theme.WithNoColor(true)), Store: s, Static: true})
				m.SetSize(120, 40)
				m.SetTenants(ts)
				m.all = true
				cmd := m.ShowStored(ts[0].CID, stored)
				var firstAt time.Duration
				m = runProgram(m, cmd, func(m Model) bool {
					if firstAt == 0 && m.rows.Shown() > 0 {
						_ = m.View()
						firstAt = time.Since(start)
					}
					return m.sync.read
				})
				full += time.Since(start)
				first += firstAt
				if m.rows.Len() != n {
					b.Fatalf("the list holds %d rows, the store %d", m.rows.Len(), n)
				}
				_ = s.Close()
			}
			b.ReportMetric(float64(open.Microseconds())/1000/float64(b.N), "open-ms")
			b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "first-frame-ms")
			b.ReportMetric(float64(full.Microseconds())/1000/float64(b.N), "full-list-ms")
		})
	}
}
