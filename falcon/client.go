// Package falcon is a thin, context-first client for the CrowdStrike Falcon API, in the
// style of google/go-github: one Client, one service per API area, typed errors that
// match sentinels with errors.Is, and the rate-limit state visible to callers.
//
// A Client holds one API client's credentials and acts in any number of tenants: the home
// CID of the credentials and its Flight Control children (one cached token per tenant,
// fetched with member_cid). Every method takes the tenant's CID; "" is the tenant the
// client starts in (Config.MemberCID, else the home tenant).
//
// The client knows nothing about the simulated cloud in falcon/falcontest: tests point it
// at the simulator with Config.BaseURL, exactly as a user points it at a real cloud.
package falcon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultMaxRetries bounds the retries of one request after 429s, transient 5xx replies,
// connection resets and malformed bodies.
const DefaultMaxRetries = 5

// Config configures a Client. ClientSecret is used only to fetch tokens and is never logged.
type Config struct {
	ClientID     string
	ClientSecret string
	Cloud        Cloud  // CloudAuto discovers the cloud from the token reply
	BaseURL      string // overrides Cloud; plain http only for loopback hosts
	MemberCID    string // the tenant the client starts in ("" = the home CID of the credentials)
	HTTPClient   *http.Client
	UserAgent    string
	ReadOnly     bool      // write calls fail with ErrReadOnly before anything is sent
	DebugLog     io.Writer // one line per call, secrets and tokens redacted; nil = off
	CallLogSize  int       // records Client.Calls keeps; 0 = DefaultCallLogSize (docs/API.md §19)
	CallLog      *CallLog  // shared by a session's clients instead of a log of their own; see NewCallLog
	MaxRetries   int       // per request for 429/5xx/resets; 0 = default (5)
	// TokenCache keeps access tokens across processes (docs/API.md §3): a token it holds
	// that still has more than the renewal window to live is used instead of a token call,
	// every token fetched is saved to it, and one the server rejects is deleted from it.
	// With a cache, Close leaves the tokens to expire instead of revoking them, so that the
	// next start can use them. nil = tokens live as long as the client.
	TokenCache TokenCache
	// Clock measures and waits out token lifetimes, rate-limit windows, cooldowns and
	// back-offs; nil = the real clock. Tests give the client and the simulator one
	// virtual clock (falcon/clocktest) so that fault tests do not sleep.
	Clock Clock
}

// Client talks to one Falcon cloud with one API client, in any number of tenants.
type Client struct {
	Tenants    *TenantsService
	Hosts      *HostsService
	HostGroups *HostGroupsService
	Alerts     *AlertsService
	ZTA        *ZTAService
	Sensors    *SensorsService
	Users      *UsersService

	cfg        Config
	httpClient *http.Client // API calls
	tokenHTTP  *http.Client // token and revoke calls: follows 308 to Falcon hosts only
	userAgent  string
	retry      retryPolicy
	calls      *CallLog // every exchange, also feeding Config.DebugLog
	clk        Clock

	// Tuning knobs, fixed after New; tests in this package lower them.
	scrollLimit   int // ids per scroll page (API max 10000; caracara/falconpy use 5000)
	detailBatch   int // ids per entities POST (API max 5000)
	detailWorkers int // concurrent entities POSTs per stream
	memberChunk   int // hosts per host-group action
	combinedPage  int // hosts per combined devices page (API max 10000)

	discoverSem chan struct{} // one slot: serialises cloud discovery across tenants (a wait that ctx can end)
	home        homeLearner

	mu         sync.RWMutex
	baseURL    *url.URL
	cloud      Cloud  // the cloud in use; CloudAuto until discovered (or when BaseURL is custom)
	homeCID    string // lower case; "" until known
	defaultID  string // lower case MemberCID
	discovered bool
	tenants    map[string]*tenant // by tenant key (see tenantKey)

	rates *rateHub

	pacerMu    sync.Mutex
	pacersHeld map[string]*tokenPacer // the token endpoint's pacers this client uses, by host
}

