package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/falcon/profile"
)

// completion is what `falcon-tui __complete ARGS…` answered: cobra's protocol, which every
// generated shell script speaks, is one "value<TAB>description" line per candidate, then
// ":directive". Active help ("_activeHelp_ text" lines) is collected apart.
type completion struct {
	values     []string
	desc       map[string]string
	activeHelp []string
	directive  string
}

func complete(t *testing.T, args ...string) completion {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), append([]string{"__complete"}, args...), &out, &errb); code != exitOK {
		t.Fatalf("__complete %q: exit %d\n%s", args, code, errb.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	c := completion{desc: map[string]string{}, directive: lines[len(lines)-1]}
	for _, l := range lines[:len(lines)-1] {
		if h, ok := strings.CutPrefix(l, "_activeHelp_ "); ok {
			c.activeHelp = append(c.activeHelp, h)
			continue
		}
		v, d, _ := strings.Cut(l, "\t")
		c.values = append(c.values, v)
		c.desc[v] = d
	}
	return c
}

// noFiles is cobra.ShellCompDirectiveNoFileComp: the shell must not offer file names instead.
const noFiles = ":4"

func TestCompleteProfile(t *testing.T) {
	kr, _ := fakeProfiles(t)
	saveProfile(t, profile.Profile{Name: "eu-prod", ClientID: "0123abcd", Cloud: "eu-1"}, "s1")
	saveProfile(t, profile.Profile{Name: "us-dev", ClientID: "4567ef01", Cloud: "us-2", MemberCID: strings.Repeat("c", 32)}, "s2")
	gets := kr.Calls("get")

	for _, args := range [][]string{
		{"--profile", ""},                  // before any command
		{"hosts", "--profile", ""},         // after one
		{"scopes", "-p", ""},               // the short form
		{"login", "--read-only", "-p", ""}, // after other flags
	} {
		got := complete(t, args...)
		if !slices.Equal(got.values, []string{"eu-prod", "us-dev"}) || got.directive != noFiles {
			t.Errorf("%q: %q %s", args, got.values, got.directive)
		}
	}
	got := complete(t, "hosts", "--profile", "u")
	if !slices.Equal(got.values, []string{"us-dev"}) {
		t.Errorf("prefix u: %q", got.values)
	}
	if d := got.desc["us-dev"]; !strings.Contains(d, "us-2") || !strings.Contains(d, "4567ef01") {
		t.Errorf("description %q: want the cloud and the client id", d)
	}
	if kr.Calls("get") != gets {
		t.Error("completing a profile read the keyring")
	}
	for _, s := range []string{"s1", "s2"} {
		for _, v := range got.values {
			if strings.Contains(got.desc[v], s) {
				t.Errorf("a secret in the description of %s", v)
			}
		}
	}

	// No profiles: no candidates, and still no file names.
	fakeProfiles(t)
	if got := complete(t, "--profile", ""); len(got.values) != 0 || got.directive != noFiles {
		t.Errorf("no profiles: %q %s", got.values, got.directive)
	}
}

// --tenant and --member-cid offer the tenants by CID, named in the description, from a quick
// call with the credentials the command would use.
func TestCompleteTenant(t *testing.T) {
	fakeProfiles(t) // no profile, no prompt: the environment's credentials
	srv := falcontest.NewServer(falcontest.WithTenants(3), falcontest.WithHosts(2))
	t.Cleanup(srv.Close)
	full := srv.Client("full")
	t.Setenv("FALCON_CLIENT_ID", full.ID)
	t.Setenv("FALCON_CLIENT_SECRET", full.Secret)
	tenants := srv.Tenants()
	var children []string
	for _, tn := range tenants[1:] {
		children = append(children, tn.CID)
	}

	got := complete(t, "--base-url", srv.URL, "hosts", "--tenant", "")
	if len(got.values) != len(tenants) || got.directive != noFiles {
		t.Fatalf("--tenant: %q %s %q; want the %d tenants", got.values, got.directive, got.activeHelp, len(tenants))
	}
	for _, tn := range tenants[1:] {
		if !strings.Contains(got.desc[tn.CID], tn.Name) {
			t.Errorf("%s: description %q lacks the name %q", tn.CID, got.desc[tn.CID], tn.Name)
		}
	}
	if !strings.Contains(got.desc[srv.ParentCID()], "home tenant") {
		t.Errorf("the parent is not marked: %q", got.desc[srv.ParentCID()])
	}

	// The short form, a prefix of the CID, and a comma list (the sets typed are kept).
	c := children[0]
	got = complete(t, "hosts", "--base-url", srv.URL, "-t", c[:6])
	if !slices.Contains(got.values, c) || slices.Contains(got.values, children[1]) && !strings.HasPrefix(children[1], c[:6]) {
		t.Errorf("prefix %s: %q", c[:6], got.values)
	}
	got = complete(t, "hosts", "--base-url", srv.URL, "--tenant", c+",")
	if len(got.values) != len(tenants)-1 || slices.Contains(got.values, c+","+c) {
		t.Errorf("after %s,: %q", c, got.values)
	}
	for _, v := range got.values {
		if !strings.HasPrefix(v, c+",") {
			t.Errorf("candidate %q drops what was typed", v)
		}
	}

	// --member-cid names a child: the parent is not offered. FALCON_MEMBER_CID does not
	// move the listing into a child (which sees no children).
	t.Setenv("FALCON_MEMBER_CID", children[1])
	got = complete(t, "--base-url", srv.URL, "--member-cid", "")
	slices.Sort(children)
	slices.Sort(got.values)
	if !slices.Equal(got.values, children) {
		t.Errorf("--member-cid: %q, want the children %q", got.values, children)
	}
	if n := srv.Stats().ByOperation["POST /oauth2/token"]; n == 0 {
		t.Error("no token requested: where did the list come from?")
	}
}

// A cloud that does not answer yields no candidates within the completion timeout, with a
// hint for shells that show active help; a missing login yields the same, never a prompt.
func TestCompleteTenantFailsQuietlyAndFast(t *testing.T) {
	fakeProfiles(t)
	swap(t, &completionTimeout, 500*time.Millisecond)
	t.Setenv("FALCON_CLIENT_ID", "id")
	t.Setenv("FALCON_CLIENT_SECRET", "secret")
	start := time.Now()
	got := complete(t, "hosts", "--base-url", closedLoopbackURL(t), "--tenant", "")
	if len(got.values) != 0 || got.directive != noFiles || len(got.activeHelp) != 1 || !strings.Contains(got.activeHelp[0], "cannot reach") {
		t.Errorf("unreachable: %q %s %q", got.values, got.directive, got.activeHelp)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}

	t.Setenv("FALCON_CLIENT_ID", "")
	t.Setenv("FALCON_CLIENT_SECRET", "")
	got = complete(t, "--profile", "nobody", "hosts", "--tenant", "")
	if len(got.values) != 0 || len(got.activeHelp) != 1 || !strings.Contains(got.activeHelp[0], "not logged in") {
		t.Errorf("no profile: %q %q", got.values, got.activeHelp)
	}
}

// --demo completes from the embedded simulated cloud, like every other command there.
func TestCompleteTenantDemo(t *testing.T) {
	fakeProfiles(t)
	got := complete(t, "--demo", "hosts", "--tenant", "")
	demo := falcontest.NewServer()
	defer demo.Close()
	if len(got.values) != len(demo.Tenants()) {
		t.Errorf("demo: %q", got.values)
	}
}

func TestCompleteRequire(t *testing.T) {
	all := []string{"falcon-tui", "ninjaone-multitenancy", "cortex-xsoar", "netbird-edr"}
	got := complete(t, "scopes", "--require", "")
	if !slices.Equal(got.values, all) || got.directive != noFiles {
		t.Fatalf("--require: %q %s", got.values, got.directive)
	}
	if !strings.Contains(got.desc["ninjaone-multitenancy"], "NinjaOne") {
		t.Errorf("description: %q", got.desc["ninjaone-multitenancy"])
	}
	if got := complete(t, "scopes", "-r", "nin"); !slices.Equal(got.values, []string{"ninjaone-multitenancy"}) {
		t.Errorf("-r nin: %q", got.values)
	}
	// A comma list: what is typed is kept and not offered again.
	got = complete(t, "scopes", "--all-tenants", "--require", "falcon-tui,")
	if !slices.Equal(got.values, []string{"falcon-tui,ninjaone-multitenancy", "falcon-tui,cortex-xsoar", "falcon-tui,netbird-edr"}) {
		t.Errorf("falcon-tui,: %q", got.values)
	}
}

func TestCompleteFormatAndCloud(t *testing.T) {
	if got := complete(t, "hosts", "--format", ""); !slices.Equal(got.values, []string{"table", "csv", "json", "ndjson"}) ||
		got.directive != noFiles {
		t.Errorf("--format: %q %s", got.values, got.directive)
	}
	if got := complete(t, "hosts", "-o", "n"); !slices.Equal(got.values, []string{"ndjson"}) {
		t.Errorf("-o n: %q", got.values)
	}
	got := complete(t, "--cloud", "")
	if !slices.Equal(got.values, []string{"auto", "us-1", "us-2", "eu-1", "us-gov-1", "us-gov-2"}) {
		t.Errorf("--cloud: %q", got.values)
	}
	if !strings.Contains(got.desc["eu-1"], "api.eu-1.crowdstrike.com") {
		t.Errorf("eu-1: %q", got.desc["eu-1"])
	}
	if got := complete(t, "scopes", "--cloud", "us-g"); !slices.Equal(got.values, []string{"us-gov-1", "us-gov-2"}) {
		t.Errorf("--cloud us-g: %q", got.values)
	}
	// Commands complete by name.
	if got := complete(t, "ho"); !slices.Equal(got.values, []string{"hosts"}) {
		t.Errorf("ho: %q", got.values)
	}
}

func TestCompleteHostFields(t *testing.T) {
	got := complete(t, "hosts", "--fields", "")
	if len(got.values) != 1+len(falcon.HostFields) || got.values[0] != "list" || got.directive != noFiles {
		t.Fatalf("--fields: %q %s", got.values, got.directive)
	}
	if got := complete(t, "hosts", "--fields", "host"); !slices.Equal(got.values, []string{"hostname"}) {
		t.Errorf("host: %q", got.values)
	}
	// A comma list: what is typed is kept and not offered again.
	got = complete(t, "hosts", "--fields", "hostname,last_s")
	if !slices.Equal(got.values, []string{"hostname,last_seen"}) {
		t.Errorf("hostname,last_s: %q", got.values)
	}
	if got := complete(t, "hosts", "--fields", "hostname,host"); len(got.values) != 0 {
		t.Errorf("hostname,host: %q", got.values)
	}
}
