package falcontest

import (
	"cmp"
	"container/list"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

// hostSet selects which hosts a query sees.
type hostSet int

const (
	visibleHosts hostSet = iota // everything but hidden hosts (the normal APIs)
	hiddenHosts                 // only hidden hosts (devices-hidden APIs)
)

// sortRec is a Record with pre-fetched sort values, so that sorting does
// not recompute derived attributes O(n log n) times.
type sortRec struct {
	keys []fql.SortKey
	vals [][]string
}

func (r *sortRec) FQLValues(field string) []string {
	for k, key := range r.keys {
		if key.Field == field {
			return r.vals[k]
		}
	}
	return nil
}

// rlockFresh read-locks t after bringing dynamic group memberships up to
// date (which needs the write lock). Callers must RUnlock.
func (s *Server) rlockFresh(t *tenant, now time.Time) {
	if s.dynamicStale(t, now) {
		t.mu.Lock()
		if s.dynamicStale(t, now) {
			s.refreshDynamic(t, now)
		}
		t.mu.Unlock()
	}
	t.mu.RLock()
}

func (s *Server) dynamicStale(t *tenant, now time.Time) bool {
	return t.dynHostVer.Load() != t.hostVersion.Load() || now.Unix()-t.dynAt.Load() >= 60
}

// refreshDynamic recomputes every dynamic group's members. Caller holds t.mu.
func (s *Server) refreshDynamic(t *tenant, now time.Time) {
	ver := t.hostVersion.Load()
	for _, g := range t.groups {
		if g.groupType == "dynamic" {
			s.evalDynamic(t, g, now)
		}
	}
	t.dynHostVer.Store(ver)
	t.dynAt.Store(now.Unix())
	t.version.Add(1)
}

func (s *Server) evalDynamic(t *tenant, g *group, now time.Time) {
	if len(g.members) != (len(t.hosts)+63)/64 {
		g.members = newBitset(len(t.hosts))
	}
	g.members.reset()
	g.dynOK = true
	if g.rule == "" {
		return
	}
	expr, err := fql.ParseAt(g.rule, hostSchema, now)
	if err != nil || expr == nil {
		return // stored rules were validated; an empty rule has no members
	}
	ref := hostRef{s: s, t: t, now: now.Unix(), staticGroupsOnly: true}
	for i := range t.hosts {
		ref.i = i
		if expr.Match(ref) {
			g.members.set(i)
		}
	}
}

// membersOf returns the group's member bitset (dynamic ones evaluated).
// Caller holds t.mu (read or write).
func (s *Server) membersOf(t *tenant, g *group) bitset {
	if g.groupType == "dynamic" && !g.dynOK {
		// Only reachable with a read lock before the first refresh; compute
		// into a private set so concurrent readers are not disturbed.
		cp := &group{rule: g.rule, groupType: g.groupType}
		s.evalDynamic(t, cp, s.now())
		return cp.members
	}
	return g.members
}

// selectHosts returns the indexes of t's hosts matching filter, ordered by
// sort (index order when empty). Caller holds t.mu.RLock via rlockFresh.
// Errors are *fql errors (→ 400).
func (s *Server) selectHosts(t *tenant, set hostSet, filter, sort string, extra func(int) bool, now time.Time) ([]int32, error) {
	expr, err := fql.ParseAt(filter, hostSchema, now)
	if err != nil {
		return nil, err
	}
	keys, err := fql.ParseSort(sort, hostSchema)
	if err != nil {
		return nil, err
	}
	ckey := ""
	if extra == nil {
		ckey = strconv.Itoa(t.idx) + "|" + strconv.Itoa(int(set)) + "|" + strconv.FormatUint(t.version.Load(), 10) +
			"|" + strconv.FormatInt(now.Unix()/10, 10) + "|" + sort + "|" + filter
		if ids, ok := s.cache.get(ckey); ok {
			return ids, nil
		}
	}
	ref := hostRef{s: s, t: t, now: now.Unix()}
	// A sort by device id alone walks the tenant's id order instead of
	// sorting (the combined devices' default, spec: device_id.asc).
	var order []int32
	desc := false
	if len(keys) == 1 && keys[0].Field == "device_id" {
		order, desc = s.idOrder(t), keys[0].Desc
		keys = nil
	}
	var out []int32
	for k := range t.hosts {
		i := k
		switch {
		case desc:
			i = int(order[len(order)-1-k])
		case order != nil:
			i = int(order[k])
		}
		hidden := t.hosts[i].flags&flHidden != 0
		if hidden != (set == hiddenHosts) {
			continue
		}
		if extra != nil && !extra(i) {
			continue
		}
		ref.i = i
		if expr != nil && !expr.Match(ref) {
			continue
		}
		out = append(out, int32(i))
	}
	if len(keys) > 0 {
		type item struct {
			i   int32
			rec *sortRec
		}
		items := make([]item, len(out))
		for k, i := range out {
			ref.i = int(i)
			rec := &sortRec{keys: keys, vals: make([][]string, len(keys))}
			for n, key := range keys {
				rec.vals[n] = ref.FQLValues(key.Field)
			}
			items[k] = item{i, rec}
		}
		slices.SortStableFunc(items, func(a, b item) int { return fql.Compare(a.rec, b.rec, keys, hostSchema) })
		for k := range items {
			out[k] = items[k].i
		}
	}
	if ckey != "" {
		s.cache.put(ckey, out)
	}
	return out, nil
}

// idOrder returns t's host indexes ordered by device id. It is computed
// once per tenant, on first use: hosts are never added or removed, and
// their ids never change.
func (s *Server) idOrder(t *tenant) []int32 {
	t.idOrderOnce.Do(func() {
		// The id's high 64 bits are a bijection of the host's position, and
		// its hex form sorts like those bits: sort by them, no strings.
		type pair struct {
			hi uint64
			i  int32
		}
		ps := make([]pair, len(t.hosts))
		for i := range ps {
			ps[i] = pair{s.w.ids.high(t.idx, i), int32(i)}
		}
		slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.hi, b.hi) })
		t.idOrder = make([]int32, len(ps))
		for k, p := range ps {
			t.idOrder[k] = p.i
		}
	})
	return t.idOrder
}

// queryCache keeps recent host selections so offset paging over a large
// tenant does not re-filter and re-sort for every page.
type queryCache struct {
	mu  sync.Mutex
	lru *list.List
	m   map[string]*list.Element
}

type cacheEntry struct {
	key string
	ids []int32
}

const queryCacheSize = 32

func newQueryCache() *queryCache { return &queryCache{lru: list.New(), m: map[string]*list.Element{}} }

func (q *queryCache) get(key string) ([]int32, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if e, ok := q.m[key]; ok {
		q.lru.MoveToFront(e)
		return e.Value.(*cacheEntry).ids, true
	}
	return nil, false
}

func (q *queryCache) put(key string, ids []int32) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if e, ok := q.m[key]; ok {
		e.Value.(*cacheEntry).ids = ids
		q.lru.MoveToFront(e)
		return
	}
	q.m[key] = q.lru.PushFront(&cacheEntry{key, ids})
	for q.lru.Len() > queryCacheSize {
		e := q.lru.Back()
		q.lru.Remove(e)
		delete(q.m, e.Value.(*cacheEntry).key)
	}
}

// page returns ids[offset:offset+limit] clamped.
func page[T any](ids []T, offset, limit int) []T {
	if offset >= len(ids) || offset < 0 {
		return nil
	}
	return ids[offset:min(len(ids), offset+limit)]
}
