package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile"
)

// credentials is a resolved client configuration and where it came from.
type credentials struct {
	Config falcon.Config
	Source string // "environment" or "keyring"
	Me     string // the profile's console login for "assign to me" ("" = none)
}

// openProfileStore opens the profile settings and the OS keyring. Tests replace it with a
// store on a temporary directory and an in-memory keyring.
var openProfileStore = func() (*profile.Store, error) { return profile.Open(profile.Options{}) }

// resolveCredentials finds the API client credentials, first found wins: the environment
// (FALCON_CLIENT_ID + FALCON_CLIENT_SECRET, with FALCON_CLOUD and FALCON_MEMBER_CID through
// the global options), then the profile: its settings file and its secret in the OS keyring.
// The keyring is read here, i.e. only when a session is opened, and at most once per profile
// per run. It cannot be interrupted; resolveCredentialsContext can.
func resolveCredentials(g *globalOptions) (credentials, error) {
	return resolveCredentialsContext(context.Background(), g)
}

// resolveCredentialsContext is resolveCredentials with a context bounding the keyring read
// (which may wait for an unlock prompt on a desktop).
func resolveCredentialsContext(ctx context.Context, g *globalOptions) (credentials, error) {
	id, secret := os.Getenv("FALCON_CLIENT_ID"), os.Getenv("FALCON_CLIENT_SECRET")
	if id != "" && secret != "" {
		cloud, err := falcon.ParseCloud(g.Cloud)
		if err != nil {
			return credentials{}, err
		}
		return credentials{Source: "environment", Config: falcon.Config{
			ClientID: id, ClientSecret: secret, Cloud: cloud, BaseURL: g.BaseURL, MemberCID: g.MemberCID,
		}}, nil
	}
	c, err := profileCredentials(ctx, g)
	if errors.Is(err, profile.ErrNoProfile) && (id != "" || secret != "") {
		half := "FALCON_CLIENT_ID is set but FALCON_CLIENT_SECRET is not"
		if id == "" {
			half = "FALCON_CLIENT_SECRET is set but FALCON_CLIENT_ID is not"
		}
		return c, fmt.Errorf("%w (%s: the environment is used only when both are set)", err, half)
	}
	return c, err
}

// profileCredentials reads profile g.Profile. Explicit global options win over the profile's
// settings: --cloud (when not auto), --base-url, --member-cid.
func profileCredentials(ctx context.Context, g *globalOptions) (credentials, error) {
	if err := profile.ValidateName(g.Profile); err != nil {
		return credentials{}, err
	}
	store, err := openProfileStore()
	if err != nil {
		return credentials{}, err
	}
	p, err := store.Get(g.Profile)
	if errors.Is(err, profile.ErrNoProfile) {
		return credentials{}, fmt.Errorf("no credentials: %w: profile %q is not logged in; run 'falcon-tui login --profile %s', "+
			"set FALCON_CLIENT_ID and FALCON_CLIENT_SECRET, or try --demo", profile.ErrNoProfile, g.Profile, g.Profile)
	}
	if err != nil {
		return credentials{}, err
	}
	cloud, err := falcon.ParseCloud(p.Cloud)
	if err != nil {
		return credentials{}, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	if g.Cloud != "" && g.Cloud != string(falcon.CloudAuto) {
		if cloud, err = falcon.ParseCloud(g.Cloud); err != nil {
			return credentials{}, err
		}
	}
	secret, err := secrets.get(ctx, store, p.Name)
	if errors.Is(err, profile.ErrNoSecret) {
		return credentials{}, fmt.Errorf("profile %q has settings but the OS keyring holds no secret for it (removed outside falcon-tui?): "+
			"run 'falcon-tui login --profile %s' again", p.Name, p.Name)
	}
	if err != nil {
		return credentials{}, err
	}
	cfg := falcon.Config{ClientID: p.ClientID, ClientSecret: secret, Cloud: cloud, BaseURL: p.BaseURL, MemberCID: p.MemberCID}
	if g.BaseURL != "" {
		cfg.BaseURL = g.BaseURL
	}
	if g.MemberCID != "" {
		cfg.MemberCID = g.MemberCID
	}
	return credentials{Config: cfg, Source: "keyring", Me: p.Me}, nil
}

// secretCache keeps each profile's secret for the rest of the run once read, so switching
// back and forth with :profile does not ask the keyring (and maybe the user) again.
type secretCache struct {
	mu sync.Mutex
	m  map[string]string // store dir + "\x00" + profile name -> secret
}

var secrets secretCache

func (c *secretCache) get(ctx context.Context, store *profile.Store, name string) (string, error) {
	key := store.Dir() + "\x00" + name
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m[key]; ok {
		return v, nil
	}
	v, err := store.Secret(ctx, name)
	if err != nil {
		return "", err
	}
	if c.m == nil {
		c.m = map[string]string{}
	}
	c.m[key] = v
	return v, nil
}

// forget drops a profile's cached secret (after login or logout changed it).
func (c *secretCache) forget(store *profile.Store, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, store.Dir()+"\x00"+name)
}

