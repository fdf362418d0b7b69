package falcon

import (
	"context"
	"time"
)

// TokenKey names a cached access token: the API client it was issued to and the tenant it
// acts in. Keying by client id means a token is never handed to another API client, whose
// scopes may differ.
type TokenKey struct {
	ClientID string
	CID      string // "" = the home tenant (no member_cid), else the lower-case member CID
}

// TokenCache keeps access tokens across processes, so that a restart within a token's life
// spends no token call (docs/API.md §3). Its methods must be safe for concurrent use. They
// are best effort: a cache that cannot answer says ok false, and a Save or Delete that fails
// only costs a token call later. The tokens are secrets: a cache keeps them encrypted
// (falcon/store does) and never logs them.
type TokenCache interface {
	// Load returns the token saved for key and its expiry, ok false when there is none.
	Load(ctx context.Context, key TokenKey) (token string, expiry time.Time, ok bool)
	// Save keeps a freshly issued token until it expires.
	Save(ctx context.Context, key TokenKey, token string, expiry time.Time)
	// Delete forgets the token saved for key (the server rejected it).
	Delete(ctx context.Context, key TokenKey)
}

// cacheKey is the tenant's key in Config.TokenCache.
func (t *tenant) cacheKey() TokenKey { return TokenKey{ClientID: t.c.cfg.ClientID, CID: t.key} }

// fromCache takes the tenant's token from Config.TokenCache, the first time the tenant needs
// one: only while the cloud is known (a token from before cannot tell which cloud issued it,
// and discovery needs a token reply), and only a token that still has more than the renewal
// window to live. t.mu is not held.
func (t *tenant) fromCache(ctx context.Context) (bearer, bool) {
	cache := t.c.cfg.TokenCache
	if cache == nil || t.c.discovering() {
		return bearer{}, false
	}
	t.mu.Lock()
	tried := t.cacheTried
	t.cacheTried = true
	t.mu.Unlock()
	if tried {
		return bearer{}, false
	}
	tok, expiry, ok := cache.Load(ctx, t.cacheKey())
	if !ok || tok == "" {
		return bearer{}, false
	}
	now := t.c.clk.Now()
	if expiry.Sub(now) <= renewWindow {
		return bearer{}, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok != "" && now.Before(t.renewAt) {
		return bearer{t.tok, t.gen}, true // fetched meanwhile
	}
	t.tok = tok
	t.gen++
	t.expireAt = expiry
	t.renewAt = expiry.Add(-renewWindow)
	return bearer{t.tok, t.gen}, true
}

// saveToCache keeps a freshly fetched token in Config.TokenCache.
func (t *tenant) saveToCache(ctx context.Context, b bearer) {
	cache := t.c.cfg.TokenCache
	if cache == nil {
		return
	}
	t.mu.Lock()
	current, expiry := t.gen == b.gen && t.tok == b.access, t.expireAt
	t.mu.Unlock()
	if current {
		cache.Save(ctx, t.cacheKey(), b.access, expiry)
	}
}

// learnRegion names the cloud from an API reply's X-Cs-Region when a custom base URL left it
// unknown: a token reply names it (afterToken), but a token taken from the cache brought none.
func (c *Client) learnRegion(region string) {
	if region == "" || c.cfg.BaseURL == "" {
		return
	}
	c.mu.RLock()
	known := c.cloud != CloudAuto && c.cloud != ""
	c.mu.RUnlock()
	if known {
		return
	}
	if cl, err := ParseCloud(region); err == nil && cl != CloudAuto {
		c.mu.Lock()
		if c.cloud == CloudAuto || c.cloud == "" {
			c.cloud = cl
		}
		c.mu.Unlock()
	}
}
