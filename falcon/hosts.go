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
)

const (
	pathDeviceScroll   = "/devices/queries/devices-scroll/v1"
	pathDeviceQuery    = "/devices/queries/devices/v1"
	pathDeviceEntities = "/devices/entities/devices/v2"
)

// HostsService reads hosts.
type HostsService struct{ client *Client }

// HostQuery selects hosts.
type HostQuery struct {
	Filter string // FQL
	Sort   string // "hostname.asc"
	Limit  int    // 0 = every host

	// Fields, when set, names the host fields to fetch (dotted JSON names, as the
	// combined devices endpoint's fields= takes them): a list load then reads
	// GET /devices/combined/devices/v1 with just those fields (docs/API.md §6, §12).
	// ListFields is the explorer's set.
	// Empty means full records.
	Fields []string
}

// ListFields are the fields the explorer's host list shows, filters, sorts and marks by.
// Each is a deviceapi.DeviceSwagger field (api/openapi-subset.json; a test checks).
var ListFields = []string{
	"device_id", "cid", "hostname", "platform_name", "os_version", "os_product_name",
	"agent_version", "status", "local_ip", "external_ip", "machine_domain", "site_name",
	"last_login_user", "last_seen", "tags", "groups",
}

// HostFields are the deviceapi.DeviceSwagger fields a Host keeps, in Host's order: the
// names HostQuery.Fields can usefully take (others are fetched and dropped).
var HostFields = []string{
	"device_id", "cid", "hostname", "platform_name", "os_version", "os_product_name", "os_build",
	"kernel_version", "agent_version", "product_type_desc", "status", "first_seen", "last_seen",
	"last_reboot", "modified_timestamp", "local_ip", "external_ip", "connection_ip",
	"default_gateway_ip", "mac_address", "machine_domain", "ou", "site_name", "serial_number",
	"system_manufacturer", "system_product_name", "last_login_user", "reduced_functionality_mode",
	"tags", "groups", "device_policies",
}

// Get returns the hosts with the given device IDs (missing IDs are skipped), in the order
// asked for.
func (s *HostsService) Get(ctx context.Context, cid string, ids []string) ([]Host, error) {
	c := s.client
	in := newInterner()
	var out []Host
	for chunk := range slices.Chunk(dedupeIDs(ids), c.detailBatch) {
		hs, err := c.hostDetails(ctx, cid, chunk, in)
		if err != nil {
			return out, err
		}
		out = append(out, hs...)
	}
	return out, nil
}

// Count returns how many hosts match filter.
func (s *HostsService) Count(ctx context.Context, cid, filter string) (int, error) {
	q := url.Values{"limit": {"1"}}
	if filter != "" {
		q.Set("filter", filter)
	}
	var ids []string
	resp, err := s.client.send(ctx, cid, &call{method: http.MethodGet, path: pathDeviceQuery, query: q}, &ids)
	if err != nil {
		return 0, err
	}
	return resp.Meta.Pagination.Total, nil
}

// hostDetails fetches one batch of at most detailBatch hosts (POST entities, a read) and
// returns them in the order of ids; IDs the cloud does not know are skipped.
func (c *Client) hostDetails(ctx context.Context, cid string, ids []string, in *interner) ([]Host, error) {
	body, err := json.Marshal(struct {
		IDs []string `json:"ids"`
	}{ids})
	if err != nil {
		return nil, err
	}
	dec := &hostDecoder{in: in, cid: c.displayCID(c.tenantKey(cid)), expect: len(ids)}
	_, err = c.send(ctx, cid, &call{method: http.MethodPost, path: pathDeviceEntities, body: body}, dec)
	if err != nil {
		// 404 = none of the IDs exists (any more): an empty batch, not a failure.
		var ae *APIError
		if errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound && errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return orderHosts(dec.hosts, ids), nil
}

// orderHosts puts a reply in request order (the API does not promise any order), so
// that a sorted scroll stays sorted. Hosts the request did not name go last.
func orderHosts(hs []Host, ids []string) []Host {
	inOrder := true
	for i, j := 0, 0; i < len(hs); i++ {
		for j < len(ids) && !strings.EqualFold(ids[j], hs[i].DeviceID) {
			j++
		}
		if j == len(ids) {
			inOrder = false
			break
		}
		j++
	}
	if inOrder {
		return hs
	}
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[strings.ToLower(id)] = i
	}
	rank := func(h *Host) int {
		if p, ok := pos[strings.ToLower(h.DeviceID)]; ok {
			return p
		}
		return len(ids)
	}
	slices.SortStableFunc(hs, func(a, b Host) int { return rank(&a) - rank(&b) })
	return hs
}

// fqlQuote quotes a value for an FQL filter.
func fqlQuote(v string) string {
	v = strings.ReplaceAll(v, `\`, `\\`)
	return "'" + strings.ReplaceAll(v, "'", `\'`) + "'"
}

// fqlAnd joins FQL filters with "+", bracketing each so that a "," (OR) inside one does
// not bind across the join.
func fqlAnd(filters ...string) string {
	var parts []string
	for _, f := range filters {
		if f = strings.TrimSpace(f); f != "" {
			parts = append(parts, f)
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	for i, p := range parts {
		parts[i] = "(" + p + ")"
	}
	return strings.Join(parts, "+")
}

// fqlIDList renders field:['a','b'] for device IDs. It refuses any id that is not a device
// id (32 hex characters): the list goes into a write action's filter, where a "*", a quote
// or an FQL operator smuggled in as an "id" would widen the action to other hosts.
func fqlIDList(field string, ids []string) (string, error) {
	if err := checkDeviceIDs(ids); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(field)
	b.WriteString(":[")
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(fqlQuote(id))
	}
	b.WriteByte(']')
	return b.String(), nil
}

// checkDeviceIDs names the first id that is not a device id (32 hex characters, either case).
func checkDeviceIDs(ids []string) error {
	for _, id := range ids {
		if !validDeviceID(id) {
			return fmt.Errorf("%w: %q is not a device id (32 hex characters)", ErrInvalidRequest, id)
		}
	}
	return nil
}

func validDeviceID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return true
}

func dedupeIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		id = strings.TrimSpace(id)
		k := strings.ToLower(id)
		if id == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, id)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
