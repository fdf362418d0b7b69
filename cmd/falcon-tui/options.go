package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"

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
}

func defaultGlobalOptions() *globalOptions {
	return &globalOptions{
		Profile:   envOr("FALCON_TUI_PROFILE", "default"),
		Cloud:     envOr("FALCON_CLOUD", "auto"),
		MemberCID: os.Getenv("FALCON_MEMBER_CID"),
	}
}

// register adds the global flags to fs with the current values as defaults, so a command's
// own flag set accepts them after the command name too. --cloud, --base-url and
// --member-cid are checked as they are parsed: a bad value is a flag error, which every
// command turns into the usage exit code, wherever on the command line it stands.
func (g *globalOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&g.Profile, "profile", g.Profile, "profile `NAME` (env FALCON_TUI_PROFILE)")
	fs.Var(checkedString{&g.Cloud, checkCloud}, "cloud", "`CLOUD` to use: us-1, us-2, eu-1, us-gov-1, us-gov-2 or auto (env FALCON_CLOUD)")
	fs.Var(checkedString{&g.BaseURL, checkBaseURL}, "base-url", "API base `URL`, overrides --cloud (plain http:// only for loopback)")
	fs.Var(checkedString{&g.MemberCID, checkMemberCID}, "member-cid", "start in this Flight Control child tenant `CID` (env FALCON_MEMBER_CID)")
	fs.BoolVar(&g.Demo, "demo", g.Demo, "use the embedded simulated Falcon cloud; no credentials needed")
	fs.BoolVar(&g.ReadOnly, "read-only", g.ReadOnly, "never send a write call; write keys are disabled")
	fs.StringVar(&g.LogFile, "log", g.LogFile, "append a debug log of every API call to `FILE` (secrets redacted)")
}

// registerIgnored accepts the global flags on a command that has no use for them (sim), so
// that "falcon-tui sim --profile x" works like every other command. Their values are not
// checked: they mean nothing there. The command's -h says why it ignores them.
func registerIgnored(fs *flag.FlagSet) {
	for _, name := range []string{"profile", "cloud", "base-url", "member-cid", "log"} {
		fs.String(name, "", "global flag, accepted and ignored")
	}
	for _, name := range []string{"demo", "read-only"} {
		fs.Bool(name, false, "global flag, accepted and ignored")
	}
}

// validate checks the global options that can be checked without the network: the cloud
// name, the base URL (https, or plain http to a loopback address only) and the member CID.
// Values from flags were checked while parsing; this catches those from the environment
// (FALCON_CLOUD, FALCON_MEMBER_CID), which never pass through a flag. A non-nil error is a
// usage error (exit 2, docs/CLI.md §9).
func (g *globalOptions) validate() error {
	return errors.Join(
		named("--cloud (or FALCON_CLOUD)", checkCloud(g.Cloud)),
		named("--base-url", checkBaseURL(g.BaseURL)),
		named("--member-cid (or FALCON_MEMBER_CID)", checkMemberCID(g.MemberCID)),
	)
}

func named(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}

// checkedString is a string flag whose value is checked when it is set.
type checkedString struct {
	p     *string
	check func(string) error
}

func (c checkedString) String() string {
	if c.p == nil {
		return ""
	}
	return *c.p
}

func (c checkedString) Set(v string) error {
	if err := c.check(v); err != nil {
		return err
	}
	*c.p = v
	return nil
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
