package falcon

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

func TestFieldsParamNamesIdentityOnce(t *testing.T) {
	got := fieldsParam([]string{" hostname", "device_id", "", "hostname", "tags"})
	if want := "device_id,cid,hostname,tags"; got != want {
		t.Errorf("fieldsParam = %q, want %q", got, want)
	}
}

// With Fields, a listing reads the combined endpoint page by page (following next) and
// the hosts carry the fields asked for and nothing else; every host comes once.
func TestSimStreamFieldsUsesCombinedPages(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(1), falcontest.WithHosts(1100), falcontest.WithAlerts(0))
	defer srv.Close()
	c := simClient(t, srv, "full")
	c.combinedPage = 400 // three pages

	want := visibleHostIDs(t, c, srv, srv.ParentCID())
	full := map[string]Host{}
	for hs, err := range c.Hosts.Stream(context.Background(), "", HostQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			full[h.DeviceID] = h
		}
	}
	srv.ResetStats()

	var got []string
	for hs, err := range c.Hosts.Stream(context.Background(), "", HostQuery{Fields: ListFields, Sort: "hostname.asc"}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			got = append(got, h.DeviceID)
			f := full[h.DeviceID]
			if h.Hostname != f.Hostname || h.CID != f.CID || h.Platform != f.Platform || !h.LastSeen.Equal(f.LastSeen) ||
				!slices.Equal(h.Groups, f.Groups) || h.LocalIP != f.LocalIP || h.AgentVersion != f.AgentVersion {
				t.Fatalf("host %s: list fields differ from the full record:\n%+v\n%+v", h.DeviceID, h, f)
			}
			if h.MAC != "" || h.SerialNumber != "" || len(h.Policies) > 0 || !h.FirstSeen.IsZero() {
				t.Fatalf("host %s carries fields not asked for: %+v", h.DeviceID, h)
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d hosts, want %d", len(got), len(want))
	}
	sorted := slices.Clone(got)
	slices.Sort(sorted)
	if !slices.Equal(sorted, want) {
		t.Fatal("the listing is not every visible host exactly once")
	}
	st := srv.Stats()
	if n := st.ByOperation["GET "+pathDeviceCombined]; n != 3 {
		t.Errorf("combined pages = %d, want 3", n)
	}
	if n := st.ByOperation["GET "+pathDeviceScroll] + st.ByOperation["POST "+pathDeviceEntities]; n != 0 {
		t.Errorf("%d scroll/entity calls: a fields listing needs none", n)
	}
}

// Limit stops the combined listing early; group members take the same path.
func TestSimStreamFieldsLimitAndMembers(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(900), falcontest.WithAlerts(0))
	defer srv.Close()
	c := simClient(t, srv, "full")
	c.combinedPage = 200
	n := 0
	for hs, err := range c.Hosts.Stream(context.Background(), "", HostQuery{Fields: []string{"hostname"}, Limit: 250}) {
		if err != nil {
			t.Fatal(err)
		}
		n += len(hs)
	}
	if n != 250 {
		t.Errorf("Limit 250: %d hosts", n)
	}

	g := pickGroup(t, c, "", GroupStatic)
	want, err := c.HostGroups.MemberCount(context.Background(), "", g.ID)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetStats()
	got := 0
	for hs, err := range c.HostGroups.Members(context.Background(), "", g.ID, HostQuery{Fields: ListFields}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			if !slices.Contains(h.Groups, g.ID) {
				t.Fatalf("member %s does not name group %s", h.DeviceID, g.ID)
			}
		}
		got += len(hs)
	}
	if got != want || srv.Stats().ByOperation["GET "+pathDeviceCombined] == 0 {
		t.Errorf("members: %d, want %d, via combined: %v", got, want, srv.Stats().ByOperation)
	}
}

// A cursor that expires mid-listing restarts it without yielding a host twice.
func TestSimStreamFieldsCursorExpiryRestarts(t *testing.T) {
	now := time.Now()
	var skew atomic.Int64
	clock := func() time.Time { return now.Add(time.Since(now) + time.Duration(skew.Load())) }
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(1000), falcontest.WithAlerts(0),
		falcontest.WithClock(clock), falcontest.WithScrollExpiry(time.Minute))
	defer srv.Close()
	// The server's clock jumps once the second page is out: its cursor is stale.
	var pages atomic.Int32
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err == nil && r.URL.Path == pathDeviceCombined && pages.Add(1) == 2 {
			skew.Add(int64(2 * time.Minute))
		}
		return resp, err
	})}
	c := simClient(t, srv, "full", func(cfg *Config) { cfg.HTTPClient = hc })
	c.combinedPage = 300
	seen := map[string]int{}
	for hs, err := range c.Hosts.Stream(context.Background(), "", HostQuery{Fields: []string{"hostname"}, Sort: "hostname.asc"}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			seen[h.DeviceID]++
		}
	}
	assertEachVisibleHostOnce(t, c, srv, seen)
	if st := srv.Stats(); st.ByStatus["400"] == 0 {
		t.Errorf("the cursor never expired (statuses %v): the test proves nothing", st.ByStatus)
	}
}

// The explorer's list fields and the fields a Host keeps are real DeviceSwagger fields,
// and the decoder reads every one of HostFields.
func TestHostFieldsAreDeviceSwaggerFields(t *testing.T) {
	raw, err := os.ReadFile("../api/openapi-subset.json")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Definitions map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	props := spec.Definitions["deviceapi.DeviceSwagger"].Properties
	if len(props) == 0 {
		t.Fatal("no deviceapi.DeviceSwagger in the spec")
	}
	for _, f := range slices.Concat(ListFields, HostFields) {
		if _, ok := props[f]; !ok {
			t.Errorf("%q is not a deviceapi.DeviceSwagger field", f)
		}
	}
	for _, f := range ListFields {
		if !slices.Contains(HostFields, f) {
			t.Errorf("list field %q is not kept by Host", f)
		}
	}
	// Every HostFields name sets something when decoded.
	for _, f := range HostFields {
		val := `"x"`
		switch f {
		case "ou", "tags", "groups":
			val = `["x"]`
		case "first_seen", "last_seen", "last_reboot", "modified_timestamp":
			val = `"2026-01-02T03:04:05Z"`
		case "device_policies":
			val = `{"prevention":{"policy_id":"p"}}`
		}
		d := &hostDecoder{in: newInterner()}
		s := newScanner(strings.NewReader(`[{"`+f+`":`+val+`}]`), nil)
		if !d.decodeResources(s) || len(d.hosts) != 1 || reflect.ValueOf(d.hosts[0]).IsZero() {
			t.Errorf("field %q: decoding sets nothing", f)
		}
	}
}
