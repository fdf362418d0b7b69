package falcon

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Cloud discovery, as falconpy and gofalcon do it (docs/API.md §1): with Cloud auto and no
// base URL the first token is requested at us-1. A token request to the wrong cloud is
// answered with a 308 to the right one, which the token client follows (token and revoke
// paths only, Falcon hosts only); the reply's X-Cs-Region names the cloud. The client then
// switches its base URL for every later call.

// discovering reports whether the cloud is still to be discovered.
// Discovering reports whether the client still has to learn its cloud from the first token
// reply (cloud auto and no base URL), so that a UI can say what it is waiting for.
func (c *Client) Discovering() bool { return c.discovering() }

func (c *Client) discovering() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.cfg.BaseURL == "" && c.cfg.Cloud.orAuto() == CloudAuto && !c.discovered
}

func (cl Cloud) orAuto() Cloud {
	if cl == "" {
		return CloudAuto
	}
	return cl
}

// discover gets tenant t's first token at the default cloud and switches to the cloud the
// reply names. It returns the token when it is valid at the new base URL (it was issued
// there, after a redirect), nil when t must fetch again.
func (c *Client) discover(ctx context.Context, t *tenant) (*oauth2.Token, error) {
	select {
	case c.discoverSem <- struct{}{}:
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
	defer func() { <-c.discoverSem }()
	if !c.discovering() {
		return nil, nil // another tenant finished discovery meanwhile
	}
	tok, tr, err := t.requestToken(ctx) // follows a 308 and moves the base URL with it
	if err != nil {
		return nil, err
	}
	issuedAt := c.base()
	cloud, cerr := ParseCloud(tr.region)
	if tr.region == "" || cerr != nil || cloud == CloudAuto {
		// No usable region: stay where the token was issued.
		c.switchBase(nil, cloudOfHost(issuedAt.Hostname()))
		return tok, nil
	}
	target, _ := url.Parse(cloud.BaseURL())
	c.switchBase(target, cloud)
	if strings.EqualFold(issuedAt.Host, target.Host) {
		return tok, nil
	}
	// The token came from another cloud's endpoint: return it there and fetch anew.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_ = c.revokeTokenAt(rctx, issuedAt, t.key, tok.AccessToken)
	return nil, nil
}

// switchBase makes u (scheme and host only) the base URL and cloud the cloud in use.
func (c *Client) switchBase(u *url.URL, cloud Cloud) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.discovered = true
	if u != nil {
		c.baseURL = &url.URL{Scheme: u.Scheme, Host: u.Host}
	}
	c.cloud = cloud
}

// afterToken applies what a successful token reply says about where the API lives: a
// followed redirect moves the base URL to the host that issued the token (a named cloud
// that was the wrong one is corrected, as falconpy does); with a custom base URL the
// region header only names the cloud for display.
func (c *Client) afterToken(tr *tokenTrace) {
	b := c.base()
	if tr.final != nil && (!strings.EqualFold(tr.final.Host, b.Host) || tr.final.Scheme != b.Scheme) {
		c.mu.Lock()
		c.baseURL = &url.URL{Scheme: tr.final.Scheme, Host: tr.final.Host, Path: b.Path}
		if cl := cloudOfHost(tr.final.Hostname()); cl != CloudAuto {
			c.cloud = cl
		}
		c.mu.Unlock()
	}
	if c.cfg.BaseURL != "" {
		if cl, err := ParseCloud(tr.region); err == nil && cl != CloudAuto {
			c.mu.Lock()
			c.cloud = cl
			c.mu.Unlock()
		}
	}
}

// cloudOfHost names the cloud an API host belongs to (CloudAuto for other hosts).
func cloudOfHost(h string) Cloud {
	for _, cl := range Clouds {
		if strings.EqualFold(h, cl.Host()) {
			return cl
		}
	}
	return CloudAuto
}

func (c *Client) revokeTokenAt(ctx context.Context, base *url.URL, key, tok string) error {
	form := url.Values{"token": {tok}}
	req, err := http.NewRequestWithContext(withLogInfo(ctx, c.displayCID(key), 1), http.MethodPost,
		base.JoinPath("/oauth2/revoke").String(), strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.SetBasicAuth(c.cfg.ClientID, c.cfg.ClientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.tokenHTTP.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// checkTokenRedirect follows a 308 only for the token and revoke endpoints, and only to a
// Falcon API host over https (or from loopback to loopback, where test clouds live), so
// that the client secret in the replayed body never goes anywhere else.
func (c *Client) checkTokenRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 {
		return errors.New("falcon: too many redirects")
	}
	if req.Response == nil || (req.Response.StatusCode != http.StatusPermanentRedirect &&
		req.Response.StatusCode != http.StatusTemporaryRedirect) {
		return http.ErrUseLastResponse
	}
	switch req.URL.Path {
	case "/oauth2/token", "/oauth2/revoke":
	default:
		return http.ErrUseLastResponse
	}
	from := via[0].URL
	if !redirectAllowed(from, req.URL) {
		return http.ErrUseLastResponse
	}
	return nil
}

func redirectAllowed(from, to *url.URL) bool {
	if to.Scheme == "https" && knownFalconHost(to.Hostname()) {
		return true
	}
	return isLoopback(from.Hostname()) && isLoopback(to.Hostname()) && (to.Scheme == "http" || to.Scheme == "https")
}

func knownFalconHost(h string) bool {
	for _, cl := range Clouds {
		if strings.EqualFold(h, cl.Host()) {
			return true
		}
	}
	return false
}
