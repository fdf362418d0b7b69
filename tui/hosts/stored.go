package hosts

// The list's side of the local store (docs/STORE.md): with a store and no FQL filter, the
// rows come from the store at once (before the client has even connected), and each
// tenant's background refresh (falcon/refresh) is applied to them as it arrives: changed
// hosts replace their rows, hosts the server no longer lists leave. Without a store, or
// with an FQL filter (which only the server can apply), the list loads from the API as
// before.

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/refresh"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/tui/domain"
	"github.com/falcon-tui/falcon-tui/tui/internal/generation"
	"github.com/falcon-tui/falcon-tui/tui/internal/hostrows"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
	"github.com/falcon-tui/falcon-tui/tui/status"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// refreshParallel is how many tenants refresh at once: each is a few calls, so a handful in
// flight keeps the link busy without crowding out what the user asks for meanwhile (the
// client's pacing shares one budget per tenant and one token budget, docs/API.md §3).
const refreshParallel = 6

// refreshEvery is how often the shown tenants are refreshed again while the list is open: a
// delta per tenant is a call or two (docs/STORE.md, Refresh).
const refreshEvery = 5 * time.Minute

// storeBatch is how many stored rows one read hands on: the Update that appends them keeps
// to appendChunk rows at a time.
const storeBatch = 4 * appendChunk

// syncState is where the list stands with the store and the refresh.
type syncState struct {
	store     *store.Store
	known     []store.Tenant       // the stored tenant list ShowStored was given, for the first read
	on        bool                 // the rows shown come from the store
	scope     []string             // the tenants whose stored rows are shown (or being read)
	read      bool                 // every stored row of scope is in
	connected bool                 // the client has connected: refreshes may run
	asOf      map[string]time.Time // per tenant: when its rows were last synced (zero: never)
	queue     []string             // tenants still to refresh in this round
	running   int                  // tenants being refreshed
	mode      refresh.Mode
	done      int              // tenants refreshed in this round
	total     int              // tenants in this round
	errs      map[string]error // per tenant: why its last refresh failed
	refreshed map[string]bool  // tenants refreshed since their stored rows were read
	cold      bool             // nothing was stored: the round running is the first load
	started   time.Time        // the round's start
	took      time.Duration    // the last round's length
	tick      int              // the periodic refresh's generation

	// The background refresh of the listed tenants the view does not show (once per load).
	bgStarted bool
	bgQueue   []string
	bgRunning int
	bgDone    int
	bgTotal   int
}

// storedItem is one batch of stored rows, prepared off the UI goroutine.
type storedItem struct {
	hosts   []falcon.Host
	batches []*hostrows.Batch
	err     error
}

// storedRowsMsg is one batch of stored rows (or the end of them) for load gen.
type storedRowsMsg struct {
	gen  int
	item stream.Item[storedItem]
	ages map[string]time.Time // with the first batch: each tenant's sync time
}

// syncMsg is one step of a tenant's refresh for load gen; batches are its hosts prepared
// for the list, applied appendChunk rows per Update.
type syncMsg struct {
	gen     int
	cid     string
	item    stream.Item[refresh.Change]
	batches []*hostrows.Batch
}

// refreshTickMsg starts the periodic refresh of round tick.
type refreshTickMsg struct{ tick int }

// storeMode reports whether the next load comes from the store.
func (m Model) storeMode() bool { return m.sync.store != nil && m.prompt.FQL() == "" }

// ShowStored shows tenant cid's stored rows before the client has connected (the first
// frame of a warm start). The refresh starts with SetTenant, at connect.
func (m *Model) ShowStored(cid string, stored []store.Tenant) tea.Cmd {
	if m.sync.store == nil {
		return nil
	}
	m.cid = cid
	m.sync.known = stored
	return m.loadStored()
}

