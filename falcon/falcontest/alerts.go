package falcontest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

var alertSchema = fql.Schema{
	"composite_id": fql.String, "id": fql.String, "aggregate_id": fql.String, "cid": fql.String,
	"agent_id": fql.String, "status": fql.String, "severity": fql.Number, "severity_name": fql.String,
	"confidence": fql.Number, "product": fql.String, "type": fql.String, "name": fql.String,
	"display_name": fql.String, "description": fql.String, "scenario": fql.String, "objective": fql.String,
	"tactic": fql.String, "tactic_id": fql.String, "technique": fql.String, "technique_id": fql.String,
	"pattern_id": fql.Number, "platform": fql.String, "tags": fql.String, "resolution": fql.String,
	"assigned_to_name": fql.String, "assigned_to_uid": fql.String, "assigned_to_uuid": fql.String,
	"show_in_ui": fql.Bool, "filename": fql.String, "cmdline": fql.String, "user_name": fql.String,
	"source_products": fql.String, "source_vendors": fql.String, "data_domains": fql.String,
	"seconds_to_triaged": fql.Number, "seconds_to_resolved": fql.Number,
	"created_timestamp": fql.Time, "updated_timestamp": fql.Time, "timestamp": fql.Time, "crawled_timestamp": fql.Time,
	"device.device_id": fql.String, "device.hostname": fql.String, "device.platform_name": fql.String,
	"device.local_ip": fql.String, "device.external_ip": fql.String, "device.site_name": fql.String,
	"device.os_version": fql.String, "device.product_type_desc": fql.String, "device.machine_domain": fql.String,
}

type alertRec struct{ a *alert }

func (r alertRec) FQLValues(f string) []string {
	a := r.a
	one := func(v string) []string {
		if v == "" {
			return nil
		}
		return []string{v}
	}
	num := func(v int64) []string { return []string{strconv.FormatInt(v, 10)} }
	switch f {
	case "composite_id":
		return one(a.CompositeID)
	case "id":
		return one(a.ID)
	case "aggregate_id":
		return one(a.AggregateID)
	case "cid":
		return one(a.CID)
	case "agent_id":
		return one(a.AgentID)
	case "status":
		return one(a.Status)
	case "severity":
		return num(int64(a.Severity))
	case "severity_name":
		return one(a.SeverityName)
	case "confidence":
		return num(int64(a.Confidence))
	case "product":
		return one(a.Product)
	case "type":
		return one(a.Type)
	case "name":
		return one(a.Name)
	case "display_name":
		return one(a.DisplayName)
	case "description":
		return one(a.Description)
	case "scenario":
		return one(a.Scenario)
	case "objective":
		return one(a.Objective)
	case "tactic":
		return one(a.Tactic)
	case "tactic_id":
		return one(a.TacticID)
	case "technique":
		return one(a.Technique)
	case "technique_id":
		return one(a.TechniqueID)
	case "pattern_id":
		return num(int64(a.PatternID))
	case "platform":
		return one(a.Platform)
	case "tags":
		return a.Tags
	case "resolution":
		return one(a.Resolution)
	case "assigned_to_name":
		return one(a.AssignedToName)
	case "assigned_to_uid":
		return one(a.AssignedToUID)
	case "assigned_to_uuid":
		return one(a.AssignedToUUID)
	case "show_in_ui":
		return []string{strconv.FormatBool(a.ShowInUI)}
	case "filename":
		return one(a.Filename)
	case "cmdline":
		return one(a.Cmdline)
	case "user_name":
		return one(a.UserName)
	case "source_products":
		return a.SourceProducts
	case "source_vendors":
		return a.SourceVendors
	case "data_domains":
		return a.DataDomains
	case "seconds_to_triaged":
		return num(a.SecondsToTriaged)
	case "seconds_to_resolved":
		return num(a.SecondsToResolved)
	case "created_timestamp":
		return one(a.CreatedTimestamp)
	case "updated_timestamp":
		return one(a.UpdatedTimestamp)
	case "timestamp":
		return one(a.Timestamp)
	case "crawled_timestamp":
		return one(a.CrawledTimestamp)
	}
	if d := a.Device; d != nil && strings.HasPrefix(f, "device.") {
		switch f {
		case "device.device_id":
			return one(d.DeviceID)
		case "device.hostname":
			return one(d.Hostname)
		case "device.platform_name":
			return one(d.PlatformName)
		case "device.local_ip":
			return one(d.LocalIP)
		case "device.external_ip":
			return one(d.ExternalIP)
		case "device.site_name":
			return one(d.SiteName)
		case "device.os_version":
			return one(d.OSVersion)
		case "device.product_type_desc":
			return one(d.ProductTypeDesc)
		case "device.machine_domain":
			return one(d.MachineDomain)
		}
	}
	return nil
}

