package falcontest

import (
	"net/http"
	"slices"
	"strings"
)

// groupKind is what differs between CID groups and user groups; its
// methods serve list/get/create/update/delete/members for both. W and B
// are the kinds' own request types: their names and shapes reach the wire
// in "invalid JSON body" errors, so each kind keeps its own.
type groupKind[W groupsBody, B membersBody] struct {
	what        string // "CID group": error messages
	idsParam    string // "cid_group_ids": v1 get and delete
	memberParam string // "cid": the members query
	groups      func(m *msspState) *[]*msspGroup
	roleRef     func(r *msspRole) string // the role-link column a delete cascades on
	json        func(s *Server, g *msspGroup) any
	membersJSON func(g *msspGroup) any
	// norm canonicalises a member id; admit (optional) rejects one.
	norm  func(id string) string
	admit func(s *Server, id string) *apiError
}

// groupEdit is one create/update item; memberEdit one membership change.
type (
	groupEdit  struct{ id, name, description string }
	memberEdit struct {
		id      string
		members []string
	}
	groupsBody  interface{ edits() []groupEdit }
	membersBody interface{ edits() []memberEdit }
)

func findGroup(gs []*msspGroup, id string) *msspGroup {
	for _, g := range gs {
		if g.id == id {
			return g
		}
	}
	return nil
}

// query serves GET /mssp/queries/<kind>s/v1 (name, sort).
func (k *groupKind[W, B]) query(s *Server, c *call) {
	k.queryWhere(s, c, "name|asc", func(g *msspGroup) bool {
		n := c.str("name")
		return n == "" || strings.EqualFold(n, g.name)
	})
}

// queryMembers serves GET /mssp/queries/<kind>-members/v1: the groups a member is in.
func (k *groupKind[W, B]) queryMembers(s *Server, c *call) {
	k.queryWhere(s, c, "last_modified_timestamp|desc", func(g *msspGroup) bool {
		return slices.Contains(g.members, k.norm(c.str(k.memberParam)))
	})
}

func (k *groupKind[W, B]) queryWhere(s *Server, c *call, defaultSort string, keep func(*msspGroup) bool) {
	m := s.w.mssp
	m.mu.Lock()
	var gs []*msspGroup
	if s.isParent(c) {
		for _, g := range *k.groups(m) {
			if keep(g) {
				gs = append(gs, g)
			}
		}
	}
	sortByModified(gs, func(g *msspGroup) int64 { return g.modified }, func(g *msspGroup) string { return g.name }, orDefault(c.str("sort"), defaultSort))
	ids := idsOf(gs, func(g *msspGroup) string { return g.id })
	m.mu.Unlock()
	s.sendIDPage(c, ids)
}

// get serves the group (render = k.json) and members (k.membersJSON)
// entity reads; ids come from param.
func (k *groupKind[W, B]) get(s *Server, c *call, param string, render func(*msspGroup) any) {
	m := s.w.mssp
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []any
	var errs []apiError
	for _, id := range dedupe(c.q[param]) {
		if g := findGroup(*k.groups(m), id); g != nil && s.isParent(c) {
			out = append(out, render(g))
		} else {
			errs = append(errs, notFound(k.what, id))
		}
	}
	c.send(reply{status: multiStatus(errs), resources: nonNil(out), errs: errs})
}

func (k *groupKind[W, B]) getGroups(s *Server, c *call, param string) {
	k.get(s, c, param, func(g *msspGroup) any { return k.json(s, g) })
}

func (k *groupKind[W, B]) getMembers(s *Server, c *call, param string) {
	k.get(s, c, param, k.membersJSON)
}

// writeEach serves an MSSP write whose body (R) lists items (E): after the
// common checks it applies each under the lock and answers per finishWrite.
// apply returns the item's resource (nil when it failed) and its errors.
func writeEach[E any, R interface{ edits() []E }](s *Server, c *call, apply func(m *msspState, e E) (any, []apiError)) {
	var req R
	if !c.decodeBody(&req) || s.notParent(c) {
		return
	}
	items := req.edits()
	if len(items) == 0 {
		c.fail(http.StatusBadRequest, "resources must not be empty")
		return
	}
	m := s.w.mssp
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []any
	var errs []apiError
	for _, e := range items {
		res, es := apply(m, e)
		errs = append(errs, es...)
		if res != nil {
			out = append(out, res)
		}
	}
	s.finishWrite(c, len(out), errs, nonNil(out))
}

// write serves POST (create) and PATCH (update) /mssp/entities/<kind>s/v1.
func (k *groupKind[W, B]) write(s *Server, c *call, create bool) {
	writeEach[groupEdit, W](s, c, func(m *msspState, r groupEdit) (any, []apiError) {
		if create {
			if strings.TrimSpace(r.name) == "" {
				return nil, []apiError{{Code: 400, Message: "name is required"}}
			}
			g := &msspGroup{id: newGroupID(), name: r.name, description: r.description, modified: nowUnix(c)}
			*k.groups(m) = append(*k.groups(m), g)
			return k.json(s, g), nil
		}
		g := findGroup(*k.groups(m), r.id)
		if g == nil {
			return nil, []apiError{notFound(k.what, r.id)}
		}
		if r.name != "" {
			g.name = r.name
		}
		g.description = r.description
		g.modified = nowUnix(c)
		return k.json(s, g), nil
	})
}

// delete serves DELETE /mssp/entities/<kind>s/v1; role links to a deleted
// group go with it.
func (k *groupKind[W, B]) delete(s *Server, c *call) {
	if s.notParent(c) {
		return
	}
	m := s.w.mssp
	m.mu.Lock()
	defer m.mu.Unlock()
	var done []string
	var errs []apiError
	for _, id := range dedupe(c.q[k.idsParam]) {
		if findGroup(*k.groups(m), id) == nil {
			errs = append(errs, notFound(k.what, id))
			continue
		}
		*k.groups(m) = slices.DeleteFunc(*k.groups(m), func(g *msspGroup) bool { return g.id == id })
		m.roles = slices.DeleteFunc(m.roles, func(r *msspRole) bool { return k.roleRef(r) == id })
		done = append(done, id)
	}
	s.finishWrite(c, len(done), errs, nonNil(done))
}

// changeMembers serves POST (add) and DELETE (remove) /mssp/entities/<kind>-members.
// A rejected member is reported but does not fail its group's item.
func (k *groupKind[W, B]) changeMembers(s *Server, c *call, add bool) {
	writeEach[memberEdit, B](s, c, func(m *msspState, r memberEdit) (any, []apiError) {
		g := findGroup(*k.groups(m), r.id)
		if g == nil {
			return nil, []apiError{notFound(k.what, r.id)}
		}
		var errs []apiError
		for _, id := range r.members {
			id = k.norm(id)
			if k.admit != nil {
				if e := k.admit(s, id); e != nil {
					errs = append(errs, *e)
					continue
				}
			}
			g.members = addOrRemove(g.members, id, add)
		}
		g.modified = nowUnix(c)
		return k.membersJSON(g), errs
	})
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
