package falcon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/sync/singleflight"
)

// Token renewal: like falconpy, a token is renewed this long before it expires, so that a
// request never leaves with a token that dies in flight. Short-lived tokens (seen in tests
// and possible on some clouds) use a fifth of their life instead.
const renewWindow = 120 * time.Second

// tenant is the client's state for one CID: its cached token and its rate-limit pool.
type tenant struct {
	c    *Client
	key  string // "" = home tenant (no member_cid), else the lower-case member CID
	rate *rateState

	fetches    singleflight.Group // one token fetch at a time, shared by every caller
	foreground atomic.Int32       // foreground callers waiting for a fetch

	mu       sync.Mutex
	tok      string
	gen      uint64    // increments with every new token; lets a 401 invalidate only the token it saw
	renewAt  time.Time // renew from here on
	expireAt time.Time

	cacheTried bool // Config.TokenCache was asked for this tenant's token (once per client)
	dropCached bool // the server rejected the token: delete the cached copy before the next fetch
}

func newTenant(c *Client, key string) *tenant {
	return &tenant{c: c, key: key, rate: c.rates.state(key)}
}

// bearer is a token as a request uses it.
type bearer struct {
	access string
	gen    uint64
}

// token returns a valid token, fetching one when none is cached or the cached one is due
// for renewal. Concurrent callers share one fetch (singleflight); each waits only as long
// as its own context lets it.
func (t *tenant) token(ctx context.Context) (bearer, error) {
	if b, ok := t.cached(); ok {
		return b, nil
	}
	// The fetch runs under the context of the caller that started it, and is foreground
	// work while any foreground caller waits for it, whoever started it (docs/API.md §3).
	if priorityOf(ctx) == Foreground {
		if t.foreground.Add(1) == 1 {
			t.c.pacer(t.c.base().Host).wake()
		}
		defer t.foreground.Add(-1)
	}
	for {
		if b, ok := t.cached(); ok {
			return b, nil
		}
		ch := t.fetches.DoChan("", func() (any, error) { return t.refresh(withPriorityFunc(ctx, t.fetchPriority)) })
		select {
		case r := <-ch:
			if r.Err == nil {
				return r.Val.(bearer), nil
			}
			if isContextErr(r.Err) && ctx.Err() == nil {
				continue // the fetcher's cancellation is not ours: fetch again
			}
			return bearer{}, r.Err
		case <-ctx.Done():
			return bearer{}, context.Cause(ctx)
		}
	}
}

// fetchPriority is the priority of the tenant's token fetch in flight.
func (t *tenant) fetchPriority() Priority {
	if t.foreground.Load() > 0 {
		return Foreground
	}
	return Background
}

// cached returns the cached token unless it is due for renewal.
func (t *tenant) cached() (bearer, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok != "" && t.c.clk.Now().Before(t.renewAt) {
		return bearer{t.tok, t.gen}, true
	}
	return bearer{}, false
}

// refresh fetches a token and stores it. A renewal that fails for a transient reason keeps
// the old token while it still works.
func (t *tenant) refresh(ctx context.Context) (bearer, error) {
	t.mu.Lock()
	if t.tok != "" && t.c.clk.Now().Before(t.renewAt) {
		// Renewed by a fetch that ended while this caller was on its way here.
		b := bearer{t.tok, t.gen}
		t.mu.Unlock()
		return b, nil
	}
	old, oldExpiry := t.tok, t.expireAt
	drop := t.dropCached
	t.dropCached = false
	t.mu.Unlock()

	if drop {
		// The server rejected the token the cache holds: forget it before fetching anew.
		t.c.cfg.TokenCache.Delete(ctx, t.cacheKey())
	} else if b, ok := t.fromCache(ctx); ok {
		return b, nil
	}

	tok, err := t.fetch(ctx)

	t.mu.Lock()
	switch {
	case err == nil:
		t.setToken(tok)
	case old != "" && t.tok == old && t.c.clk.Now().Before(oldExpiry) && !isAuthRefusal(err):
		// Renewal failed for a transient reason but the old token still works.
	default:
		t.mu.Unlock()
		return bearer{}, err
	}
	b := bearer{t.tok, t.gen}
	t.mu.Unlock()
	if err == nil {
		t.saveToCache(ctx, b)
	}
	return b, nil
}