const (
	defaultAlertSort  = "created_timestamp|desc"
	maxAlertWindow    = 10000
	maxAlertEntityIDs = 1000
	maxCombinedAlerts = 1000
)

// selectAlerts filters, searches (q) and sorts t's alerts. Caller holds t.mu.
func selectAlerts(t *tenant, filter, q, sort string, includeHidden bool, now time.Time) ([]*alert, error) {
	expr, err := fql.ParseAt(filter, alertSchema, now)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(sort) == "" {
		sort = defaultAlertSort
	}
	keys, err := fql.ParseSort(sort, alertSchema)
	if err != nil {
		return nil, err
	}
	q = strings.ToLower(strings.TrimSpace(q))
	var out []*alert
	for _, a := range t.alerts {
		if !includeHidden && !a.ShowInUI {
			continue
		}
		if expr != nil && !expr.Match(alertRec{a}) {
			continue
		}
		if q != "" && !alertMentions(a, q) {
			continue
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b *alert) int {
		if c := fql.Compare(alertRec{a}, alertRec{b}, keys, alertSchema); c != 0 {
			return c
		}
		return strings.Compare(a.CompositeID, b.CompositeID)
	})
	return out, nil
}

// alertMentions is the free-text q search over the alert's main texts.
func alertMentions(a *alert, q string) bool {
	for _, s := range []string{a.Name, a.DisplayName, a.Description, a.Filename, a.Cmdline, a.UserName,
		a.Tactic, a.Technique, a.CompositeID, a.Device.Hostname, a.AgentID} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}

// queryAlerts serves GET /alerts/queries/alerts/v1 and v2 → composite ids.
func (s *Server) queryAlerts(c *call) {
	offset, limit := c.intParam("offset", 0), c.intParam("limit", defaultLimit)
	if offset < 0 {
		c.fail(http.StatusBadRequest, "offset must be a non-negative integer")
		return
	}
	if offset+limit > maxAlertWindow {
		c.fail(http.StatusBadRequest, fmt.Sprintf("offset %d and limit %d are invalid; offset + limit must be less than or equal to %d", offset, limit, maxAlertWindow))
		return
	}
	t := c.t
	t.mu.RLock()
	as, err := selectAlerts(t, c.str("filter"), c.str("q"), c.str("sort"), c.boolParam("include_hidden", true), c.now)
	var ids []string
	for _, a := range page(as, offset, limit) {
		ids = append(ids, a.CompositeID)
	}
	t.mu.RUnlock()
	if err != nil {
		c.fail(http.StatusBadRequest, err.Error())
		return
	}
	c.send(reply{resources: nonNil(ids), pagination: offsetPaging{Offset: offset, Limit: limit, Total: len(as)}})
}

type compositeIDsRequest struct {
	CompositeIDs []string `json:"composite_ids"`
	IDs          []string `json:"ids"`
}

// getAlerts serves POST /alerts/entities/alerts/v2 (composite_ids) and v1 (ids).
func (s *Server) getAlerts(c *call, v1 bool) {
	var req compositeIDsRequest
	if !c.decodeBody(&req) {
		return
	}
	ids := req.CompositeIDs
	if v1 {
		ids = req.IDs
	}
	if len(ids) == 0 {
		c.send(reply{status: 400, resources: []*alert{}, errs: errs1(400, "composite_ids must not be empty")})
		return
	}
	if len(ids) > maxAlertEntityIDs {
		c.send(reply{status: 400, resources: []*alert{},
			errs: errs1(400, fmt.Sprintf("too many ids: %d given, at most %d allowed", len(ids), maxAlertEntityIDs))})
		return
	}
	includeHidden := c.boolParam("include_hidden", true)
	t := c.t
	t.mu.RLock()
	var found []*alert
	var errs []apiError
	for _, id := range dedupe(ids) {
		a := t.alertByID[id]
		if a == nil || (!includeHidden && !a.ShowInUI) {
			errs = append(errs, apiError{Code: 404, ID: id, Message: "Alert not found: " + id})
			continue
		}
		found = append(found, a)
	}
	raw := rawJSON(nonNil(found))
	t.mu.RUnlock()
	c.send(reply{status: partialStatus(len(found), len(errs)), raw: raw, errs: errs})
}