// New validates cfg and returns a client. It does no network IO.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.ClientID) == "" || cfg.ClientSecret == "" {
		return nil, errors.New("falcon: client id and secret are required")
	}
	cloud := cfg.Cloud
	if cloud == "" {
		cloud = CloudAuto
	}
	if cloud != CloudAuto && cloud.Host() == "" {
		return nil, fmt.Errorf("falcon: unknown cloud %q", cfg.Cloud)
	}
	if cfg.MemberCID != "" && !validCID(cfg.MemberCID) {
		return nil, fmt.Errorf("falcon: member CID %q is not a 32-hex-digit CID", cfg.MemberCID)
	}
	c := &Client{
		cfg:           cfg,
		userAgent:     cfg.UserAgent,
		retry:         retryPolicy{maxRetries: cfg.MaxRetries, backoffBase: 250 * time.Millisecond, backoffMax: 30 * time.Second},
		clk:           realClock{},
		scrollLimit:   5000,
		detailBatch:   5000,
		detailWorkers: 4,
		memberChunk:   500,
		combinedPage:  combinedLimit,
		cloud:         cloud,
		defaultID:     normalizeCID(cfg.MemberCID),
		tenants:       map[string]*tenant{},
		discoverSem:   make(chan struct{}, 1),
	}
	if cfg.Clock != nil {
		c.clk = cfg.Clock
	}
	if c.userAgent == "" {
		c.userAgent = "falcon-tui-client"
	}
	if c.retry.maxRetries <= 0 {
		c.retry.maxRetries = DefaultMaxRetries
	}
	switch {
	case cfg.BaseURL != "":
		u, err := parseBaseURL(cfg.BaseURL)
		if err != nil {
			return nil, err
		}
		c.baseURL = u
	case cloud == CloudAuto:
		// Discovery starts at us-1, like falconpy and gofalcon.
		c.baseURL, _ = url.Parse(CloudUS1.BaseURL())
	default:
		c.baseURL, _ = url.Parse(cloud.BaseURL())
	}
	// API calls never follow redirects (only token and revoke calls do, see
	// checkTokenRedirect); a copy keeps the caller's client untouched.
	c.httpClient = &http.Client{Transport: defaultTransport()}
	if cfg.HTTPClient != nil {
		hc := *cfg.HTTPClient
		c.httpClient = &hc
	}
	c.httpClient.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.tokenHTTP = &http.Client{
		Transport:     c.httpClient.Transport,
		CheckRedirect: c.checkTokenRedirect,
		Jar:           nil,
	}
	if c.tokenHTTP.Transport == nil {
		c.tokenHTTP.Transport = http.DefaultTransport
	}
	c.calls = cfg.CallLog
	if c.calls == nil {
		c.calls = NewCallLog(cfg.CallLogSize, cfg.DebugLog)
	}
	c.tokenHTTP.Transport = &tokenLogTransport{base: c.tokenHTTP.Transport, c: c}
	c.rates = newRateHub(c)

	c.Tenants = &TenantsService{client: c}
	c.Hosts = &HostsService{client: c}
	c.HostGroups = &HostGroupsService{client: c}
	c.Alerts = &AlertsService{client: c}
	c.ZTA = &ZTAService{client: c}
	c.Sensors = &SensorsService{client: c}
	c.Users = &UsersService{client: c}
	return c, nil
}

// defaultTransport keeps enough idle connections per host for pipelined detail calls
// across many tenants (net/http keeps only 2 by default, so the rest would reconnect).
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.ResponseHeaderTimeout = 2 * time.Minute
	return t
}

