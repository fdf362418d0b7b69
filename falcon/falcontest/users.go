package falcontest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

var userSchema = fql.Schema{
	"uid": fql.String, "uuid": fql.String, "first_name": fql.String, "last_name": fql.String,
	"name": fql.String, "status": fql.String, "cid": fql.String, "cid_name": fql.String,
	"assigned_cids": fql.String, "created_at": fql.Time, "last_login_at": fql.Time,
	"has_temporary_roles": fql.Bool, "factors": fql.String, "direct_assigned_cids": fql.String,
	"non_ancestor_assigned_cids": fql.String, "temporarily_assigned_cids": fql.String,
}

type userRec struct {
	u *user
	t *tenant
}

func (r userRec) FQLValues(f string) []string {
	u := r.u
	switch f {
	case "uid":
		return []string{u.uid}
	case "uuid":
		return []string{u.uuid}
	case "first_name":
		return []string{u.first}
	case "last_name":
		return []string{u.last}
	case "name":
		return []string{u.first + " " + u.last}
	case "status":
		return []string{u.status}
	case "cid", "assigned_cids", "direct_assigned_cids":
		return []string{r.t.cid}
	case "cid_name":
		return []string{r.t.name}
	case "created_at":
		return []string{rfc3339(u.created)}
	case "last_login_at":
		return []string{rfc3339(u.lastLogin)}
	case "has_temporary_roles":
		return []string{"false"}
	case "factors":
		return []string{"totp"}
	}
	return nil
}

// queryUsers serves GET /user-management/queries/users/v1 → user uuids.
func (s *Server) queryUsers(c *call) {
	expr, err := fql.ParseAt(c.str("filter"), userSchema, c.now)
	if err != nil {
		c.fail(http.StatusBadRequest, err.Error())
		return
	}
	keys, err := fql.ParseSort(orDefault(c.str("sort"), "uid|asc"), userSchema)
	if err != nil {
		c.fail(http.StatusBadRequest, err.Error())
		return
	}
	t := c.t
	var us []*user
	for _, u := range t.users {
		if expr == nil || expr.Match(userRec{u, t}) {
			us = append(us, u)
		}
	}
	slices.SortStableFunc(us, func(a, b *user) int {
		return fql.Compare(userRec{a, t}, userRec{b, t}, keys, userSchema)
	})
	offset, limit := c.intParam("offset", 0), c.intParam("limit", defaultLimit)
	ids := idsOf(page(us, offset, limit), func(u *user) string { return u.uuid })
	c.send(reply{resources: nonNil(ids), pagination: offsetPaging{Offset: offset, Limit: limit, Total: len(us)}})
}

// --- API clients (read-only; docs/API.md §9) ---

// apiClientJSON is what GET /api-clients/entities/api-clients/v1 returns
// per client. The spec only says "generic entities"; returning the client's
// own scope ids is our guess (the create body api.ClientRequest has scopes[]).
type apiClientJSON struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Description      string   `json:"description"`
	CID              string   `json:"cid"`
	Scopes           []string `json:"scopes"`
	CreatedTimestamp string   `json:"created_timestamp"`
}

// getAPIClients serves GET /api-clients/entities/api-clients/v1?ids=.
func (s *Server) getAPIClients(c *call) {
	var out []apiClientJSON
	var errs []apiError
	for _, id := range dedupe(c.q["ids"]) {
		cl := s.w.clientByID[strings.ToLower(id)]
		if cl == nil {
			errs = append(errs, apiError{Code: 404, ID: id, Message: "API client not found: " + id})
			continue
		}
		out = append(out, apiClientJSON{ID: cl.id, Name: cl.name, Description: "falcontest client " + cl.name,
			CID: s.w.parent().cid, Scopes: slices.Clone(cl.scopeList), CreatedTimestamp: rfc3339(cl.created)})
	}
	if len(c.q["ids"]) == 0 {
		c.fail(http.StatusBadRequest, "ids must not be empty")
		return
	}
	c.send(reply{status: partialStatus(len(out), len(errs)), resources: nonNil(out), errs: errs})
}

// queryAPIClients serves GET /api-clients/queries/api-clients/v1.
func (s *Server) queryAPIClients(c *call) {
	ids := idsOf(s.w.clients, func(cl *apiClient) string { return cl.id })
	offset, limit := c.intParam("offset", 0), c.intParam("limit", 10)
	c.send(reply{resources: nonNil(page(ids, offset, limit)), pagination: offsetPaging{Offset: offset, Limit: limit, Total: len(ids)}})
}

// scopeJSON is msaspec.Scope.
type scopeJSON struct {
	Action string `json:"action"`
	Group  string `json:"group"`
	ID     string `json:"id"`
}

// accessibleScopes serves GET /api-clients/entities/accessible-scopes/v1:
// every scope the customer could grant (not the caller's own).
func (s *Server) accessibleScopes(c *call) {
	var out []scopeJSON
	for _, sc := range allScopes() {
		g, a := scopeParts(sc)
		out = append(out, scopeJSON{ID: sc, Group: g, Action: a})
	}
	c.send(reply{resources: out})
}