type combinedAlertsRequest struct {
	After  string `json:"after"`
	Filter string `json:"filter"`
	Limit  int    `json:"limit"`
	Sort   string `json:"sort"`
}

// combinedAlerts serves POST /alerts/combined/alerts/v1: full alerts paged
// by the `after` token (absent on the last page).
func (s *Server) combinedAlerts(c *call) {
	var req combinedAlertsRequest
	if !c.decodeBody(&req) {
		return
	}
	if req.Limit == 0 {
		req.Limit = defaultLimit
	}
	fail := func(msg string) {
		c.send(reply{status: 400, resources: []*alert{}, errs: errs1(400, msg)})
	}
	if req.Limit < 1 || req.Limit > maxCombinedAlerts {
		fail(fmt.Sprintf("limit must be between 1 and %d", maxCombinedAlerts))
		return
	}
	t := c.t
	var sn *snapshot
	pos := 0
	if req.After != "" {
		var err error
		if sn, pos, err = s.scrolls.resolve(req.After, t, "alerts", c.now); err != nil {
			fail("invalid after: the pagination token is malformed or has expired")
			return
		}
	} else {
		t.mu.RLock()
		as, err := selectAlerts(t, req.Filter, "", req.Sort, true, c.now)
		t.mu.RUnlock()
		if err != nil {
			fail(err.Error())
			return
		}
		ids := make([]string, len(as))
		for k, a := range as {
			ids[k] = a.CompositeID
		}
		sn = s.scrolls.create(t, "alerts", nil, ids, c.now, time.Hour)
	}
	pageIDs := page(sn.strs, pos, req.Limit)
	t.mu.RLock()
	out := make([]*alert, 0, len(pageIDs))
	for _, id := range pageIDs {
		if a := t.alertByID[id]; a != nil {
			out = append(out, a)
		}
	}
	raw := rawJSON(out)
	t.mu.RUnlock()
	pg := afterPaging{Limit: req.Limit, Total: len(sn.strs)}
	if pos+len(pageIDs) < len(sn.strs) {
		pg.After = s.scrolls.token(sn, pos+len(pageIDs), c.now.Add(time.Hour))
	}
	c.send(reply{raw: raw, pagination: pg})
}

type patchAlertsRequest struct {
	CompositeIDs     []string          `json:"composite_ids"`
	IDs              []string          `json:"ids"`
	ActionParameters []actionParameter `json:"action_parameters"`
}

var alertStatuses = []string{"new", "in_progress", "reopened", "closed"}

// patchAlerts serves PATCH /alerts/entities/alerts/v3 (composite_ids) and
// v2 (ids): update_status, assignment, tags, comments, show_in_ui.
func (s *Server) patchAlerts(c *call, v2 bool) {
	var req patchAlertsRequest
	if !c.decodeBody(&req) {
		return
	}
	ids := req.CompositeIDs
	if v2 {
		ids = req.IDs
	}
	if len(ids) == 0 {
		c.fail(http.StatusBadRequest, "composite_ids must not be empty")
		return
	}
	if len(ids) > maxAlertEntityIDs {
		c.fail(http.StatusBadRequest, fmt.Sprintf("too many ids: at most %d allowed", maxAlertEntityIDs))
		return
	}
	if len(req.ActionParameters) == 0 {
		c.fail(http.StatusBadRequest, "action_parameters must not be empty")
		return
	}
	t := c.t
	for _, p := range req.ActionParameters {
		if msg := validAlertAction(t, p); msg != "" {
			c.fail(http.StatusBadRequest, msg)
			return
		}
	}
	t.mu.Lock()
	var errs []apiError
	n := 0
	for _, id := range dedupe(ids) {
		a := t.alertByID[id]
		if a == nil {
			errs = append(errs, apiError{Code: 404, ID: id, Message: "Alert not found: " + id})
			continue
		}
		for _, p := range req.ActionParameters {
			applyAlertAction(t, a, p, c)
		}
		a.updated = c.now.Unix()
		a.UpdatedTimestamp = rfc3339(a.updated)
		n++
	}
	if n > 0 {
		t.version.Add(1)
		c.applied = true
		s.stats.addAlertUpdates(n)
	}
	t.mu.Unlock()
	status := http.StatusOK
	if n == 0 {
		status = http.StatusNotFound
	}
	c.send(reply{status: status, errs: errs, writes: &writes{ResourcesAffected: n}})
}