// loadStored starts a new generation that reads the scope's stored rows; the refresh of
// each tenant follows once they are in (and the client has connected).
func (m *Model) loadStored() tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	m.gen = generation.Next()
	m.zta.scanned, m.zta.err = 0, nil
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	m.loadContext = ctx
	m.loading, m.err, m.complete = true, nil, false
	m.started, m.took = m.now(), 0
	clear(m.counts)
	cids := m.scopeCIDs()
	m.spanned = len(cids) > 1
	m.fields = store.Fields
	m.sync.on, m.sync.scope, m.sync.read = true, cids, false
	m.sync.queue, m.sync.running, m.sync.done, m.sync.total = nil, 0, 0, 0
	m.sync.asOf, m.sync.errs, m.sync.refreshed = map[string]time.Time{}, map[string]error{}, map[string]bool{}
	m.sync.bgStarted, m.sync.bgQueue, m.sync.bgRunning = false, nil, 0
	known := m.sync.known
	m.sync.known = nil // once: later loads read the ages afresh
	return readStored(ctx, m.sync.store, known, cids, m.gen, m.rows.Ingest())
}

// readStored reads the stored rows of cids: one goroutine steps through the database, a
// second prepares each batch for the list, so that the two overlap with each other and
// with the Updates appending what is ready.
func readStored(ctx context.Context, s *store.Store, known []store.Tenant, cids []string, gen int, in *hostrows.Ingest) tea.Cmd {
	ages := map[string]time.Time{}
	first := true
	return stream.Go(func(send func(storedItem)) {
		// Each tenant's age, from the tenant list (the root's read of it at a warm start,
		// else one read here): the first frame shows it.
		stored := known
		if stored == nil {
			var err error
			if stored, err = s.Tenants(ctx); err != nil {
				send(storedItem{err: err})
				return
			}
		}
		want := make(map[string]bool, len(cids))
		for _, cid := range cids {
			want[cid] = true
		}
		for _, t := range stored {
			if want[t.CID] {
				ages[t.CID] = t.SyncedAt
			}
		}
		raw := make(chan []falcon.Host, 4)
		var readErr error
		go func() {
			defer close(raw)
			readErr = s.ReadHosts(ctx, cids, storeBatch, func(b store.HostBatch) error {
				select {
				case raw <- b.Hosts:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}()
		for hosts := range raw {
			send(storedItem{hosts: hosts, batches: prepare(in, hosts)})
		}
		if readErr != nil && ctx.Err() == nil {
			send(storedItem{err: readErr})
		}
	}, func(it stream.Item[storedItem]) tea.Msg {
		msg := storedRowsMsg{gen: gen, item: it}
		if first {
			msg.ages, first = ages, false
		}
		return msg
	})
}

// storedRows takes one batch of stored rows.
func (m Model) storedRows(msg storedRowsMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, msg.item.Stop()
	}
	if msg.ages != nil {
		m.sync.asOf = msg.ages
	}
	if m.replace {
		m.replace = false
		m.keepCursor(m.rows.Reset)
	}
	it := msg.item.Value
	if it.err != nil {
		// The store could not be read: the API has the rows.
		m.sync.on = false
		return m, tea.Batch(msg.item.Stop(), m.loadAPI())
	}
	var compact tea.Cmd
	if len(it.batches) > 0 {
		var job *hostrows.Job
		m.keepCursor(func() { job = m.rows.Append(it.batches[0]) })
		compact = m.runJob(job)
		if rest := it.batches[1:]; len(rest) > 0 {
			msg.item.Value.batches, msg.ages = rest, nil
			return m, tea.Batch(compact, func() tea.Msg { return msg })
		}
	}
	if msg.item.Done {
		m.loading, m.complete, m.sync.read = false, true, true
		m.sync.cold = m.rows.Len() == 0 // nothing stored: the refresh is the first load
		m.follow = ""
		m.took = m.now().Sub(m.started)
		return m, tea.Batch(compact, m.startRound(refresh.Auto))
	}
	return m, tea.Batch(compact, msg.item.Next())
}

// startRound refreshes every tenant of the scope, in the order shown (the current
// tenant first), refreshParallel at a time. Before the stored rows are in or the client
// has connected it does nothing: both call it again.
func (m *Model) startRound(mode refresh.Mode) tea.Cmd {
	if !m.sync.on || !m.sync.read || !m.sync.connected || m.client == nil {
		return nil
	}
	m.sync.queue = slices.Clone(m.sync.scope)
	if i := slices.Index(m.sync.queue, m.cid); i > 0 {
		// The tenant the user is in comes first.
		m.sync.queue = append([]string{m.cid}, slices.Delete(m.sync.queue, i, i+1)...)
	}
	m.sync.mode, m.sync.running, m.sync.done, m.sync.total = mode, 0, 0, len(m.sync.queue)
	m.sync.started = m.now()
	m.sync.tick++
	return m.nextTenants()
}

// nextTenants starts refreshes from the queue up to refreshParallel running.
func (m *Model) nextTenants() tea.Cmd {
	return startQueued(&m.sync.queue, &m.sync.running, refreshParallel, m.refreshTenant)
}

// startQueued starts tenants from the front of queue while fewer than limit run.
func startQueued(queue *[]string, running *int, limit int, start func(cid string) tea.Cmd) tea.Cmd {
	var cmds []tea.Cmd
	for *running < limit && len(*queue) > 0 {
		cid := (*queue)[0]
		*queue = (*queue)[1:]
		*running++
		cmds = append(cmds, start(cid))
	}
	return tea.Batch(cmds...)
}

// syncer is the refresh engine for the pane's client and store.
func (m *Model) syncer() *refresh.Syncer {
	return &refresh.Syncer{Client: m.client, Store: m.sync.store, Now: m.now}
}

// refreshTenant returns the command that runs one tenant's refresh, each step prepared for
// the list where it was read.
func (m *Model) refreshTenant(cid string) tea.Cmd {
	s := m.syncer()
	ctx, gen, mode, in := m.loadCtx(), m.gen, m.sync.mode, m.rows.Ingest()
	return stream.Pull(func() iter.Seq2[refresh.Change, error] {
		return func(yield func(refresh.Change, error) bool) {
			for ch := range s.Tenant(ctx, cid, mode) {
				if !yield(ch, nil) {
					return
				}
			}
		}
	}, func(it stream.Item[refresh.Change]) tea.Msg {
		msg := syncMsg{gen: gen, cid: cid, item: it}
		if len(it.Value.Hosts) > 0 && ctx.Err() == nil {
			msg.batches = prepare(in, it.Value.Hosts)
		}
		return msg
	})
}

// loadCtx is the context of the running load (cancelled by the next one).
func (m *Model) loadCtx() context.Context {
	if m.loadContext == nil {
		return m.ctx
	}
	return m.loadContext
}

// synced applies one step of a tenant's refresh.
func (m Model) synced(msg syncMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, msg.item.Stop()
	}
	ch := msg.item.Value
	var compact tea.Cmd
	if len(msg.batches) > 0 {
		var job *hostrows.Job
		m.keepCursor(func() { job = m.rows.Upsert(msg.batches[0]) })
		compact = m.runJob(job)
		if rest := msg.batches[1:]; len(rest) > 0 {
			msg.batches = rest
			return m, tea.Batch(compact, func() tea.Msg { return msg })
		}
	}
	if len(ch.Removed) > 0 {
		m.keepCursor(func() { m.rows.Remove(ch.Removed) })
	}
	if ch.Done || msg.item.Done {
		return m.tenantRefreshed(msg.cid, ch, compact, msg.item)
	}
	return m, tea.Batch(compact, msg.item.Next())
}

// tenantRefreshed records the end of a tenant's refresh and starts the next; the end of
// the round schedules the next one.
func (m Model) tenantRefreshed(cid string, ch refresh.Change, compact tea.Cmd, it stream.Item[refresh.Change]) (Model, tea.Cmd) {
	cmds := []tea.Cmd{compact, it.Stop()}
	if !ch.Done && it.Err == nil {
		return m, tea.Batch(cmds...) // the stream's own end after its Done step: counted once
	}
	m.sync.running--
	m.sync.done++
	switch err := errors.Join(ch.Err, it.Err); {
	case err != nil:
		m.sync.errs[cid] = err
		if len(m.sync.scope) == 1 {
			m.err = err // one tenant: the pane says why, as for a load from the API
		}
	default:
		delete(m.sync.errs, cid)
		m.sync.asOf[cid], m.sync.refreshed[cid] = ch.At, true
		at := ch.At
		cmds = append(cmds, func() tea.Msg { return domain.TenantSyncedMsg{CID: cid, At: at} })
		if len(m.sync.scope) == 1 {
			m.err = nil
		}
	}
	cmds = append(cmds, m.nextTenants())
	if m.sync.running == 0 && len(m.sync.queue) == 0 {
		m.sync.took = m.now().Sub(m.sync.started)
		m.sync.cold = false
		cmds = append(cmds, m.startBackground())
		if !m.static {
			tick := m.sync.tick
			cmds = append(cmds, tea.Tick(refreshEvery, func(time.Time) tea.Msg { return refreshTickMsg{tick: tick} }))
		}
	}
	return m, tea.Batch(cmds...)
}

// refreshing reports a running refresh round.
func (m Model) refreshing() bool { return m.sync.running > 0 || len(m.sync.queue) > 0 }

// AsOf is when the oldest of the shown tenants' stored rows was synced, while any of them
// has not been refreshed in this session yet or was refreshed over a minute ago (the rows
// then are a snapshot, not live); zero otherwise, and when the rows come from the API.
func (m Model) AsOf() time.Time {
	if !m.sync.on {
		return time.Time{}
	}
	var oldest time.Time
	stale := false
	for _, cid := range m.sync.scope {
		at := m.sync.asOf[cid]
		if at.IsZero() {
			continue // never synced: its rows are loading from the API
		}
		if oldest.IsZero() || at.Before(oldest) {
			oldest = at
		}
		if !m.sync.refreshed[cid] || m.now().Sub(at) >= staleAfter {
			stale = true
		}
	}
	if !stale {
		return time.Time{}
	}
	return oldest
}

// staleAfter is how long refreshed rows count as live: the periodic refresh comes every
// refreshEvery, and the age shows from here until it has run.
const staleAfter = time.Minute

// syncProgress is the right side of the info line in store mode.
func (m Model) syncProgress() string {
	var parts []string
	if at := m.AsOf(); !at.IsZero() {
		parts = append(parts, m.st.Warn.Render("as of "+domain.Ago(m.now(), at)))
	}
	switch {
	case m.loading:
		parts = append(parts, m.st.Muted.Render("reading the store "+widget.Int(m.rows.Len())+"…"))
	case m.refreshing() && m.sync.cold:
		// Nothing stored for these tenants: this is their first load.
		parts = append(parts, m.st.Muted.Render("loading "+widget.Int(m.rows.Len())+"…"))
	case m.refreshing():
		parts = append(parts, fmt.Sprintf("%s refreshing %d/%d", widget.Bar(m.st, m.st.BarFull, m.sync.done, m.sync.total, 8),
			m.sync.done, m.sync.total))
	case len(m.sync.errs) > 0:
		parts = append(parts, m.st.Warn.Render(fmt.Sprintf("refresh failed for %d of %d", len(m.sync.errs), len(m.sync.scope))))
	case m.sync.total > 0:
		parts = append(parts, m.st.Muted.Render(fmt.Sprintf("%s hosts · refreshed in %.1fs", widget.Int(m.rows.Len()), m.sync.took.Seconds())))
	case !m.sync.connected:
		parts = append(parts, m.st.Muted.Render(widget.Int(m.rows.Len())+" stored hosts · connecting…"))
	}
	return joinParts(parts)
}

func joinParts(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += " · "
		}
		out += p
	}
	return out
}

