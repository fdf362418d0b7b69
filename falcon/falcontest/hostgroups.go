package falcontest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

// groupSchema is the FQL schema of host groups.
var groupSchema = fql.Schema{
	"id": fql.String, "name": fql.String, "description": fql.String, "group_type": fql.String,
	"assignment_rule": fql.String, "created_by": fql.String, "modified_by": fql.String,
	"created_timestamp": fql.Time, "modified_timestamp": fql.Time,
}

type groupRec struct{ g *group }

func (r groupRec) FQLValues(f string) []string {
	g := r.g
	switch f {
	case "id":
		return []string{g.id}
	case "name":
		return []string{g.name}
	case "description":
		return []string{g.description}
	case "group_type":
		return []string{g.groupType}
	case "assignment_rule":
		return []string{g.rule}
	case "created_by":
		return []string{g.createdBy}
	case "modified_by":
		return []string{g.modifiedBy}
	case "created_timestamp":
		return []string{rfc3339(g.created)}
	case "modified_timestamp":
		return []string{rfc3339(g.modified)}
	}
	return nil
}

// hostGroupJSON is host_groups.HostGroupV1.
type hostGroupJSON struct {
	AssignmentRule    string `json:"assignment_rule"`
	CreatedBy         string `json:"created_by"`
	CreatedTimestamp  string `json:"created_timestamp"`
	Description       string `json:"description"`
	GroupType         string `json:"group_type"`
	ID                string `json:"id"`
	ModifiedBy        string `json:"modified_by"`
	ModifiedTimestamp string `json:"modified_timestamp"`
	Name              string `json:"name"`
}

func groupJSON(g *group) hostGroupJSON {
	return hostGroupJSON{
		AssignmentRule: g.rule, CreatedBy: g.createdBy, CreatedTimestamp: rfc3339(g.created),
		Description: g.description, GroupType: g.groupType, ID: g.id, ModifiedBy: g.modifiedBy,
		ModifiedTimestamp: rfc3339(g.modified), Name: g.name,
	}
}

// selectGroups filters and sorts t's groups. Caller holds t.mu.
func selectGroups(t *tenant, filter, sort string, now time.Time) ([]*group, error) {
	expr, err := fql.ParseAt(filter, groupSchema, now)
	if err != nil {
		return nil, err
	}
	keys, err := fql.ParseSort(sort, groupSchema)
	if err != nil {
		return nil, err
	}
	var out []*group
	for _, g := range t.groups {
		if expr == nil || expr.Match(groupRec{g}) {
			out = append(out, g)
		}
	}
	if len(keys) > 0 {
		slices.SortStableFunc(out, func(a, b *group) int {
			return fql.Compare(groupRec{a}, groupRec{b}, keys, groupSchema)
		})
	}
	return out, nil
}

// queryGroups serves GET /devices/queries/host-groups/v1 (ids) and
// /devices/combined/host-groups/v1 (objects).
func (s *Server) queryGroups(c *call, combined bool) {
	offset, limit := c.intParam("offset", 0), c.intParam("limit", defaultLimit)
	t := c.t
	t.mu.RLock()
	gs, err := selectGroups(t, c.str("filter"), c.str("sort"), c.now)
	var ids []string
	var objs []hostGroupJSON
	for _, g := range page(gs, offset, limit) {
		ids = append(ids, g.id)
		objs = append(objs, groupJSON(g))
	}
	t.mu.RUnlock()
	if err != nil {
		c.fail(http.StatusBadRequest, err.Error())
		return
	}
	pg := offsetPaging{Offset: offset, Limit: limit, Total: len(gs)}
	if combined {
		c.send(reply{resources: nonNil(objs), pagination: pg})
		return
	}
	c.send(reply{resources: nonNil(ids), pagination: pg})
}

