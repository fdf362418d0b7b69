package scopehealth

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// parseScopeListing extracts the scopes of API client clientID from the resources of
// GET /api-clients/entities/api-clients/v1. The reply's entity type is generic in the
// published client (docs/API.md §9), so this accepts the plausible shapes: "scopes" as
// strings ("devices:read"), as {"group"|"scope"|"name"|"id", "action"|"access"} objects,
// or as {"name", "read": bool, "write": bool} objects.
func parseScopeListing(resources []byte, clientID string) ([]Permission, error) {
	var entities []map[string]json.RawMessage
	if err := json.Unmarshal(listingOrEmpty(resources), &entities); err != nil {
		return nil, wrapScopeListing(err)
	}
	var entity map[string]json.RawMessage
	for _, e := range entities {
		for _, k := range []string{"id", "client_id"} {
			var id string
			if json.Unmarshal(e[k], &id) == nil && strings.EqualFold(id, clientID) {
				entity = e
			}
		}
	}
	if entity == nil && len(entities) == 1 {
		entity = entities[0]
	}
	if entity == nil {
		return nil, wrapScopeListing(errScopeListingShape)
	}
	raw, ok := entity["scopes"]
	if !ok {
		raw, ok = entity["scope"]
	}
	if !ok {
		return nil, wrapScopeListing(errScopeListingShape)
	}
	perms, err := parseListedScopes(raw)
	if err != nil {
		return nil, wrapScopeListing(err)
	}
	sort.Slice(perms, func(i, j int) bool { return perms[i].String() < perms[j].String() })
	return perms, nil
}

func listingOrEmpty(b []byte) []byte {
	if len(bytes.TrimSpace(b)) == 0 || bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return []byte("[]")
	}
	return b
}

func parseListedScopes(raw json.RawMessage) ([]Permission, error) {
	seen := map[Permission]bool{}
	var out []Permission
	add := func(p Permission) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	var strs []string
	if json.Unmarshal(raw, &strs) == nil {
		for _, s := range strs {
			if p, err := ParsePermission(s); err == nil {
				add(p)
			}
		}
		return out, nil
	}
	var objs []map[string]any
	if err := json.Unmarshal(raw, &objs); err != nil {
		return nil, errScopeListingShape
	}
	for _, o := range objs {
		name := listingString(o, "group", "scope", "name", "id")
		if p, err := ParsePermission(name); err == nil {
			add(p)
			continue
		}
		if acc := strings.ToLower(listingString(o, "action", "access", "permission")); acc == "read" || acc == "write" {
			add(Perm(strings.ToLower(name), Access(acc)))
			continue
		}
		for _, a := range []Access{Read, Write} {
			if b, _ := o[string(a)].(bool); b && name != "" {
				add(Perm(strings.ToLower(name), a))
			}
		}
	}
	return out, nil
}

func listingString(o map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := o[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}
