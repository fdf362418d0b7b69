package falcontest

import (
	"net/http"
	"slices"
	"strings"
)

// --- user groups ---

func ugJSON(s *Server, g *userGroup) userGroupJSON {
	return userGroupJSON{CID: s.w.parent().cid, Description: g.description, Name: g.name, UserGroupID: g.id}
}

// queryUserGroups serves GET /mssp/queries/user-groups/v1 (name, sort).
func (s *Server) queryUserGroups(c *call) {
	m := s.w.mssp
	m.mu.Lock()
	var gs []*userGroup
	if s.isParent(c) {
		for _, g := range m.userGroups {
			if n := c.str("name"); n == "" || strings.EqualFold(n, g.name) {
				gs = append(gs, g)
			}
		}
	}
	sortByModified(gs, func(g *userGroup) int64 { return g.modified }, func(g *userGroup) string { return g.name }, orDefault(c.str("sort"), "name|asc"))
	ids := idsOf(gs, func(g *userGroup) string { return g.id })
	m.mu.Unlock()
	s.sendIDPage(c, ids)
}

// getUserGroups serves GET /mssp/entities/user-groups/v1 (user_group_ids) and v2 (ids).
func (s *Server) getUserGroups(c *call, param string) {
	m := s.w.mssp
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []userGroupJSON
	var errs []apiError
	for _, id := range dedupe(c.q[param]) {
		if g := m.userGroup(id); g != nil && s.isParent(c) {
			out = append(out, ugJSON(s, g))
		} else {
			errs = append(errs, notFound("user group", id))
		}
	}
	c.send(reply{status: multiStatus(errs), resources: nonNil(out), errs: errs})
}

