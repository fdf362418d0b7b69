package falcontest_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// hostGroupV1 mirrors host_groups.HostGroupV1.
type hostGroupV1 struct {
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

func createGroup(t *testing.T, c *client, name, typ, rule string) hostGroupV1 {
	t.Helper()
	res := map[string]any{"name": name, "group_type": typ, "description": "test"}
	if rule != "" {
		res["assignment_rule"] = rule
	}
	var gs []hostGroupV1
	c.do("POST", "/devices/entities/host-groups/v1", map[string]any{"resources": []any{res}}).want(t, 201).decode(t, &gs)
	if len(gs) != 1 || gs[0].GroupType != typ || gs[0].Name != name {
		t.Fatalf("created %+v", gs)
	}
	return gs[0]
}

func groupAction(c *client, action, groupID string, ids []string) result {
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = "'" + id + "'"
	}
	return c.do("POST", "/devices/entities/host-group-actions/v1"+q("action_name", action), map[string]any{
		"ids":               []string{groupID},
		"action_parameters": []map[string]string{{"name": "filter", "value": "(device_id:[" + strings.Join(quoted, ",") + "])"}},
	})
}

// membersViaHosts counts group members the way the UI does: hosts filtered
// by groups:'<id>' (visible hosts).
func membersViaHosts(t *testing.T, c *client, groupID string) []string {
	t.Helper()
	ids := c.get("/devices/queries/devices/v1"+q("limit", "5000", "filter", "groups:'"+groupID+"'")).want(t, 200).ids(t)
	sort.Strings(ids)
	return ids
}

func membersViaAPI(t *testing.T, c *client, groupID string) []string {
	t.Helper()
	var out []string
	for off := 0; ; off += 500 {
		ids := c.get("/devices/queries/host-group-members/v1"+q("id", groupID, "limit", "500", "offset", fmt.Sprint(off))).want(t, 200).ids(t)
		out = append(out, ids...)
		if len(ids) < 500 {
			break
		}
	}
	sort.Strings(out)
	return out
}

func TestStaticByIDGroupAcross500(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(3000))
	c := login(t, s, "full", "")
	cid := s.ParentCID()
	// Visible hosts only, as the members query lists them.
	visible := c.get("/devices/queries/devices/v1"+q("limit", "5000")).want(t, 200).ids(t)[:1200]
	g := createGroup(t, c, "Canary 2", "staticByID", "")

	groupAction(c, "add-hosts", g.ID, visible[:501]).want(t, 400)
	if n := len(s.GroupMembers(cid, g.ID)); n != 0 {
		t.Fatalf("a refused action changed membership: %d", n)
	}
	for lo := 0; lo < len(visible); lo += 500 {
		r := groupAction(c, "add-hosts", g.ID, visible[lo:min(lo+500, len(visible))]).want(t, 200)
		r.conforms(t, "POST /devices/entities/host-group-actions/v1")
	}
	groupAction(c, "add-hosts", g.ID, visible[:500]).want(t, 200) // idempotent
	want := slices.Clone(visible)
	sort.Strings(want)
	if got := s.GroupMembers(cid, g.ID); !slices.Equal(got, want) {
		t.Fatalf("server members: %d, want %d", len(got), len(want))
	}
	if got := membersViaAPI(t, c, g.ID); !slices.Equal(got, want) {
		t.Fatalf("members query: %d, want %d", len(got), len(want))
	}
	if got := membersViaHosts(t, c, g.ID); !slices.Equal(got, want) {
		t.Fatalf("groups:'id' filter: %d, want %d", len(got), len(want))
	}
	var gs []hostGroupV1
	c.get("/devices/entities/host-groups/v1"+q("ids", g.ID)).want(t, 200).decode(t, &gs)
	if !strings.HasPrefix(gs[0].AssignmentRule, "device_id:['") || !strings.HasSuffix(gs[0].AssignmentRule, "],hostname:['']") ||
		strings.Count(gs[0].AssignmentRule, ",") != 1200 {
		t.Errorf("rule: %.200s…", gs[0].AssignmentRule)
	}
	var ds []deviceSwagger
	c.get("/devices/entities/devices/v2"+q("ids", visible[0])).want(t, 200).decode(t, &ds)
	if !slices.Contains(ds[0].Groups, g.ID) {
		t.Errorf("host groups field %v lacks %s", ds[0].Groups, g.ID)
	}
	// Remove across the boundary too.
	groupAction(c, "remove-hosts", g.ID, visible[:500]).want(t, 200)
	groupAction(c, "remove-hosts", g.ID, visible[500:1000]).want(t, 200)
	if got := s.GroupMembers(cid, g.ID); len(got) != 200 {
		t.Fatalf("after removing 1000: %d members", len(got))
	}
	// Members filter + offset window.
	c.get("/devices/queries/host-group-members/v1"+q("id", g.ID, "offset", "10000", "limit", "501")).want(t, 400)
	c.get("/devices/queries/host-group-members/v1"+q("id", g.ID, "filter", "platform_name:'Windows'")).want(t, 200)
}