// reReadMsg is hosts read again after a group edit changed them, for load gen.
type reReadMsg struct {
	gen     int
	batches []*hostrows.Batch
	err     error
}

// reRead reads again the hosts a group edit changed (their groups changed, which a delta by
// modified_timestamp need not see), records them in the store — they are the server's
// rows, read after the edit — and replaces their rows in the list.
func (m *Model) reRead(cid string, ids []string) tea.Cmd {
	c, s, ctx, gen, in, now := m.client, m.sync.store, m.loadCtx(), m.gen, m.rows.Ingest(), m.now
	return func() tea.Msg {
		hs, err := c.Hosts.Get(ctx, cid, ids)
		if err != nil {
			return reReadMsg{gen: gen, err: err}
		}
		if err := s.PutHosts(ctx, cid, hs, now()); err != nil {
			slog.Debug("store: edited hosts not recorded", "err", err)
		}
		return reReadMsg{gen: gen, batches: prepare(in, hs)}
	}
}

// edited follows a finished group edit: in store mode the changed hosts are read again,
// elsewhere the list reloads as before.
func (m Model) edited(msg domain.EditedMsg) (Model, tea.Cmd) {
	if !m.sync.on || !m.storeMode() {
		return m, m.Reload() // keeping the rows and the cursor meanwhile
	}
	ids := msg.Result.Changed()
	if len(ids) == 0 || !slices.Contains(m.sync.scope, msg.CID) {
		return m, nil
	}
	return m, m.reRead(msg.CID, ids)
}

