package falcontest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

func TestScopeEnforcement(t *testing.T) {
	s := newServer(t, falcontest.WithHosts(20), falcontest.WithClient("devices-only", "devices:read"))
	analyst := login(t, s, "analyst", "")
	r := analyst.do("PATCH", "/devices/entities/devices/tags/v1", map[string]any{"action": "add", "device_ids": []string{}, "tags": []string{}}).want(t, 403)
	if r.env.Meta.PoweredBy != "crowdstrike-api-gateway" || len(r.env.Errors) != 1 ||
		r.env.Errors[0].Code != 403 || r.env.Errors[0].Message != "access denied, scope not permitted" {
		t.Errorf("403 body: %s", r.body)
	}
	r.conforms(t, "PATCH /devices/entities/devices/tags/v1")
	// The write probe of docs/API.md §9: 400 with the scope, 403 without.
	full := login(t, s, "full", "")
	full.do("PATCH", "/devices/entities/devices/tags/v1", map[string]any{"action": "add", "device_ids": []string{}, "tags": []string{}}).want(t, 400)
	full.do("PATCH", "/devices/entities/host-groups/v1", map[string]any{"resources": []any{}}).want(t, 400)
	full.do("PATCH", "/alerts/entities/alerts/v3", map[string]any{"composite_ids": []any{}, "action_parameters": []any{}}).want(t, 400)
	full.do("POST", "/mssp/entities/cid-groups/v1", map[string]any{"resources": []any{}}).want(t, 400)
	analyst.do("PATCH", "/devices/entities/host-groups/v1", map[string]any{"resources": []any{}}).want(t, 403)
	analyst.do("PATCH", "/alerts/entities/alerts/v3", map[string]any{"composite_ids": []any{}, "action_parameters": []any{}}).want(t, 403)
	analyst.do("POST", "/mssp/entities/cid-groups/v1", map[string]any{"resources": []any{}}).want(t, 403)
	partial := login(t, s, "partial", "")
	partial.get("/mssp/queries/children/v1").want(t, 403)
	partial.get("/devices/queries/devices/v1").want(t, 200)
	d := login(t, s, "devices-only", "")
	d.get("/devices/queries/devices/v1").want(t, 200)
	d.get("/alerts/queries/alerts/v2").want(t, 403)
	d.get("/devices/queries/host-groups/v1").want(t, 403)
	if s.Stats().Writes != 0 {
		t.Errorf("probes wrote: %d", s.Stats().Writes)
	}
}

func TestUnknownAndInvalidParams(t *testing.T) {
	s := newServer(t, falcontest.WithHosts(20))
	c := login(t, s, "full", "")
	for _, p := range []string{
		"/devices/queries/devices/v1?limit=1&colour=blue",
		"/devices/queries/host-groups/v1?sort=name.sideways",
		"/alerts/queries/alerts/v2?include_hidden=maybe",
		"/alerts/queries/alerts/v2?limit=10001",
		"/devices/queries/host-groups/v1?limit=0",
		"/zero-trust-assessment/queries/assessments/v1",
		"/mssp/queries/cid-group-members/v1",
	} {
		r := c.get(p).want(t, 400)
		if len(r.env.Errors) != 1 || r.env.Errors[0].Code != 400 {
			t.Errorf("%s: %s", p, r.body)
		}
	}
	c.get("/devices/queries/nothing/v1").want(t, 404)
	c.do("DELETE", "/devices/queries/devices/v1", nil).want(t, 405)
}

