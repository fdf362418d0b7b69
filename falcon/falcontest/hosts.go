package falcontest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

const (
	maxQueryWindow  = 10000 // offset + limit of the offset-paged device query
	maxEntityGET    = 100
	maxEntityPOST   = 5000
	maxScrollLimit  = 10000
	maxDeviceLimit  = 5000
	defaultLimit    = 100
	msgOffsetWindow = "limit + offset must be less than 10000"
)

// queryDevices serves GET /devices/queries/devices/v1 and
// /devices/queries/devices-hidden/v1: ids by offset, at most 10,000 deep.
func (s *Server) queryDevices(c *call, set hostSet) {
	offset, limit := c.intParam("offset", 0), c.intParam("limit", defaultLimit)
	if limit < 1 || limit > maxDeviceLimit {
		c.fail(http.StatusBadRequest, fmt.Sprintf("limit must be between 1 and %d", maxDeviceLimit))
		return
	}
	if offset < 0 {
		c.fail(http.StatusBadRequest, "offset must be a non-negative integer")
		return
	}
	if offset+limit > maxQueryWindow {
		c.fail(http.StatusBadRequest, msgOffsetWindow)
		return
	}
	t := c.t
	s.rlockFresh(t, c.now)
	ids, err := s.selectHosts(t, set, c.str("filter"), c.str("sort"), nil, c.now)
	var out []string
	if err == nil {
		for _, i := range page(ids, offset, limit) {
			out = append(out, s.w.ids.encode(t.idx, int(i)))
		}
	}
	t.mu.RUnlock()
	if err != nil {
		c.fail(http.StatusBadRequest, err.Error())
		return
	}
	c.send(reply{resources: nonNil(out), pagination: offsetPaging{Offset: offset, Limit: limit, Total: len(ids)}})
}

// scrollDevices serves GET /devices/queries/devices-scroll/v1.
func (s *Server) scrollDevices(c *call) {
	limit := c.intParam("limit", defaultLimit)
	if limit < 1 || limit > maxScrollLimit {
		c.fail(http.StatusBadRequest, fmt.Sprintf("limit must be between 1 and %d", maxScrollLimit))
		return
	}
	sn, pos, ok := s.openSnapshot(c, "scroll", "offset", visibleHosts, c.str("sort"), false)
	if !ok {
		return
	}
	ids := page(sn.ids, pos, limit)
	out := make([]string, len(ids))
	for k, i := range ids {
		out[k] = s.w.ids.encode(c.t.idx, int(i))
	}
	exp := c.now.Add(s.cfg.scrollExpiry)
	tok := s.scrolls.token(sn, pos+len(ids), exp)
	c.send(reply{resources: out, pagination: scrollPaging{
		Offset: tok, Limit: limit, Total: len(sn.ids), ExpiresAt: exp.UnixNano(),
	}})
}

// openSnapshot starts a snapshot (no token) or resumes one (token in the
// named parameter). With sameQuery a token is only good together with the
// filter and sort of the page that issued it. On failure it has already
// answered 400.
func (s *Server) openSnapshot(c *call, kind, tokenParam string, set hostSet, sort string, sameQuery bool) (*snapshot, int, bool) {
	query := queryKey(c.str("filter"), sort)
	if tok := c.str(tokenParam); tok != "" {
		sn, pos, err := s.scrolls.resolve(tok, c.t, kind, c.now)
		if err != nil {
			c.fail(http.StatusBadRequest, fmt.Sprintf("invalid %s: the pagination token is malformed or has expired", tokenParam))
			return nil, 0, false
		}
		if sameQuery && sn.query != query {
			c.fail(http.StatusBadRequest, fmt.Sprintf("invalid %s: the pagination token belongs to another filter or sort; "+
				"repeat the filter and sort of the first page with every page", tokenParam))
			return nil, 0, false
		}
		return sn, pos, true
	}
	t := c.t
	s.rlockFresh(t, c.now)
	ids, err := s.selectHosts(t, set, c.str("filter"), sort, nil, c.now)
	t.mu.RUnlock()
	if err != nil {
		c.fail(http.StatusBadRequest, err.Error())
		return nil, 0, false
	}
	sn := s.scrolls.create(t, kind, ids, nil, c.now, s.cfg.scrollExpiry)
	sn.query = query
	return sn, 0, true
}

