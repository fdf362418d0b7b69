package falcontest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Server is a simulated Falcon cloud listening on a loopback address.
type Server struct {
	// URL is the base URL, "http://127.0.0.1:PORT", without trailing slash.
	URL string

	cfg     config
	now     func() time.Time
	w       *world
	ops     map[string]*op      // "METHOD /path"
	paths   map[string][]string // path → methods (405 vs 404)
	tokens  *tokenStore
	limits  *limiter
	scrolls *snapshotStore
	stats   *statsCollector
	cache   *queryCache
	link    *link    // nil without WithBandwidth
	churner *churner // nil without WithChurn

	faultMu  sync.Mutex
	faultRnd *rand.Rand

	traceMu  sync.Mutex
	traceRnd *rand.Rand

	listener net.Listener
	srv      *http.Server
	done     chan struct{}
	closed   sync.Once
}

// APIClient is an OAuth2 API client the server accepts.
type APIClient struct {
	Name   string
	ID     string
	Secret string
	Scopes []string // sorted, e.g. "devices:read"
}

// Tenant describes one CID of the simulated cloud.
type Tenant struct {
	CID    string
	Name   string
	Parent string // parent CID; "" for the parent itself
	// Hosts counts the hosts the API serves: host queries leave hidden
	// hosts out, as the real API does. Hidden counts those apart (the
	// devices-hidden queries serve them).
	Hosts  int
	Hidden int
	Groups int
	Alerts int
}

// NewServer generates the dataset and starts serving on loopback. Like
// httptest.NewServer it panics if it cannot listen; pass WithListener to
// handle that yourself.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	s.Start()
	return s
}

// NewUnstartedServer builds the server and its data without listening;
// call Start (or use Handler in-process).
func NewUnstartedServer(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		cfg:      cfg,
		now:      cfg.clock,
		tokens:   newTokenStore(),
		limits:   newLimiter(),
		scrolls:  newSnapshotStore(),
		stats:    newStatsCollector(),
		cache:    newQueryCache(),
		faultRnd: newRand(cfg.seed, 0xfa017),
		traceRnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x7ace)),
		done:     make(chan struct{}),
	}
	if cfg.bandwidth > 0 {
		s.link = newLink(cfg.bandwidth)
	}
	start := s.now()
	s.w = generate(&s.cfg, start)
	s.churner = newChurner(cfg.churn, cfg.seed, start, len(s.w.tenants))
	s.buildRoutes()
	return s
}

// Start listens (unless a listener was given) and serves in the background.
func (s *Server) Start() {
	if s.srv != nil {
		panic("falcontest: Server already started")
	}
	l := s.cfg.listener
	if l == nil {
		var err error
		l, err = net.Listen("tcp", s.cfg.addr)
		if err != nil {
			panic(fmt.Sprintf("falcontest: failed to listen on %s: %v", s.cfg.addr, err))
		}
	}
	s.listener = l
	s.URL = "http://" + l.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logError("serve", err)
		}
	}()
}

// Close stops the server at once, dropping open connections.
func (s *Server) Close() {
	s.closed.Do(func() {
		if s.srv != nil {
			_ = s.srv.Close()
			<-s.done
		}
	})
}

// Shutdown stops accepting and waits for in-flight requests (until ctx ends).
func (s *Server) Shutdown(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	err := s.srv.Shutdown(ctx)
	s.closed.Do(func() { <-s.done })
	return err
}

// Handler returns the server's handler for in-process use (no listener
// needed). Connection-reset faults then abort the handler with
// http.ErrAbortHandler instead of resetting a TCP connection.
func (s *Server) Handler() http.Handler { return s }

// Region is the cloud the server claims to be (X-Cs-Region).
func (s *Server) Region() string { return s.cfg.region }

// Clients returns the API clients in creation order (full, analyst,
// partial, then WithClient ones).
func (s *Server) Clients() []APIClient {
	out := make([]APIClient, 0, len(s.w.clients))
	for _, c := range s.w.clients {
		out = append(out, APIClient{Name: c.name, ID: c.id, Secret: c.secret, Scopes: slices.Clone(c.scopeList)})
	}
	return out
}

// Client returns the named API client; it panics for an unknown name
// (a test bug). "full", "analyst" and "partial" always exist.
func (s *Server) Client(name string) APIClient {
	for _, c := range s.Clients() {
		if c.Name == name {
			return c
		}
	}
	panic("falcontest: no API client named " + name)
}

// Tenants returns the parent first, then the children in order.
func (s *Server) Tenants() []Tenant {
	s.churn(s.now())
	out := make([]Tenant, 0, len(s.w.tenants))
	for _, t := range s.w.tenants {
		t.mu.RLock()
		hidden := 0
		for i := range t.hosts {
			if t.hosts[i].flags&flHidden != 0 {
				hidden++
			}
		}
		tt := Tenant{CID: t.cid, Name: t.name, Hosts: len(t.hosts) - hidden, Hidden: hidden, Groups: len(t.groups), Alerts: len(t.alerts)}
		t.mu.RUnlock()
		if t.parent != nil {
			tt.Parent = t.parent.cid
		}
		out = append(out, tt)
	}
	return out
}

// ParentCID is the CID the API clients belong to.
func (s *Server) ParentCID() string { return s.w.parent().cid }

// HostIDs returns the device ids of a tenant (hidden hosts included), sorted.
func (s *Server) HostIDs(cid string) []string {
	s.churn(s.now())
	t := s.w.byCID[cid]
	if t == nil {
		return nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]string, len(t.hosts))
	for i := range t.hosts {
		out[i] = s.w.ids.encode(t.idx, i)
	}
	slices.Sort(out)
	return out
}

// GroupMembers returns the device ids of a host group's members as the console
// shows them: dynamic rules evaluated now, hidden hosts left out (hidden hosts
// are hidden everywhere in the console, and the API's host and group-member
// queries leave them out too, so a client counting members sees these).
// Sorted; nil for an unknown group.
func (s *Server) GroupMembers(cid, groupID string) []string {
	return s.membersSnapshot(cid, groupID, false)
}

// GroupMembersAll is GroupMembers with hidden hosts included: the membership
// as stored. A hidden host keeps its groups, and shows in them again when it
// is unhidden.
func (s *Server) GroupMembersAll(cid, groupID string) []string {
	return s.membersSnapshot(cid, groupID, true)
}

func (s *Server) membersSnapshot(cid, groupID string, withHidden bool) []string {
	t := s.w.byCID[cid]
	if t == nil {
		return nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	g := t.groupByID[groupID]
	if g == nil {
		return nil
	}
	var out []string
	s.membersOf(t, g).each(func(i int) {
		if withHidden || t.hosts[i].flags&flHidden == 0 {
			out = append(out, s.w.ids.encode(t.idx, i))
		}
	})
	slices.Sort(out)
	return out
}

// HostGroups returns the host group ids of a tenant in creation order.
func (s *Server) HostGroups(cid string) []string {
	t := s.w.byCID[cid]
	if t == nil {
		return nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]string, len(t.groups))
	for i, g := range t.groups {
		out[i] = g.id
	}
	return out
}

func (s *Server) logError(what string, err error) {
	if s.cfg.logger != nil {
		s.cfg.logger.Error("falcontest: "+what, "err", err)
	}
}