// parseBaseURL accepts https URLs, and plain http only for loopback hosts so that a
// secret never crosses a network in clear text.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(raw), "/"))
	if err != nil {
		return nil, fmt.Errorf("falcon: base URL: %w", err)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("falcon: base URL %q: want scheme://host[:port][/path]", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("falcon: base URL %q: plain http is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost)", raw)
		}
	default:
		return nil, fmt.Errorf("falcon: base URL %q: scheme must be https", raw)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Connect gets the first token (discovering the cloud when Cloud is auto), so that credential,
// allow-list and network problems surface at once with their own error.
//
// It then learns the home CID (see ensureHomeCID), so that a call naming it uses the home
// token from the start; an API client whose scopes reveal it nowhere still connects.
func (c *Client) Connect(ctx context.Context) error {
	// The home token first: it discovers the cloud when that is pending.
	if _, err := c.tenantByKey("").token(ctx); err != nil {
		return err
	}
	if err := c.ensureHomeCID(ctx); err != nil {
		return err
	}
	if k := c.tenantKey(""); k != "" {
		// Config.MemberCID names a child: its token proves the CID is one.
		if _, err := c.tenantByKey(k).token(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Cloud is the cloud the client talks to (after discovery). With a custom BaseURL it is
// the region the replies name, if any.
func (c *Client) Cloud() Cloud {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.cloud
}

// BaseURL is the API base URL in use.
func (c *Client) BaseURL() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.baseURL.String()
}

func (c *Client) base() *url.URL {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.baseURL
}

// ClientID is the API client's ID (not secret).
func (c *Client) ClientID() string { return c.cfg.ClientID }

// HomeCID is the CID the credentials belong to, once known ("" before Connect or when no
// endpoint the client may read reveals it).
func (c *Client) HomeCID() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.homeCID
}

// setHomeCID records the home CID the first time an endpoint reveals it.
func (c *Client) setHomeCID(cid string) {
	cid = normalizeCID(cid)
	if cid == "" {
		return
	}
	c.mu.Lock()
	if c.homeCID == "" {
		c.homeCID = cid
	}
	c.mu.Unlock()
}

// ReadOnly reports whether write calls are refused.
func (c *Client) ReadOnly() bool { return c.cfg.ReadOnly }

// Close revokes the tokens the client holds and stops background work. With a
// Config.TokenCache it revokes nothing: the tokens are kept for the next start and expire on
// their own (docs/API.md §3). It returns by
// ctx's deadline whatever is in flight (without one, within closeBudget): revoking is
// best effort (docs/API.md §3) — tokens the token endpoint's budget has no room for
// before the deadline are not revoked, nor waited for; they expire on their own.
// Revocations still on the wire when the deadline comes are abandoned.
func (c *Client) Close(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, closeBudget)
		defer cancel()
	}
	c.mu.Lock()
	ts := make([]*tenant, 0, len(c.tenants))
	if c.cfg.TokenCache == nil {
		for _, t := range c.tenants {
			ts = append(ts, t)
		}
	}
	c.mu.Unlock()
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	for _, t := range ts {
		wg.Go(func() {
			err := t.revoke(ctx)
			if err != nil && !errors.Is(err, ErrTokenBudget) && ctx.Err() == nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	c.rates.close()
	c.releasePacers()
	mu.Lock()
	defer mu.Unlock()
	return errors.Join(errs...)
}

// closeBudget bounds Close when its context has no deadline.
const closeBudget = 3 * time.Second

// tenantKey maps a CID as callers pass it to the key of its token and rate state: "" for
// the home tenant (no member_cid), else the lower-case CID.
func (c *Client) tenantKey(cid string) string {
	k := normalizeCID(cid)
	c.mu.RLock()
	defer c.mu.RUnlock()
	if k == "" {
		k = c.defaultID
	}
	if k != "" && k == c.homeCID {
		return ""
	}
	return k
}

// tenant returns the state of the tenant cid, creating it on first use.
func (c *Client) tenant(cid string) *tenant { return c.tenantByKey(c.tenantKey(cid)) }

// tenantByKey returns the state of the tenant with the given key ("" = home).
func (c *Client) tenantByKey(key string) *tenant {
	c.mu.RLock()
	t := c.tenants[key]
	c.mu.RUnlock()
	if t != nil {
		return t
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t = c.tenants[key]; t == nil {
		t = newTenant(c, key)
		c.tenants[key] = t
	}
	return t
}

// displayCID is the CID to show for a tenant key ("" while the home CID is unknown).
func (c *Client) displayCID(key string) string {
	if key != "" {
		return key
	}
	return c.HomeCID()
}

func normalizeCID(cid string) string {
	cid = strings.ToLower(strings.TrimSpace(cid))
	// CCIDs carry a checksum suffix ("<cid>-<checksum>"); the CID is the part before it.
	if i := strings.IndexByte(cid, '-'); i == 32 {
		cid = cid[:32]
	}
	return cid
}

func validCID(cid string) bool {
	cid = normalizeCID(cid)
	if len(cid) != 32 {
		return false
	}
	for _, r := range cid {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}