type userGroupsReq struct {
	Resources []struct {
		UserGroupID string `json:"user_group_id"`
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"resources"`
}

// writeUserGroups serves POST (create) and PATCH (update) /mssp/entities/user-groups/v1.
func (s *Server) writeUserGroups(c *call, create bool) {
	var req userGroupsReq
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
	var out []userGroupJSON
	var errs []apiError
	for _, r := range req.Resources {
		if create {
			if strings.TrimSpace(r.Name) == "" {
				errs = append(errs, apiError{Code: 400, Message: "name is required"})
				continue
			}
			g := &userGroup{id: newGroupID(), name: r.Name, description: r.Description, modified: nowUnix(c)}
			m.userGroups = append(m.userGroups, g)
			out = append(out, ugJSON(s, g))
			continue
		}
		g := m.userGroup(r.UserGroupID)
		if g == nil {
			errs = append(errs, notFound("user group", r.UserGroupID))
			continue
		}
		if r.Name != "" {
			g.name = r.Name
		}
		g.description = r.Description
		g.modified = nowUnix(c)
		out = append(out, ugJSON(s, g))
	}
	s.finishWrite(c, len(out), errs, nonNil(out))
}

// deleteUserGroups serves DELETE /mssp/entities/user-groups/v1.
func (s *Server) deleteUserGroups(c *call) {
	if s.notParent(c) {
		return
	}
	m := s.w.mssp
	m.mu.Lock()
	defer m.mu.Unlock()
	var done []string
	var errs []apiError
	for _, id := range dedupe(c.q["user_group_ids"]) {
		if m.userGroup(id) == nil {
			errs = append(errs, notFound("user group", id))
			continue
		}
		m.userGroups = slices.DeleteFunc(m.userGroups, func(g *userGroup) bool { return g.id == id })
		m.roles = slices.DeleteFunc(m.roles, func(r *msspRole) bool { return r.userGroupID == id })
		done = append(done, id)
	}
	s.finishWrite(c, len(done), errs, nonNil(done))
}

// queryUserGroupMembers serves GET /mssp/queries/user-group-members/v1?user_uuid=.
func (s *Server) queryUserGroupMembers(c *call) {
	m := s.w.mssp
	m.mu.Lock()
	var gs []*userGroup
	if s.isParent(c) {
		for _, g := range m.userGroups {
			if slices.Contains(g.uuids, c.str("user_uuid")) {
				gs = append(gs, g)
			}
		}
	}
	sortByModified(gs, func(g *userGroup) int64 { return g.modified }, func(g *userGroup) string { return g.name }, orDefault(c.str("sort"), "last_modified_timestamp|desc"))
	ids := idsOf(gs, func(g *userGroup) string { return g.id })
	m.mu.Unlock()
	s.sendIDPage(c, ids)
}

// getUserGroupMembers serves GET /mssp/entities/user-group-members/v1|v2.
func (s *Server) getUserGroupMembers(c *call, param string) {
	m := s.w.mssp
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []userGroupMembersJSON
	var errs []apiError
	for _, id := range dedupe(c.q[param]) {
		if g := m.userGroup(id); g != nil && s.isParent(c) {
			out = append(out, userGroupMembersJSON{UserGroupID: g.id, UserUUIDs: nonNil(slices.Clone(g.uuids))})
		} else {
			errs = append(errs, notFound("user group", id))
		}
	}
	c.send(reply{status: multiStatus(errs), resources: nonNil(out), errs: errs})
}

type userMembersReq struct {
	Resources []userGroupMembersJSON `json:"resources"`
}

// changeUserGroupMembers serves POST (add) and DELETE (remove) /mssp/entities/user-group-members/v1.
func (s *Server) changeUserGroupMembers(c *call, add bool) {
	var req userMembersReq
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
	var out []userGroupMembersJSON
	var errs []apiError
	for _, r := range req.Resources {
		g := m.userGroup(r.UserGroupID)
		if g == nil {
			errs = append(errs, notFound("user group", r.UserGroupID))
			continue
		}
		for _, u := range r.UserUUIDs {
			g.uuids = addOrRemove(g.uuids, u, add)
		}
		g.modified = nowUnix(c)
		out = append(out, userGroupMembersJSON{UserGroupID: g.id, UserUUIDs: nonNil(slices.Clone(g.uuids))})
	}
	s.finishWrite(c, len(out), errs, nonNil(out))
}

// --- MSSP role links (user group × CID group → roles) ---

func roleJSON(r *msspRole) msspRoleJSON {
	return msspRoleJSON{CIDGroupID: r.cidGroupID, ID: r.id, RoleIDs: nonNil(slices.Clone(r.roleIDs)), UserGroupID: r.userGroupID}
}

// queryRoles serves GET /mssp/queries/mssp-roles/v1.
func (s *Server) queryRoles(c *call) {
	m := s.w.mssp
	m.mu.Lock()
	var rs []*msspRole
	if s.isParent(c) {
		for _, r := range m.roles {
			if (c.str("user_group_id") == "" || r.userGroupID == c.str("user_group_id")) &&
				(c.str("cid_group_id") == "" || r.cidGroupID == c.str("cid_group_id")) &&
				(c.str("role_id") == "" || slices.Contains(r.roleIDs, c.str("role_id"))) {
				rs = append(rs, r)
			}
		}
	}
	sortByModified(rs, func(r *msspRole) int64 { return r.modified }, func(r *msspRole) string { return r.id }, orDefault(c.str("sort"), "last_modified_timestamp|desc"))
	ids := idsOf(rs, func(r *msspRole) string { return r.id })
	m.mu.Unlock()
	s.sendIDPage(c, ids)
}

// getRoles serves GET /mssp/entities/mssp-roles/v1.
func (s *Server) getRoles(c *call) {
	m := s.w.mssp
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []msspRoleJSON
	var errs []apiError
	for _, id := range dedupe(c.q["ids"]) {
		i := slices.IndexFunc(m.roles, func(r *msspRole) bool { return r.id == id })
		if i < 0 || !s.isParent(c) {
			errs = append(errs, notFound("MSSP role", id))
			continue
		}
		out = append(out, roleJSON(m.roles[i]))
	}
	c.send(reply{status: multiStatus(errs), resources: nonNil(out), errs: errs})
}

type rolesReq struct {
	Resources []msspRoleJSON `json:"resources"`
}

// changeRoles serves POST (add roles) and DELETE (remove roles; the link
// goes when no role is left) /mssp/entities/mssp-roles/v1.
func (s *Server) changeRoles(c *call, add bool) {
	var req rolesReq
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
	var out []msspRoleJSON
	var errs []apiError
	for _, r := range req.Resources {
		if m.cidGroup(r.CIDGroupID) == nil || m.userGroup(r.UserGroupID) == nil {
			errs = append(errs, apiError{Code: 400, ID: r.ID, Message: "unknown cid_group_id or user_group_id"})
			continue
		}
		id := r.UserGroupID + ":" + r.CIDGroupID
		i := slices.IndexFunc(m.roles, func(x *msspRole) bool { return x.id == id })
		if i < 0 {
			if !add {
				errs = append(errs, notFound("MSSP role", id))
				continue
			}
			m.roles = append(m.roles, &msspRole{id: id, cidGroupID: r.CIDGroupID, userGroupID: r.UserGroupID})
			i = len(m.roles) - 1
		}
		link := m.roles[i]
		for _, role := range r.RoleIDs {
			link.roleIDs = addOrRemove(link.roleIDs, role, add)
		}
		link.modified = nowUnix(c)
		out = append(out, roleJSON(link))
		if !add && (len(r.RoleIDs) == 0 || len(link.roleIDs) == 0) {
			m.roles = slices.Delete(m.roles, i, i+1)
		}
	}
	s.finishWrite(c, len(out), errs, nonNil(out))
}
