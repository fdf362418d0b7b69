package falcontest

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

func randRead(b []byte) { _, _ = rand.Read(b) }

const (
	maxGroupActionHosts = 500
	maxMembersWindow    = 10500 // "limit + offset must be less than 10500" (docs/API.md §6)
)

// groupMembers serves GET /devices/queries/host-group-members/v1 (ids) and
// /devices/combined/host-group-members/v1 (device.Device records).
func (s *Server) groupMembers(c *call, combined bool) {
	offset, limit := c.intParam("offset", 0), c.intParam("limit", defaultLimit)
	if offset+limit > maxMembersWindow {
		c.fail(http.StatusBadRequest, "limit + offset must be less than 10500")
		return
	}
	id := c.str("id")
	if id == "" {
		c.fail(http.StatusBadRequest, "id is required")
		return
	}
	t := c.t
	s.rlockFresh(t, c.now)
	defer t.mu.RUnlock()
	g := t.groupByID[id]
	if g == nil {
		c.send(reply{status: http.StatusNotFound, resources: []string{},
			errs: []apiError{{Code: 404, ID: id, Message: "Group not found: " + id}}})
		return
	}
	members := s.membersOf(t, g)
	ids, err := s.selectHosts(t, visibleHosts, c.str("filter"), c.str("sort"), members.has, c.now)
	if err != nil {
		c.fail(http.StatusBadRequest, err.Error())
		return
	}
	pg := offsetPaging{Offset: offset, Limit: limit, Total: len(ids)}
	pageIDs := page(ids, offset, limit)
	if combined {
		raw := s.renderHosts(t, pageIDs, nil, c.now.Unix())
		c.send(reply{raw: raw, pagination: pg})
		putHostBuf(raw)
		return
	}
	out := make([]string, len(pageIDs))
	for k, i := range pageIDs {
		out[k] = s.w.ids.encode(t.idx, int(i))
	}
	c.send(reply{resources: out, pagination: pg})
}

// groupAction serves POST /devices/entities/host-group-actions/v1
// (add-hosts / remove-hosts). The filter names the hosts, normally
// "(device_id:['aid1','aid2'])"; at most 500 hosts per call. Adding or
// removing is idempotent. Dynamic groups refuse manual membership (400).
func (s *Server) groupAction(c *call) {
	action := c.str("action_name")
	var req actionRequest
	if !c.decodeBody(&req) {
		return
	}
	fail := func(status int, msg string) {
		c.send(reply{status: status, resources: []hostGroupJSON{}, errs: errs1(status, msg)})
	}
	if len(req.IDs) == 0 {
		fail(400, "ids must name the host group")
		return
	}
	filter, ok := "", false
	for _, p := range req.ActionParameters {
		if p.Name == "filter" {
			filter, ok = p.Value, true
		}
	}
	if !ok || strings.TrimSpace(filter) == "" {
		fail(400, "action_parameters must contain a 'filter' naming the hosts")
		return
	}
	t := c.t
	s.rlockFresh(t, c.now) // dynamic memberships fresh, then upgrade
	t.mu.RUnlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	var groups []*group
	for _, id := range dedupe(req.IDs) {
		g := t.groupByID[id]
		if g == nil {
			c.send(reply{status: 404, resources: []hostGroupJSON{}, errs: []apiError{{Code: 404, ID: id, Message: "Group not found: " + id}}})
			return
		}
		if g.groupType == "dynamic" {
			fail(400, fmt.Sprintf("cannot %s: group '%s' is dynamic, its members follow its assignment_rule", action, g.name))
			return
		}
		groups = append(groups, g)
	}
	hosts, err := s.hostsForFilter(t, filter, c)
	if err != nil {
		fail(400, err.Error())
		return
	}
	if len(hosts) > maxGroupActionHosts {
		fail(400, fmt.Sprintf("too many hosts: %d given, at most %d per request", len(hosts), maxGroupActionHosts))
		return
	}
	var out []hostGroupJSON
	for _, g := range groups {
		hostnames, aids := slices.Clone(g.hostnames), slices.Clone(g.aids)
		for _, i := range hosts {
			name, aid := t.hosts[i].hostname, s.w.ids.encode(t.idx, i)
			if g.groupType == "static" {
				hostnames = addOrRemove(hostnames, name, action == "add-hosts")
			} else {
				aids = addOrRemove(aids, aid, action == "add-hosts")
			}
		}
		s.setStaticMembers(t, g, hostnames, aids)
		g.modified, g.modifiedBy = c.now.Unix(), c.author()
		out = append(out, groupJSON(g))
	}
	t.version.Add(1)
	c.applied = true
	c.send(reply{resources: out, writes: &writes{ResourcesAffected: len(hosts)}})
}

func addOrRemove(list []string, v string, add bool) []string {
	has := slices.Contains(list, v)
	switch {
	case add && !has:
		return append(list, v)
	case !add && has:
		return slices.DeleteFunc(list, func(x string) bool { return x == v })
	}
	return list
}

