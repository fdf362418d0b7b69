package falcontest

import (
	"math/rand/v2"
	"sync"
	"time"
)

// WithChurn makes hosts change over time, so that delta refreshes can be tested: every
// simulated minute, a share rate of each tenant's hosts (0.01 = 1%) changes. A change is, in
// the main, a new last_seen and sometimes a new sensor version; one in ten hides the host
// (it leaves the host queries, as a removed host does) and a hidden host that is picked comes
// back (it reappears, as an added one does). Every change sets the host's modified_timestamp to
// the moment it happened, so modified_timestamp:>'T' finds exactly the hosts changed after T.
//
// Changes follow the server's clock (WithClock): they are applied, spread over the time
// that passed, when a request arrives, so a test advances a virtual clock instead of
// sleeping. The changes are a pure function of the seed and the clock's readings.
func WithChurn(rate float64) Option { return func(c *config) { c.churn = max(rate, 0) } }

// churner applies WithChurn's changes lazily, on the server's clock.
type churner struct {
	rate  float64
	mu    sync.Mutex
	at    time.Time // changes are applied up to here
	carry []float64 // per tenant: the fraction of a change not yet made
	rnd   *rand.Rand
}

func newChurner(rate float64, seed int64, start time.Time, tenants int) *churner {
	if rate <= 0 {
		return nil
	}
	return &churner{rate: rate, at: start, carry: make([]float64, tenants), rnd: newRand(seed, 0xc4a2)}
}

// churn applies the changes due between the last call and now.
func (s *Server) churn(now time.Time) {
	ch := s.churner
	if ch == nil {
		return
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	elapsed := now.Sub(ch.at)
	if elapsed <= 0 {
		return
	}
	from := ch.at
	ch.at = now
	for ti, t := range s.w.tenants {
		due := ch.carry[ti] + ch.rate*elapsed.Minutes()*float64(len(t.hosts))
		n := int(due)
		ch.carry[ti] = due - float64(n)
		if n == 0 || len(t.hosts) == 0 {
			continue
		}
		t.mu.Lock()
		for k := range n {
			// Spread over the interval, to the second (the API's timestamps have no more),
			// and always after the previous call's moment.
			at := from.Add(time.Duration(float64(elapsed) * float64(k+1) / float64(n)))
			sec := max(at.Unix(), from.Unix()+1)
			if sec > now.Unix() {
				sec = now.Unix()
			}
			h := &t.hosts[ch.rnd.IntN(len(t.hosts))]
			switch {
			case h.flags&flHidden != 0:
				h.flags &^= flHidden // it comes back
			case ch.rnd.IntN(10) == 0:
				h.flags |= flHidden // it goes
			default:
				h.lastSeen = sec
				if agents := len(osProfiles[h.os].agents); agents > 1 && ch.rnd.IntN(3) == 0 {
					h.agent = uint8((int(h.agent) + 1) % agents) // a sensor update
				}
			}
			h.modified = sec
		}
		t.hostVersion.Add(1)
		t.version.Add(1)
		t.mu.Unlock()
	}
}