func TestStaticHostnameGroup(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(200))
	c := login(t, s, "full", "")
	ids := c.get("/devices/queries/devices/v1"+q("limit", "3")).want(t, 200).ids(t)
	var ds []deviceSwagger
	c.get("/devices/entities/devices/v2"+q(repeatKV("ids", ids)...)).want(t, 200).decode(t, &ds)
	g := createGroup(t, c, "VIP laptops", "static", "")
	if g.AssignmentRule != "device_id:[''],hostname:['']" {
		t.Errorf("empty static rule %q", g.AssignmentRule)
	}
	var gs []hostGroupV1
	groupAction(c, "add-hosts", g.ID, ids).want(t, 200).decode(t, &gs)
	for _, d := range ds {
		if !strings.Contains(gs[0].AssignmentRule, "'"+d.Hostname+"'") {
			t.Errorf("rule %q lacks hostname %s", gs[0].AssignmentRule, d.Hostname)
		}
	}
	if got := membersViaHosts(t, c, g.ID); len(got) != 3 {
		t.Errorf("members %v", got)
	}
	// Update the rule directly (allowed on update, refused on create).
	c.do("PATCH", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{{"id": g.ID,
		"assignment_rule": "device_id:[''],hostname:['" + ds[0].Hostname + "']"}}}).want(t, 200)
	if got := membersViaAPI(t, c, g.ID); !slices.Equal(got, []string{ds[0].DeviceID}) {
		t.Errorf("members after rule update %v", got)
	}
	c.do("PATCH", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{{"id": g.ID,
		"assignment_rule": "hostname:'unterminated"}}}).want(t, 500)
	c.do("POST", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{{"name": "x", "group_type": "static",
		"assignment_rule": "device_id:[''],hostname:['a']"}}}).want(t, 400)
	c.do("POST", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{{"name": "x", "group_type": "weird"}}}).want(t, 400)
	c.do("POST", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{{"name": "VIP laptops", "group_type": "static"}}}).want(t, 400)
	// Write scope: partial lacks host-group:write.
	p := login(t, s, "partial", "")
	r := p.do("POST", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{{"name": "y", "group_type": "static"}}}).want(t, 403)
	r.conforms(t, "POST /devices/entities/host-groups/v1")
	p.get("/devices/queries/host-groups/v1").want(t, 200)
}

func TestDynamicGroup(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(500))
	c := login(t, s, "full", "")
	macs := c.get("/devices/queries/devices/v1"+q("limit", "5000", "filter", "platform_name:'Mac'")).want(t, 200).ids(t)
	sort.Strings(macs)
	g := createGroup(t, c, "Macs", "dynamic", "platform_name:'Mac'")
	if got := membersViaAPI(t, c, g.ID); !slices.Equal(got, macs) || len(macs) == 0 {
		t.Fatalf("dynamic members %d, want %d", len(got), len(macs))
	}
	if got := membersViaHosts(t, c, g.ID); !slices.Equal(got, macs) {
		t.Fatalf("groups filter %d, want %d", len(got), len(macs))
	}
	groupAction(c, "add-hosts", g.ID, macs[:1]).want(t, 400)
	// Members follow host changes: a tag-based rule picks up a new tag.
	tg := createGroup(t, c, "Purple", "dynamic", "tags:'FalconGroupingTags/Purple'")
	if n := len(membersViaAPI(t, c, tg.ID)); n != 0 {
		t.Fatalf("Purple has %d members before tagging", n)
	}
	c.do("PATCH", "/devices/entities/devices/tags/v1", map[string]any{"action": "add", "device_ids": macs[:2], "tags": []string{"Purple"}}).want(t, 202)
	if got := membersViaAPI(t, c, tg.ID); !slices.Equal(got, macs[:2]) {
		t.Fatalf("Purple members after tagging: %v", got)
	}
	// Rule update recomputes; invalid rules give the API's 500.
	c.do("PATCH", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{{"id": g.ID, "assignment_rule": "platform_name:'Linux'"}}}).want(t, 200)
	linux := c.get("/devices/queries/devices/v1"+q("limit", "5000", "filter", "platform_name:'Linux'")).want(t, 200).ids(t)
	if got := membersViaAPI(t, c, g.ID); len(got) != len(linux) {
		t.Fatalf("after rule change %d, want %d", len(got), len(linux))
	}
	c.do("PATCH", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{{"id": g.ID, "assignment_rule": "nosuch:'x'"}}}).want(t, 500)
	c.do("POST", "/devices/entities/host-groups/v1", map[string]any{"resources": []map[string]any{{"name": "Broken", "group_type": "dynamic", "assignment_rule": "(("}}}).want(t, 500)
	// Generated dynamic groups have members too.
	var all []hostGroupV1
	c.get("/devices/combined/host-groups/v1"+q("filter", "group_type:'dynamic'", "sort", "name.desc")).want(t, 200).decode(t, &all)
	if len(all) < 3 {
		t.Fatalf("dynamic groups: %d", len(all))
	}
	for i := 1; i < len(all); i++ {
		if strings.ToLower(all[i-1].Name) < strings.ToLower(all[i].Name) {
			t.Errorf("sort name.desc: %q before %q", all[i-1].Name, all[i].Name)
		}
	}
}

