package falcontest

import (
	"net/http"
	"slices"
	"strings"
)

// --- CID groups ---

func cgJSON(s *Server, g *cidGroup) cidGroupJSON {
	return cidGroupJSON{CID: s.w.parent().cid, CIDGroupID: g.id, Description: g.description, IsDefault: g.isDefault, Name: g.name}
}

func (m *msspState) cidGroup(id string) *cidGroup {
	for _, g := range m.cidGroups {
		if g.id == id {
			return g
		}
	}
	return nil
}

func (m *msspState) userGroup(id string) *userGroup {
	for _, g := range m.userGroups {
		if g.id == id {
			return g
		}
	}
	return nil
}

// queryCIDGroups serves GET /mssp/queries/cid-groups/v1 (name, sort).
func (s *Server) queryCIDGroups(c *call) {
	m := s.w.mssp
	m.mu.Lock()
	var gs []*cidGroup
	if s.isParent(c) {
		for _, g := range m.cidGroups {
			if n := c.str("name"); n == "" || strings.EqualFold(n, g.name) {
				gs = append(gs, g)
			}
		}
	}
	sortByModified(gs, func(g *cidGroup) int64 { return g.modified }, func(g *cidGroup) string { return g.name }, orDefault(c.str("sort"), "name|asc"))
	ids := idsOf(gs, func(g *cidGroup) string { return g.id })
	m.mu.Unlock()
	s.sendIDPage(c, ids)
}

// getCIDGroups serves GET /mssp/entities/cid-groups/v1 (cid_group_ids) and v2 (ids).
func (s *Server) getCIDGroups(c *call, param string) {
	m := s.w.mssp
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []cidGroupJSON
	var errs []apiError
	for _, id := range dedupe(c.q[param]) {
		if g := m.cidGroup(id); g != nil && s.isParent(c) {
			out = append(out, cgJSON(s, g))
		} else {
			errs = append(errs, notFound("CID group", id))
		}
	}
	c.send(reply{status: multiStatus(errs), resources: nonNil(out), errs: errs})
}

