package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// Bad global options are usage errors (exit 2, docs/CLI.md §2), caught before any request is sent,
// whether they come before the command, after it, or from the environment.
func TestUsageBadGlobalOptions(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(3))
	t.Cleanup(srv.Close)
	c := srv.Client("full")
	t.Setenv("FALCON_CLIENT_ID", c.ID)
	t.Setenv("FALCON_CLIENT_SECRET", c.Secret)
	t.Setenv("FALCON_TUI_PROFILE", "")
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"cloud before", nil, []string{"--cloud", "mars-1", "hosts"}, "unknown cloud"},
		{"cloud after", nil, []string{"hosts", "--cloud", "mars-1"}, "unknown cloud"},
		{"cloud scopes", nil, []string{"scopes", "--cloud", "mars-1"}, "unknown cloud"},
		{"cloud env", map[string]string{"FALCON_CLOUD": "mars-1"}, []string{"scopes"}, "FALCON_CLOUD"},
		{"cloud explorer", nil, []string{"--cloud", "mars-1"}, "unknown cloud"},
		{"http before", nil, []string{"--base-url", "http://example.com", "hosts"}, "plain http is allowed only for loopback"},
		{"http after", nil, []string{"hosts", "--base-url", "http://10.0.0.1:8080"}, "plain http is allowed only for loopback"},
		{"http scopes", nil, []string{"scopes", "--base-url", "http://example.com"}, "plain http is allowed only for loopback"},
		{"ftp", nil, []string{"hosts", "--base-url", "ftp://127.0.0.1"}, "scheme must be https"},
		{"cid before", nil, []string{"--member-cid", "not-a-cid", "hosts"}, "not a CID"},
		{"cid after", nil, []string{"scopes", "--member-cid", strings.Repeat("a", 31)}, "not a CID"},
		{"cid bad suffix", nil, []string{"hosts", "--member-cid", strings.Repeat("a", 32) + "-"}, "not a CID"},
		{"cid env", map[string]string{"FALCON_MEMBER_CID": "zz"}, []string{"hosts"}, "FALCON_MEMBER_CID"},
		{"cid env explorer", map[string]string{"FALCON_MEMBER_CID": "zz"}, nil, "not a CID"},
		{"version after", nil, []string{"version", "--cloud", "mars-1"}, "unknown cloud"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("FALCON_CLOUD", "")
			t.Setenv("FALCON_MEMBER_CID", "")
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			args := tc.args
			if !strings.Contains(strings.Join(args, " "), "--base-url") {
				args = append([]string{"--base-url", srv.URL}, args...)
			}
			var out, errb bytes.Buffer
			code := run(context.Background(), args, &out, &errb)
			if code != exitUsage || !strings.Contains(errb.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errb.String(), tc.want)
			}
		})
	}
	if n := srv.Stats().RequestsTotal; n != 0 {
		t.Errorf("usage errors sent %d requests", n)
	}
}

func TestUsageGoodGlobalOptions(t *testing.T) {
	g := &globalOptions{Cloud: "US-2", BaseURL: "http://[::1]:8080/", MemberCID: strings.Repeat("AB", 16) + "-1A"}
	if err := g.validate(); err != nil {
		t.Errorf("%+v: %v", g, err)
	}
	for _, u := range []string{"", "https://api.eu-1.crowdstrike.com", "http://127.0.0.1:1", "http://localhost:9", "https://10.0.0.1"} {
		if err := checkBaseURL(u); err != nil {
			t.Errorf("%q: %v", u, err)
		}
	}
	for _, cid := range []string{"", strings.Repeat("0f", 16), " " + strings.Repeat("0F", 16) + " "} {
		if err := checkMemberCID(cid); err != nil {
			t.Errorf("%q: %v", cid, err)
		}
	}
	bad := &globalOptions{Cloud: "mars", BaseURL: "http://example.com", MemberCID: "x"}
	err := bad.validate()
	if err == nil || !strings.Contains(err.Error(), "--cloud") || !strings.Contains(err.Error(), "--base-url") ||
		!strings.Contains(err.Error(), "--member-cid") {
		t.Errorf("all three errors should be named: %v", err)
	}
	// sim and version make no use of the environment's options: a bad one does not stop them.
	t.Setenv("FALCON_CLOUD", "mars-1")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"version"}, &out, &errb); code != exitOK {
		t.Errorf("version with a bad FALCON_CLOUD: exit %d %s", code, errb.String())
	}
}

