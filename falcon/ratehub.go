package falcon

import (
	"context"
	"sync"
)

// rateHub owns the tenants' rate states and the subscribers.
type rateHub struct {
	c *Client

	mu     sync.Mutex
	states map[string]*rateState
	subs   map[*rateSub]struct{}
	ver    uint64 // publication counter
	closed bool
}

func newRateHub(c *Client) *rateHub {
	return &rateHub{c: c, states: map[string]*rateState{}, subs: map[*rateSub]struct{}{}}
}

func (h *rateHub) state(key string) *rateState {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.states[key]
	if s == nil {
		s = &rateState{hub: h, key: key, changed: make(chan struct{})}
		h.states[key] = s
	}
	return s
}

// rateSub is one subscriber: the newest state per tenant waits in pending until the
// forwarding goroutine hands it over, so publishing never blocks the transport, and a
// state that is superseded while waiting is replaced, never delivered stale.
type rateSub struct {
	mu      sync.Mutex
	pending map[string]pendingState
	order   []string // tenants with a pending state, oldest first
	wake    chan struct{}
	done    chan struct{}
}

type pendingState struct {
	st  RateState
	ver uint64
}

func (h *rateHub) subscribe(ctx context.Context) <-chan RateState {
	out := make(chan RateState)
	s := &rateSub{pending: map[string]pendingState{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		close(out)
		return out
	}
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	go func() {
		defer close(out)
		defer func() {
			h.mu.Lock()
			delete(h.subs, s)
			h.mu.Unlock()
		}()
		for {
			s.mu.Lock()
			if len(s.order) == 0 {
				s.mu.Unlock()
				select {
				case <-ctx.Done():
					return
				case <-s.done:
					return
				case <-s.wake:
				}
				continue
			}
			key := s.order[0]
			p := s.pending[key]
			s.mu.Unlock()
			select {
			case out <- p.st:
				s.mu.Lock()
				if cur := s.pending[key]; cur.ver == p.ver {
					delete(s.pending, key)
					s.order = s.order[1:]
				}
				s.mu.Unlock()
			case <-s.wake: // something newer arrived: offer that instead
			case <-ctx.Done():
				return
			case <-s.done:
				return
			}
		}
	}()
	return out
}

// publish hands a state to every subscriber without waiting for any of them.
func (h *rateHub) publish(st RateState) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ver++
	for s := range h.subs {
		s.mu.Lock()
		if _, ok := s.pending[st.CID]; !ok {
			s.order = append(s.order, st.CID)
		}
		s.pending[st.CID] = pendingState{st, h.ver}
		s.mu.Unlock()
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

func (h *rateHub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	for s := range h.subs {
		close(s.done)
		delete(h.subs, s)
	}
}