// getGroups serves GET /devices/entities/host-groups/v1.
func (s *Server) getGroups(c *call) {
	t := c.t
	t.mu.RLock()
	var objs []hostGroupJSON
	var errs []apiError
	for _, id := range dedupe(c.q["ids"]) {
		if g := t.groupByID[id]; g != nil {
			objs = append(objs, groupJSON(g))
		} else {
			errs = append(errs, apiError{Code: http.StatusNotFound, ID: id, Message: "Group not found: " + id})
		}
	}
	t.mu.RUnlock()
	c.send(reply{status: partialStatus(len(objs), len(errs)), resources: nonNil(objs), errs: errs})
}

type createGroupReq struct {
	Resources []struct {
		Name           string  `json:"name"`
		GroupType      string  `json:"group_type"`
		Description    string  `json:"description"`
		AssignmentRule *string `json:"assignment_rule"`
	} `json:"resources"`
}

func validGroupType(t string) bool { return t == "static" || t == "dynamic" || t == "staticByID" }

func (c *call) author() string { return c.sess.client.id }

// createGroups serves POST /devices/entities/host-groups/v1 → 201. All or
// nothing: any invalid resource fails the call before anything is created.
func (s *Server) createGroups(c *call) {
	var req createGroupReq
	if !c.decodeBody(&req) {
		return
	}
	if len(req.Resources) == 0 {
		c.send(reply{status: http.StatusBadRequest, resources: []hostGroupJSON{}, errs: errs1(400, "resources must not be empty")})
		return
	}
	t := c.t
	t.mu.Lock()
	defer t.mu.Unlock()
	var created []*group
	for _, r := range req.Resources {
		switch {
		case strings.TrimSpace(r.Name) == "":
			c.send(reply{status: 400, resources: []hostGroupJSON{}, errs: errs1(400, "name is required")})
			return
		case !validGroupType(r.GroupType):
			c.send(reply{status: 400, resources: []hostGroupJSON{},
				errs: errs1(400, fmt.Sprintf("invalid group_type '%s': must be one of static, dynamic, staticByID", r.GroupType))})
			return
		case r.GroupType != "dynamic" && r.AssignmentRule != nil && *r.AssignmentRule != "":
			c.send(reply{status: 400, resources: []hostGroupJSON{},
				errs: errs1(400, "assignment_rule cannot be set when creating a "+r.GroupType+" group")})
			return
		case groupNameTaken(t, r.Name, ""):
			c.send(reply{status: 400, resources: []hostGroupJSON{},
				errs: errs1(400, fmt.Sprintf("a host group named '%s' already exists", r.Name))})
			return
		}
		g := &group{
			id: newGroupID(), name: r.Name, description: r.Description, groupType: r.GroupType,
			createdBy: c.author(), modifiedBy: c.author(), created: c.now.Unix(), modified: c.now.Unix(),
			members: newBitset(len(t.hosts)),
		}
		if r.GroupType == "dynamic" && r.AssignmentRule != nil {
			if err := validateDynamicRule(*r.AssignmentRule, c.now); err != nil {
				// The real API answers an unparsable rule with a 500
				// (docs/API.md §13).
				c.send(reply{status: 500, resources: []hostGroupJSON{}, errs: errs1(500, "Internal Server Error")})
				return
			}
			g.rule = *r.AssignmentRule
		}
		if r.GroupType != "dynamic" {
			g.rule = staticRule(g)
		}
		created = append(created, g)
	}
	var out []hostGroupJSON
	for _, g := range created {
		t.groups = append(t.groups, g)
		t.groupByID[g.id] = g
		if g.groupType == "dynamic" {
			s.evalDynamic(t, g, c.now)
		}
		out = append(out, groupJSON(g))
	}
	t.version.Add(1)
	c.applied = true
	c.send(reply{status: http.StatusCreated, resources: out, writes: &writes{ResourcesAffected: len(out)}})
}

func groupNameTaken(t *tenant, name, except string) bool {
	for _, g := range t.groups {
		if g.id != except && strings.EqualFold(g.name, name) {
			return true
		}
	}
	return false
}

