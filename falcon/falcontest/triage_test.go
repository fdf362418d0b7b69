package falcontest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// retrieveUsersGETV1 (mimicked, outside the subset): users by UUID, partial results like
// every entity read, the usermgmt:read scope, and the 5,000 bound.
func TestUsersEntities(t *testing.T) {
	s := newServer(t, falcontest.WithSeed(5), falcontest.WithHosts(10), falcontest.WithTenants(1))
	c := login(t, s, "full", "")
	uuids := c.get("/user-management/queries/users/v1"+q("limit", "500")).want(t, 200).ids(t)
	if len(uuids) < 8 {
		t.Fatalf("%d users", len(uuids))
	}
	var us []struct {
		UUID, UID, CID, Status string
		First                  string `json:"first_name"`
		Last                   string `json:"last_name"`
	}
	r := c.do("POST", "/user-management/entities/users/GET/v1", map[string]any{"ids": []string{uuids[1], "nope"}}).want(t, 200)
	r.decode(t, &us)
	if len(us) != 1 || us[0].UUID != uuids[1] || us[0].First == "" || !strings.Contains(us[0].UID, "@") ||
		len(r.env.Errors) != 1 || r.env.Errors[0].ID != "nope" {
		t.Fatalf("users %+v errors %+v", us, r.env.Errors)
	}
	checkHeaders(t, r)
	c.do("POST", "/user-management/entities/users/GET/v1", map[string]any{"ids": []string{"nope"}}).want(t, 404)
	c.do("POST", "/user-management/entities/users/GET/v1", map[string]any{"ids": []string{}}).want(t, 400)
	c.do("POST", "/user-management/entities/users/GET/v1", map[string]any{"ids": make([]string, 5001)}).want(t, 400)
	nu := login(t, newServer(t, falcontest.WithClient("nu", "alerts:read")), "nu", "")
	nu.do("POST", "/user-management/entities/users/GET/v1", map[string]any{"ids": []string{"x"}}).want(t, http.StatusForbidden)
}

// Alert triage is validated as the API does: an unknown action, a bad status or a user the
// customer does not have is a 400 with the error envelope, and nothing changes; applied
// updates are counted per alert.
func TestAlertTriageValidation(t *testing.T) {
	s := newServer(t, falcontest.WithSeed(6), falcontest.WithHosts(10), falcontest.WithTenants(1))
	c := login(t, s, "full", "")
	ids := c.get("/alerts/queries/alerts/v2"+q("limit", "2")).want(t, 200).ids(t)
	uuids := c.get("/user-management/queries/users/v1").want(t, 200).ids(t)
	patch := func(name, value string) result {
		return c.do("PATCH", "/alerts/entities/alerts/v3", map[string]any{"composite_ids": ids,
			"action_parameters": []map[string]string{{"name": name, "value": value}}})
	}
	for _, bad := range [][2]string{{"frobnicate", "x"}, {"update_status", "done"}, {"assign_to_uuid", "00000000-0000-4000-8000-000000000000"},
		{"assign_to_user_id", "nobody@example.com"}, {"assign_to_name", "No Body"}} {
		r := patch(bad[0], bad[1]).want(t, 400)
		if len(r.env.Errors) != 1 || r.env.Errors[0].Code != 400 || r.env.Errors[0].Message == "" || r.env.Meta.TraceID == "" {
			t.Errorf("%v: envelope %s", bad, r.body)
		}
	}
	if st := s.Stats(); st.AlertsUpdated != 0 || st.Writes != 0 {
		t.Fatalf("refused updates changed state: %+v", st)
	}
	patch("assign_to_uuid", uuids[0]).want(t, 200)
	if st := s.Stats(); st.AlertsUpdated != 2 || st.Writes != 1 {
		t.Errorf("stats after one update of two alerts: alerts %d writes %d", st.AlertsUpdated, st.Writes)
	}
}