func validAlertAction(t *tenant, p actionParameter) string {
	switch p.Name {
	case "update_status":
		if !slices.Contains(alertStatuses, p.Value) {
			return fmt.Sprintf("invalid status '%s': must be one of %s", p.Value, strings.Join(alertStatuses, ", "))
		}
	case "show_in_ui":
		if _, err := strconv.ParseBool(p.Value); err != nil {
			return "show_in_ui must be true or false"
		}
	case "assign_to_uuid", "assign_to_user_id", "assign_to_name":
		// The service knows the customer's users and refuses anyone else (docs/API.md §14;
		// the wording is the simulator's).
		if p.Value == "" {
			return p.Name + " needs a value"
		}
		if alertAssignee(t, p) == nil {
			return fmt.Sprintf("invalid value for %s: no user '%s' in this customer", p.Name, p.Value)
		}
	case "add_tag", "remove_tag", "remove_tags_by_prefix", "append_comment":
		if p.Value == "" {
			return p.Name + " needs a value"
		}
	case "unassign":
	default:
		return fmt.Sprintf("invalid action parameter '%s'", p.Name)
	}
	return ""
}

// alertAssignee is the tenant's user an assign_to_* action names (by UUID, by user id — the
// login e-mail — or by "First Last"), or nil.
func alertAssignee(t *tenant, p actionParameter) *user {
	for _, u := range t.users {
		switch {
		case p.Name == "assign_to_uuid" && strings.EqualFold(u.uuid, p.Value),
			p.Name == "assign_to_user_id" && strings.EqualFold(u.uid, p.Value),
			p.Name == "assign_to_name" && u.first+" "+u.last == p.Value:
			return u
		}
	}
	return nil
}

func applyAlertAction(t *tenant, a *alert, p actionParameter, c *call) {
	switch p.Name {
	case "update_status":
		a.Status = p.Value
		if p.Value == "closed" && a.SecondsToResolved == 0 {
			a.SecondsToResolved = max(c.now.Unix()-a.created, 1)
		}
	case "show_in_ui":
		a.ShowInUI, _ = strconv.ParseBool(p.Value)
	case "assign_to_uuid", "assign_to_user_id", "assign_to_name":
		if u := alertAssignee(t, p); u != nil { // validated before any alert changed
			a.AssignedToUUID, a.AssignedToUID, a.AssignedToName = u.uuid, u.uid, u.first+" "+u.last
		}
		if a.SecondsToTriaged == 0 {
			a.SecondsToTriaged = max(c.now.Unix()-a.created, 1)
		}
	case "unassign":
		a.AssignedToUUID, a.AssignedToUID, a.AssignedToName = "", "", ""
	case "add_tag":
		if !slices.Contains(a.Tags, p.Value) {
			a.Tags = append(slices.Clone(a.Tags), p.Value)
		}
	case "remove_tag":
		a.Tags = slices.DeleteFunc(slices.Clone(a.Tags), func(x string) bool { return x == p.Value })
	case "remove_tags_by_prefix":
		a.Tags = slices.DeleteFunc(slices.Clone(a.Tags), func(x string) bool { return strings.HasPrefix(x, p.Value) })
	case "append_comment":
		a.Comments = append(slices.Clone(a.Comments), alertComment{Value: p.Value, Author: c.author(), Timestamp: rfc3339(c.now.Unix())})
	}
}
