package falcon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Console users (docs/API.md §20): the people alerts are assigned to.

const (
	pathUsersQuery = "/user-management/queries/users/v1"
	// pathUsersEntities is retrieveUsersGETV1, outside the API subset (docs/API.md §0).
	pathUsersEntities = "/user-management/entities/users/GET/v1"

	usersPerQuery    = 500  // the query's limit maximum
	usersPerEntities = 5000 // UUIDs per entities POST (falconpy's documented bound)
	maxUsers         = 100_000
)

// User is a Falcon console user of one tenant.
type User struct {
	UUID      string // what alert assignment takes (AlertUpdate.AssignToUUID)
	UID       string // the login: an e-mail address
	FirstName string
	LastName  string
	CID       string // lower case
	Status    string // active, inactive
	Created   time.Time
	LastLogin time.Time
}

// Name is "First Last", or the login when the user has no name. Like every field it is
// text from the tenant: sanitise it before display.
func (u User) Name() string {
	if n := strings.TrimSpace(u.FirstName + " " + u.LastName); n != "" {
		return n
	}
	return u.UID
}

// UsersService reads a tenant's console users (scope usermgmt:read).
type UsersService struct{ client *Client }

// List returns the tenant's console users in login order: every page of the users query
// (500 a page, sorted uid|asc) and their records (5,000 a call). filter is user FQL, e.g.
// "status:'active'"; "" lists all.
func (s *UsersService) List(ctx context.Context, cid, filter string) ([]User, error) {
	ids, err := s.IDs(ctx, cid, filter)
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, cid, ids...)
}

// IDs returns the UUIDs of the users that match filter, in login order.
func (s *UsersService) IDs(ctx context.Context, cid, filter string) ([]string, error) {
	var all []string
	for offset := 0; offset < maxUsers; {
		q := url.Values{"limit": {strconv.Itoa(usersPerQuery)}, "offset": {strconv.Itoa(offset)}, "sort": {"uid|asc"}}
		if filter != "" {
			q.Set("filter", filter)
		}
		var ids []string
		resp, err := s.client.send(ctx, cid, &call{method: http.MethodGet, path: pathUsersQuery, query: q}, &ids)
		if err != nil {
			return all, err
		}
		all = append(all, ids...)
		offset += len(ids)
		if len(ids) == 0 || offset >= resp.Meta.Pagination.Total {
			break
		}
	}
	return dedupeIDs(all), nil
}

// Get returns the users with the given UUIDs in the order given; UUIDs the tenant does not
// know are skipped.
func (s *UsersService) Get(ctx context.Context, cid string, uuids ...string) ([]User, error) {
	ids := dedupeIDs(uuids)
	out := make([]User, 0, len(ids))
	for chunk := range slices.Chunk(ids, usersPerEntities) {
		body, err := json.Marshal(map[string][]string{"ids": chunk})
		if err != nil {
			return out, err
		}
		var ws []wireUser
		if _, err := s.client.send(ctx, cid, &call{method: http.MethodPost, path: pathUsersEntities, body: body}, &ws); err != nil {
			if errors.Is(err, ErrNotFound) {
				continue // none of this chunk exists (docs/API.md §5)
			}
			return out, err
		}
		byID := make(map[string]*wireUser, len(ws))
		for i := range ws {
			byID[ws[i].UUID] = &ws[i]
		}
		for _, id := range chunk {
			if w := byID[id]; w != nil {
				out = append(out, w.user())
			}
		}
	}
	return out, nil
}

// Lookup finds one user of the tenant by UUID or by login (case-insensitive). The API
// cannot say which person an API client acts for (docs/API.md §20), so "assign to me"
// resolves the login the analyst configured. It fails with ErrNotFound when no user
// matches.
func (s *UsersService) Lookup(ctx context.Context, cid, who string) (User, error) {
	who = strings.TrimSpace(who)
	if who == "" {
		return User{}, fmt.Errorf("%w: no user given", ErrInvalidRequest)
	}
	var us []User
	var err error
	if looksLikeUUID(who) {
		us, err = s.Get(ctx, cid, strings.ToLower(who))
	} else {
		us, err = s.List(ctx, cid, "uid:"+fqlQuote(who))
	}
	if err != nil {
		return User{}, err
	}
	for _, u := range us {
		if strings.EqualFold(u.UUID, who) || strings.EqualFold(u.UID, who) {
			return u, nil
		}
	}
	return User{}, fmt.Errorf("%w: no console user %q in this tenant", ErrNotFound, who)
}

// looksLikeUUID: 8-4-4-4-12 hex digits.
func looksLikeUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case !strings.ContainsRune("0123456789abcdefABCDEF", r):
			return false
		}
	}
	return true
}

// wireUser is a user as retrieveUsersGETV1 returns it.
type wireUser struct {
	UUID      string `json:"uuid"`
	UID       string `json:"uid"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	CID       string `json:"cid"`
	Status    string `json:"status"`
	Created   string `json:"created_at"`
	LastLogin string `json:"last_login_at"`
}

func (w *wireUser) user() User {
	return User{UUID: w.UUID, UID: w.UID, FirstName: w.FirstName, LastName: w.LastName, CID: strings.ToLower(w.CID),
		Status: w.Status, Created: parseTime(w.Created), LastLogin: parseTime(w.LastLogin)}
}
