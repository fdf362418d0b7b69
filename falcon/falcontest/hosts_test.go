package falcontest_test

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

type scrollPaging struct {
	Offset    string `json:"offset"`
	Limit     int    `json:"limit"`
	Total     int    `json:"total"`
	ExpiresAt int64  `json:"expires_at"`
}

// deviceSwagger mirrors the typed core of deviceapi.DeviceSwagger.
type deviceSwagger struct {
	DeviceID       string   `json:"device_id"`
	CID            string   `json:"cid"`
	Hostname       string   `json:"hostname"`
	PlatformName   string   `json:"platform_name"`
	OSVersion      string   `json:"os_version"`
	AgentVersion   string   `json:"agent_version"`
	Status         string   `json:"status"`
	FirstSeen      string   `json:"first_seen"`
	LastSeen       string   `json:"last_seen"`
	LocalIP        string   `json:"local_ip"`
	ExternalIP     string   `json:"external_ip"`
	MACAddress     string   `json:"mac_address"`
	SerialNumber   string   `json:"serial_number"`
	Tags           []string `json:"tags"`
	Groups         []string `json:"groups"`
	HiddenStatus   string   `json:"host_hidden_status"`
	DevicePolicies map[string]struct {
		PolicyID   string `json:"policy_id"`
		PolicyType string `json:"policy_type"`
		Applied    bool   `json:"applied"`
	} `json:"device_policies"`
}

// TestScrollEveryHostOnce pages through 100,000 hosts with the scroll API
// while hosts are hidden and re-tagged, and gets each exactly once.
func TestScrollEveryHostOnce(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(100000), falcontest.WithSeed(9))
	c := login(t, s, "full", "")
	all := s.HostIDs(s.ParentCID())
	// Hidden hosts are not listed; count the visible ones the server has.
	visible := c.get("/devices/queries/devices/v1"+q("limit", "1")).want(t, 200)
	var pg msaPaging
	visible.paging(t, &pg)

	seen := make(map[string]bool, len(all))
	offset := ""
	pages := 0
	for {
		path := "/devices/queries/devices-scroll/v1" + q("limit", "5000", "sort", "hostname.asc")
		if offset != "" {
			path = "/devices/queries/devices-scroll/v1" + q("limit", "5000", "offset", offset)
		}
		r := c.get(path).want(t, 200)
		var sp scrollPaging
		r.paging(t, &sp)
		ids := r.ids(t)
		if len(ids) == 0 {
			break
		}
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("host %s returned twice", id)
			}
			seen[id] = true
		}
		if sp.Total != pg.Total || sp.Offset == "" || sp.ExpiresAt < time.Now().UnixNano() {
			t.Fatalf("page %d paging %+v (total want %d)", pages, sp, pg.Total)
		}
		if pages == 1 { // change hosts mid-scroll: the snapshot must not care
			c.do("POST", "/devices/entities/devices-actions/v2"+q("action_name", "hide_host"), map[string]any{"ids": ids[:50]}).want(t, 202)
		}
		offset = sp.Offset
		pages++
	}
	if len(seen) != pg.Total || pages != (pg.Total+4999)/5000 {
		t.Fatalf("scroll returned %d hosts in %d pages, want %d", len(seen), pages, pg.Total)
	}
}

func TestScrollTokenErrors(t *testing.T) {
	clk := newFakeClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	s := newServer(t, falcontest.WithClock(clk.Now), falcontest.WithHosts(30), falcontest.WithTokenLifetime(time.Hour))
	c := login(t, s, "full", "")
	r := c.get("/devices/queries/devices-scroll/v1"+q("limit", "10")).want(t, 200)
	var sp scrollPaging
	r.paging(t, &sp)
	c.get("/devices/queries/devices-scroll/v1"+q("offset", sp.Offset)).want(t, 200)
	// Garbled.
	bad := sp.Offset[:len(sp.Offset)-6] + "AAAAA="
	c.get("/devices/queries/devices-scroll/v1"+q("offset", bad)).want(t, 400)
	c.get("/devices/queries/devices-scroll/v1"+q("offset", "not a token")).want(t, 400)
	// Another tenant's token is unknown there.
	child := login(t, s, "full", s.Tenants()[1].CID)
	child.get("/devices/queries/devices-scroll/v1"+q("offset", sp.Offset)).want(t, 400)
	// Expired after 2 minutes.
	clk.Advance(2*time.Minute + time.Second)
	r = c.get("/devices/queries/devices-scroll/v1"+q("offset", sp.Offset)).want(t, 400)
	if !strings.Contains(r.env.Errors[0].Message, "expired") {
		t.Errorf("expired token message: %s", r.body)
	}
}

