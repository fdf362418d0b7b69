package main

import (
	"flag"
	"os"
	"strings"
)

// globalOptions are the flags every command accepts (CLI.md "Global flags").
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
// own flag set accepts them after the command name too.
func (g *globalOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&g.Profile, "profile", g.Profile, "profile `NAME` (env FALCON_TUI_PROFILE)")
	fs.StringVar(&g.Cloud, "cloud", g.Cloud, "cloud: us-1, us-2, eu-1, us-gov-1, us-gov-2 or auto (env FALCON_CLOUD)")
	fs.StringVar(&g.BaseURL, "base-url", g.BaseURL, "API base `URL`, overrides --cloud (plain http:// only for loopback)")
	fs.StringVar(&g.MemberCID, "member-cid", g.MemberCID, "start in this Flight Control child tenant `CID` (env FALCON_MEMBER_CID)")
	fs.BoolVar(&g.Demo, "demo", g.Demo, "use the embedded simulated Falcon cloud; no credentials needed")
	fs.BoolVar(&g.ReadOnly, "read-only", g.ReadOnly, "never send a write call; write keys are disabled")
	fs.StringVar(&g.LogFile, "log", g.LogFile, "append a debug log of every API call to `FILE` (secrets redacted)")
}

func envOr(key, def string) string {
	if v := strings.TrimSpace(os.Getenv(key)); v != "" {
		return v
	}
	return def
}