type cidGroupsReq struct {
	Resources []struct {
		CIDGroupID  string `json:"cid_group_id"`
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"resources"`
}

// writeCIDGroups serves POST (create) and PATCH (update) /mssp/entities/cid-groups/v1.
func (s *Server) writeCIDGroups(c *call, create bool) {
	var req cidGroupsReq
	if !c.decodeBody(&req) || s.notParent(c) {
		return
	}
	if len(req.Resources) == 0 {
		c.fail(http.StatusBadRequest, "resources must not be empty")
		return
	}
	m := s.w.mssp
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []cidGroupJSON
	var errs []apiError
	for _, r := range req.Resources {
		if create {
			if strings.TrimSpace(r.Name) == "" {
				errs = append(errs, apiError{Code: 400, Message: "name is required"})
				continue
			}
			g := &cidGroup{id: newGroupID(), name: r.Name, description: r.Description, modified: nowUnix(c)}
			m.cidGroups = append(m.cidGroups, g)
			out = append(out, cgJSON(s, g))
			continue
		}
		g := m.cidGroup(r.CIDGroupID)
		if g == nil {
			errs = append(errs, notFound("CID group", r.CIDGroupID))
			continue
		}
		if r.Name != "" {
			g.name = r.Name
		}
		g.description = r.Description
		g.modified = nowUnix(c)
		out = append(out, cgJSON(s, g))
	}
	s.finishWrite(c, len(out), errs, nonNil(out))
}

// deleteCIDGroups serves DELETE /mssp/entities/cid-groups/v1.
func (s *Server) deleteCIDGroups(c *call) {
	if s.notParent(c) {
		return
	}
	m := s.w.mssp
	m.mu.Lock()
	defer m.mu.Unlock()
	var done []string
	var errs []apiError
	for _, id := range dedupe(c.q["cid_group_ids"]) {
		if m.cidGroup(id) == nil {
			errs = append(errs, notFound("CID group", id))
			continue
		}
		m.cidGroups = slices.DeleteFunc(m.cidGroups, func(g *cidGroup) bool { return g.id == id })
		m.roles = slices.DeleteFunc(m.roles, func(r *msspRole) bool { return r.cidGroupID == id })
		done = append(done, id)
	}
	s.finishWrite(c, len(done), errs, nonNil(done))
}

// queryCIDGroupMembers serves GET /mssp/queries/cid-group-members/v1?cid=.
func (s *Server) queryCIDGroupMembers(c *call) {
	m := s.w.mssp
	m.mu.Lock()
	var gs []*cidGroup
	if s.isParent(c) {
		for _, g := range m.cidGroups {
			if slices.Contains(g.cids, strings.ToLower(c.str("cid"))) {
				gs = append(gs, g)
			}
		}
	}
	sortByModified(gs, func(g *cidGroup) int64 { return g.modified }, func(g *cidGroup) string { return g.name }, orDefault(c.str("sort"), "last_modified_timestamp|desc"))
	ids := idsOf(gs, func(g *cidGroup) string { return g.id })
	m.mu.Unlock()
	s.sendIDPage(c, ids)
}

// getCIDGroupMembers serves GET /mssp/entities/cid-group-members/v1|v2.
func (s *Server) getCIDGroupMembers(c *call, param string) {
	m := s.w.mssp
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []cidGroupMembersJSON
	var errs []apiError
	for _, id := range dedupe(c.q[param]) {
		if g := m.cidGroup(id); g != nil && s.isParent(c) {
			out = append(out, cidGroupMembersJSON{CIDGroupID: g.id, CIDs: nonNil(slices.Clone(g.cids))})
		} else {
			errs = append(errs, notFound("CID group", id))
		}
	}
	c.send(reply{status: multiStatus(errs), resources: nonNil(out), errs: errs})
}

type cidMembersReq struct {
	Resources []cidGroupMembersJSON `json:"resources"`
}

// changeCIDGroupMembers serves POST (add) and DELETE v1/v2 (remove) of
// /mssp/entities/cid-group-members. Only child CIDs can be members.
func (s *Server) changeCIDGroupMembers(c *call, add bool) {
	var req cidMembersReq
	if !c.decodeBody(&req) || s.notParent(c) {
		return
	}
	if len(req.Resources) == 0 {
		c.fail(http.StatusBadRequest, "resources must not be empty")
		return
	}
	m := s.w.mssp
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []cidGroupMembersJSON
	var errs []apiError
	for _, r := range req.Resources {
		g := m.cidGroup(r.CIDGroupID)
		if g == nil {
			errs = append(errs, notFound("CID group", r.CIDGroupID))
			continue
		}
		for _, cid := range r.CIDs {
			cid = strings.ToLower(cid)
			t := s.w.byCID[cid]
			if t == nil || t.parent == nil {
				errs = append(errs, apiError{Code: 400, ID: cid, Message: "not a child CID: " + cid})
				continue
			}
			g.cids = addOrRemove(g.cids, cid, add)
		}
		g.modified = nowUnix(c)
		out = append(out, cidGroupMembersJSON{CIDGroupID: g.id, CIDs: nonNil(slices.Clone(g.cids))})
	}
	s.finishWrite(c, len(out), errs, nonNil(out))
}

// finishWrite answers an MSSP write: 200, or 207 when some items failed
// (400 when all failed).
func (s *Server) finishWrite(c *call, done int, errs []apiError, resources any) {
	if done > 0 {
		c.applied = true
	}
	status := multiStatus(errs)
	if done == 0 && len(errs) > 0 {
		status = http.StatusBadRequest
	}
	c.send(reply{status: status, resources: resources, errs: errs, writes: &writes{ResourcesAffected: done}})
}

func (s *Server) sendIDPage(c *call, ids []string) {
	offset, limit := c.intParam("offset", 0), c.intParam("limit", 10)
	c.send(reply{resources: nonNil(page(ids, offset, limit)), pagination: offsetPaging{Offset: offset, Limit: limit, Total: len(ids)}})
}

func notFound(what, id string) apiError {
	return apiError{Code: http.StatusNotFound, ID: id, Message: what + " not found: " + id}
}

func idsOf[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
