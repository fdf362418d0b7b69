package falcontest

import (
	"fmt"
	"net/http"
)

// Endpoints the real API has but api/openapi-subset.json lacks, served because the client
// needs them, with the request and reply shapes the official SDKs use (docs/API.md §0,
// "Mimicked endpoints"). They pass the same gateway as the subset's operations (token,
// rate limit, scope, provisioning, parameters); unlike extra_scopes.go's probe targets
// they carry data. A spec update that brings one into the subset must remove it here
// (buildRoutes panics on a duplicate route).
type mimickedOp struct {
	method, path, id, scope, service string
	write, idempotent                bool
	params                           []param
	h                                func(*Server, *call)
}

var mimickedOps = []mimickedOp{
	// falconpy retrieve_users / gofalcon RetrieveUsersGETV1: {"ids":[<user uuid>…]}, at
	// most 5,000, answering the users (docs/API.md §20).
	{method: "POST", path: "/user-management/entities/users/GET/v1", id: "retrieveUsersGETV1",
		scope: "usermgmt:read", service: svcUsers, params: []param{}, h: (*Server).retrieveUsers},
}

// maxUserEntityIDs is falconpy's documented bound for retrieveUsersGETV1.
const maxUserEntityIDs = 5000

// userJSON is a console user as retrieveUsersGETV1 returns it (gofalcon's
// flightcontrolapi.User field names).
type userJSON struct {
	UUID        string `json:"uuid"`
	UID         string `json:"uid"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	CID         string `json:"cid"`
	Status      string `json:"status"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
	LastLoginAt string `json:"last_login_at"`
}

// retrieveUsers serves POST /user-management/entities/users/GET/v1: found users in
// resources, one 404 error per unknown UUID (200 when any was found, else 404).
func (s *Server) retrieveUsers(c *call) {
	var req struct {
		IDs []string `json:"ids"`
	}
	if !c.decodeBody(&req) {
		return
	}
	if len(req.IDs) == 0 {
		c.fail(http.StatusBadRequest, "ids must not be empty")
		return
	}
	if len(req.IDs) > maxUserEntityIDs {
		c.fail(http.StatusBadRequest, fmt.Sprintf("too many ids: at most %d allowed", maxUserEntityIDs))
		return
	}
	t := c.t
	byUUID := make(map[string]*user, len(t.users))
	for _, u := range t.users {
		byUUID[u.uuid] = u
	}
	out := []userJSON{}
	var errs []apiError
	for _, id := range dedupe(req.IDs) {
		u := byUUID[id]
		if u == nil {
			errs = append(errs, apiError{Code: 404, ID: id, Message: "User not found: " + id})
			continue
		}
		out = append(out, userJSON{UUID: u.uuid, UID: u.uid, FirstName: u.first, LastName: u.last, CID: t.cid,
			Status: u.status, CreatedAt: rfc3339(u.created), UpdatedAt: rfc3339(u.created), LastLoginAt: rfc3339(u.lastLogin)})
	}
	c.send(reply{status: partialStatus(len(out), len(errs)), resources: out, errs: errs})
}