func TestQueryDevicesWindow(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(12000))
	c := login(t, s, "full", "")
	r := c.get("/devices/queries/devices/v1"+q("offset", "9900", "limit", "100")).want(t, 200)
	if len(r.ids(t)) != 100 {
		t.Error("offset 9900 limit 100 should return 100 ids")
	}
	r = c.get("/devices/queries/devices/v1"+q("offset", "10000", "limit", "1")).want(t, 400)
	if r.env.Errors[0].Message != "limit + offset must be less than 10000" {
		t.Errorf("window message: %s", r.body)
	}
	c.get("/devices/queries/devices/v1"+q("limit", "5001")).want(t, 400)
	c.get("/devices/queries/devices/v1"+q("limit", "0")).want(t, 400)
	c.get("/devices/queries/devices/v1"+q("limit", "ten")).want(t, 400)
	c.get("/devices/queries/devices-scroll/v1"+q("limit", "10001")).want(t, 400)
	// Offset paging is stable and complete up to the window.
	var got []string
	for off := 0; off < 10000; off += 5000 {
		got = append(got, c.get("/devices/queries/devices/v1"+q("offset", strconv.Itoa(off), "limit", "5000", "sort", "last_seen.desc")).want(t, 200).ids(t)...)
	}
	if len(got) != 10000 || len(dedupe(got)) != 10000 {
		t.Errorf("offset paging: %d ids, %d distinct", len(got), len(dedupe(got)))
	}
}

func TestDeviceEntities(t *testing.T) {
	s := newServer(t, falcontest.WithHosts(400))
	c := login(t, s, "full", "")
	ids := s.HostIDs(s.ParentCID())
	r := c.get("/devices/entities/devices/v2"+q("ids", ids[0], "ids", strings.ToUpper(ids[1]))).want(t, 200)
	var ds []deviceSwagger
	r.decode(t, &ds)
	if len(ds) != 2 || ds[0].DeviceID != ids[0] || ds[0].CID != s.ParentCID() || len(ds[0].DevicePolicies) == 0 {
		t.Fatalf("entities: %+v", ds)
	}
	for _, d := range ds {
		if _, err := time.Parse(time.RFC3339, d.LastSeen); err != nil || d.Hostname == "" || len(d.MACAddress) != 17 {
			t.Errorf("device fields: %+v", d)
		}
	}
	// 100 ids via GET are fine, 101 are not.
	c.get("/devices/entities/devices/v2"+q(repeatKV("ids", ids[:100])...)).want(t, 200)
	c.get("/devices/entities/devices/v2"+q(repeatKV("ids", ids[:101])...)).want(t, 400)
	c.get("/devices/entities/devices/v2").want(t, 400)
	// POST takes up to 5000.
	big := make([]string, 5001)
	for i := range big {
		big[i] = ids[i%len(ids)]
	}
	c.do("POST", "/devices/entities/devices/v2", map[string]any{"ids": big[:5000]}).want(t, 200)
	c.do("POST", "/devices/entities/devices/v2", map[string]any{"ids": big}).want(t, 400)
	// Per-id 404s: found ones in resources, one error per missing id.
	other := s.HostIDs(s.Tenants()[1].CID)[0]
	r = c.do("POST", "/devices/entities/devices/v2", map[string]any{"ids": []string{ids[3], other, "zz"}}).want(t, 200)
	r.decode(t, &ds)
	if len(ds) != 1 || len(r.env.Errors) != 2 || r.env.Errors[0].Code != 404 || r.env.Errors[0].ID != other {
		t.Errorf("partial: %d found, errors %+v", len(ds), r.env.Errors)
	}
	c.do("POST", "/devices/entities/devices/v2", map[string]any{"ids": []string{other}}).want(t, 404)
}

func TestCombinedDevicesPaging(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(750))
	c := login(t, s, "full", "")
	seen := map[string]bool{}
	next := ""
	for {
		path := "/devices/combined/devices/v1" + q("limit", "200", "filter", "platform_name:'Windows'", "fields", "hostname,platform_name")
		if next != "" {
			path += "&offset=" + url.QueryEscape(next)
		}
		r := c.get(path).want(t, 200)
		var ds []map[string]any
		r.decode(t, &ds)
		for _, d := range ds {
			if d["platform_name"] != "Windows" || len(d) != 4 {
				t.Fatalf("record %v", d)
			}
			seen[d["device_id"].(string)] = true
		}
		var pg struct {
			Next  string `json:"next"`
			Total int    `json:"total"`
		}
		r.paging(t, &pg)
		if pg.Next == "" {
			if len(seen) != pg.Total {
				t.Fatalf("combined: %d records, total %d", len(seen), pg.Total)
			}
			return
		}
		next = pg.Next
	}
}

