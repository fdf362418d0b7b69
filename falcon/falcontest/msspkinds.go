package falcontest

import (
	"slices"
	"strings"
)

// The two Flight Control group kinds, and the per-operation entry points
// routes.go names.

type cidGroupsReq struct {
	Resources []struct {
		CIDGroupID  string `json:"cid_group_id"`
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"resources"`
}

type cidMembersReq struct {
	Resources []cidGroupMembersJSON `json:"resources"`
}

type userGroupsReq struct {
	Resources []struct {
		UserGroupID string `json:"user_group_id"`
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"resources"`
}

type userMembersReq struct {
	Resources []userGroupMembersJSON `json:"resources"`
}

func (r cidGroupsReq) edits() []groupEdit {
	out := make([]groupEdit, len(r.Resources))
	for i, x := range r.Resources {
		out[i] = groupEdit{x.CIDGroupID, x.Name, x.Description}
	}
	return out
}

func (r userGroupsReq) edits() []groupEdit {
	out := make([]groupEdit, len(r.Resources))
	for i, x := range r.Resources {
		out[i] = groupEdit{x.UserGroupID, x.Name, x.Description}
	}
	return out
}

func (r cidMembersReq) edits() []memberEdit {
	out := make([]memberEdit, len(r.Resources))
	for i, x := range r.Resources {
		out[i] = memberEdit{x.CIDGroupID, x.CIDs}
	}
	return out
}

func (r userMembersReq) edits() []memberEdit {
	out := make([]memberEdit, len(r.Resources))
	for i, x := range r.Resources {
		out[i] = memberEdit{x.UserGroupID, x.UserUUIDs}
	}
	return out
}

// cidGroups: members are child CIDs (lower-cased; only children may join).
var cidGroups = &groupKind[cidGroupsReq, cidMembersReq]{
	what: "CID group", idsParam: "cid_group_ids", memberParam: "cid",
	groups:  func(m *msspState) *[]*msspGroup { return &m.cidGroups },
	roleRef: func(r *msspRole) string { return r.cidGroupID },
	json: func(s *Server, g *msspGroup) any {
		return cidGroupJSON{CID: s.w.parent().cid, CIDGroupID: g.id, Description: g.description, IsDefault: g.isDefault, Name: g.name}
	},
	membersJSON: func(g *msspGroup) any {
		return cidGroupMembersJSON{CIDGroupID: g.id, CIDs: nonNil(slices.Clone(g.members))}
	},
	norm: strings.ToLower,
	admit: func(s *Server, cid string) *apiError {
		if t := s.w.byCID[cid]; t == nil || t.parent == nil {
			return &apiError{Code: 400, ID: cid, Message: "not a child CID: " + cid}
		}
		return nil
	},
}

// userGroups: members are user UUIDs, taken as given.
var userGroups = &groupKind[userGroupsReq, userMembersReq]{
	what: "user group", idsParam: "user_group_ids", memberParam: "user_uuid",
	groups:  func(m *msspState) *[]*msspGroup { return &m.userGroups },
	roleRef: func(r *msspRole) string { return r.userGroupID },
	json: func(s *Server, g *msspGroup) any {
		return userGroupJSON{CID: s.w.parent().cid, Description: g.description, Name: g.name, UserGroupID: g.id}
	},
	membersJSON: func(g *msspGroup) any {
		return userGroupMembersJSON{UserGroupID: g.id, UserUUIDs: nonNil(slices.Clone(g.members))}
	},
	norm: func(id string) string { return id },
}

func (s *Server) queryCIDGroups(c *call)                    { cidGroups.query(s, c) }
func (s *Server) getCIDGroups(c *call, param string)        { cidGroups.getGroups(s, c, param) }
func (s *Server) writeCIDGroups(c *call, create bool)       { cidGroups.write(s, c, create) }
func (s *Server) deleteCIDGroups(c *call)                   { cidGroups.delete(s, c) }
func (s *Server) queryCIDGroupMembers(c *call)              { cidGroups.queryMembers(s, c) }
func (s *Server) getCIDGroupMembers(c *call, param string)  { cidGroups.getMembers(s, c, param) }
func (s *Server) changeCIDGroupMembers(c *call, add bool)   { cidGroups.changeMembers(s, c, add) }
func (s *Server) queryUserGroups(c *call)                   { userGroups.query(s, c) }
func (s *Server) getUserGroups(c *call, param string)       { userGroups.getGroups(s, c, param) }
func (s *Server) writeUserGroups(c *call, create bool)      { userGroups.write(s, c, create) }
func (s *Server) deleteUserGroups(c *call)                  { userGroups.delete(s, c) }
func (s *Server) queryUserGroupMembers(c *call)             { userGroups.queryMembers(s, c) }
func (s *Server) getUserGroupMembers(c *call, param string) { userGroups.getMembers(s, c, param) }
func (s *Server) changeUserGroupMembers(c *call, add bool)  { userGroups.changeMembers(s, c, add) }