// reset empties the cache, as a new process would start (tests).
func (c *secretCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}

// openProfileClient is the explorer's `:profile NAME`: a connected client for the named
// profile, from its settings and keyring secret only. The environment credentials and the
// --cloud/--base-url/--member-cid flags described the profile the explorer started with, so
// they do not apply to the one switched to; --read-only and --log still do. The caller
// closes the client.
func openProfileClient(ctx context.Context, g *globalOptions, name string) (*falcon.Client, error) {
	return openProfileClientWith(ctx, g, name, nil)
}

// openProfileClientWith is openProfileClient with a token cache (nil = none).
func openProfileClientWith(ctx context.Context, g *globalOptions, name string, tokens falcon.TokenCache) (*falcon.Client, error) {
	c, err := profileCredentials(ctx, &globalOptions{Profile: name, Cloud: string(falcon.CloudAuto)})
	if err != nil {
		return nil, err
	}
	cfg := c.Config
	cfg.TokenCache = tokens
	cfg.ReadOnly = g.ReadOnly
	cfg.UserAgent = "falcon-tui/" + version
	if g.calls != nil {
		cfg.CallLog = g.calls // the session's log (and its --log file): one for the run
	} else if g.LogFile != "" {
		w, err := sharedLog(g.LogFile)
		if err != nil {
			return nil, err
		}
		cfg.DebugLog = w
	}
	client, err := falcon.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("profile %q: %w", name, err)
	}
	if err := client.Connect(ctx); err != nil {
		// The token revoke is best effort: a cloud that just failed must not hold the
		// explorer for the transport's full timeout, even after ctx ended.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), profileCloseTimeout)
		_ = client.Close(cctx)
		cancel()
		return nil, fmt.Errorf("profile %q: %w", name, explainConnectError(err, cfg))
	}
	return client, nil
}

// profileCloseTimeout bounds closing a client whose `:profile` connect failed.
var profileCloseTimeout = 3 * time.Second // a variable so that a test need not wait it out

// sharedLog opens the --log file once per run for the clients :profile creates; it stays
// open until the process exits (the session's own client has its own handle).
var logFiles struct {
	mu sync.Mutex
	m  map[string]io.Writer
}

func sharedLog(path string) (io.Writer, error) {
	logFiles.mu.Lock()
	defer logFiles.mu.Unlock()
	if w, ok := logFiles.m[path]; ok {
		return w, nil
	}
	// openLog (session.go) also makes an existing file private, as for the session's own log.
	f, err := openLog(path)
	if err != nil {
		return nil, fmt.Errorf("debug log: %w", err)
	}
	if logFiles.m == nil {
		logFiles.m = map[string]io.Writer{}
	}
	logFiles.m[path] = f
	return f, nil
}

// explainConnectError turns the client's token-time errors into what the user can act on.
// Each case gets its own message; the client's error (never holding the secret) follows.
func explainConnectError(err error, cfg falcon.Config) error {
	where := cfg.BaseURL
	if where == "" {
		where = cfg.Cloud.BaseURL()
	}
	if where == "" {
		where = "the Falcon cloud (auto-discovery starts at us-1)"
	}
	var msg string
	switch {
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted")
	case errors.Is(err, falcon.ErrInvalidCredentials):
		msg = "the token endpoint refused the client id or secret: check both (Falcon console > Support and resources > " +
			"API clients and keys; a reset secret invalidates the old one), and the cloud"
	case errors.Is(err, falcon.ErrIPBlocked):
		msg = "the token endpoint denied this IP address: the API client has an IP allow-list that does not include " +
			"this machine's public address; ask a Falcon administrator to add it"
	case errors.Is(err, falcon.ErrUnreachable):
		msg = "cannot reach " + where + ": check the network, any proxy (HTTPS_PROXY), and --cloud/--base-url"
	case errors.Is(err, falcon.ErrNotChild):
		msg = fmt.Sprintf("member CID %s is not a Flight Control child of this API client's tenant", memberCIDOf(err, cfg))
	case errors.Is(err, falcon.ErrRateLimited):
		msg = "the token endpoint is rate limiting this address: wait a minute and retry"
	default:
		return err
	}
	return fmt.Errorf("%s (%w)", msg, err)
}

// memberCIDOf names the tenant a refused token was asked for. The token error itself says
// (falcon.AuthError.MemberCID): the caller's configuration does not, when the CID came from
// elsewhere (hosts --tenant, a child listed by --all-tenants).
func memberCIDOf(err error, cfg falcon.Config) string {
	var ae *falcon.AuthError
	if errors.As(err, &ae) && ae.MemberCID != "" {
		return ae.MemberCID
	}
	if cfg.MemberCID != "" {
		return cfg.MemberCID
	}
	return "(unknown)"
}
