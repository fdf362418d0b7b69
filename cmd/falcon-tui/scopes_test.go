package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// scopesSim is a small simulated cloud: a parent with three children, the second of which
// (tenant index 2) has no Zero Trust Assessment.
func scopesSim(t *testing.T, opts ...falcontest.Option) *falcontest.Server {
	t.Helper()
	base := []falcontest.Option{falcontest.WithHosts(20), falcontest.WithTenants(3),
		falcontest.WithUnprovisioned(2, "zero-trust-assessment")}
	srv := falcontest.NewServer(append(base, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// runScopesAs runs `falcon-tui scopes` exactly as main does, with the named simulator
// client's credentials in the environment.
func runScopesAs(t *testing.T, srv *falcontest.Server, client string, args ...string) (int, string, string) {
	t.Helper()
	c := srv.Client(client)
	t.Setenv("FALCON_CLIENT_ID", c.ID)
	t.Setenv("FALCON_CLIENT_SECRET", c.Secret)
	t.Setenv("FALCON_MEMBER_CID", "")
	t.Setenv("FALCON_TUI_PROFILE", "")
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"--base-url", srv.URL, "scopes"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// assertNoWrites proves, from the simulator's own counters, that no probe changed
// anything: no write was applied and no write-method call got a 2xx.
func assertNoWrites(t *testing.T, srv *falcontest.Server) {
	t.Helper()
	st := srv.Stats()
	if st.Writes != 0 {
		t.Errorf("the simulator applied %d writes", st.Writes)
	}
	for op, n := range st.ByOperation {
		if strings.Contains(op, "devices-actions") || strings.Contains(op, "host-group-actions") {
			t.Errorf("%s was called %d times", op, n)
		}
	}
}

func childName(t *testing.T, srv *falcontest.Server, index int) string {
	t.Helper()
	var children []string
	for _, tn := range srv.Tenants() {
		if tn.Parent != "" {
			children = append(children, tn.Name)
		}
	}
	if index < 1 || index > len(children) {
		t.Fatalf("no child %d among %v", index, children)
	}
	return children[index-1]
}

func TestScopesFullClient(t *testing.T) {
	srv := scopesSim(t)
	code, out, errs := runScopesAs(t, srv, "full", "--require", "falcon-tui", "--require", "ninjaone-multitenancy,netbird-edr")
	if code != exitOK {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"1 tenant,", "Hosts", "host-group", "read, ", "it agrees with every probe", "* ✓ falcon-tui",
		"Write probes send empty bodies the API rejects; nothing is changed."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "no probe writes anything") {
		t.Errorf("the old, inexact claim is still printed:\n%s", out)
	}
	assertNoWrites(t, srv)
}

func TestScopesFullClientAllTenantsFindsTheUnprovisionedChild(t *testing.T) {
	srv := scopesSim(t)
	code, out, errs := runScopesAs(t, srv, "full", "--all-tenants", "--require", "netbird-edr")
	if code != exitMissing {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errs)
	}
	child := childName(t, srv, 2)
	if !strings.Contains(out, "4 tenants") || !strings.Contains(out, "○") {
		t.Errorf("matrix lacks the fourth tenant or the not-provisioned cell:\n%s", out)
	}
	if !strings.Contains(errs, "zero-trust-assessment:read (Zero Trust Assessment: Read) in "+child+": not provisioned") ||
		!strings.Contains(errs, "blocks ZTA score checked against zta_score_threshold") {
		t.Errorf("stderr does not name the gap with what it blocks:\n%s", errs)
	}
	if !strings.Contains(out, "a subscription, not a scope, is missing") {
		t.Errorf("the fix should say no scope helps:\n%s", out)
	}
	assertNoWrites(t, srv)
}

func TestScopesAnalystClient(t *testing.T) {
	srv := scopesSim(t)
	code, out, errs := runScopesAs(t, srv, "analyst", "--require", "falcon-tui")
	if code != exitMissing {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"What falcon-tui lacks:",
		"Host groups: Write (host-group:write): denied",
		"blocks: group membership edits (a, x, u), create, rename and delete groups",
		`tick "Host groups: Write" (host-group:write)`,
		"not read (denied", // the analyst cannot read its own scope listing
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "host-group:write (Host groups: Write) in home: denied; blocks group membership edits") {
		t.Errorf("stderr:\n%s", errs)
	}
	// NetBird only reads: the analyst client is enough in the parent.
	if code, _, errs := runScopesAs(t, srv, "analyst", "--require", "netbird-edr"); code != exitOK {
		t.Errorf("netbird-edr with analyst: exit %d\n%s", code, errs)
	}
	assertNoWrites(t, srv)
}

func TestScopesPartialClientAllTenants(t *testing.T) {
	srv := scopesSim(t)
	code, out, errs := runScopesAs(t, srv, "partial", "--all-tenants", "--require", "falcon-tui", "--require", "ninjaone-multitenancy")
	if code != exitMissing {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "1 tenant,") || !strings.Contains(out, "listing child tenants needs Flight Control: Read (mssp:read)") {
		t.Errorf("partial cannot list children and must say why:\n%s", out)
	}
	for _, want := range []string{"host-group:write (Host groups: Write) in home: denied", "mssp:read (Flight Control: Read) in home: denied; blocks child tenants in Tenants"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	// mssp:read is optional for falcon-tui itself, required for NinjaOne.
	for _, l := range strings.Split(errs, "\n") {
		if strings.HasPrefix(l, "  mssp:read") && strings.HasSuffix(l, "[falcon-tui]") {
			t.Errorf("mssp:read must not fail the falcon-tui set: %s", l)
		}
	}
	if !strings.Contains(errs, "[ninjaone-multitenancy]") {
		t.Errorf("NinjaOne gaps not named:\n%s", errs)
	}
	assertNoWrites(t, srv)
}

func TestScopesJSON(t *testing.T) {
	srv := scopesSim(t)
	code, out, _ := runScopesAs(t, srv, "analyst", "--json", "--all-tenants", "--require", "falcon-tui")
	if code != exitMissing {
		t.Fatalf("exit %d, want 3", code)
	}
	var doc struct {
		ClientID string `json:"client_id"`
		Listing  struct {
			State string `json:"state"`
		} `json:"listing"`
		Tenants []struct {
			Tenant struct {
				CID   string `json:"cid"`
				Name  string `json:"name"`
				Child bool   `json:"child"`
			} `json:"tenant"`
			Results []struct {
				Permission string `json:"permission"`
				State      string `json:"state"`
				Status     int    `json:"status"`
			} `json:"results"`
		} `json:"tenants"`
		Readiness []struct {
			Set    string `json:"set"`
			Status string `json:"status"`
		} `json:"readiness"`
		Required []string `json:"required"`
		ExitCode int      `json:"exit_code"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc.ExitCode != exitMissing || len(doc.Required) != 1 || doc.ClientID != srv.Client("analyst").ID || doc.Listing.State != "denied" {
		t.Errorf("header = %+v", doc)
	}
	if len(doc.Tenants) != 4 {
		t.Fatalf("%d tenants, want 4", len(doc.Tenants))
	}
	child2 := childName(t, srv, 2)
	want := map[string]string{"devices:read": "granted", "host-group:write": "denied", "devices:write": "denied", "alerts:read": "granted",
		// Never probed (they could start work) and not settled by a listing the analyst cannot read.
		"real-time-response:write": "unknown", "incidents:write": "unknown", "ods:write": "unknown"}
	for _, tn := range doc.Tenants {
		got := map[string]string{}
		for _, r := range tn.Results {
			got[r.Permission] = r.State
		}
		for p, st := range want {
			if got[p] != st {
				t.Errorf("%s in %s = %s, want %s", p, tn.Tenant.Name, got[p], st)
			}
		}
		zta := "granted"
		if tn.Tenant.Name == child2 {
			zta = "not_provisioned"
		}
		if got["zero-trust-assessment:read"] != zta {
			t.Errorf("zta in %s = %s, want %s", tn.Tenant.Name, got["zero-trust-assessment:read"], zta)
		}
	}
	status := map[string]string{}
	for _, r := range doc.Readiness {
		status[r.Set] = r.Status
	}
	if status["falcon-tui"] != "not_ready" || status["netbird-edr"] != "not_ready" {
		t.Errorf("readiness = %v", status)
	}
	assertNoWrites(t, srv)
}

func TestScopesReadOnlySendsNoWriteProbes(t *testing.T) {
	srv := scopesSim(t)
	code, out, errs := runScopesAs(t, srv, "analyst", "--read-only", "--require", "falcon-tui")
	// Without write probes and without the scope listing, host-group:write cannot be
	// checked: that is "could not verify" (1), not "missing" (3).
	if code != exitError || !strings.Contains(errs, "could not verify") || !strings.Contains(errs, "host-group:write") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "Read-only mode") {
		t.Errorf("output does not say write probes were skipped:\n%s", out)
	}
	for op := range srv.Stats().ByOperation {
		if !strings.HasPrefix(op, "GET ") && !strings.HasPrefix(op, "POST /oauth2/") {
			t.Errorf("read-only run sent %s", op)
		}
	}
	// The full client can read its own scope listing, which settles the writes.
	if code, out, errs := runScopesAs(t, srv, "full", "--read-only", "--require", "falcon-tui"); code != exitOK {
		t.Errorf("full --read-only: exit %d\n%s\n%s", code, out, errs)
	}
	assertNoWrites(t, srv)
}

func TestScopesUsageErrors(t *testing.T) {
	srv := scopesSim(t)
	for _, args := range [][]string{{"--require", "nope"}, {"extra"}, {"--bogus"}} {
		code, _, errs := runScopesAs(t, srv, "full", args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errs)
		}
	}
	code, _, errs := runScopesAs(t, srv, "full", "--require", "nope")
	if code != exitUsage || !strings.Contains(errs, "falcon-tui, ninjaone-multitenancy, cortex-xsoar, netbird-edr") {
		t.Errorf("unknown set: exit %d, %s", code, errs)
	}
	if code, out, _ := runScopesAs(t, srv, "full", "-h"); code != exitOK || !strings.Contains(out, "--require") {
		t.Errorf("-h: exit %d, %s", code, out)
	}
	if st := srv.Stats(); st.RequestsTotal != 0 {
		t.Errorf("usage errors sent %d requests", st.RequestsTotal)
	}
}

func TestScopesBlockedIPIsNotAScopeProblem(t *testing.T) {
	srv := scopesSim(t, falcontest.WithBlockedClient("full"))
	code, _, errs := runScopesAs(t, srv, "full", "--require", "falcon-tui")
	if code != exitError || !strings.Contains(errs, "allow-list") {
		t.Errorf("exit %d, want 1 with the allow-list hint: %s", code, errs)
	}
}

func TestScopesDemo(t *testing.T) {
	var out, errb bytes.Buffer
	t.Setenv("FALCON_CLIENT_ID", "")
	t.Setenv("FALCON_MEMBER_CID", "")
	code := run(context.Background(), []string{"--demo", "scopes", "--require", "falcon-tui", "--require", "cortex-xsoar"}, &out, &errb)
	// The demo's full client holds every scope Cortex XSOAR requires; the one write no
	// probe can settle (identity-protection-detections:write) is read off the listing.
	if code != exitOK || !strings.Contains(out.String(), "* ✓ cortex-xsoar") {
		t.Errorf("demo: exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "* ✓ falcon-tui") {
		t.Errorf("demo output:\n%s", out.String())
	}
}

// Probe details quote the server; the --json document keeps them exact but escapes every
// control, bidi and invisible rune, and the text report strips them.
func TestScopesJSONEscapesServerText(t *testing.T) {
	srv := scopesSim(t)
	const hostile = "denied \x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\u202eevil\u200b\u0085"
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/devices/queries/devices/v1" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			body, _ := json.Marshal(map[string]any{
				"meta":   map[string]any{"powered_by": "device-api", "trace_id": "t-1"},
				"errors": []map[string]any{{"code": 403, "message": hostile}},
			})
			w.Write(body)
			return
		}
		srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	c := srv.Client("full")
	t.Setenv("FALCON_CLIENT_ID", c.ID)
	t.Setenv("FALCON_CLIENT_SECRET", c.Secret)
	t.Setenv("FALCON_MEMBER_CID", "")
	for _, asJSON := range []bool{true, false} {
		args := []string{"--base-url", hs.URL, "scopes"}
		if asJSON {
			args = append(args, "--json")
		}
		var out, errb bytes.Buffer
		run(context.Background(), args, &out, &errb)
		for _, r := range out.String() + errb.String() {
			if r == 0x1b || r == 0x07 || r == 0x202e || r == 0x200b || r == 0x85 {
				t.Fatalf("json=%v: raw %U in the output:\n%s%s", asJSON, r, out.String(), errb.String())
			}
		}
		if !asJSON {
			if !strings.Contains(out.String(), "Hosts") {
				t.Errorf("no report:\n%s", out.String())
			}
			continue
		}
		var doc struct {
			Tenants []struct {
				Results []struct {
					Permission string `json:"permission"`
					Detail     string `json:"detail"`
				} `json:"results"`
			} `json:"tenants"`
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Tenants) == 0 {
			t.Fatalf("not JSON (%v):\n%s", err, out.String())
		}
		found := false
		for _, r := range doc.Tenants[0].Results {
			if r.Permission == "devices:read" {
				found = strings.Contains(r.Detail, hostile)
			}
		}
		if !found {
			t.Errorf("devices:read detail does not carry the server's message exactly:\n%s", out.String())
		}
	}
}
