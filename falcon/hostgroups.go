package falcon

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

const (
	pathGroupsCombined = "/devices/combined/host-groups/v1"
	pathGroupsEntities = "/devices/entities/host-groups/v1"
	pathGroupActions   = "/devices/entities/host-group-actions/v1"
)

// HostGroupsService reads and edits host groups.
type HostGroupsService struct{ client *Client }

// wireGroup is host_groups.HostGroupV1.
type wireGroup struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Description       string `json:"description"`
	GroupType         string `json:"group_type"`
	AssignmentRule    string `json:"assignment_rule"`
	CreatedBy         string `json:"created_by"`
	CreatedTimestamp  string `json:"created_timestamp"`
	ModifiedBy        string `json:"modified_by"`
	ModifiedTimestamp string `json:"modified_timestamp"`
}

func (w wireGroup) group(cid string) HostGroup {
	return HostGroup{
		ID: w.ID, CID: cid, Name: w.Name, Description: w.Description, Type: GroupType(w.GroupType),
		AssignmentRule: w.AssignmentRule, CreatedBy: w.CreatedBy, CreatedAt: parseTime(w.CreatedTimestamp),
		ModifiedBy: w.ModifiedBy, ModifiedAt: parseTime(w.ModifiedTimestamp),
	}
}

// groupsPage is the page size of the group listing (API max 5000).
const groupsPage = 500

// List returns every host group of the tenant (all pages), sorted by name.
func (s *HostGroupsService) List(ctx context.Context, cid string, filter string) ([]HostGroup, error) {
	c := s.client
	disp := c.displayCID(c.tenantKey(cid))
	var out []HostGroup
	for offset := 0; ; {
		q := url.Values{"limit": {itoa(groupsPage)}, "offset": {itoa(offset)}, "sort": {"name.asc"}}
		if filter != "" {
			q.Set("filter", filter)
		}
		var ws []wireGroup
		resp, err := c.send(ctx, cid, &call{method: http.MethodGet, path: pathGroupsCombined, query: q}, &ws)
		if err != nil {
			return out, err
		}
		for _, w := range ws {
			out = append(out, w.group(disp))
		}
		offset += len(ws)
		if len(ws) == 0 || offset >= resp.Meta.Pagination.Total {
			break
		}
	}
	slices.SortStableFunc(out, func(a, b HostGroup) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Get returns one group.
func (s *HostGroupsService) Get(ctx context.Context, cid, id string) (HostGroup, error) {
	c := s.client
	var ws []wireGroup
	_, err := c.send(ctx, cid, &call{method: http.MethodGet, path: pathGroupsEntities,
		query: url.Values{"ids": {id}}}, &ws)
	if err != nil {
		return HostGroup{}, err
	}
	for _, w := range ws {
		if w.ID == id {
			return w.group(c.displayCID(c.tenantKey(cid))), nil
		}
	}
	return HostGroup{}, fmt.Errorf("%w: host group %s", ErrNotFound, id)
}

// GroupSpec creates or updates a group. On update, empty fields are left unchanged.
type GroupSpec struct {
	Name           string
	Description    string
	Type           GroupType // create only
	AssignmentRule string    // dynamic groups
}

// Create creates a group. Type defaults to static; AssignmentRule applies to dynamic
// groups only (the API refuses it on static ones).
func (s *HostGroupsService) Create(ctx context.Context, cid string, spec GroupSpec) (HostGroup, error) {
	if strings.TrimSpace(spec.Name) == "" {
		return HostGroup{}, fmt.Errorf("%w: a host group needs a name", ErrInvalidRequest)
	}
	typ := spec.Type
	if typ == "" {
		typ = GroupStatic
	}
	switch typ {
	case GroupStatic, GroupStaticByID, GroupDynamic:
	default:
		return HostGroup{}, fmt.Errorf("%w: unknown group type %q", ErrInvalidRequest, typ)
	}
	res := map[string]string{"name": spec.Name, "group_type": string(typ), "description": spec.Description}
	if typ == GroupDynamic && spec.AssignmentRule != "" {
		res["assignment_rule"] = spec.AssignmentRule
	}
	return s.write(ctx, cid, http.MethodPost, res)
}

// Update changes a group's name, description or (dynamic groups) rule.
func (s *HostGroupsService) Update(ctx context.Context, cid, id string, spec GroupSpec) (HostGroup, error) {
	res := map[string]string{"id": id}
	if spec.Name != "" {
		res["name"] = spec.Name
	}
	if spec.Description != "" {
		res["description"] = spec.Description
	}
	if spec.AssignmentRule != "" {
		res["assignment_rule"] = spec.AssignmentRule
	}
	return s.write(ctx, cid, http.MethodPatch, res)
}

func (s *HostGroupsService) write(ctx context.Context, cid, method string, res map[string]string) (HostGroup, error) {
	c := s.client
	body, err := json.Marshal(map[string]any{"resources": []map[string]string{res}})
	if err != nil {
		return HostGroup{}, err
	}
	var ws []wireGroup
	cl := &call{method: method, path: pathGroupsEntities, body: body, rule: res["assignment_rule"] != ""}
	if _, err := c.send(ctx, cid, cl, &ws); err != nil {
		return HostGroup{}, err
	}
	if len(ws) == 0 {
		return HostGroup{}, fmt.Errorf("falcon: %s %s: the reply holds no group", method, pathGroupsEntities)
	}
	return ws[0].group(c.displayCID(c.tenantKey(cid))), nil
}

// Delete deletes groups.
func (s *HostGroupsService) Delete(ctx context.Context, cid string, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	var done []string
	_, err := s.client.send(ctx, cid, &call{method: http.MethodDelete, path: pathGroupsEntities,
		query: url.Values{"ids": ids}}, &done)
	return err
}

// Members streams a group's members via a hosts query on groups:'id' (works past 10k).
// Hidden hosts are left out, as the console leaves them out everywhere (a hidden host
// keeps its memberships and is listed again once unhidden); MemberCount counts the same.
func (s *HostGroupsService) Members(ctx context.Context, cid, groupID string, q HostQuery) iter.Seq2[[]Host, error] {
	q.Filter = fqlAnd(groupFilter(groupID), q.Filter)
	return s.client.Hosts.Stream(ctx, cid, q)
}

// MemberCount returns the number of hosts in the group, hidden hosts not counted.
func (s *HostGroupsService) MemberCount(ctx context.Context, cid, groupID string) (int, error) {
	return s.client.Hosts.Count(ctx, cid, groupFilter(groupID))
}

func groupFilter(groupID string) string { return "groups:" + fqlQuote(groupID) }