func TestHostActionsAndTags(t *testing.T) {
	clk := newFakeClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	s := newServer(t, falcontest.WithClock(clk.Now), falcontest.WithTenants(0), falcontest.WithHosts(150))
	c := login(t, s, "full", "")
	ids := s.HostIDs(s.ParentCID())
	statusOf := func(id string) deviceSwagger {
		var ds []deviceSwagger
		c.get("/devices/entities/devices/v2"+q("ids", id)).want(t, 200).decode(t, &ds)
		return ds[0]
	}
	target := ""
	for _, id := range ids {
		if d := statusOf(id); d.Status == "normal" && d.HiddenStatus == "" {
			target = id
			break
		}
	}
	c.do("POST", "/devices/entities/devices-actions/v2"+q("action_name", "contain"), map[string]any{"ids": []string{target}}).
		want(t, 202).conforms(t, "POST /devices/entities/devices-actions/v2")
	if st := statusOf(target).Status; st != "containment_pending" {
		t.Errorf("after contain: %s", st)
	}
	clk.Advance(6 * time.Second)
	if st := statusOf(target).Status; st != "contained" {
		t.Errorf("after delay: %s", st)
	}
	n := len(c.get("/devices/queries/devices/v1"+q("filter", "status:'contained'")).want(t, 200).ids(t))
	if n == 0 {
		t.Error("status filter does not see the contained host")
	}
	// Hide: gone from normal queries, present in hidden ones.
	c.do("POST", "/devices/entities/devices-actions/v2"+q("action_name", "hide_host"), map[string]any{"ids": []string{target}}).want(t, 202)
	if slices.Contains(c.get("/devices/queries/devices/v1"+q("limit", "500")).ids(t), target) {
		t.Error("hidden host still listed")
	}
	if !slices.Contains(c.get("/devices/queries/devices-hidden/v1"+q("limit", "500")).ids(t), target) {
		t.Error("hidden host not in hidden query")
	}
	c.do("POST", "/devices/entities/devices-actions/v2"+q("action_name", "hide_host"), map[string]any{"ids": ids[:101]}).want(t, 400)
	// Tags: prefix added, idempotent, removable, filterable.
	c.do("PATCH", "/devices/entities/devices/tags/v1", map[string]any{"action": "add", "device_ids": ids[:3], "tags": []string{"Blue"}}).want(t, 202)
	c.do("PATCH", "/devices/entities/devices/tags/v1", map[string]any{"action": "add", "device_ids": ids[:3], "tags": []string{"FalconGroupingTags/Blue"}}).want(t, 202)
	tagged := c.get("/devices/queries/devices-hidden/v1" + q("filter", "tags:'FalconGroupingTags/Blue'")).ids(t)
	tagged = append(tagged, c.get("/devices/queries/devices/v1"+q("filter", "tags:'FalconGroupingTags/Blue'")).ids(t)...)
	if len(tagged) != 3 {
		t.Errorf("tagged hosts: %v", tagged)
	}
	c.do("PATCH", "/devices/entities/devices/tags/v1", map[string]any{"action": "remove", "device_ids": ids[:3], "tags": []string{"FalconGroupingTags/Blue"}}).want(t, 202)
	if d := statusOf(ids[0]); slices.Contains(d.Tags, "FalconGroupingTags/Blue") {
		t.Errorf("tag not removed: %v", d.Tags)
	}
	c.do("PATCH", "/devices/entities/devices/tags/v1", map[string]any{"action": "paint", "device_ids": ids[:1], "tags": []string{"x"}}).want(t, 400)
}