func newGroupID() string {
	var b [16]byte
	randRead(b[:])
	return fmt.Sprintf("%x", b)
}

func validateDynamicRule(rule string, now time.Time) error {
	if strings.TrimSpace(rule) == "" {
		return nil
	}
	_, err := fql.ParseAt(rule, hostSchema, now)
	return err
}

type updateGroupReq struct {
	Resources []struct {
		ID             string  `json:"id"`
		Name           *string `json:"name"`
		Description    *string `json:"description"`
		AssignmentRule *string `json:"assignment_rule"`
	} `json:"resources"`
}

// updateGroups serves PATCH /devices/entities/host-groups/v1.
func (s *Server) updateGroups(c *call) {
	var req updateGroupReq
	if !c.decodeBody(&req) {
		return
	}
	if len(req.Resources) == 0 {
		c.send(reply{status: 400, resources: []hostGroupJSON{}, errs: errs1(400, "resources must not be empty")})
		return
	}
	t := c.t
	t.mu.Lock()
	defer t.mu.Unlock()
	// Validate everything first so a failed call changes nothing.
	type change struct {
		g         *group
		hostnames []string
		aids      []string
	}
	var changes []change
	for _, r := range req.Resources {
		g := t.groupByID[r.ID]
		if g == nil {
			c.send(reply{status: 404, resources: []hostGroupJSON{}, errs: []apiError{{Code: 404, ID: r.ID, Message: "Group not found: " + r.ID}}})
			return
		}
		if r.Name != nil && (strings.TrimSpace(*r.Name) == "" || groupNameTaken(t, *r.Name, g.id)) {
			c.send(reply{status: 400, resources: []hostGroupJSON{}, errs: errs1(400, "invalid or duplicate name")})
			return
		}
		ch := change{g: g}
		if r.AssignmentRule != nil {
			var err error
			if g.groupType == "dynamic" {
				err = validateDynamicRule(*r.AssignmentRule, c.now)
			} else {
				ch.hostnames, ch.aids, err = parseStaticRule(*r.AssignmentRule)
			}
			if err != nil {
				c.send(reply{status: 500, resources: []hostGroupJSON{}, errs: errs1(500, "Internal Server Error")})
				return
			}
		}
		changes = append(changes, ch)
	}
	var out []hostGroupJSON
	for k, ch := range changes {
		r, g := req.Resources[k], ch.g
		if r.Name != nil {
			g.name = *r.Name
		}
		if r.Description != nil {
			g.description = *r.Description
		}
		if r.AssignmentRule != nil {
			if g.groupType == "dynamic" {
				g.rule = *r.AssignmentRule
				s.evalDynamic(t, g, c.now)
			} else {
				s.setStaticMembers(t, g, ch.hostnames, ch.aids)
			}
		}
		g.modified, g.modifiedBy = c.now.Unix(), c.author()
		out = append(out, groupJSON(g))
	}
	t.version.Add(1)
	c.applied = true
	c.send(reply{resources: out, writes: &writes{ResourcesAffected: len(out)}})
}

// deleteGroups serves DELETE /devices/entities/host-groups/v1 → deleted ids.
func (s *Server) deleteGroups(c *call) {
	t := c.t
	t.mu.Lock()
	var done []string
	var errs []apiError
	for _, id := range dedupe(c.q["ids"]) {
		if g := t.groupByID[id]; g != nil {
			delete(t.groupByID, id)
			t.groups = slices.DeleteFunc(t.groups, func(x *group) bool { return x == g })
			done = append(done, id)
		} else {
			errs = append(errs, apiError{Code: 404, ID: id, Message: "Group not found: " + id})
		}
	}
	if len(done) > 0 {
		t.version.Add(1)
		c.applied = true
	}
	t.mu.Unlock()
	c.send(reply{status: partialStatus(len(done), len(errs)), resources: nonNil(done), errs: errs,
		writes: &writes{ResourcesAffected: len(done)}})
}

// rawJSON marshals v for reply.raw.
func rawJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
