package falcon

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Stream yields the hosts of tenant cid in batches as they arrive (scroll ids + detail
// calls of up to 5,000, pipelined). The iteration stops at the first error, which is yielded.
//
// With q.Fields set it reads the combined devices endpoint instead, the records trimmed to
// those fields, 10,000 a page (see streamCombined); the Hosts have only those fields set.
//
// The scroll runs ahead on its own (IDs are small), while at most a few detail calls are in
// flight; batches are yielded in scroll order, so a sorted query stays sorted. Scroll
// pointers expire after two minutes: if one does (a long cooldown, a slow consumer), the
// scroll restarts and the IDs already seen are skipped, so no host is yielded twice.
func (s *HostsService) Stream(ctx context.Context, cid string, q HostQuery) iter.Seq2[[]Host, error] {
	return func(yield func([]Host, error) bool) {
		s.client.streamHosts(ctx, cid, q, newInterner(), yield)
	}
}

// maxScrollRestarts bounds how often one stream restarts an expired scroll.
const maxScrollRestarts = 3

// hostStream is the state of one Stream: scroll results become detail jobs, workers fetch
// them, and the consumer takes results in job order.
type hostStream struct {
	c   *Client
	cid string
	q   HostQuery
	in  *interner

	mu         sync.Mutex
	cond       *sync.Cond
	jobs       [][]string // detail jobs in scroll order; nil once taken
	taken      int        // jobs handed to workers
	results    map[int]streamResult
	yielded    int  // jobs consumed
	scrollDone bool // no more jobs will be added
	scrollErr  error
	stopped    bool // consumer gone or context ended
}

type streamResult struct {
	hosts []Host
	err   error
}

func (c *Client) streamHosts(ctx context.Context, cid string, q HostQuery, in *interner, yield func([]Host, error) bool) {
	if len(q.Fields) > 0 {
		c.streamCombined(ctx, cid, q, in, yield)
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	st := &hostStream{c: c, cid: cid, q: q, in: in, results: map[int]streamResult{}}
	st.cond = sync.NewCond(&st.mu)
	// The wake-up runs only when the caller's context ends; the iteration's own cancel comes
	// after stopWake, so ending normally starts no goroutine, and one that did start is
	// waited for: nothing of the stream outlives it.
	woke := make(chan struct{})
	stopWake := context.AfterFunc(ctx, func() { defer close(woke); st.stop() })
	var wg sync.WaitGroup
	wg.Go(func() { st.scroll(ctx) })
	for range c.detailWorkers {
		wg.Go(func() { st.work(ctx) })
	}
	defer func() {
		if !stopWake() {
			<-woke
		}
		cancel()
		st.stop()
		wg.Wait() // no goroutine outlives the iteration
	}()

	for {
		hosts, err, ok := st.next()
		if !ok {
			if ctx.Err() != nil { // only the caller's context can have ended it
				yield(nil, context.Cause(ctx))
			}
			return
		}
		if err == nil && len(hosts) == 0 {
			continue
		}
		if !yield(hosts, err) || err != nil {
			return
		}
	}
}

// next waits for the next result in order; ok is false at the end of the stream.
func (st *hostStream) next() ([]Host, error, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for {
		if r, found := st.results[st.yielded]; found {
			delete(st.results, st.yielded)
			st.yielded++
			st.cond.Broadcast() // a worker may wait for room
			return r.hosts, r.err, true
		}
		if st.scrollDone && st.yielded >= len(st.jobs) {
			if st.scrollErr != nil {
				err := st.scrollErr
				st.scrollErr = nil
				return nil, err, true
			}
			return nil, nil, false
		}
		if st.stopped {
			return nil, nil, false
		}
		st.cond.Wait()
	}
}

func (st *hostStream) stop() {
	st.mu.Lock()
	st.stopped = true
	st.cond.Broadcast()
	st.mu.Unlock()
}

// work runs detail jobs until there are none left to take.
func (st *hostStream) work(ctx context.Context) {
	for {
		seq, ids, ok := st.take()
		if !ok {
			return
		}
		hosts, err := st.c.hostDetails(ctx, st.cid, ids, st.in)
		if err != nil && ctx.Err() != nil {
			err = context.Cause(ctx)
		}
		st.put(seq, hosts, err)
	}
}

// take waits for the next job a worker may start; ok is false when there will be none.
// Workers stay at most 2×workers jobs ahead of the consumer, so that a slow consumer holds
// back the detail calls (memory), not the scroll (expiry).
func (st *hostStream) take() (seq int, ids []string, ok bool) {
	ahead := 2 * st.c.detailWorkers
	st.mu.Lock()
	defer st.mu.Unlock()
	for {
		switch {
		case st.stopped:
			return 0, nil, false
		case st.taken < len(st.jobs) && st.taken-st.yielded < ahead:
			seq, ids = st.taken, st.jobs[st.taken]
			st.jobs[seq] = nil
			st.taken++
			return seq, ids, true
		case st.scrollDone && st.taken >= len(st.jobs):
			return 0, nil, false // every job is taken and no more will come
		}
		st.cond.Wait() // for a job, room ahead of the consumer, or the end
	}
}

// put hands a job's result to the consumer.
func (st *hostStream) put(seq int, hosts []Host, err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.results[seq] = streamResult{hosts, err}
	if err != nil {
		// Nothing after a failed batch will be yielded: stop scheduling more.
		st.scrollDone = true
		st.jobs = st.jobs[:seq+1]
	}
	st.cond.Broadcast()
}

// addJobs queues the IDs of a scroll page as detail jobs.
func (st *hostStream) addJobs(ids []string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.scrollDone {
		return
	}
	for len(ids) > 0 {
		n := min(len(ids), st.c.detailBatch)
		st.jobs = append(st.jobs, ids[:n:n])
		ids = ids[n:]
	}
	st.cond.Broadcast()
}

// done reports whether the stream needs no more scroll pages (a batch failed, or the
// consumer left).
func (st *hostStream) done() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.scrollDone || st.stopped
}

func (st *hostStream) finish(err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.scrollDone {
		st.scrollDone = true
		st.scrollErr = err
	}
	st.cond.Broadcast()
}

// scroll pages through the device IDs and queues them.
func (st *hostStream) scroll(ctx context.Context) {
	c := st.c
	seen := map[string]struct{}{}
	var (
		offset   string
		restarts int
		queued   int
	)
	for {
		if st.done() {
			return
		}
		limit := c.scrollLimit
		if st.q.Limit > 0 {
			limit = min(limit, st.q.Limit-queued)
		}
		q := url.Values{"limit": {itoa(limit)}}
		if st.q.Filter != "" {
			q.Set("filter", st.q.Filter)
		}
		if st.q.Sort != "" {
			q.Set("sort", st.q.Sort)
		}
		if offset != "" {
			q.Set("offset", offset)
		}
		var ids []string
		resp, err := c.send(ctx, st.cid, &call{method: http.MethodGet, path: pathDeviceScroll, query: q}, &ids)
		if err != nil {
			if offset != "" && scrollExpired(err) && restarts < maxScrollRestarts {
				restarts++
				offset = ""
				continue
			}
			if ctx.Err() != nil {
				err = context.Cause(ctx)
			}
			st.finish(err)
			return
		}
		fresh := ids[:0]
		for _, id := range ids {
			k := strings.ToLower(id)
			if _, dup := seen[k]; dup || id == "" {
				continue
			}
			seen[k] = struct{}{}
			fresh = append(fresh, id)
		}
		if st.q.Limit > 0 && queued+len(fresh) > st.q.Limit {
			fresh = fresh[:st.q.Limit-queued]
		}
		queued += len(fresh)
		st.addJobs(fresh)

		pg := resp.Meta.Pagination
		switch {
		case len(ids) == 0, pg.Offset == "":
		case st.q.Limit > 0 && queued >= st.q.Limit:
		case pg.Total > 0 && len(seen) >= pg.Total:
			// Everything the query matches has been seen: a further call would only
			// return an empty page.
		default:
			offset = pg.Offset
			continue
		}
		st.finish(nil)
		return
	}
}

// scrollExpired recognises the reply to a scroll pointer that is no longer valid: a 400
// (or 404/410) that talks about the offset/pagination token.
func scrollExpired(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.StatusCode {
	case http.StatusBadRequest, http.StatusNotFound, http.StatusGone:
	default:
		return false
	}
	msg := strings.ToLower(ae.Message())
	return strings.Contains(msg, "expire") || strings.Contains(msg, "offset") ||
		strings.Contains(msg, "pagination") || strings.Contains(msg, "scroll")
}

// StreamTenants streams several tenants in parallel, each within its own rate limit.
// Batches of different tenants interleave; within a tenant they keep scroll order. A
// tenant's failure is yielded as a *TenantError and the other tenants go on; the
// iteration ends when every tenant is done or the consumer stops.
func (s *HostsService) StreamTenants(ctx context.Context, cids []string, q HostQuery) iter.Seq2[[]Host, error] {
	return func(yield func([]Host, error) bool) {
		c := s.client
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		type item struct {
			hosts []Host
			err   error
		}
		out := make(chan item)
		var wg sync.WaitGroup
		sem := make(chan struct{}, maxParallelTenants)
		for _, cid := range c.distinctTenants(cids) {
			wg.Go(func() {
				select {
				case sem <- struct{}{}:
				case <-ctx.Done():
					return
				}
				defer func() { <-sem }()
				c.streamHosts(ctx, cid, q, newInterner(), func(hs []Host, err error) bool {
					if err != nil {
						err = &TenantError{CID: c.displayCID(c.tenantKey(cid)), Err: err}
					}
					select {
					case out <- item{hs, err}:
						return true
					case <-ctx.Done():
						return false
					}
				})
			})
		}
		go func() { wg.Wait(); close(out) }()
		defer func() {
			cancel()
			for range out { // let the tenant goroutines finish
			}
		}()
		for it := range out {
			if ctx.Err() != nil { // the caller's context ended: say so once
				yield(nil, context.Cause(ctx))
				return
			}
			if !yield(it.hosts, it.err) {
				return
			}
		}
	}
}

// distinctTenants drops CIDs that name a tenant already listed ("" and the home CID are
// the same tenant once the home CID is known; case does not matter).
func (c *Client) distinctTenants(cids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, cid := range cids {
		k := c.tenantKey(cid)
		if !seen[k] {
			seen[k] = true
			out = append(out, cid)
		}
	}
	return out
}

// maxParallelTenants bounds how many tenants stream at once (each has its own rate pool,
// so the bound is about sockets and memory, not the API).
const maxParallelTenants = 32

// TenantError is a failure in one tenant of a multi-tenant operation.
type TenantError struct {
	CID string
	Err error
}

func (e *TenantError) Error() string { return fmt.Sprintf("tenant %s: %v", e.CID, e.Err) }
func (e *TenantError) Unwrap() error { return e.Err }