// setToken stores a fresh token; t.mu is held.
func (t *tenant) setToken(tok *oauth2.Token) {
	now := t.c.clk.Now()
	life := time.Until(tok.Expiry) // x/oauth2 computes Expiry from expires_in with time.Now
	if tok.Expiry.IsZero() || life <= 0 {
		life = 30 * time.Minute
	}
	window := min(renewWindow, life/5)
	t.tok = tok.AccessToken
	t.gen++
	t.expireAt = now.Add(life)
	t.renewAt = now.Add(life - window)
}

// invalidate drops the token a request was rejected with (a 401), unless a newer one has
// replaced it already.
// With a token cache the cached copy goes too: the next fetch deletes it first.
func (t *tenant) invalidate(gen uint64) {
	t.mu.Lock()
	if t.gen == gen {
		t.tok = ""
		t.dropCached = t.c.cfg.TokenCache != nil
	}
	t.mu.Unlock()
}

// fetch gets a new token, discovering the cloud first if that is still pending.
func (t *tenant) fetch(ctx context.Context) (*oauth2.Token, error) {
	if t.c.discovering() {
		tok, err := t.c.discover(ctx, t)
		if err != nil || tok != nil {
			return tok, err
		}
	}
	tok, _, err := t.requestToken(ctx)
	if err != nil && t.key != "" && errors.Is(err, ErrInvalidCredentials) {
		// Falcon may answer a member_cid that is not a child like a bad secret. If the same
		// credentials work without member_cid, the CID is the problem.
		home := t.c.tenantByKey("")
		if b, herr := home.token(ctx); herr == nil {
			// Unless the "member" is the home tenant itself (sendKey learns the home CID
			// before a member token is used, but a CID learned only later, from the
			// children list, can still meet an older tenant entry): then the home
			// token is the right one.
			if t.c.HomeCID() == t.key {
				home.mu.Lock()
				exp := home.expireAt
				home.mu.Unlock()
				return &oauth2.Token{AccessToken: b.access, Expiry: time.Now().Add(exp.Sub(t.c.clk.Now()))}, nil
			}
			return nil, withKind(err, ErrNotChild)
		}
	}
	return tok, err
}

// tokenTrace is what the token transport saw of the last hop of a token request.
type tokenTrace struct {
	status     int
	region     string
	final      *url.URL // the URL that finally answered (after a followed 308)
	retryAfter string
	traceID    string
}

type tokenTraceKey struct{}

// requestToken runs the client-credentials flow for this tenant at the current base URL,
// retrying 429s, 5xx replies and network failures within the client's bounds.
func (t *tenant) requestToken(ctx context.Context) (*oauth2.Token, *tokenTrace, error) {
	c := t.c
	netFailures := 0
	for attempt := 1; ; attempt++ {
		tr := &tokenTrace{}
		cc := clientcredentials.Config{
			ClientID:     c.cfg.ClientID,
			ClientSecret: c.cfg.ClientSecret,
			TokenURL:     c.base().JoinPath("/oauth2/token").String(),
			AuthStyle:    oauth2.AuthStyleInParams,
		}
		if t.key != "" {
			cc.EndpointParams = url.Values{"member_cid": {t.key}}
		}
		rctx := context.WithValue(ctx, oauth2.HTTPClient, c.tokenHTTP)
		rctx = context.WithValue(rctx, tokenTraceKey{}, tr)
		rctx = withLogInfo(rctx, c.displayCID(t.key), attempt)
		tok, err := cc.Token(rctx)
		if err == nil {
			c.afterToken(tr)
			return tok, tr, nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, tr, context.Cause(ctx)
		}
		if errors.Is(err, ErrTokenBudget) {
			return nil, tr, &AuthError{MemberCID: t.key, kind: ErrRateLimited, cause: ErrTokenBudget}
		}
		aerr := t.tokenError(err, tr)
		if aerr.kind == ErrUnreachable {
			netFailures++
		}
		// A cloud that cannot be dialled rarely comes back within seconds: say so soon.
		if attempt > c.retry.maxRetries || !retryableAuth(aerr) || netFailures > maxTokenNetRetries {
			return nil, tr, aerr
		}
		wait := c.retry.backoff(attempt)
		if aerr.StatusCode == http.StatusTooManyRequests {
			// The token pacer holds every token and revoke call until the 429's
			// Retryafter (one cooldown for all waiters): no wait of this call's own.
			wait = 0
		}
		if err := c.clk.Sleep(ctx, wait); err != nil {
			return nil, tr, err
		}
	}
}