// The help text says global flags are accepted before or after the command: every command
// takes them after its name.
func TestFlagsGlobalAfterEveryCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"version", "--profile", "x", "--read-only", "--demo"}, &out, &errb); code != exitOK ||
		!strings.HasPrefix(out.String(), "falcon-tui ") {
		t.Errorf("version: exit %d, %q %q", code, out.String(), errb.String())
	}

	// sim accepts and ignores them; a cancelled context makes it stop right after "ready".
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out.Reset()
	errb.Reset()
	code := run(ctx, []string{"sim", "--profile", "x", "--cloud", "whatever", "--base-url", "http://example.com",
		"--member-cid", "x", "--demo", "--read-only", "--log", "/nonexistent/x", "--tenants", "0", "--hosts", "1"}, &out, &errb)
	if code != exitOK || !strings.Contains(out.String(), "\nready\n") {
		t.Errorf("sim: exit %d, %q %q", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"sim", "-h"}, &out, &errb); code != exitOK ||
		!strings.Contains(out.String(), "accepted and ignored") || !strings.Contains(out.String(), "--member-cid") {
		t.Errorf("sim -h: exit %d %s", code, out.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"version", "-h"}, &out, &errb); code != exitOK || !strings.Contains(out.String(), "--profile") {
		t.Errorf("version -h: exit %d %s", code, out.String())
	}

	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(5))
	t.Cleanup(srv.Close)
	cred := srv.Client("full")
	t.Setenv("FALCON_CLIENT_ID", cred.ID)
	t.Setenv("FALCON_CLIENT_SECRET", cred.Secret)
	t.Setenv("FALCON_MEMBER_CID", "")
	t.Setenv("FALCON_CLOUD", "")
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"hosts", "--base-url", srv.URL, "--profile", "p", "--read-only", "--format", "ndjson"}, &out, &errb); code != exitOK ||
		strings.Count(out.String(), "\n") < 4 {
		t.Errorf("hosts: exit %d, %q %q", code, out.String(), errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"scopes", "--read-only", "--base-url", srv.URL, "--profile", "p"}, &out, &errb); code != exitOK ||
		!strings.Contains(out.String(), "Read-only mode") {
		t.Errorf("scopes: exit %d, %q %q", code, out.String(), errb.String())
	}
}

// runCLI runs the command line as main does and returns the exit code and both streams.
func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCompletionScriptsManPageAndVersion(t *testing.T) {
	t.Setenv("FALCON_CLOUD", "mars-1") // none of these uses the global options
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, out, errs := runCLI("completion", shell)
		if code != exitOK || !strings.Contains(out, "__complete") || errs != "" {
			t.Errorf("completion %s: exit %d, %d bytes, stderr %q", shell, code, len(out), errs)
		}
	}
	if code, _, errs := runCLI("completion", "tcsh"); code != exitUsage || !strings.Contains(errs, "tcsh") {
		t.Errorf("completion tcsh: exit %d %q", code, errs)
	}

	code, out, errs := runCLI("man")
	if code != exitOK || !strings.HasPrefix(out, ".TH ") {
		t.Fatalf("man: exit %d %q\n%.200s", code, errs, out)
	}
	for _, want := range []string{"falcon-tui", "hosts", "scopes", "login", "--all-tenants", "--require", "--profile",
		"FALCON_CLIENT_ID", "FALCON_TUI_PROFILE", "EXIT STATUS"} {
		if !strings.Contains(strings.ToUpper(out), strings.ToUpper(want)) {
			t.Errorf("the man page lacks %q", want)
		}
	}

	for _, flag := range []string{"--version", "-v"} {
		if code, out, _ := runCLI(flag); code != exitOK || out != versionLine()+"\n" {
			t.Errorf("%s: exit %d %q", flag, code, out)
		}
	}
	if code, out, _ := runCLI("version"); code != exitOK || out != versionLine()+"\n" {
		t.Errorf("version: exit %d %q", code, out)
	}
}

