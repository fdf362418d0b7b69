package falcontest_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

type childLink struct {
	ChildCID string   `json:"child_cid"`
	ChildOf  string   `json:"child_of"`
	Checksum string   `json:"checksum"`
	Name     string   `json:"name"`
	Status   string   `json:"status"`
	Domains  []string `json:"domains"`
}

func TestFlightControl(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(3), falcontest.WithHosts(50))
	ts := s.Tenants()
	parent := login(t, s, "full", "")
	kids := parent.get("/mssp/queries/children/v1"+q("limit", "100")).want(t, 200).ids(t)
	slices.Sort(kids)
	var want []string
	for _, tn := range ts[1:] {
		want = append(want, tn.CID)
	}
	slices.Sort(want)
	if !slices.Equal(kids, want) {
		t.Fatalf("children %v, want %v", kids, want)
	}
	var links []childLink
	parent.do("POST", "/mssp/entities/children/GET/v2", map[string]any{"ids": kids}).want(t, 200).decode(t, &links)
	for _, l := range links {
		if l.ChildOf != s.ParentCID() || l.Checksum == "" || l.Name == "" || l.Status != "active" {
			t.Errorf("link %+v", l)
		}
	}
	r := parent.get("/mssp/entities/children/v1"+q("ids", kids[0], "ids", "00000000000000000000000000000000")).want(t, 207)
	if len(r.env.Errors) != 1 || r.env.Errors[0].Code != 404 {
		t.Errorf("207 errors %+v", r.env.Errors)
	}
	filtered := parent.get("/mssp/queries/children/v1"+q("filter", "name:'"+ts[1].Name+"'")).want(t, 200).ids(t)
	if !slices.Equal(filtered, []string{ts[1].CID}) {
		t.Errorf("filter by name: %v", filtered)
	}

	// A member_cid token acts inside its child only.
	for _, tn := range ts[1:] {
		c := login(t, s, "full", tn.CID)
		if got := c.get("/mssp/queries/children/v1").want(t, 200).ids(t); len(got) != 0 {
			t.Errorf("child %s sees children %v", tn.Name, got)
		}
		c.get("/mssp/entities/children/v1"+q("ids", kids[0])).want(t, 207)
		c.do("POST", "/mssp/entities/cid-groups/v1", map[string]any{"resources": []map[string]string{{"name": "x"}}}).want(t, 400)
		own := map[string]bool{}
		for _, id := range s.HostIDs(tn.CID) {
			own[id] = true
		}
		for _, id := range c.get("/devices/queries/devices/v1"+q("limit", "500")).want(t, 200).ids(t) {
			if !own[id] {
				t.Fatalf("child %s sees foreign host %s", tn.Name, id)
			}
		}
		groups := c.get("/devices/queries/host-groups/v1"+q("limit", "500")).want(t, 200).ids(t)
		if !slices.Equal(groups, s.HostGroups(tn.CID)) {
			t.Errorf("child %s groups %v", tn.Name, groups)
		}
		for _, a := range c.get("/alerts/queries/alerts/v2"+q("limit", "500")).want(t, 200).ids(t) {
			if !strings.HasPrefix(a, tn.CID+":") {
				t.Fatalf("child %s sees foreign alert %s", tn.Name, a)
			}
		}
		// A parent's host id is unknown in the child.
		c.get("/devices/entities/devices/v2"+q("ids", s.HostIDs(s.ParentCID())[0])).want(t, 404)
		ccid := c.get("/sensors/queries/installers/ccid/v1").want(t, 200).ids(t)
		if len(ccid) != 1 || !strings.HasPrefix(ccid[0], strings.ToUpper(tn.CID)+"-") {
			t.Errorf("ccid %v", ccid)
		}
	}
	if st := s.Stats(); len(st.ByTenant) != 4 {
		t.Errorf("by_tenant %v", st.ByTenant)
	}
}

func TestHostileData(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(400), falcontest.WithHostile(true), falcontest.WithAlerts(100))
	c := login(t, s, "full", "")
	var found = map[string]bool{}
	scan := func(b []byte) {
		str := string(b)
		for name, needle := range map[string]string{
			"CSI": `\u001b[2J`, "OSC52": `\u001b]52;`, "OSC8": `\u001b]8;;`, "bidi": "\u202e", "zero-width": "\u200b",
			"CJK": "サーバー", "emoji": "🔥", "NUL": `\u0000`,
		} {
			if strings.Contains(str, needle) {
				found[name] = true
			}
		}
		if strings.Contains(str, strings.Repeat("LONG-NAME-", 1000)) {
			found["10KB"] = true
		}
	}
	offset := ""
	for {
		path := "/devices/combined/devices/v1" + q("limit", "200")
		if offset != "" {
			path += "&offset=" + url.QueryEscape(offset)
		}
		r := c.get(path).want(t, 200)
		scan(r.body)
		var pg struct{ Next string }
		r.paging(t, &pg)
		if pg.Next == "" {
			break
		}
		offset = pg.Next
	}
	ids := c.get("/alerts/queries/alerts/v2"+q("limit", "100")).want(t, 200).ids(t)
	scan(c.do("POST", "/alerts/entities/alerts/v2", map[string]any{"composite_ids": ids}).want(t, 200).body)
	scan(c.get("/devices/combined/host-groups/v1").want(t, 200).body)
	for _, k := range []string{"CSI", "OSC52", "OSC8", "bidi", "zero-width", "CJK", "emoji", "NUL", "10KB"} {
		if !found[k] {
			t.Errorf("hostile data lacks %s", k)
		}
	}
	// Without the option, none of it.
	plain := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(400))
	pc := login(t, plain, "full", "")
	if b := pc.get("/devices/combined/devices/v1" + q("limit", "400")).body; strings.Contains(string(b), `\u001b`) {
		t.Error("escape sequences without WithHostile")
	}
}
