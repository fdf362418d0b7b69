package falcon

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

const pathDeviceCombined = "/devices/combined/devices/v1"

// combinedLimit is the combined devices endpoint's largest page (docs/API.md §6).
const combinedLimit = 10000

// fieldsParam renders HostQuery.Fields as the fields= value: trimmed, without duplicates,
// and always naming device_id and cid, which every Host needs (identity and tenant).
func fieldsParam(fields []string) string {
	seen := map[string]bool{}
	out := make([]string, 0, len(fields)+2)
	for _, f := range append([]string{"device_id", "cid"}, fields...) {
		f = strings.TrimSpace(f)
		if f == "" || seen[f] {
			continue
		}
		seen[f] = true
		out = append(out, f)
	}
	return strings.Join(out, ",")
}

// streamCombined reads a tenant's hosts from GET /devices/combined/devices/v1 with
// fields=, the records trimmed to the named fields, up to 10,000 a page, following the
// cursor (docs/API.md §6 "Cursor", §12): each page's meta.pagination.next goes back as
// offset with the same filter and sort, and the last page has no next. One request a
// page and only the bytes the list needs: on a slow link the bytes are the bound.
//
// Pages follow one another (the cursor of a page is in its reply), so there is nothing
// to pipeline within a tenant; tenants run in parallel (StreamTenants). A cursor that
// expired or was refused restarts the listing (at most maxScrollRestarts times) and the
// hosts already yielded are skipped, as the scroll does.
func (c *Client) streamCombined(ctx context.Context, cid string, q HostQuery, in *interner, yield func([]Host, error) bool) {
	fields := fieldsParam(q.Fields)
	display := c.displayCID(c.tenantKey(cid))
	var (
		seen     map[string]struct{} // device IDs yielded, kept only once a restart needs them
		yielded  []string            // IDs yielded before the first restart, to fill seen
		next     string
		restarts int
		count    int
		total    = -1 // meta.pagination.total once a page has told it
	)
	for {
		limit := c.combinedPage
		if q.Limit > 0 {
			limit = min(limit, q.Limit-count)
		}
		v := url.Values{"limit": {itoa(limit)}, "fields": {fields}}
		if q.Filter != "" {
			v.Set("filter", q.Filter)
		}
		if q.Sort != "" {
			v.Set("sort", q.Sort)
		}
		if next != "" {
			v.Set("offset", next)
		}
		// Room for the page as far as known: a small tenant must not cost 10,000 Hosts.
		expect := min(limit, 1024)
		if total >= 0 {
			expect = max(0, min(limit, total-count))
		}
		dec := &hostDecoder{in: in, cid: display, expect: expect}
		resp, err := c.send(ctx, cid, &call{method: http.MethodGet, path: pathDeviceCombined, query: v}, dec)
		if err != nil {
			if next != "" && scrollExpired(err) && restarts < maxScrollRestarts {
				restarts++
				next = ""
				if seen == nil {
					seen = make(map[string]struct{}, len(yielded))
					for _, id := range yielded {
						seen[id] = struct{}{}
					}
					yielded = nil
				}
				continue
			}
			if ctx.Err() != nil {
				err = context.Cause(ctx)
			}
			yield(nil, err)
			return
		}
		hosts := dec.hosts
		if seen != nil {
			fresh := hosts[:0]
			for _, h := range hosts {
				k := strings.ToLower(h.DeviceID)
				if _, dup := seen[k]; dup {
					continue
				}
				seen[k] = struct{}{}
				fresh = append(fresh, h)
			}
			hosts = fresh
		} else if restarts < maxScrollRestarts {
			for i := range hosts {
				yielded = append(yielded, strings.ToLower(hosts[i].DeviceID))
			}
		}
		if q.Limit > 0 && count+len(hosts) > q.Limit {
			hosts = hosts[:q.Limit-count]
		}
		count += len(hosts)
		if len(hosts) > 0 && !yield(hosts, nil) {
			return
		}
		pg := resp.Meta.Pagination
		total = pg.Total
		switch {
		case pg.Next == "", len(dec.hosts) == 0:
		case q.Limit > 0 && count >= q.Limit:
		default:
			next = pg.Next
			continue
		}
		return
	}
}