// Every command's help has a one-line summary, examples and the environment it reads; help
// goes to standard output, so that it can be paged.
func TestHelpOfEveryCommand(t *testing.T) {
	code, out, _ := runCLI("--help")
	if code != exitOK {
		t.Fatalf("--help: exit %d", code)
	}
	for _, cmd := range []string{"login", "logout", "profiles", "scopes", "hosts", "sim", "version", "completion", "man"} {
		if !strings.Contains(out, cmd) {
			t.Errorf("falcon-tui --help does not list %s", cmd)
		}
	}
	examples := map[string]string{
		"":       "falcon-tui --demo",
		"hosts":  "falcon-tui hosts --all-tenants --format csv > hosts.csv",
		"scopes": "--require ninjaone-multitenancy",
		"login":  "--secret-stdin",
	}
	env := map[string][]string{
		"":         {"FALCON_CLIENT_ID", "FALCON_CLIENT_SECRET", "FALCON_TUI_PROFILE", "FALCON_CLOUD", "FALCON_MEMBER_CID"},
		"hosts":    {"FALCON_CLIENT_ID", "FALCON_CLIENT_SECRET", "FALCON_TUI_PROFILE"},
		"scopes":   {"FALCON_CLIENT_ID", "FALCON_CLIENT_SECRET", "FALCON_TUI_PROFILE"},
		"login":    {"FALCON_TUI_PROFILE", "XDG_CONFIG_HOME", "ACCESSIBLE"},
		"logout":   {"FALCON_TUI_PROFILE"},
		"profiles": {"FALCON_TUI_PROFILE"},
	}
	for _, cmd := range []string{"", "login", "logout", "profiles", "scopes", "hosts", "sim", "version", "man"} {
		args := []string{"--help"}
		if cmd != "" {
			args = []string{cmd, "--help"}
		}
		code, out, errs := runCLI(args...)
		if code != exitOK || errs != "" || !strings.Contains(out, "EXAMPLES") || !strings.Contains(out, "--profile") {
			t.Errorf("%q --help: exit %d, stderr %q:\n%s", cmd, code, errs, out)
		}
		if want := examples[cmd]; !strings.Contains(out, want) {
			t.Errorf("%q --help lacks the example %q", cmd, want)
		}
		for _, v := range env[cmd] {
			if !strings.Contains(out, "Environment:") || !strings.Contains(out, v) {
				t.Errorf("%q --help does not say it reads %s", cmd, v)
			}
		}
	}
	if code, out, _ := runCLI("help", "hosts"); code != exitOK || !strings.Contains(out, "--all-tenants") {
		t.Errorf("help hosts: exit %d", code)
	}
}

// An error is printed once: plain "falcon-tui CMD: …" lines when standard error is piped,
// a styled block on a terminal.
func TestErrorsPrintOncePlainOrStyled(t *testing.T) {
	code, out, errs := runCLI("hosts", "--nope")
	if code != exitUsage || out != "" ||
		errs != "falcon-tui hosts: unknown flag: --nope\nRun 'falcon-tui hosts --help' for usage.\n" {
		t.Errorf("unknown flag: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, _, errs = runCLI("hots")
	if code != exitUsage || !strings.Contains(errs, `unknown command "hots"`) || !strings.Contains(errs, "did you mean hosts") {
		t.Errorf("unknown command: exit %d %q", code, errs)
	}

	t.Setenv("FALCON_CLIENT_ID", "id")
	t.Setenv("FALCON_CLIENT_SECRET", "secret")
	t.Setenv("FALCON_CLOUD", "")
	t.Setenv("FALCON_MEMBER_CID", "")
	dead := closedLoopbackURL(t)
	code, _, errs = runCLI("hosts", "--base-url", dead)
	if code != exitError || strings.Count(errs, "cannot reach") != 1 || !strings.HasPrefix(errs, "falcon-tui hosts: cannot reach") ||
		strings.Contains(errs, "\x1b") || strings.Contains(errs, "ERROR") {
		t.Errorf("plain: exit %d %q", code, errs)
	}

	swap(t, &stderrIsTerminal, func(io.Writer) bool { return true })
	code, _, errs = runCLI("hosts", "--base-url", dead)
	lines := strings.Split(errs, "\n")
	if code != exitError || strings.Count(errs, "cannot reach") != 1 || strings.Fields(lines[0])[0] != "ERROR" ||
		!strings.HasSuffix(lines[0], " falcon-tui hosts") ||
		!strings.HasPrefix(lines[1], "  cannot reach") {
		t.Errorf("styled: exit %d %q", code, errs)
	}
	code, _, errs = runCLI("scopes", "--require", "nope")
	if code != exitUsage || !strings.Contains(errs, "ERROR  falcon-tui scopes\n") || !strings.Contains(errs, "Try falcon-tui scopes --help for usage.") {
		t.Errorf("styled usage error: exit %d %q", code, errs)
	}
}