// hostsForFilter resolves the filter of a group action to host indexes:
// the device_id/hostname list form directly (unknown ids are ignored, as
// the API does), anything else as a host FQL filter.
func (s *Server) hostsForFilter(t *tenant, filter string, c *call) ([]int, error) {
	if names, aids, err := parseStaticRule(filter); err == nil {
		if len(aids)+len(names) > maxGroupActionHosts {
			return make([]int, len(aids)+len(names)), nil // caller reports the cap
		}
		var out []int
		for _, id := range aids {
			if i, ok := s.hostIndex(t, id); ok && !slices.Contains(out, i) {
				out = append(out, i)
			}
		}
		if len(names) > 0 {
			want := map[string]bool{}
			for _, n := range names {
				want[strings.ToLower(n)] = true
			}
			for i := range t.hosts {
				if want[strings.ToLower(t.hosts[i].hostname)] && !slices.Contains(out, i) {
					out = append(out, i)
				}
			}
		}
		return out, nil
	}
	expr, err := fql.ParseAt(filter, hostSchema, c.now)
	if err != nil {
		return nil, err
	}
	if expr == nil {
		return nil, errors.New("filter must select hosts")
	}
	var out []int
	ref := hostRef{s: s, t: t, now: c.now.Unix()}
	for i := range t.hosts {
		ref.i = i
		if expr.Match(ref) {
			out = append(out, i)
		}
	}
	return out, nil
}

// setStaticMembers stores a static group's lists, its rule and its bitset.
// Caller holds t.mu.
func (s *Server) setStaticMembers(t *tenant, g *group, hostnames, aids []string) {
	g.hostnames, g.aids = nil, nil
	for _, h := range hostnames {
		if h != "" {
			g.hostnames = append(g.hostnames, h)
		}
	}
	for _, a := range aids {
		if a != "" {
			g.aids = append(g.aids, strings.ToLower(a))
		}
	}
	if len(g.members) != (len(t.hosts)+63)/64 {
		g.members = newBitset(len(t.hosts))
	}
	g.members.reset()
	if g.groupType == "static" {
		want := map[string]bool{}
		for _, h := range g.hostnames {
			want[strings.ToLower(h)] = true
		}
		if len(want) > 0 {
			for i := range t.hosts {
				if want[strings.ToLower(t.hosts[i].hostname)] {
					g.members.set(i)
				}
			}
		}
	} else {
		for _, a := range g.aids {
			if i, ok := s.hostIndex(t, a); ok {
				g.members.set(i)
			}
		}
	}
	g.rule = staticRule(g)
}

var errStaticRule = errors.New("not a static assignment rule")

// parseStaticRule parses the stored form of static rules,
// "device_id:['a','b'],hostname:['H1']" (lists or single values, joined by
// ',' or '+', optionally parenthesised). Empty strings are dropped.
func parseStaticRule(rule string) (hostnames, aids []string, err error) {
	p := strings.TrimSpace(rule)
	for strings.HasPrefix(p, "(") && strings.HasSuffix(p, ")") {
		p = strings.TrimSpace(p[1 : len(p)-1])
	}
	if p == "" {
		return nil, nil, errStaticRule
	}
	for p != "" {
		field, rest, ok := strings.Cut(p, ":")
		if !ok {
			return nil, nil, errStaticRule
		}
		field = strings.TrimSpace(field)
		if field != "device_id" && field != "hostname" {
			return nil, nil, errStaticRule
		}
		vals, tail, err := parseValueList(strings.TrimSpace(rest))
		if err != nil {
			return nil, nil, err
		}
		for _, v := range vals {
			if v == "" {
				continue
			}
			if field == "hostname" {
				hostnames = append(hostnames, v)
			} else {
				aids = append(aids, v)
			}
		}
		tail = strings.TrimSpace(tail)
		if tail == "" {
			break
		}
		if tail[0] != ',' && tail[0] != '+' {
			return nil, nil, errStaticRule
		}
		p = strings.TrimSpace(tail[1:])
	}
	return hostnames, aids, nil
}

// parseValueList reads ['a','b'] or 'a' from the start of s.
func parseValueList(s string) (vals []string, rest string, err error) {
	if s == "" {
		return nil, "", errStaticRule
	}
	if s[0] != '[' {
		v, rest, err := parseQuoted(s)
		return []string{v}, rest, err
	}
	s = strings.TrimSpace(s[1:])
	for {
		if s == "" {
			return nil, "", errStaticRule
		}
		if s[0] == ']' {
			return vals, s[1:], nil
		}
		v, rest, err := parseQuoted(s)
		if err != nil {
			return nil, "", err
		}
		vals = append(vals, v)
		s = strings.TrimSpace(rest)
		if strings.HasPrefix(s, ",") {
			s = strings.TrimSpace(s[1:])
		} else if !strings.HasPrefix(s, "]") {
			return nil, "", errStaticRule
		}
	}
}

func parseQuoted(s string) (string, string, error) {
	if s == "" || (s[0] != '\'' && s[0] != '"') {
		return "", "", errStaticRule
	}
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case q:
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", errStaticRule
}
