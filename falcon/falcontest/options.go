package falcontest

import (
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"
)

// Option configures a Server.
type Option func(*config)

// Faults are the probabilities (0–1) that a request is answered with an
// injected failure instead of (or, for resets on idempotent writes, after)
// being served. Faults never apply to /_sim/* and, unless IncludeToken is
// set, not to /oauth2/*.
type Faults struct {
	Rate429       float64 // 429 with X-Ratelimit-Retryafter ≈ now+1 s
	Rate500       float64 // 500 with the normal error envelope
	RateReset     float64 // connection reset (no HTTP reply at all)
	RateMalformed float64 // 200 whose JSON body is cut short
	// IncludeToken also subjects /oauth2/token and /oauth2/revoke to faults.
	IncludeToken bool
}

func (f Faults) any() bool {
	return f.Rate429 > 0 || f.Rate500 > 0 || f.RateReset > 0 || f.RateMalformed > 0
}

// String renders the faults in ParseFaults syntax.
func (f Faults) String() string {
	var parts []string
	add := func(k string, v float64) {
		if v > 0 {
			parts = append(parts, k+"="+strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	add("429", f.Rate429)
	add("500", f.Rate500)
	add("reset", f.RateReset)
	add("malformed", f.RateMalformed)
	if f.IncludeToken {
		parts = append(parts, "token=1")
	}
	return strings.Join(parts, ",")
}

// ParseFaults parses "429=0.05,500=0.02,reset=0.01,malformed=0.01" (any
// subset, any order; "5xx" is an alias of "500"; "token=1" sets
// IncludeToken). Rates must lie in [0,1] and sum to at most 1.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return f, nil
	}
	for item := range strings.SplitSeq(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			return Faults{}, fmt.Errorf("fault %q: want KIND=RATE", item)
		}
		rate, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || rate < 0 || rate > 1 {
			return Faults{}, fmt.Errorf("fault %q: rate must be a number between 0 and 1", item)
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "429":
			f.Rate429 = rate
		case "500", "5xx":
			f.Rate500 = rate
		case "reset":
			f.RateReset = rate
		case "malformed":
			f.RateMalformed = rate
		case "token":
			f.IncludeToken = rate > 0
		default:
			return Faults{}, fmt.Errorf("fault %q: unknown kind (want 429, 500, reset, malformed)", item)
		}
	}
	if f.Rate429+f.Rate500+f.RateReset+f.RateMalformed > 1 {
		return Faults{}, fmt.Errorf("faults %q: rates sum to more than 1", spec)
	}
	return f, nil
}

type unprovisioned struct {
	tenant int    // 0 = parent, i = i-th child
	prefix string // scope prefix, e.g. "zero-trust-assessment"
}

type clientSpec struct {
	name   string
	scopes []string
}

type config struct {
	seed          int64
	tenants       int
	hosts         int
	alerts        int // per tenant; <0 = derived from hosts
	latency       time.Duration
	rateLimit     int
	faults        Faults
	hostile       bool
	tokenLifetime time.Duration
	region        string
	addr          string
	listener      net.Listener
	clock         func() time.Time
	clients       []clientSpec
	unprov        []unprovisioned
	unprovSet     bool
	blocked       map[string]bool
	scrollExpiry  time.Duration
	logger        *slog.Logger
	redirectTo    string
	actionDelay   time.Duration
	bandwidth     int64   // bytes per second of the shared link; 0 = none
	tokenLimit    int     // /oauth2/token + /oauth2/revoke per minute per IP
	churn         float64 // share of hosts changed per simulated minute (WithChurn)
}

func defaultConfig() config {
	return config{
		seed:          1,
		tenants:       3,
		hosts:         1000,
		alerts:        -1,
		rateLimit:     6000,
		tokenLifetime: 1799 * time.Second,
		region:        "us-1",
		addr:          "127.0.0.1:0",
		clock:         time.Now,
		scrollExpiry:  2 * time.Minute,
		actionDelay:   5 * time.Second,
		blocked:       map[string]bool{},
		tokenLimit:    defaultTokenLimit,
	}
}

// WithSeed makes the generated data (CIDs, names, ids, secrets, hosts,
// groups, alerts) a pure function of seed. Default 1.
func WithSeed(seed int64) Option { return func(c *config) { c.seed = seed } }

// WithTenants sets the number of Flight Control child tenants (default 3;
// 0 = a stand-alone customer without children).
func WithTenants(n int) Option { return func(c *config) { c.tenants = max(n, 0) } }

// WithHosts sets the number of hosts per tenant, parent included (default 1000).
func WithHosts(n int) Option { return func(c *config) { c.hosts = max(n, 0) } }

