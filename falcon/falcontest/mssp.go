package falcontest

import (
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

// Flight Control. The parent CID sees its children, CID groups, user
// groups and role links. A child-scoped token (member_cid) is not a parent:
// its queries return nothing, its entity reads 207 with a 404 per id, and
// its MSSP writes get 400 (docs/API.md §16, §18 leave this open; we chose
// "empty" so a UI simply shows no children).
type msspState struct {
	mu         sync.Mutex
	cidGroups  []*msspGroup
	userGroups []*msspGroup
	roles      []*msspRole
}

// msspGroup is a CID group (members are child CIDs) or a user group
// (members are user UUIDs); one type so one set of handlers serves both.
type msspGroup struct {
	id, name, description string
	isDefault             bool // CID groups only
	members               []string
	modified              int64
}

type msspRole struct {
	id, cidGroupID, userGroupID string
	roleIDs                     []string
	modified                    int64
}

// Wire shapes.
type (
	childLink struct {
		Checksum  string   `json:"checksum"`
		ChildCID  string   `json:"child_cid"`
		ChildGCID string   `json:"child_gcid,omitempty"`
		ChildOf   string   `json:"child_of"`
		Domains   []string `json:"domains"`
		Name      string   `json:"name"`
		Status    string   `json:"status"`
	}
	cidGroupJSON struct {
		CID         string `json:"cid"`
		CIDGroupID  string `json:"cid_group_id"`
		Description string `json:"description"`
		IsDefault   bool   `json:"is_default"`
		Name        string `json:"name"`
	}
	cidGroupMembersJSON struct {
		CIDGroupID string   `json:"cid_group_id"`
		CIDs       []string `json:"cids"`
	}
	userGroupJSON struct {
		CID         string `json:"cid"`
		Description string `json:"description"`
		Name        string `json:"name"`
		UserGroupID string `json:"user_group_id"`
	}
	userGroupMembersJSON struct {
		UserGroupID string   `json:"user_group_id"`
		UserUUIDs   []string `json:"user_uuids"`
	}
	msspRoleJSON struct {
		CIDGroupID  string   `json:"cid_group_id"`
		ID          string   `json:"id"`
		RoleIDs     []string `json:"role_ids"`
		UserGroupID string   `json:"user_group_id"`
	}
)

var msspRoleIDs = []string{"falcon_analyst", "falcon_administrator", "falcon_security_lead", "falcon_console_guest", "remote_responder_one"}

func genMSSP(w *world) *msspState {
	m := &msspState{}
	p := w.parent()
	r := newRand(w.seed, streamMSSP)
	var all []string
	for _, t := range w.tenants[1:] {
		all = append(all, t.cid)
	}
	m.cidGroups = append(m.cidGroups, &msspGroup{id: randHex32(r), name: "All Customers", description: "Every child CID", isDefault: true, members: all, modified: p.created})
	half := all[:len(all)/2]
	m.cidGroups = append(m.cidGroups, &msspGroup{id: randHex32(r), name: "Priority Customers", description: "24x7 response SLA", members: slices.Clone(half), modified: p.created + 86400})
	m.cidGroups = append(m.cidGroups, &msspGroup{id: randHex32(r), name: "Onboarding", description: "", members: slices.Clone(all[len(all)/2:]), modified: p.created + 2*86400})
	var uuids []string
	for _, u := range p.users {
		uuids = append(uuids, u.uuid)
	}
	for k, n := range []string{"SOC Tier 1", "SOC Tier 2", "MSSP Admins"} {
		lo, hi := k*len(uuids)/3, (k+1)*len(uuids)/3
		m.userGroups = append(m.userGroups, &msspGroup{id: randHex32(r), name: n, members: slices.Clone(uuids[lo:hi]), modified: p.created + int64(k)*3600})
	}
	for k, ug := range m.userGroups {
		cg := m.cidGroups[min(k, len(m.cidGroups)-1)]
		m.roles = append(m.roles, &msspRole{id: ug.id + ":" + cg.id, cidGroupID: cg.id, userGroupID: ug.id,
			roleIDs: slices.Clone(msspRoleIDs[:2+k]), modified: p.created + int64(k)*7200})
	}
	return m
}

// isParent reports whether the caller acts in a Flight Control parent.
func (s *Server) isParent(c *call) bool { return c.t == s.w.parent() && len(s.w.tenants) > 1 }

var childSchema = fql.Schema{"cid": fql.String, "child_cid": fql.String, "name": fql.String, "status": fql.String, "checksum": fql.String}

type childRec struct{ t *tenant }

func (r childRec) FQLValues(f string) []string {
	switch f {
	case "cid", "child_cid":
		return []string{r.t.cid}
	case "name":
		return []string{r.t.name}
	case "status":
		return []string{"active"}
	case "checksum":
		return []string{r.t.checksum}
	}
	return nil
}

func (s *Server) childJSON(t *tenant) childLink {
	return childLink{Checksum: t.checksum, ChildCID: t.cid, ChildOf: t.parent.cid, Domains: []string{},
		Name: t.name, Status: "active"}
}

// queryChildren serves GET /mssp/queries/children/v1.
func (s *Server) queryChildren(c *call) {
	offset, limit := c.intParam("offset", 0), c.intParam("limit", 10)
	var kids []*tenant
	if s.isParent(c) {
		expr, err := fql.ParseAt(c.str("filter"), childSchema, c.now)
		if err != nil {
			c.fail(http.StatusBadRequest, err.Error())
			return
		}
		for _, t := range s.w.tenants[1:] {
			if expr == nil || expr.Match(childRec{t}) {
				kids = append(kids, t)
			}
		}
		// last_modified_timestamp: children were linked in creation order.
		if c.str("sort") != "last_modified_timestamp|asc" {
			slices.Reverse(kids)
		}
	}
	var ids []string
	for _, t := range page(kids, offset, limit) {
		ids = append(ids, t.cid)
	}
	c.send(reply{resources: nonNil(ids), pagination: offsetPaging{Offset: offset, Limit: limit, Total: len(kids)}})
}

// getChildren serves GET /mssp/entities/children/v1 and POST …/GET/v2.
func (s *Server) getChildren(c *call, post bool) {
	ids := c.q["ids"]
	if post {
		var req idsRequest
		if !c.decodeBody(&req) {
			return
		}
		ids = req.IDs
	}
	if len(ids) == 0 {
		c.fail(http.StatusBadRequest, "ids must not be empty")
		return
	}
	var found []childLink
	var errs []apiError
	for _, id := range dedupe(ids) {
		t := s.w.byCID[strings.ToLower(id)]
		if t == nil || t.parent == nil || !s.isParent(c) {
			errs = append(errs, apiError{Code: 404, ID: id, Message: "child CID not found: " + id})
			continue
		}
		found = append(found, s.childJSON(t))
	}
	c.send(reply{status: multiStatus(errs), resources: nonNil(found), errs: errs})
}

// multiStatus: MSSP entity calls answer 207 when any id failed.
func multiStatus(errs []apiError) int {
	if len(errs) > 0 {
		return http.StatusMultiStatus
	}
	return http.StatusOK
}

func sortByModified[T any](xs []T, mod func(T) int64, name func(T) string, sort string) {
	slices.SortStableFunc(xs, func(a, b T) int {
		var r int
		switch {
		case strings.HasPrefix(sort, "name"):
			r = strings.Compare(strings.ToLower(name(a)), strings.ToLower(name(b)))
		default:
			r = int(mod(a) - mod(b))
		}
		if strings.HasSuffix(sort, "|desc") {
			return -r
		}
		return r
	})
}

func (s *Server) notParent(c *call) bool {
	if !s.isParent(c) {
		c.fail(http.StatusBadRequest, "this CID is not a Flight Control parent")
		return true
	}
	return false
}

func nowUnix(c *call) int64 { return c.now.Unix() }