func TestFQLErrorsAre400(t *testing.T) {
	s := newServer(t, falcontest.WithHosts(50))
	c := login(t, s, "full", "")
	filters := []string{
		"hostname:'x", "hostname:", ":'x'", "nosuchfield:'x'", "(hostname:'a'", "hostname:'a')",
		"last_seen:>='not a time'", "hostname:['a',", "+", ",", "hostname:'a'++platform_name:'b'",
		"\x00", "'''", strings.Repeat("(", 500) + "hostname:'a'" + strings.Repeat(")", 500),
		"hostname:'a'+", "last_seen:>'now-7x'", "[", "hostname:!", "*",
	}
	paths := []string{
		"/devices/queries/devices/v1", "/devices/queries/devices-scroll/v1", "/devices/combined/devices/v1",
		"/devices/queries/host-groups/v1", "/alerts/queries/alerts/v2", "/mssp/queries/children/v1",
		"/user-management/queries/users/v1",
	}
	for _, f := range filters {
		for _, p := range paths {
			r := c.get(p + q("filter", f))
			if r.status >= 500 {
				t.Errorf("%s filter %q → %d %s", p, f, r.status, r.body)
			}
		}
	}
	for _, srt := range []string{"nosuch.asc", "hostname.sideways", "hostname|", ","} {
		if r := c.get("/devices/queries/devices/v1" + q("sort", srt)); r.status != 400 {
			t.Errorf("sort %q → %d", srt, r.status)
		}
	}
	// The FQL subset works end to end.
	for _, f := range []string{
		"platform_name:'Windows'+product_type_desc:'Server'", "hostname:*'*-LT-*'", "last_seen:>='now-7d'",
		"platform_name:['Mac','Linux']", "status:!'normal'", "(platform_name:'Mac',platform_name:'Linux')+last_seen:<'now-30d'",
		"tags:'FalconGroupingTags/Prod'",
	} {
		c.get("/devices/queries/devices/v1"+q("filter", f)).want(t, 200)
	}
}

func repeatKV(k string, vs []string) []string {
	out := make([]string, 0, 2*len(vs))
	for _, v := range vs {
		out = append(out, k, v)
	}
	return out
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// combinedPage is one page of GET /devices/combined/devices/v1 (or -hidden).
type combinedPage struct {
	records []map[string]any
	next    string
	total   int
	body    int
}

func getCombined(t *testing.T, c *client, path string, kv ...string) combinedPage {
	t.Helper()
	r := c.get(path+q(kv...)).want(t, 200).conforms(t, "GET "+path)
	var p combinedPage
	r.decode(t, &p.records)
	var pg struct {
		Next  string `json:"next"`
		Total int    `json:"total"`
	}
	r.paging(t, &pg)
	p.next, p.total, p.body = pg.Next, pg.Total, len(r.body)
	return p
}

func recordIDs(p combinedPage) []string {
	out := make([]string, len(p.records))
	for k, d := range p.records {
		out[k] = d["device_id"].(string)
	}
	return out
}

// Combined devices page as the spec says: 1–10,000 a page, default order
// device_id.asc, `next` given back as offset with the first page's filter
// and sort, hidden hosts only in the -hidden variant.
func TestCombinedDevicesLimitsAndOrder(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(10200))
	c := login(t, s, "full", "")
	const path = "/devices/combined/devices/v1"
	served := s.Tenants()[0].Hosts
	first := getCombined(t, c, path, "limit", "10000", "fields", "hostname")
	if len(first.records) != 10000 || first.next == "" || first.total != served || served <= 10000 {
		t.Fatalf("first page: %d records, total %d (served %d), next %q", len(first.records), first.total, served, first.next)
	}
	// Another filter or sort with the token: refused, so a client that
	// forgets to repeat them learns it here rather than from wrong rows.
	c.get(path+q("limit", "10000", "offset", first.next, "filter", "platform_name:'Mac'")).want(t, 400)
	c.get(path+q("limit", "10000", "offset", first.next, "sort", "hostname.asc")).want(t, 400)
	// The default sort spelled out is the same query.
	rest := getCombined(t, c, path, "limit", "10000", "offset", first.next, "sort", "device_id")
	if rest.next != "" || len(rest.records) != served-10000 {
		t.Fatalf("last page: %d records, next %q", len(rest.records), rest.next)
	}
	ids := append(recordIDs(first), recordIDs(rest)...)
	if !slices.IsSorted(ids) {
		t.Error("default order is not device_id.asc")
	}
	hidden := getCombined(t, c, "/devices/combined/devices-hidden/v1", "limit", "10000", "fields", "host_hidden_status")
	if len(hidden.records) != s.Tenants()[0].Hidden || !slices.IsSorted(recordIDs(hidden)) {
		t.Errorf("hidden: %d records (want %d), sorted %v", len(hidden.records), s.Tenants()[0].Hidden, slices.IsSorted(recordIDs(hidden)))
	}
	for _, d := range hidden.records {
		if d["host_hidden_status"] != "hidden" {
			t.Fatalf("hidden record %v", d)
		}
	}
	visible := slices.DeleteFunc(s.HostIDs(s.ParentCID()), func(id string) bool { return slices.Contains(recordIDs(hidden), id) })
	if !slices.Equal(ids, visible) {
		t.Errorf("pages hold %d ids, the tenant serves %d", len(ids), len(visible))
	}
	desc := getCombined(t, c, path, "limit", "50", "sort", "device_id.desc", "fields", "device_id")
	want := slices.Clone(ids[len(ids)-50:])
	slices.Reverse(want)
	if !slices.Equal(recordIDs(desc), want) {
		t.Error("device_id.desc is not the reverse order")
	}
	for _, limit := range []string{"0", "10001", "-1"} {
		c.get(path+q("limit", limit)).want(t, 400)
	}
	if p := getCombined(t, c, path); len(p.records) != 100 {
		t.Errorf("default limit: %d records", len(p.records))
	}
}