func TestRateLimit(t *testing.T) {
	start := time.Date(2025, 3, 1, 12, 0, 0, 400e6, time.UTC)
	clk := newFakeClock(start)
	s := newServer(t, falcontest.WithClock(clk.Now), falcontest.WithRateLimit(20), falcontest.WithHosts(10), falcontest.WithTokenLifetime(time.Hour))
	c := login(t, s, "full", "")
	for i := range 20 {
		r := c.get("/devices/queries/devices/v1").want(t, 200)
		if got := r.header.Get("X-Ratelimit-Remaining"); got != strconv.Itoa(19-i) || r.header.Get("X-Ratelimit-Limit") != "20" {
			t.Fatalf("request %d: remaining %s", i, got)
		}
		if i == 9 {
			clk.Advance(10 * time.Second) // the second half arrives later
		}
	}
	r := c.get("/devices/queries/devices/v1").want(t, 429)
	r.conforms(t, "GET /devices/queries/devices/v1")
	// The oldest request (at start) leaves the window at start+60 s; rounded up.
	want := start.Add(time.Minute).Unix() + 1
	if got := r.header.Get("X-Ratelimit-Retryafter"); got != strconv.FormatInt(want, 10) || r.header.Get("X-Ratelimit-Remaining") != "0" {
		t.Fatalf("Retryafter %s, want %d", got, want)
	}
	if r.env.Errors[0].Code != 429 {
		t.Errorf("429 body %s", r.body)
	}
	// Errors count against the budget and carry the headers too.
	c.get("/devices/queries/host-groups/v1").want(t, 429)
	// Another CID (a child token) has its own window.
	child := login(t, s, "full", s.Tenants()[1].CID)
	child.get("/devices/queries/devices/v1").want(t, 200)
	// At Retryafter the first ten slots are free again, the later ten are not.
	clk.Advance(time.Unix(want, 0).Sub(clk.Now()))
	for range 10 {
		c.get("/devices/queries/devices/v1").want(t, 200)
	}
	c.get("/devices/queries/devices/v1").want(t, 429)
	if st := s.Stats(); st.Throttled429 != 3 || st.ByStatus["429"] != 3 {
		t.Errorf("stats %+v", st)
	}
}

func TestFaults(t *testing.T) {
	t.Run("500 does not apply writes", func(t *testing.T) {
		s := newServer(t, falcontest.WithHosts(20), falcontest.WithFaults(falcontest.Faults{Rate500: 1}))
		c := login(t, s, "full", "") // the token endpoint is exempt by default
		groups := s.HostGroups(s.ParentCID())
		c.do("DELETE", "/devices/entities/host-groups/v1"+q("ids", groups[0]), nil).want(t, 500)
		if len(s.HostGroups(s.ParentCID())) != len(groups) || s.Stats().Writes != 0 {
			t.Error("a faulted write was applied")
		}
	})
	t.Run("429 asks for one second", func(t *testing.T) {
		s := newServer(t, falcontest.WithHosts(20), falcontest.WithFaults(falcontest.Faults{Rate429: 1}))
		c := login(t, s, "full", "")
		before := time.Now().Unix()
		r := c.get("/devices/queries/devices/v1").want(t, 429)
		ra, _ := strconv.ParseInt(r.header.Get("X-Ratelimit-Retryafter"), 10, 64)
		if ra < before+1 || ra > time.Now().Unix()+1 {
			t.Errorf("Retryafter %d (now %d)", ra, before)
		}
	})
	t.Run("malformed", func(t *testing.T) {
		s := newServer(t, falcontest.WithHosts(20), falcontest.WithFaults(falcontest.Faults{RateMalformed: 1}))
		c := login(t, s, "full", "")
		req, _ := http.NewRequest("GET", s.URL+"/devices/queries/devices/v1", nil)
		req.Header.Set("Authorization", "Bearer "+c.tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || json.Valid(b) || len(b) == 0 {
			t.Errorf("malformed: %d %q", resp.StatusCode, b)
		}
	})
	t.Run("reset", func(t *testing.T) {
		s := newServer(t, falcontest.WithHosts(20), falcontest.WithFaults(falcontest.Faults{RateReset: 1}))
		c := login(t, s, "full", "")
		req, _ := http.NewRequest("GET", s.URL+"/devices/queries/devices/v1", nil)
		req.Header.Set("Authorization", "Bearer "+c.tok)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Fatal("a reset request got a reply")
		}
		// An idempotent write is applied before the reset.
		// Find a static group on a fault-free twin (same seed, same ids).
		twin := newServer(t, falcontest.WithHosts(20))
		var gs []hostGroupV1
		login(t, twin, "full", "").get("/devices/combined/host-groups/v1"+q("filter", "group_type:'staticByID'")).want(t, 200).decode(t, &gs)
		static := gs[0].ID
		ids := s.HostIDs(s.ParentCID())
		body := `{"ids":["` + static + `"],"action_parameters":[{"name":"filter","value":"device_id:['` + ids[0] + `','` + ids[1] + `']"}]}`
		req, _ = http.NewRequest("POST", s.URL+"/devices/entities/host-group-actions/v1?action_name=add-hosts", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+c.tok)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Fatal("a reset write got a reply")
		}
		if members := s.GroupMembers(s.ParentCID(), static); !slices.Contains(members, ids[0]) || !slices.Contains(members, ids[1]) {
			t.Error("the idempotent write was not applied before the reset")
		}
		// net/http retries a reset GET on a reused connection once, so ≥ 2.
		if st := s.Stats(); st.ByStatus["reset"] < 2 || st.Writes != 1 {
			t.Errorf("stats %+v", st)
		}
	})
	t.Run("parse", func(t *testing.T) {
		f, err := falcontest.ParseFaults("429=0.05,500=0.02,reset=0.01,malformed=0.01")
		if err != nil || f.Rate429 != 0.05 || f.Rate500 != 0.02 || f.RateReset != 0.01 || f.RateMalformed != 0.01 {
			t.Errorf("%+v %v", f, err)
		}
		for _, bad := range []string{"429", "404=0.1", "500=2", "429=0.6,500=0.6", "reset=x"} {
			if _, err := falcontest.ParseFaults(bad); err == nil {
				t.Errorf("ParseFaults(%q) accepted", bad)
			}
		}
	})
}

