package falcontest

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// session is what an access token stands for on the server side.
type session struct {
	client  *apiClient
	tenant  *tenant // the CID the token acts in (member_cid or the parent)
	expires time.Time
}

type tokenStore struct {
	mu sync.Mutex
	m  map[string]*session
}

func newTokenStore() *tokenStore { return &tokenStore{m: map[string]*session{}} }

func (ts *tokenStore) issue(sess *session, now time.Time) string {
	tok := newJWTLike(sess, now)
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.m) > 4096 { // forget expired tokens now and then
		for k, v := range ts.m {
			if now.After(v.expires) {
				delete(ts.m, k)
			}
		}
	}
	ts.m[tok] = sess
	return tok
}

func (ts *tokenStore) lookup(tok string, now time.Time) *session {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	sess := ts.m[tok]
	if sess == nil || !now.Before(sess.expires) {
		return nil
	}
	return sess
}

func (ts *tokenStore) revoke(tok string) {
	ts.mu.Lock()
	delete(ts.m, tok)
	ts.mu.Unlock()
}

// newJWTLike makes a token that looks like the real JWT (three base64url
// parts) but is opaque to the server: only the token store gives it meaning.
func newJWTLike(sess *session, now time.Time) string {
	enc := base64.RawURLEncoding
	var jti, sig [32]byte
	_, _ = rand.Read(jti[:])
	_, _ = rand.Read(sig[:])
	hdr, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": "falcontest", "typ": "JWT"})
	claims, _ := json.Marshal(map[string]any{
		"aud":       "public",
		"client_id": sess.client.id,
		"exp":       sess.expires.Unix(),
		"iat":       now.Unix(),
		"iss":       "https://api.crowdstrike.com/",
		"jti":       enc.EncodeToString(jti[:16]),
		"nbf":       now.Unix(),
		"sub":       sess.client.id,
	})
	return enc.EncodeToString(hdr) + "." + enc.EncodeToString(claims) + "." + enc.EncodeToString(sig[:])
}

// tokenResponse is domain.AccessTokenResponseV1.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

// clientCredentials reads client_id/secret from the form or, as x/oauth2
// tries first, from an HTTP Basic header.
func clientCredentials(r *http.Request) (id, secret string) {
	if u, p, ok := r.BasicAuth(); ok {
		return u, p
	}
	return r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
}

const (
	msgClientAuth = "Failed to issue access token - Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)"
	msgIPBlocked  = "access denied, authorization failed"
)

// handleToken is POST /oauth2/token.
func (s *Server) handleToken(c *call) {
	if s.cfg.redirectTo != "" {
		// The wrong cloud: 308 with an empty body, method and body preserved.
		c.w.Header().Set("Location", s.cfg.redirectTo+"/oauth2/token")
		c.w.Header().Del("Content-Type")
		c.w.Header().Set("Content-Length", "0")
		c.status = http.StatusPermanentRedirect
		c.w.WriteHeader(http.StatusPermanentRedirect)
		return
	}
	if err := c.r.ParseForm(); err != nil {
		c.fail(http.StatusBadRequest, "invalid request body")
		return
	}
	id, secret := clientCredentials(c.r)
	if id == "" || secret == "" {
		c.fail(http.StatusBadRequest, "client_id and client_secret are required")
		return
	}
	cl := s.w.clientByID[strings.ToLower(id)]
	if cl == nil || subtle.ConstantTimeCompare([]byte(cl.secret), []byte(secret)) != 1 {
		c.fail(http.StatusForbidden, msgClientAuth)
		return
	}
	if s.cfg.blocked[cl.name] {
		c.fail(http.StatusForbidden, msgIPBlocked)
		return
	}
	t := s.w.parent()
	if m := strings.ToLower(strings.TrimSpace(c.r.PostForm.Get("member_cid"))); m != "" {
		child := s.w.byCID[m]
		if child == nil || child.parent != t {
			// Observed for a bad member CID: 400 with trace_id "--".
			c.trace = "--"
			c.w.Header().Set("X-Cs-Traceid", "--")
			c.fail(http.StatusBadRequest, "Failed to generate access token for clientID="+id+".")
			return
		}
		t = child
	}
	now := s.now()
	sess := &session{client: cl, tenant: t, expires: now.Add(s.cfg.tokenLifetime)}
	tok := s.tokens.issue(sess, now)
	c.writeJSON(http.StatusCreated, tokenResponse{
		AccessToken: tok,
		TokenType:   "bearer",
		ExpiresIn:   int64(s.cfg.tokenLifetime / time.Second),
	})
}

// handleRevoke is POST /oauth2/revoke: Basic client credentials, form token.
func (s *Server) handleRevoke(c *call) {
	if err := c.r.ParseForm(); err != nil {
		c.fail(http.StatusBadRequest, "invalid request body")
		return
	}
	id, secret := clientCredentials(c.r)
	cl := s.w.clientByID[strings.ToLower(id)]
	if cl == nil || subtle.ConstantTimeCompare([]byte(cl.secret), []byte(secret)) != 1 {
		c.fail(http.StatusForbidden, msgClientAuth)
		return
	}
	tok := c.r.PostForm.Get("token")
	if tok == "" {
		c.fail(http.StatusBadRequest, "token is required")
		return
	}
	// Only the owner may revoke; anything else is silently accepted, like
	// an OAuth2 revocation endpoint (RFC 7009 §2.2).
	if sess := s.tokens.lookup(tok, s.now()); sess != nil && sess.client == cl {
		s.tokens.revoke(tok)
	}
	c.send(reply{status: http.StatusOK})
}

// bearer extracts the bearer token of a request.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}
