package falcontest_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// detectsAlert mirrors the typed core of detects.Alert.
type detectsAlert struct {
	CompositeID      string `json:"composite_id"`
	ID               string `json:"id"`
	CID              string `json:"cid"`
	AgentID          string `json:"agent_id"`
	Status           string `json:"status"`
	Severity         int    `json:"severity"`
	SeverityName     string `json:"severity_name"`
	Product          string `json:"product"`
	Tactic           string `json:"tactic"`
	TechniqueID      string `json:"technique_id"`
	CreatedTimestamp string `json:"created_timestamp"`
	UpdatedTimestamp string `json:"updated_timestamp"`
	ShowInUI         bool   `json:"show_in_ui"`
	Description      string `json:"description"`
	Tags             []string
	MitreAttack      []struct {
		Tactic      string `json:"tactic"`
		TechniqueID string `json:"technique_id"`
	} `json:"mitre_attack"`
	Device struct {
		DeviceID string `json:"device_id"`
		Hostname string `json:"hostname"`
	} `json:"device"`
}

func TestAlerts(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(1), falcontest.WithHosts(500), falcontest.WithAlerts(300))
	c := login(t, s, "full", "")

	// Default sort is created_timestamp|desc, over the last 30 days.
	ids := c.get("/alerts/queries/alerts/v2"+q("limit", "300")).want(t, 200).ids(t)
	if len(ids) != 300 {
		t.Fatalf("alerts: %d", len(ids))
	}
	var as []detectsAlert
	c.do("POST", "/alerts/entities/alerts/v2", map[string]any{"composite_ids": ids}).want(t, 200).decode(t, &as)
	if len(as) != 300 {
		t.Fatalf("entities: %d", len(as))
	}
	oldest := time.Now().Add(-31 * 24 * time.Hour)
	for i, a := range as {
		ts, err := time.Parse(time.RFC3339, a.CreatedTimestamp)
		if err != nil || ts.Before(oldest) {
			t.Fatalf("created %q", a.CreatedTimestamp)
		}
		if i > 0 && as[i-1].CreatedTimestamp < a.CreatedTimestamp {
			t.Fatalf("not sorted desc at %d", i)
		}
		if a.CompositeID != ids[i] || !strings.HasPrefix(a.CompositeID, s.ParentCID()+":ind:"+a.AgentID+":") ||
			a.Device.DeviceID != a.AgentID || len(a.MitreAttack) != 1 || a.Tactic == "" || a.SeverityName == "" {
			t.Fatalf("alert %+v", a)
		}
	}

	// Filters: severity, status, product, device.device_id, agent_id, created_timestamp, q.
	one := as[0]
	for _, f := range []string{
		"severity:>=" + strconv.Itoa(one.Severity), "status:'" + one.Status + "'", "product:'" + one.Product + "'",
		"device.device_id:'" + one.AgentID + "'", "agent_id:'" + one.AgentID + "'",
		"created_timestamp:>='now-30d'", "severity_name:'" + one.SeverityName + "'+status:'" + one.Status + "'",
	} {
		got := c.get("/alerts/queries/alerts/v2"+q("limit", "1000", "filter", f)).want(t, 200).ids(t)
		if !slices.Contains(got, one.CompositeID) {
			t.Errorf("filter %s misses the alert", f)
		}
	}
	if got := c.get("/alerts/queries/alerts/v2"+q("q", one.Device.Hostname)).want(t, 200).ids(t); !slices.Contains(got, one.CompositeID) {
		t.Error("q search misses the alert")
	}
	asc := c.get("/alerts/queries/alerts/v2"+q("limit", "1", "sort", "created_timestamp|asc")).want(t, 200).ids(t)
	if asc[0] != ids[len(ids)-1] {
		t.Error("sort asc")
	}
	c.get("/alerts/queries/alerts/v2"+q("offset", "9990", "limit", "11")).want(t, 400)

	// Per-id 404s.
	r := c.do("POST", "/alerts/entities/alerts/v2", map[string]any{"composite_ids": []string{ids[0], "nope"}}).want(t, 200)
	if len(r.env.Errors) != 1 || r.env.Errors[0].ID != "nope" || r.env.Errors[0].Code != 404 {
		t.Errorf("errors %+v", r.env.Errors)
	}

	// Combined: pages by `after` until it is absent, every alert once.
	seen := map[string]bool{}
	after := ""
	for {
		body := map[string]any{"limit": 70, "filter": "created_timestamp:>='now-30d'"}
		if after != "" {
			body = map[string]any{"limit": 70, "after": after}
		}
		r := c.do("POST", "/alerts/combined/alerts/v1", body).want(t, 200)
		var page []detectsAlert
		r.decode(t, &page)
		for _, a := range page {
			if seen[a.CompositeID] {
				t.Fatalf("combined returned %s twice", a.CompositeID)
			}
			seen[a.CompositeID] = true
		}
		var pg struct {
			After string `json:"after"`
			Total int    `json:"total"`
		}
		r.paging(t, &pg)
		if pg.After == "" {
			if len(seen) != pg.Total || pg.Total != 300 {
				t.Fatalf("combined: %d alerts, total %d", len(seen), pg.Total)
			}
			break
		}
		after = pg.After
	}
	c.do("POST", "/alerts/combined/alerts/v1", map[string]any{"limit": 1001}).want(t, 400)
	c.do("POST", "/alerts/combined/alerts/v1", map[string]any{"after": "bogus"}).want(t, 400)

	// Aggregates.
	var aggs []struct {
		Name    string `json:"name"`
		Buckets []struct {
			Count int `json:"count"`
			Label any `json:"label"`
		} `json:"buckets"`
	}
	c.do("POST", "/alerts/aggregates/alerts/v2", []map[string]any{
		{"name": "sev", "type": "terms", "field": "severity_name", "size": 10},
		{"name": "status", "type": "terms", "field": "status"},
		{"name": "daily", "type": "date_histogram", "field": "created_timestamp", "interval": "day"},
	}).want(t, 200).decode(t, &aggs)
	total := 0
	for _, b := range aggs[0].Buckets {
		total += b.Count
	}
	if len(aggs) != 3 || total != 300 || len(aggs[2].Buckets) < 20 {
		t.Errorf("aggregates: %+v", aggs)
	}

	// PATCH v3: status, assignment, tags, comments; analyst may not write.
	upd := map[string]any{"composite_ids": ids[:3], "action_parameters": []map[string]string{
		{"name": "update_status", "value": "closed"}, {"name": "add_tag", "value": "triaged"}, {"name": "append_comment", "value": "done"}}}
	r = c.do("PATCH", "/alerts/entities/alerts/v3", upd).want(t, 200)
	if r.env.Meta.Writes == nil || r.env.Meta.Writes.ResourcesAffected != 3 {
		t.Errorf("writes %+v", r.env.Meta.Writes)
	}
	c.do("POST", "/alerts/entities/alerts/v2", map[string]any{"composite_ids": ids[:3]}).want(t, 200).decode(t, &as)
	for _, a := range as {
		if a.Status != "closed" || !slices.Contains(a.Tags, "triaged") {
			t.Errorf("after update %+v", a)
		}
	}
	c.do("PATCH", "/alerts/entities/alerts/v3", map[string]any{"composite_ids": ids[:1], "action_parameters": []map[string]string{{"name": "update_status", "value": "done"}}}).want(t, 400)
	c.do("PATCH", "/alerts/entities/alerts/v3", map[string]any{"composite_ids": []string{}, "action_parameters": []map[string]string{}}).want(t, 400)
	a := login(t, s, "analyst", "")
	a.do("PATCH", "/alerts/entities/alerts/v3", upd).want(t, 403)
	before := s.Stats().Writes
	a.get("/alerts/queries/alerts/v2").want(t, 200)
	if s.Stats().Writes != before {
		t.Error("a read counted as a write")
	}
}
