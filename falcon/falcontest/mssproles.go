package falcontest

import "slices"

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

func (r rolesReq) edits() []msspRoleJSON { return r.Resources }

// changeRoles serves POST (add roles) and DELETE (remove roles; the link
// goes when no role is left) /mssp/entities/mssp-roles/v1.
func (s *Server) changeRoles(c *call, add bool) {
	writeEach[msspRoleJSON, rolesReq](s, c, func(m *msspState, r msspRoleJSON) (any, []apiError) {
		if findGroup(m.cidGroups, r.CIDGroupID) == nil || findGroup(m.userGroups, r.UserGroupID) == nil {
			return nil, []apiError{{Code: 400, ID: r.ID, Message: "unknown cid_group_id or user_group_id"}}
		}
		id := r.UserGroupID + ":" + r.CIDGroupID
		i := slices.IndexFunc(m.roles, func(x *msspRole) bool { return x.id == id })
		if i < 0 {
			if !add {
				return nil, []apiError{notFound("MSSP role", id)}
			}
			m.roles = append(m.roles, &msspRole{id: id, cidGroupID: r.CIDGroupID, userGroupID: r.UserGroupID})
			i = len(m.roles) - 1
		}
		link := m.roles[i]
		for _, role := range r.RoleIDs {
			link.roleIDs = addOrRemove(link.roleIDs, role, add)
		}
		link.modified = nowUnix(c)
		res := roleJSON(link)
		if !add && (len(r.RoleIDs) == 0 || len(link.roleIDs) == 0) {
			m.roles = slices.Delete(m.roles, i, i+1)
		}
		return res, nil
	})
}