// reReadDone puts the re-read rows in place of the old ones.
func (m Model) reReadDone(msg reReadMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	if msg.err != nil {
		// The edit itself was reported; the rows catch up at the next refresh.
		return m, status.Warn("hosts not re-read after the edit: %s", widget.ErrorText(msg.err))
	}
	var cmds []tea.Cmd
	for _, b := range msg.batches {
		var job *hostrows.Job
		m.keepCursor(func() { job = m.rows.Upsert(b) })
		cmds = append(cmds, m.runJob(job))
	}
	return m, tea.Batch(cmds...)
}

// bgParallel is how many tenants outside the view refresh at once, after the view's: they
// keep the store warm for a switch of tenant or all-tenants mode, and make way for
// anything the user asks for.
const bgParallel = 2

// bgRefreshedMsg is the end of a background refresh of a tenant outside the view.
type bgRefreshedMsg struct {
	gen int
	cid string
	at  time.Time
	err error
}

// startBackground refreshes, once per load, every listed tenant the view does not show,
// into the store only (their rows are not on screen).
func (m *Model) startBackground() tea.Cmd {
	if m.sync.bgStarted || len(m.tenants) < 2 {
		return nil
	}
	m.sync.bgStarted = true
	m.sync.bgQueue = nil
	for _, t := range m.tenants {
		if !slices.Contains(m.sync.scope, t.CID) {
			m.sync.bgQueue = append(m.sync.bgQueue, t.CID)
		}
	}
	m.sync.bgTotal, m.sync.bgDone = len(m.sync.bgQueue), 0
	return m.nextBackground()
}

