package main

import (
	"bytes"
	"context"
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
	errb.Reset()
	if code := run(context.Background(), []string{"sim", "-h"}, &out, &errb); code != exitOK ||
		!strings.Contains(errb.String(), "accepted and ignored") || !strings.Contains(errb.String(), "-member-cid") {
		t.Errorf("sim -h: exit %d %s", code, errb.String())
	}
	errb.Reset()
	if code := run(context.Background(), []string{"version", "-h"}, &out, &errb); code != exitOK || !strings.Contains(errb.String(), "-profile") {
		t.Errorf("version -h: exit %d %s", code, errb.String())
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
