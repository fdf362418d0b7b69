package store

import (
	"context"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// tokenCacheTimeout bounds one token read or write: the cache saves a token call at best, so a
// store another process is writing to must not hold a request for the full busy timeout.
const tokenCacheTimeout = time.Second

// TokenCache is the store as a falcon.TokenCache: the access tokens of every API client and
// tenant, encrypted like the rest (docs/STORE.md). It is best effort: a store that cannot be
// read or written answers "none" and forgets the write; the client then spends a token call.
func (s *Store) TokenCache() falcon.TokenCache { return tokenCache{s} }

type tokenCache struct{ s *Store }

func (c tokenCache) Load(ctx context.Context, k falcon.TokenKey) (string, time.Time, bool) {
	ctx, cancel := context.WithTimeout(ctx, tokenCacheTimeout)
	defer cancel()
	t, ok, err := c.s.Token(ctx, k.ClientID, k.CID)
	if err != nil || !ok {
		return "", time.Time{}, false
	}
	return t.Value, t.Expiry, true
}

func (c tokenCache) Save(ctx context.Context, k falcon.TokenKey, tok string, expiry time.Time) {
	ctx, cancel := context.WithTimeout(ctx, tokenCacheTimeout)
	defer cancel()
	_ = c.s.PutToken(ctx, k.ClientID, k.CID, Token{Value: tok, Expiry: expiry})
}

func (c tokenCache) Delete(ctx context.Context, k falcon.TokenKey) {
	ctx, cancel := context.WithTimeout(ctx, tokenCacheTimeout)
	defer cancel()
	_ = c.s.PutToken(ctx, k.ClientID, k.CID, Token{})
}