func TestLatencyAndCancel(t *testing.T) {
	s := newServer(t, falcontest.WithHosts(5), falcontest.WithLatency(40*time.Millisecond))
	c := login(t, s, "full", "")
	t0 := time.Now()
	c.get("/devices/queries/devices/v1").want(t, 200)
	if time.Since(t0) < 40*time.Millisecond {
		t.Error("latency not applied")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/devices/queries/devices/v1", nil)
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Error("cancelled request succeeded")
	}
}

func TestStats(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(1), falcontest.WithHosts(20))
	c := login(t, s, "full", "")
	child := login(t, s, "full", s.Tenants()[1].CID)
	s.ResetStats()
	c.get("/devices/queries/devices-scroll/v1").want(t, 200)
	c.get("/devices/queries/devices-scroll/v1").want(t, 200)
	child.get("/devices/queries/devices/v1?bogus=1").want(t, 400)
	ids := s.HostIDs(s.ParentCID())
	c.do("PATCH", "/devices/entities/devices/tags/v1", map[string]any{"action": "add", "device_ids": ids[:1], "tags": []string{"X"}}).want(t, 202)
	resp, err := http.Get(s.URL + "/_sim/stats")
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	byOp := st["by_operation"].(map[string]any)
	byTenant := st["by_tenant"].(map[string]any)
	if st["requests_total"] != 4.0 || byOp["GET /devices/queries/devices-scroll/v1"] != 2.0 ||
		st["by_status"].(map[string]any)["400"] != 1.0 || byTenant[s.ParentCID()] != 3.0 ||
		byTenant[s.Tenants()[1].CID] != 1.0 || st["writes"] != 1.0 || st["throttled_429"] != 0.0 {
		t.Errorf("stats %v", st)
	}
	req, _ := http.NewRequest("DELETE", s.URL+"/_sim/stats", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatal(err, resp)
	}
	if s.Stats().RequestsTotal != 0 {
		t.Error("reset did not reset")
	}
}

