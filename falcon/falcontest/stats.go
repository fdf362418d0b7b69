package falcontest

import (
	"encoding/json"
	"maps"
	"net/http"
	"strconv"
	"sync"
)

// Stats counts the API traffic the server saw (GET /_sim/stats serves the
// same numbers as JSON). /_sim/* requests are not counted.
type Stats struct {
	// RequestsTotal counts every request outside /_sim/.
	RequestsTotal int64 `json:"requests_total"`
	// ByOperation is keyed "METHOD /path" (e.g. "GET /devices/queries/devices-scroll/v1");
	// requests to unknown paths count under "unknown".
	ByOperation map[string]int64 `json:"by_operation"`
	// ByStatus is keyed by the HTTP status sent ("200", "429", …); a
	// connection reset counts as "reset".
	ByStatus map[string]int64 `json:"by_status"`
	// ByTenant is keyed by the CID the request's token acts in.
	ByTenant map[string]int64 `json:"by_tenant"`
	// Throttled429 counts every 429 sent (rate limit or injected fault).
	Throttled429 int64 `json:"throttled_429"`
	// Writes counts state-changing calls that were applied (2xx writes,
	// plus idempotent writes applied before an injected reset). Scope
	// probes and read-only sessions must leave it at 0.
	Writes int64 `json:"writes"`
	// AlertsUpdated counts the alerts changed by applied alert PATCHes (v2 and v3), one per
	// alert per call.
	AlertsUpdated int64 `json:"alerts_updated"`
	// BytesSent counts the reply bytes put on the wire: status line and
	// headers (as net/http writes them, Date included) plus the body.
	BytesSent int64 `json:"bytes_sent"`
	// BytesByOperation splits BytesSent by operation, keyed as ByOperation.
	BytesByOperation map[string]int64 `json:"bytes_by_operation"`
}

type statsCollector struct {
	mu sync.Mutex
	s  Stats
}

func newStatsCollector() *statsCollector {
	c := &statsCollector{}
	c.resetLocked()
	return c
}

func (c *statsCollector) resetLocked() {
	c.s = Stats{ByOperation: map[string]int64{}, ByStatus: map[string]int64{}, ByTenant: map[string]int64{},
		BytesByOperation: map[string]int64{}}
}

func (c *statsCollector) addBytes(opKey string, n int) {
	c.mu.Lock()
	c.s.BytesSent += int64(n)
	c.s.BytesByOperation[opKey] += int64(n)
	c.mu.Unlock()
}

func (c *statsCollector) addAlertUpdates(n int) {
	c.mu.Lock()
	c.s.AlertsUpdated += int64(n)
	c.mu.Unlock()
}

func (c *statsCollector) record(opKey, status, cid string, write bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.RequestsTotal++
	c.s.ByOperation[opKey]++
	c.s.ByStatus[status]++
	if cid != "" {
		c.s.ByTenant[cid]++
	}
	if status == "429" {
		c.s.Throttled429++
	}
	if write {
		c.s.Writes++
	}
}

func (c *statsCollector) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.s
	out.ByOperation = maps.Clone(c.s.ByOperation)
	out.ByStatus = maps.Clone(c.s.ByStatus)
	out.ByTenant = maps.Clone(c.s.ByTenant)
	out.BytesByOperation = maps.Clone(c.s.BytesByOperation)
	return out
}

// Stats returns a copy of the traffic counters.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// ResetStats zeroes the traffic counters.
func (s *Server) ResetStats() {
	s.stats.mu.Lock()
	s.stats.resetLocked()
	s.stats.mu.Unlock()
}

// serveSim answers /_sim/*: GET /_sim/stats, DELETE /_sim/stats (reset).
// No auth, no faults, no latency, not counted.
func (s *Server) serveSim(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path == "/_sim/stats" && r.Method == http.MethodGet:
		b, _ := json.Marshal(s.Stats())
		_, _ = w.Write(append(b, '\n'))
	case r.URL.Path == "/_sim/stats" && r.Method == http.MethodDelete:
		s.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	case r.URL.Path == "/_sim/stats":
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = w.Write([]byte(`{"error":"method not allowed"}` + "\n"))
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":"not found"}` + "\n"))
	}
}

func statusKey(code int) string { return strconv.Itoa(code) }