func TestDefaultDataset(t *testing.T) {
	s := newServer(t)
	ts := s.Tenants()
	if len(ts) != 4 {
		t.Fatalf("tenants %d", len(ts))
	}
	for _, tn := range ts {
		// 0.5% of hosts are hidden: counted apart from the hosts the API serves.
		if tn.Hosts+tn.Hidden != 1000 || tn.Hidden < 1 || tn.Hidden > 20 || tn.Groups < 8 || tn.Groups > 15 || tn.Alerts < 200 || tn.Alerts > 400 {
			t.Errorf("tenant %+v", tn)
		}
	}
	c := login(t, s, "full", "")
	var pg msaPaging
	c.get("/devices/queries/devices/v1"+q("limit", "1")).want(t, 200).paging(t, &pg)
	if pg.Total != ts[0].Hosts {
		t.Errorf("the API serves %d hosts, Tenants says %d", pg.Total, ts[0].Hosts)
	}
	var gs []hostGroupV1
	c.get("/devices/combined/host-groups/v1"+q("limit", "100")).want(t, 200).decode(t, &gs)
	types := map[string]int{}
	for _, g := range gs {
		types[g.GroupType]++
	}
	if types["static"] < 2 || types["staticByID"] < 2 || types["dynamic"] < 2 {
		t.Errorf("group types %v", types)
	}
	count := func(f string) int {
		var pg msaPaging
		c.get("/devices/queries/devices/v1"+q("limit", "1", "filter", f)).want(t, 200).paging(t, &pg)
		return pg.Total
	}
	if n := count("last_seen:<'now-30d'"); n < 20 || n > 150 {
		t.Errorf("stale hosts: %d", n)
	}
	if n := count("status:'contained'"); n < 3 || n > 60 {
		t.Errorf("contained hosts: %d", n)
	}
	for _, p := range []string{"Windows", "Mac", "Linux"} {
		if count("platform_name:'"+p+"'") == 0 {
			t.Errorf("no %s hosts", p)
		}
	}
	// Child 2 lacks Zero Trust Assessment by default.
	c2 := login(t, s, "full", ts[2].CID)
	c2.get("/zero-trust-assessment/queries/assessments/v1" + q("filter", "score:>0")).wantUnprovisioned(t)
	c1 := login(t, s, "full", ts[1].CID)
	c1.get("/zero-trust-assessment/queries/assessments/v1"+q("filter", "score:>0")).want(t, 200)
}

// A hidden host stays in its groups but, like everywhere in the console, is not shown
// there: the members query, the groups:'id' host filter and GroupMembers leave it out,
// GroupMembersAll (the stored membership) keeps it, and unhiding brings it back.
func TestHiddenHostsLeaveGroupListings(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(300))
	c := login(t, s, "full", "")
	cid := s.ParentCID()
	visible := c.get("/devices/queries/devices/v1"+q("limit", "12")).want(t, 200).ids(t)
	g := createGroup(t, c, "Hidden check", "staticByID", "")
	groupAction(c, "add-hosts", g.ID, visible).want(t, 200)
	hidden := visible[0]
	act := func(action string) {
		c.do("POST", "/devices/entities/devices-actions/v2"+q("action_name", action),
			map[string]any{"ids": []string{hidden}}).want(t, 202)
	}
	act("hide_host")
	want := slices.Clone(visible[1:])
	sort.Strings(want)
	if got := s.GroupMembers(cid, g.ID); !slices.Equal(got, want) {
		t.Errorf("GroupMembers = %d hosts, want the %d visible ones", len(got), len(want))
	}
	if got := membersViaAPI(t, c, g.ID); !slices.Equal(got, want) {
		t.Errorf("members query = %d hosts, want %d", len(got), len(want))
	}
	if got := membersViaHosts(t, c, g.ID); !slices.Equal(got, want) {
		t.Errorf("groups:'id' filter = %d hosts, want %d", len(got), len(want))
	}
	if all := s.GroupMembersAll(cid, g.ID); len(all) != len(visible) || !slices.Contains(all, hidden) {
		t.Errorf("GroupMembersAll = %d hosts, want all %d with the hidden one", len(all), len(visible))
	}
	act("unhide_host")
	if got := s.GroupMembers(cid, g.ID); len(got) != len(visible) {
		t.Errorf("after unhiding: %d members, want %d", len(got), len(visible))
	}
}