// maxTokenNetRetries bounds the retries of a token request that got no reply at all.
const maxTokenNetRetries = 2

// retryableAuth: the token endpoint's 429 and 5xx, and replies that never arrived.
func retryableAuth(e *AuthError) bool {
	switch {
	case e.StatusCode == http.StatusTooManyRequests, e.StatusCode >= 500:
		return true
	case e.StatusCode == 0 && e.kind == ErrUnreachable:
		return true
	case e.StatusCode == 0 && e.kind == nil: // unparsable reply
		return true
	}
	return false
}

// tokenError maps a failed token request onto the sentinels (docs/API.md §2): the
// endpoint's words decide between an IP allow-list block and bad credentials.
func (t *tenant) tokenError(err error, tr *tokenTrace) *AuthError {
	ae := &AuthError{MemberCID: t.key, cause: err, TraceID: tr.traceID}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		if isNetworkError(err) {
			ae.kind = ErrUnreachable
		}
		return ae
	}
	ae.cause = nil // the oauth2 text repeats the body; Message carries it cleanly
	ae.StatusCode = re.Response.StatusCode
	var env struct {
		Meta   wireMeta    `json:"meta"`
		Errors []ErrorItem `json:"errors"`
	}
	if json.Unmarshal(re.Body, &env) == nil {
		ae.Message = joinMessages(env.Errors)
		if env.Meta.TraceID != "" {
			ae.TraceID = env.Meta.TraceID
		}
	}
	if ae.Message == "" && re.ErrorDescription != "" {
		ae.Message = re.ErrorDescription
	}
	ae.Message, ae.TraceID = cleanText(ae.Message), cleanText(ae.TraceID)
	msg := strings.ToLower(ae.Message)
	switch s := ae.StatusCode; {
	case s == http.StatusForbidden && strings.Contains(msg, "access denied, authorization failed"):
		ae.kind = ErrIPBlocked
	case t.key != "" && (strings.Contains(msg, "member_cid") || strings.Contains(msg, "member cid") ||
		strings.Contains(msg, "not a child") || strings.Contains(msg, "child")):
		ae.kind = ErrNotChild
	case s == http.StatusBadRequest, s == http.StatusUnauthorized, s == http.StatusForbidden:
		ae.kind = ErrInvalidCredentials
	case s == http.StatusPermanentRedirect, s == http.StatusTemporaryRedirect:
		ae.Message = "redirected to " + cleanText(re.Response.Header.Get("Location")) +
			", which is not a Falcon API host: the token request was not resent there"
	case s == http.StatusTooManyRequests:
		ae.kind = ErrRateLimited
	}
	return ae
}

// withKind returns a copy of an AuthError with another sentinel.
func withKind(err error, kind error) error {
	var ae *AuthError
	if errors.As(err, &ae) {
		cp := *ae
		cp.kind = kind
		return &cp
	}
	return err
}

// isAuthRefusal reports errors that a retry with the same credentials cannot fix.
func isAuthRefusal(err error) bool {
	return errors.Is(err, ErrInvalidCredentials) || errors.Is(err, ErrIPBlocked) || errors.Is(err, ErrNotChild)
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// revoke returns the tenant's token to the cloud (POST /oauth2/revoke, basic auth).
func (t *tenant) revoke(ctx context.Context) error {
	t.mu.Lock()
	tok := t.tok
	t.tok = ""
	t.mu.Unlock()
	if tok == "" {
		return nil
	}
	return t.c.revokeToken(ctx, t.key, tok)
}

func (c *Client) revokeToken(ctx context.Context, key, tok string) error {
	form := url.Values{"token": {tok}}
	req, err := http.NewRequestWithContext(withLogInfo(ctx, c.displayCID(key), 1), http.MethodPost,
		c.base().JoinPath("/oauth2/revoke").String(), strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.SetBasicAuth(c.cfg.ClientID, c.cfg.ClientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.tokenHTTP.Do(req)
	if err != nil {
		return &AuthError{MemberCID: key, kind: ErrUnreachable, cause: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return &AuthError{MemberCID: key, StatusCode: resp.StatusCode, Message: "token revocation refused"}
	}
	return nil
}