// WithAlerts sets the number of alerts per tenant (default: between 200 and
// 400 for 1000 hosts, scaled with the host count, at most 3000).
func WithAlerts(n int) Option { return func(c *config) { c.alerts = max(n, 0) } }

// WithLatency adds d before every API reply (not /_sim/*). The wait ends
// early when the request's context is cancelled.
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = max(d, 0) } }

// WithRateLimit sets the requests per sliding minute per CID (default 6000).
func WithRateLimit(perMinute int) Option {
	return func(c *config) { c.rateLimit = max(perMinute, 1) }
}

// WithTokenRateLimit sets the budget of POST /oauth2/token and
// /oauth2/revoke together, per client IP and sliding minute (default 300,
// the real gateway's). Its replies carry X-Ratelimit-Limit and
// X-Ratelimit-Remaining of this budget; a refused call gets 429 with
// X-Ratelimit-Retryafter. The window follows WithClock.
func WithTokenRateLimit(perMinute int) Option {
	return func(c *config) { c.tokenLimit = max(perMinute, 1) }
}

// WithBandwidth puts every API reply (status line, headers and body) across
// one link of bytesPerSecond shared by all connections, like a WAN uplink,
// after WithLatency. It measures real time (not WithClock), so wall times
// of a load mean something; /_sim/* replies bypass it. 0 (the default)
// means no link model and no cost. ParseBandwidth reads "100Mbit" and the like.
func WithBandwidth(bytesPerSecond int64) Option {
	return func(c *config) { c.bandwidth = max(bytesPerSecond, 0) }
}

// WithFaults injects random failures; see Faults.
func WithFaults(f Faults) Option { return func(c *config) { c.faults = f } }

// WithHostile seeds hostile strings: terminal control sequences, bidi
// overrides, zero-width characters, wide characters and 10 KB strings in
// hostnames, tags, group names and alert texts.
func WithHostile(on bool) Option { return func(c *config) { c.hostile = on } }

// WithTokenLifetime sets expires_in of issued tokens (default 1799 s).
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) { c.tokenLifetime = max(d, time.Second) }
}

// WithRegion sets the cloud the server claims to be (X-Cs-Region), default "us-1".
func WithRegion(region string) Option { return func(c *config) { c.region = region } }

// WithAddr sets the listen address (default 127.0.0.1:0).
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithListener serves on l instead of listening itself, so a caller (the
// sim command) can report a listen error instead of NewServer panicking.
func WithListener(l net.Listener) Option { return func(c *config) { c.listener = l } }

// WithClock replaces time.Now for everything time-dependent: token expiry,
// rate-limit windows, scroll expiry, relative FQL times, containment delays
// and the generated timestamps (which are relative to the clock at start).
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithClient adds an API client with the given scopes ("devices:read", …).
// Its id and secret are derived from the seed and the name.
func WithClient(name string, scopes ...string) Option {
	return func(c *config) {
		c.clients = append(c.clients, clientSpec{name: name, scopes: append([]string(nil), scopes...)})
	}
}

// WithUnprovisioned makes the tenant with the given index (0 = parent,
// i = i-th child) lack the product whose scopes start with scopePrefix:
// its calls get 404 as if the route did not exist. The first use replaces
// the default (child 2 lacks "zero-trust-assessment"); WithUnprovisioned(-1, "")
// just clears the default.
func WithUnprovisioned(tenantIndex int, scopePrefix string) Option {
	return func(c *config) {
		if !c.unprovSet {
			c.unprov, c.unprovSet = nil, true
		}
		if tenantIndex >= 0 && scopePrefix != "" {
			c.unprov = append(c.unprov, unprovisioned{tenant: tenantIndex, prefix: strings.TrimSuffix(scopePrefix, ":")})
		}
	}
}

// WithBlockedClient simulates IP allowlisting for the named client: its
// token requests get 403 "access denied, authorization failed".
func WithBlockedClient(name string) Option { return func(c *config) { c.blocked[name] = true } }

// WithScrollExpiry sets how long a scroll/next/after token stays valid (default 2 min).
func WithScrollExpiry(d time.Duration) Option {
	return func(c *config) { c.scrollExpiry = max(d, time.Second) }
}

// WithLogger logs one debug line per request (method, path, status,
// duration, trace id) — never credentials or tokens.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithRedirectTo makes the server behave like the wrong cloud: POST
// /oauth2/token answers 308 Permanent Redirect with an empty body and
// Location: <url>/oauth2/token (url is typically another Server's URL).
func WithRedirectTo(url string) Option {
	return func(c *config) { c.redirectTo = strings.TrimSuffix(url, "/") }
}

// WithActionDelay sets how long "contain" and "lift_containment" stay
// pending before the host reports contained/normal (default 5 s; 0 = at once).
func WithActionDelay(d time.Duration) Option { return func(c *config) { c.actionDelay = max(d, 0) } }
