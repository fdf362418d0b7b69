package falcontest_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// TestEveryOperation drives each of the 75 operations of the subset once
// (plus typical error replies) and checks status, headers and that every
// body conforms to the schema the spec declares for it.
func TestEveryOperation(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(2), falcontest.WithHosts(300), falcontest.WithSeed(3))
	c := login(t, s, "full", "")
	parent := s.ParentCID()
	child := s.Tenants()[1].CID
	hosts := s.HostIDs(parent)
	groups := s.HostGroups(parent)
	seen := map[string]bool{}

	call := func(method, path string, body any, status int) result {
		t.Helper()
		r := c.do(method, path, body).want(t, status)
		key := method + " " + strings.SplitN(path, "?", 2)[0]
		seen[key] = true
		return r.conforms(t, key)
	}
	get := func(path string, status int) result { t.Helper(); return call("GET", path, nil, status) }

	// OAuth2 (via raw HTTP: form bodies).
	full := s.Client("full")
	resp, err := http.PostForm(s.URL+"/oauth2/token", url.Values{"client_id": {full.ID}, "client_secret": {full.Secret}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	seen["POST /oauth2/token"] = resp.StatusCode == http.StatusCreated
	req, _ := http.NewRequest("POST", s.URL+"/oauth2/revoke", strings.NewReader(url.Values{"token": {"nope"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(full.ID+":"+full.Secret)))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	seen["POST /oauth2/revoke"] = resp.StatusCode == http.StatusOK

	// Hosts.
	get("/devices/queries/devices/v1"+q("limit", "5", "sort", "hostname.desc", "filter", "platform_name:'Windows'"), 200)
	get("/devices/queries/devices-hidden/v1", 200)
	get("/devices/queries/devices-scroll/v1"+q("limit", "50"), 200)
	get("/devices/combined/devices/v1"+q("limit", "3", "fields", "device_id,hostname"), 200)
	get("/devices/combined/devices-hidden/v1"+q("limit", "3"), 200)
	get("/devices/entities/devices/v2"+q("ids", hosts[0], "ids", hosts[1]), 200)
	get("/devices/entities/devices/v2"+q("ids", hosts[0], "ids", "0123456789abcdef0123456789abcdef"), 200)
	get("/devices/entities/devices/v2"+q("ids", "0123456789abcdef0123456789abcdef"), 404)
	call("POST", "/devices/entities/devices/v2", map[string]any{"ids": hosts[:10]}, 200)
	call("POST", "/devices/entities/devices-actions/v2"+q("action_name", "contain"), map[string]any{"ids": hosts[2:3]}, 202)
	call("POST", "/devices/entities/devices-actions/v2"+q("action_name", "explode"), map[string]any{"ids": hosts[2:3]}, 400)
	call("PATCH", "/devices/entities/devices/tags/v1", map[string]any{"action": "add", "device_ids": hosts[:2], "tags": []string{"FalconGroupingTags/Test"}}, 202)
	call("PATCH", "/devices/entities/devices/tags/v1", map[string]any{"action": "add", "device_ids": []string{}, "tags": []string{}}, 400)

	// Host groups.
	get("/devices/queries/host-groups/v1"+q("sort", "name.asc"), 200)
	get("/devices/queries/host-groups/v1"+q("sort", "bogus.asc"), 400)
	get("/devices/combined/host-groups/v1"+q("filter", "group_type:'dynamic'"), 200)
	get("/devices/entities/host-groups/v1"+q("ids", groups[0]), 200)
	get("/devices/entities/host-groups/v1"+q("ids", "ffffffffffffffffffffffffffffffff"), 404)
	var created []struct{ ID string }
	call("POST", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{{"name": "Ops test", "group_type": "staticByID"}}}, 201).decode(t, &created)
	call("POST", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{{"name": "Bad rule", "group_type": "dynamic", "assignment_rule": "hostname:'x"}}}, 500)
	call("PATCH", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{{"id": created[0].ID, "description": "changed"}}}, 200)
	call("PATCH", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{}}, 400)
	call("POST", "/devices/entities/host-group-actions/v1"+q("action_name", "add-hosts"), map[string]any{
		"ids": []string{created[0].ID}, "action_parameters": []map[string]string{{"name": "filter", "value": "(device_id:['" + hosts[5] + "'])"}}}, 200)
	call("POST", "/devices/entities/host-group-actions/v1"+q("action_name", "add-hosts"), map[string]any{
		"ids": []string{"ffffffffffffffffffffffffffffffff"}, "action_parameters": []map[string]string{{"name": "filter", "value": "device_id:['x']"}}}, 404)
	get("/devices/queries/host-group-members/v1"+q("id", created[0].ID), 200)
	get("/devices/combined/host-group-members/v1"+q("id", groups[1]), 200)
	get("/devices/combined/host-group-members/v1"+q("id", "ffffffffffffffffffffffffffffffff"), 404)
	call("DELETE", "/devices/entities/host-groups/v1"+q("ids", created[0].ID), nil, 200)
	call("DELETE", "/devices/entities/host-groups/v1"+q("ids", created[0].ID), nil, 404)

	// Alerts.
	ids := get("/alerts/queries/alerts/v2"+q("limit", "5", "filter", "severity:>=30"), 200).ids(t)
	get("/alerts/queries/alerts/v1"+q("limit", "5"), 200)
	get("/alerts/queries/alerts/v2"+q("offset", "9999", "limit", "2"), 400)
	call("POST", "/alerts/entities/alerts/v2", map[string]any{"composite_ids": ids}, 200)
	call("POST", "/alerts/entities/alerts/v1", map[string]any{"ids": ids[:1]}, 200)
	call("POST", "/alerts/entities/alerts/v2", map[string]any{"composite_ids": []string{}}, 400)
	call("POST", "/alerts/combined/alerts/v1", map[string]any{"limit": 10, "sort": "created_timestamp|desc"}, 200)
	aggs := []map[string]any{{"name": "sev", "type": "terms", "field": "severity_name"}, {"name": "st", "type": "terms", "field": "status"}}
	call("POST", "/alerts/aggregates/alerts/v2", aggs, 200)
	call("POST", "/alerts/aggregates/alerts/v1", aggs, 200)
	call("POST", "/alerts/aggregates/alerts/v2", []map[string]any{{"name": "x", "type": "nope", "field": "status"}}, 400)
	upd := []map[string]string{{"name": "update_status", "value": "in_progress"}}
	call("PATCH", "/alerts/entities/alerts/v3", map[string]any{"composite_ids": ids[:2], "action_parameters": upd}, 200)
	call("PATCH", "/alerts/entities/alerts/v2", map[string]any{"ids": ids[:1], "action_parameters": upd}, 200)

	// Flight Control.
	get("/mssp/queries/children/v1", 200)
	get("/mssp/entities/children/v1"+q("ids", child), 200)
	get("/mssp/entities/children/v1"+q("ids", child, "ids", "ffffffffffffffffffffffffffffffff"), 207)
	call("POST", "/mssp/entities/children/GET/v2", map[string]any{"ids": []string{child}}, 200)
	cg := get("/mssp/queries/cid-groups/v1", 200).ids(t)
	get("/mssp/entities/cid-groups/v1"+q("cid_group_ids", cg[0]), 200)
	get("/mssp/entities/cid-groups/v2"+q("ids", cg[0]), 200)
	var newCG []struct {
		CIDGroupID string `json:"cid_group_id"`
	}
	call("POST", "/mssp/entities/cid-groups/v1", map[string]any{"resources": []map[string]string{{"name": "Test CID group"}}}, 200).decode(t, &newCG)
	call("PATCH", "/mssp/entities/cid-groups/v1", map[string]any{"resources": []map[string]string{{"cid_group_id": newCG[0].CIDGroupID, "name": "Renamed", "description": "d"}}}, 200)
	members := map[string]any{"resources": []map[string]any{{"cid_group_id": newCG[0].CIDGroupID, "cids": []string{child}}}}
	call("POST", "/mssp/entities/cid-group-members/v1", members, 200)
	get("/mssp/queries/cid-group-members/v1"+q("cid", child), 200)
	get("/mssp/entities/cid-group-members/v1"+q("cid_group_ids", newCG[0].CIDGroupID), 200)
	get("/mssp/entities/cid-group-members/v2"+q("ids", newCG[0].CIDGroupID), 200)
	call("DELETE", "/mssp/entities/cid-group-members/v1", members, 200)
	call("DELETE", "/mssp/entities/cid-group-members/v2", members, 200)
	ug := get("/mssp/queries/user-groups/v1", 200).ids(t)
	get("/mssp/entities/user-groups/v1"+q("user_group_ids", ug[0]), 200)
	get("/mssp/entities/user-groups/v2"+q("ids", ug[0]), 200)
	var newUG []struct {
		UserGroupID string `json:"user_group_id"`
	}
	call("POST", "/mssp/entities/user-groups/v1", map[string]any{"resources": []map[string]string{{"name": "Night shift"}}}, 200).decode(t, &newUG)
	call("PATCH", "/mssp/entities/user-groups/v1", map[string]any{"resources": []map[string]string{{"user_group_id": newUG[0].UserGroupID, "description": "d"}}}, 200)
	umembers := map[string]any{"resources": []map[string]any{{"user_group_id": newUG[0].UserGroupID, "user_uuids": []string{"00000000-0000-4000-a000-000000000001"}}}}
	call("POST", "/mssp/entities/user-group-members/v1", umembers, 200)
	get("/mssp/queries/user-group-members/v1"+q("user_uuid", "00000000-0000-4000-a000-000000000001"), 200)
	get("/mssp/entities/user-group-members/v1"+q("user_group_ids", newUG[0].UserGroupID), 200)
	get("/mssp/entities/user-group-members/v2"+q("ids", newUG[0].UserGroupID), 200)
	call("DELETE", "/mssp/entities/user-group-members/v1", umembers, 200)
	role := map[string]any{"resources": []map[string]any{{"id": "", "cid_group_id": newCG[0].CIDGroupID, "user_group_id": newUG[0].UserGroupID, "role_ids": []string{"falcon_analyst"}}}}
	call("POST", "/mssp/entities/mssp-roles/v1", role, 200)
	roles := get("/mssp/queries/mssp-roles/v1"+q("cid_group_id", newCG[0].CIDGroupID), 200).ids(t)
	get("/mssp/entities/mssp-roles/v1"+q("ids", roles[0]), 200)
	call("DELETE", "/mssp/entities/mssp-roles/v1", role, 200)
	call("DELETE", "/mssp/entities/user-groups/v1"+q("user_group_ids", newUG[0].UserGroupID), nil, 200)
	call("DELETE", "/mssp/entities/cid-groups/v1"+q("cid_group_ids", newCG[0].CIDGroupID), nil, 200)

	// Sensors, usage, ZTA, users, API clients.
	for _, v := range []string{"v1", "v2", "v3"} {
		get("/sensors/queries/installers/"+v+q("filter", "platform:'linux'"), 200)
		get("/sensors/combined/installers/"+v+q("limit", "5"), 200)
	}
	get("/sensors/queries/installers/ccid/v1", 200)
	get("/billing-dashboards-usage/aggregates/weekly-average/v1", 200)
	get("/billing-dashboards-usage/aggregates/hourly-average/v1"+q("filter", "event_date:'2024-01-10'"), 200)
	get("/zero-trust-assessment/queries/assessments/v1"+q("filter", "score:>=10", "limit", "5"), 200)
	get("/zero-trust-assessment/queries/assessments/v1", 400)
	get("/zero-trust-assessment/entities/assessments/v1"+q("ids", hosts[0]), 200)
	get("/zero-trust-assessment/entities/audit/v1", 200)
	get("/user-management/queries/users/v1"+q("limit", "5"), 200)
	get("/api-clients/entities/api-clients/v1"+q("ids", full.ID), 200)
	get("/api-clients/queries/api-clients/v1", 200)
	get("/api-clients/entities/accessible-scopes/v1", 200)

	sp := loadSpec(t)
	for op := range sp.Ops {
		if !seen[op] {
			t.Errorf("operation %s was not exercised", op)
		}
	}
}