func (m *Model) nextBackground() tea.Cmd {
	s, ctx, gen := m.syncer(), falcon.WithPriority(m.loadCtx(), falcon.Background), m.gen
	return startQueued(&m.sync.bgQueue, &m.sync.bgRunning, bgParallel, func(cid string) tea.Cmd {
		return func() tea.Msg {
			msg := bgRefreshedMsg{gen: gen, cid: cid}
			for ch := range s.Tenant(ctx, cid, refresh.Auto) {
				if ch.Done {
					msg.at, msg.err = ch.At, ch.Err
				}
			}
			return msg
		}
	})
}

// bgRefreshed records a background refresh and starts the next.
func (m Model) bgRefreshed(msg bgRefreshedMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	m.sync.bgRunning--
	m.sync.bgDone++
	cmds := []tea.Cmd{m.nextBackground()}
	if msg.err == nil && !msg.at.IsZero() {
		cid, at := msg.cid, msg.at
		cmds = append(cmds, func() tea.Msg { return domain.TenantSyncedMsg{CID: cid, At: at} })
	}
	return m, tea.Batch(cmds...)
}

// backgroundRunning reports the background refresh of the tenants outside the view.
func (m Model) backgroundRunning() bool { return m.sync.bgRunning > 0 || len(m.sync.bgQueue) > 0 }