func TestExtraScopeProbes(t *testing.T) {
	s := newServer(t, falcontest.WithHosts(5), falcontest.WithClient("idp-timeline", "identity-protection-timeline:read"))
	full, analyst := login(t, s, "full", ""), login(t, s, "analyst", "")
	reads := []string{
		"/real-time-response/queries/sessions/v1?limit=1", "/iocs/queries/indicators/v1?limit=1",
		"/policy/queries/ioa-exclusions/v1?limit=1", "/policy/queries/ml-exclusions/v1?limit=1",
		"/detects/queries/detects/v1?limit=1", "/incidents/queries/incidents/v1?limit=1",
		"/spotlight/queries/vulnerabilities/v1?limit=1&filter=status:'open'", "/ods/queries/scans/v1?limit=1",
	}
	for _, p := range reads {
		full.get(p).want(t, 200)
		analyst.get(p).want(t, 200)
	}
	full.get("/spotlight/queries/vulnerabilities/v1?limit=1").want(t, 400)
	writes := []struct{ method, path string }{
		{"POST", "/real-time-response/entities/sessions/v1"}, {"PATCH", "/iocs/entities/indicators/v1"},
		{"PATCH", "/policy/entities/ioa-exclusions/v1"}, {"PATCH", "/policy/entities/ml-exclusions/v1"},
		{"PATCH", "/detects/entities/detects/v2"}, {"POST", "/incidents/entities/incident-actions/v1"},
		{"POST", "/ods/entities/scans/v1"},
	}
	for _, w := range writes {
		full.do(w.method, w.path, map[string]any{}).want(t, 400)
		analyst.do(w.method, w.path, map[string]any{}).want(t, 403)
	}
	gql := func(c *client, query string) result {
		return c.do("POST", "/identity-protection/combined/graphql/v1", map[string]string{"query": query})
	}
	gql(full, "{entities(first:1){nodes{entityId}}}").want(t, 200)
	gql(full, "mutation{}").want(t, 400)
	gql(analyst, "mutation{}").want(t, 403)
	tl := login(t, s, "idp-timeline", "")
	gql(tl, "{timeline(first:1){nodes{eventId}}}").want(t, 200)
	gql(tl, "{entities(first:1){nodes{entityId}}}").want(t, 403)
}

func TestAPIClientsListing(t *testing.T) {
	s := newServer(t, falcontest.WithHosts(5))
	full := s.Client("full")
	c := login(t, s, "full", "")
	var ents []struct {
		ID     string   `json:"id"`
		Scopes []string `json:"scopes"`
	}
	c.get("/api-clients/entities/api-clients/v1"+q("ids", full.ID)).want(t, 200).decode(t, &ents)
	if len(ents) != 1 || ents[0].ID != full.ID || len(ents[0].Scopes) != len(full.Scopes) {
		t.Errorf("listing %+v", ents)
	}
	login(t, s, "analyst", "").get("/api-clients/entities/api-clients/v1"+q("ids", full.ID)).want(t, 403)
}

func TestUnprovisioned(t *testing.T) {
	s := newServer(t, falcontest.WithHosts(5), falcontest.WithUnprovisioned(0, "alerts"))
	c := login(t, s, "full", "")
	r := c.get("/alerts/queries/alerts/v2").wantUnprovisioned(t)
	r.conforms(t, "GET /alerts/queries/alerts/v2")
	// An entity that does not exist is another 404: from the service, region set, id named.
	c.get("/devices/entities/host-groups/v1"+q("ids", "nosuchgroup")).want(t, 404)
	c.get("/zero-trust-assessment/entities/audit/v1").want(t, 200) // the default is replaced
	login(t, s, "full", s.Tenants()[1].CID).get("/alerts/queries/alerts/v2").want(t, 200)
}