// queryKey identifies a host query for page tokens: the filter as given
// (blanks around it aside) and the sort keys (so "hostname" and
// "hostname.asc" are one sort).
func queryKey(filter, sort string) string {
	keys, err := fql.ParseSort(sort, hostSchema)
	if err != nil {
		return strings.TrimSpace(filter) + "\x00!" + sort
	}
	var b strings.Builder
	b.WriteString(strings.TrimSpace(filter))
	for _, k := range keys {
		b.WriteString("\x00" + k.String())
	}
	return b.String()
}

// defaultCombinedSort is the order of combined devices when no sort is
// given (the spec's sort parameter: "the default sort will be device_id.asc").
const defaultCombinedSort = "device_id.asc"

// combinedDevices serves GET /devices/combined/devices/v1 (and -hidden):
// full records, or those trimmed by fields=, paged by the opaque `next`
// token (given back as offset, with the first page's filter and sort).
func (s *Server) combinedDevices(c *call, set hostSet) {
	limit := c.intParam("limit", defaultLimit)
	if limit < 1 || limit > maxScrollLimit {
		c.fail(http.StatusBadRequest, fmt.Sprintf("limit must be between 1 and %d", maxScrollLimit))
		return
	}
	kind := "combined"
	if set == hiddenHosts {
		kind = "combined-hidden"
	}
	sort := c.str("sort")
	if strings.TrimSpace(sort) == "" {
		sort = defaultCombinedSort
	}
	sn, pos, ok := s.openSnapshot(c, kind, "offset", set, sort, true)
	if !ok {
		return
	}
	ids := page(sn.ids, pos, limit)
	t := c.t
	s.rlockFresh(t, c.now)
	raw := s.renderHosts(t, ids, parseFields(c.str("fields")), c.now.Unix())
	t.mu.RUnlock()
	exp := c.now.Add(s.cfg.scrollExpiry)
	pg := nextPaging{Offset: c.str("offset"), Limit: limit, Total: len(sn.ids), ExpiresAt: exp.UnixNano()}
	if pos+len(ids) < len(sn.ids) {
		pg.Next = s.scrolls.token(sn, pos+len(ids), exp)
	}
	c.send(reply{raw: raw, pagination: pg})
	putHostBuf(raw)
}

// idsRequest is msa.IdsRequest / msaspec.IdsRequest.
type idsRequest struct {
	IDs []string `json:"ids"`
}

// getDevices serves GET/POST /devices/entities/devices/v2.
func (s *Server) getDevices(c *call, post bool) {
	var ids []string
	if post {
		var req idsRequest
		if !c.decodeBody(&req) {
			return
		}
		if len(req.IDs) > maxEntityPOST {
			c.fail(http.StatusBadRequest, fmt.Sprintf("too many ids: %d given, at most %d allowed", len(req.IDs), maxEntityPOST))
			return
		}
		ids = req.IDs
	} else {
		ids = c.q["ids"]
	}
	if len(ids) == 0 {
		c.fail(http.StatusBadRequest, "ids must not be empty")
		return
	}
	found, errs := s.resolveHosts(c.t, dedupe(ids))
	t := c.t
	s.rlockFresh(t, c.now)
	raw := s.renderHosts(t, found, nil, c.now.Unix())
	t.mu.RUnlock()
	c.send(reply{status: partialStatus(len(found), len(errs)), raw: raw, errs: errs})
	putHostBuf(raw)
}

// resolveHosts maps device ids of tenant t to host indexes, with one 404
// error per id that is not a host of t.
func (s *Server) resolveHosts(t *tenant, ids []string) (found []int32, errs []apiError) {
	for _, id := range ids {
		if i, ok := s.hostIndex(t, id); ok {
			found = append(found, int32(i))
		} else {
			errs = append(errs, apiError{Code: http.StatusNotFound, ID: id, Message: "Device not found: " + id})
		}
	}
	return found, errs
}

func (s *Server) hostIndex(t *tenant, id string) (int, bool) {
	ti, i, ok := s.w.ids.decode(strings.ToLower(strings.TrimSpace(id)))
	if !ok || ti != t.idx || i >= len(t.hosts) {
		return 0, false
	}
	return i, true
}

// partialStatus: 200 when anything was found, 404 when nothing was.
func partialStatus(found, missing int) int {
	if found == 0 && missing > 0 {
		return http.StatusNotFound
	}
	return http.StatusOK
}

func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}
