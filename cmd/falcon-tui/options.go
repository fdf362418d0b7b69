package main

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/pflag"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// globalOptions are the flags every command accepts (docs/CLI.md §2).
type globalOptions struct {
	Profile   string
	Cloud     string
	BaseURL   string
	MemberCID string
	Demo      bool
	ReadOnly  bool
	LogFile   string
	NoStore   bool

	// maxRetries, when set, bounds the client's retries per request (not a flag: shell
	// completion waits for a quick answer, not for back-off).
	maxRetries int
	// calls is the run's one request log (docs/API.md §19), shared by the session's client
	// and every client `:profile` opens, so that the explorer's log pane and --log FILE see
	// the same records; openSession makes it.
	calls *falcon.CallLog
}

func defaultGlobalOptions() *globalOptions {
	return &globalOptions{
		Profile:   envOr("FALCON_TUI_PROFILE", "default"),
		Cloud:     envOr("FALCON_CLOUD", "auto"),
		MemberCID: os.Getenv("FALCON_MEMBER_CID"),
	}
}

// register adds the global flags to fs (the root's persistent flags: accepted before or
// after every command name) with the current values, from the environment, as defaults.
// Their values are checked before a command that uses them runs (checkGlobals, root.go), not
// while parsing: sim accepts them and has no use for them.
func (g *globalOptions) register(fs *pflag.FlagSet) {
	fs.StringVarP(&g.Profile, "profile", "p", g.Profile, "profile NAME (env FALCON_TUI_PROFILE)")
	fs.StringVar(&g.Cloud, "cloud", g.Cloud, "cloud: us-1, us-2, eu-1, us-gov-1, us-gov-2 or auto (env FALCON_CLOUD)")
	fs.StringVar(&g.BaseURL, "base-url", g.BaseURL, "base URL of the API, overrides --cloud (plain http:// only for loopback)")
	fs.StringVar(&g.MemberCID, "member-cid", g.MemberCID, "start in this Flight Control child tenant CID (env FALCON_MEMBER_CID)")
	fs.BoolVar(&g.Demo, "demo", g.Demo, "use the embedded simulated Falcon cloud; no credentials needed")
	fs.BoolVar(&g.ReadOnly, "read-only", g.ReadOnly, "never send a write call; write keys are disabled")
	fs.StringVar(&g.LogFile, "log", g.LogFile, "append a debug log of every API call to FILE (secrets redacted)")
	fs.BoolVar(&g.NoStore, "no-store", g.NoStore, "neither read nor write the encrypted local store")
}

// validate checks the global options that can be checked without the network: the cloud
// name, the base URL (https, or plain http to a loopback address only) and the member CID,
// whether they came from a flag or from the environment (FALCON_CLOUD, FALCON_MEMBER_CID).
// A non-nil error is a usage error (exit 2, docs/CLI.md §9).
func (g *globalOptions) validate() error {
	return errors.Join(
		named("--cloud (or FALCON_CLOUD)", checkCloud(g.Cloud)),
		named("--base-url", checkBaseURL(g.BaseURL)),
		named("--member-cid (or FALCON_MEMBER_CID)", checkMemberCID(g.MemberCID)),
	)
}

// validateFlags checks only the global flags given on the command line: for a command that
// uses none of them (version), a bad value typed there is still an error, while a bad
// FALCON_CLOUD in the environment does not stop it.
func (g *globalOptions) validateFlags(fs *pflag.FlagSet) error {
	var errs []error
	for _, c := range []struct {
		flag  string
		value string
		check func(string) error
	}{{"cloud", g.Cloud, checkCloud}, {"base-url", g.BaseURL, checkBaseURL}, {"member-cid", g.MemberCID, checkMemberCID}} {
		if fs.Changed(c.flag) {
			errs = append(errs, named("--"+c.flag, c.check(c.value)))
		}
	}
	return errors.Join(errs...)
}

func named(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}

func checkCloud(v string) error {
	_, err := falcon.ParseCloud(v)
	return err
}

// checkBaseURL applies the client's own rule (falcon.New, which does no network IO), so
// that the command line and the client can never disagree on what is allowed.
func checkBaseURL(v string) error {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	_, err := falcon.New(falcon.Config{ClientID: "check", ClientSecret: "check", BaseURL: v})
	if err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "falcon: "))
	}
	return nil
}

// memberCIDPattern is a CID, or a CCID: the CID with a checksum suffix ("<cid>-1A").
var memberCIDPattern = regexp.MustCompile(`^[0-9a-f]{32}(-[0-9a-z]{1,8})?$`)

func checkMemberCID(v string) error {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" || memberCIDPattern.MatchString(v) {
		return nil
	}
	return fmt.Errorf("%q is not a CID (32 hex digits, optionally with a -checksum suffix)", v)
}

func envOr(key, def string) string {
	if v := strings.TrimSpace(os.Getenv(key)); v != "" {
		return v
	}
	return def
}
