package hosts

import (
	"context"
	"errors"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/hostrows"
	"github.com/falcon-tui/falcon-tui/tui/status"
)

// ZTA scores (docs/API.md §15) are not in the host records: they are fetched, 100 hosts a
// call, for the rows on screen only — and only while the ZTA column is shown or a
// threshold is set — and kept per device by the list (hostrows.Table.SetScores). A device
// asked for once is not asked for again, whatever the answer, until the tenant changes.

// ZTAScope is the API scope the scores need.
const ZTAScope = "zero-trust-assessment:read"

// ztaBatch is how many hosts one scores call covers (the entities GET's limit).
const ztaBatch = 100

// ztaSortCap bounds what a sort by ZTA or a filter on scores (/zta<75) asks for: the
// scores of the first this many loaded hosts (50 calls), beyond the rows on screen. Hosts
// without a known score sort last and fail a score filter.
const ztaSortCap = 5_000

type ztaState struct {
	threshold int             // hosts below it are marked (0: none)
	asked     map[string]bool // device IDs asked for (answered or in flight)
	inflight  int
	scanned   int   // rows [0, scanned) of the load were looked at for a sort by ZTA
	err       error // the last failure: no more asking until the tenant changes
}

func newZTAState() ztaState { return ztaState{asked: map[string]bool{}} }

// ztaScoresMsg is the answer to one scores call.
type ztaScoresMsg struct {
	rows   *hostrows.Table
	asked  []string
	scores map[string]int
	err    error
}

// ZTAThreshold is the threshold in force (0: none).
func (m Model) ZTAThreshold() int { return m.zta.threshold }

// SetZTAThreshold marks the hosts scoring below n (0 turns the marks off), fetching the
// scores of the rows on screen when they are not known yet.
func (m *Model) SetZTAThreshold(n int) tea.Cmd {
	m.zta.threshold = min(max(n, 0), 100)
	return m.fetchScores()
}

// wantScores reports whether anything on screen needs the scores.
func (m Model) wantScores() bool {
	return m.zta.threshold > 0 || slices.Contains(m.cols, colZTA) || m.rows.ScoreFiltered()
}

// fetchScores returns the calls for the scores of the rows on screen that were never asked
// for, grouped by tenant, 100 hosts a call (nil when there is none to ask).
func (m *Model) fetchScores() tea.Cmd {
	if m.client == nil || m.zta.err != nil || !m.wantScores() || m.rows.Len() == 0 {
		return nil
	}
	rows := m.rows.Window(nil, m.table.Offset(), m.table.PageSize())
	if m.sortBy == colZTA || m.rows.ScoreFiltered() {
		// Rows are numbered as they arrive: each is looked at once per load.
		for i := m.zta.scanned; i < min(m.rows.Len(), ztaSortCap); i++ {
			rows = append(rows, hostrows.Row(i))
		}
		m.zta.scanned = max(m.zta.scanned, min(m.rows.Len(), ztaSortCap))
	}
	byCID := map[string][]string{}
	var cids []string
	for _, r := range rows {
		if m.rows.HasScore(r) {
			continue
		}
		id := m.rows.DeviceID(r)
		if m.zta.asked[id] {
			continue
		}
		m.zta.asked[id] = true
		cid := m.rows.CID(r)
		if _, ok := byCID[cid]; !ok {
			cids = append(cids, cid)
		}
		byCID[cid] = append(byCID[cid], id)
	}
	var cmds []tea.Cmd
	for _, cid := range cids {
		for chunk := range slices.Chunk(byCID[cid], ztaBatch) {
			cmds = append(cmds, fetchScores(m.ctx, m.client, m.rows, cid, chunk))
			m.zta.inflight++
		}
	}
	return tea.Batch(cmds...)
}

func fetchScores(ctx context.Context, c *falcon.Client, rows *hostrows.Table, cid string, ids []string) tea.Cmd {
	return func() tea.Msg {
		s, err := c.ZTA.Scores(ctx, cid, ids...)
		return ztaScoresMsg{rows: rows, asked: ids, scores: s, err: err}
	}
}

// scored takes the answer to one scores call.
func (m Model) scored(msg ztaScoresMsg) (Model, tea.Cmd) {
	if msg.rows != m.rows {
		return m, nil
	}
	m.zta.inflight = max(0, m.zta.inflight-1)
	var cmds []tea.Cmd
	if msg.err != nil {
		// Not answered: ask again later (after a reload, or once another tenant is shown).
		for _, id := range msg.asked {
			if _, ok := msg.scores[id]; !ok {
				delete(m.zta.asked, id)
			}
		}
	}
	if msg.err != nil && !errors.Is(msg.err, context.Canceled) && m.zta.err == nil {
		m.zta.err = msg.err
		if errors.Is(msg.err, falcon.ErrScopeDenied) {
			cmds = append(cmds, status.Warn("ZTA scores need %s", ZTAScope))
		} else {
			cmds = append(cmds, status.Warn("ZTA scores: %v", msg.err))
		}
	}
	if len(msg.scores) > 0 {
		var jobs []*hostrows.Job
		m.keepCursor(func() { jobs = m.rows.SetScores(msg.scores) })
		for _, job := range jobs {
			cmds = append(cmds, m.runJob(job))
		}
	}
	return m, tea.Batch(cmds...)
}

// resetScores forgets what was asked (another tenant: other devices, and maybe the scope).
func (m *Model) resetScores() {
	clear(m.zta.asked)
	m.zta.err = nil
}