// fields= trims records to the keys named (device_id and cid always),
// nested keys by dotted names; the host list's fields cost ~320 B a host.
func TestCombinedDevicesFields(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(2000))
	c := login(t, s, "full", "")
	const path = "/devices/combined/devices/v1"
	keys := func(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }
	p := getCombined(t, c, path, "limit", "20", "fields",
		"hostname, device_policies.prevention.applied,device_policies.firewall,meta.version,local_ip.raw,policies.policy_type,nosuch")
	for _, d := range p.records {
		if got := keys(d); !slices.Equal(got, []string{"cid", "device_id", "device_policies", "hostname", "local_ip", "meta", "policies"}) {
			t.Fatalf("keys %v", got)
		}
		dp := d["device_policies"].(map[string]any)
		if got := keys(dp); !slices.Equal(got, []string{"firewall", "prevention"}) {
			t.Fatalf("device_policies keys %v", got)
		}
		// policy_id and policy_type are required: kept like device_id and cid.
		if got := keys(dp["prevention"].(map[string]any)); !slices.Equal(got, []string{"applied", "policy_id", "policy_type"}) {
			t.Errorf("device_policies.prevention keys %v", got)
		}
		if len(dp["firewall"].(map[string]any)) < 5 {
			t.Errorf("device_policies.firewall is not whole: %v", dp["firewall"])
		}
		if got := keys(d["meta"].(map[string]any)); !slices.Equal(got, []string{"version"}) {
			t.Errorf("meta keys %v", got)
		}
		pol := d["policies"].([]any)
		if len(pol) != 1 || !slices.Equal(keys(pol[0].(map[string]any)), []string{"policy_id", "policy_type"}) {
			t.Errorf("policies %v", pol)
		}
	}
	// A whole object named besides a part of it: the whole wins.
	for _, d := range getCombined(t, c, path, "limit", "5", "fields", "meta.version,meta").records {
		if len(d["meta"].(map[string]any)) != 2 {
			t.Errorf("meta %v", d["meta"])
		}
	}
	// The host list's fields (listFields), every page of the tenant.
	var n, bytes int
	var seenGroups bool
	for next := ""; ; {
		kv := []string{"limit", "500", "fields", listFields}
		if next != "" {
			kv = append(kv, "offset", next)
		}
		p := getCombined(t, c, path, kv...)
		for _, d := range p.records {
			for _, k := range []string{"device_id", "cid", "hostname", "platform_name", "os_version", "agent_version", "last_seen", "status", "local_ip", "groups", "product_type_desc"} {
				if _, ok := d[k]; !ok {
					t.Fatalf("record lacks %s: %v", k, d)
				}
			}
			if _, ok := d["serial_number"]; ok {
				t.Fatalf("untrimmed record %v", d)
			}
			seenGroups = seenGroups || len(d["groups"].([]any)) > 0
		}
		n, bytes = n+len(p.records), bytes+p.body
		if next = p.next; next == "" {
			break
		}
	}
	if n != s.Tenants()[0].Hosts || !seenGroups {
		t.Fatalf("%d records (want %d), groups seen %v", n, s.Tenants()[0].Hosts, seenGroups)
	}
	if per := bytes / n; per > 400 {
		t.Errorf("list fields cost %d B a host, want ≤ 400", per)
	}
	t.Logf("list fields: %d B a host", bytes/n)
}
