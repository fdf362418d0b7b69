package falcontest

import (
	"fmt"
	"strconv"
	"strings"
)

// alert is detects.Alert (the fields every alert carries; the spec
// requires 50 of its 91 properties and allows more).
type alert struct {
	AgentID                   string              `json:"agent_id"`
	AggregateID               string              `json:"aggregate_id"`
	AggregationRuleID         string              `json:"aggregation_rule_id"`
	AggregationRuleName       string              `json:"aggregation_rule_name"`
	AssignedToName            string              `json:"assigned_to_name"`
	AssignedToUID             string              `json:"assigned_to_uid"`
	AssignedToUUID            string              `json:"assigned_to_uuid"`
	CID                       string              `json:"cid"`
	CmsRuleID                 string              `json:"cms_rule_id"`
	CmsRuleInstanceID         string              `json:"cms_rule_instance_id"`
	CmsRuleInstanceVersion    string              `json:"cms_rule_instance_version"`
	Cmdline                   string              `json:"cmdline,omitempty"`
	CompositeID               string              `json:"composite_id"`
	Confidence                int                 `json:"confidence"`
	CrawledTimestamp          string              `json:"crawled_timestamp"`
	CreatedTimestamp          string              `json:"created_timestamp"`
	DataDomains               []string            `json:"data_domains"`
	Description               string              `json:"description"`
	Device                    *alertDevice        `json:"device,omitempty"`
	DisplayName               string              `json:"display_name"`
	EmailSent                 bool                `json:"email_sent"`
	External                  bool                `json:"external"`
	FalconHostLink            string              `json:"falcon_host_link,omitempty"`
	Filename                  string              `json:"filename,omitempty"`
	Filepath                  string              `json:"filepath,omitempty"`
	ID                        string              `json:"id"`
	IsAggregated              bool                `json:"is_aggregated"`
	IsFalconPlatformIOA       bool                `json:"is_falcon_platform_ioa"`
	LinkedBehavioralDetection []string            `json:"linked_behavioral_detections"`
	LinkedCaseIDs             []string            `json:"linked_case_ids"`
	MD5                       string              `json:"md5,omitempty"`
	MitreAttack               []mitreAttack       `json:"mitre_attack"`
	Name                      string              `json:"name"`
	Objective                 string              `json:"objective"`
	OriginCID                 string              `json:"origin_cid"`
	ParentDetails             *alertParentDetails `json:"parent_details,omitempty"`
	PatternID                 int                 `json:"pattern_id"`
	Platform                  string              `json:"platform"`
	Product                   string              `json:"product"`
	Resolution                string              `json:"resolution"`
	Scenario                  string              `json:"scenario"`
	SecondsToResolved         int64               `json:"seconds_to_resolved"`
	SecondsToTriaged          int64               `json:"seconds_to_triaged"`
	Severity                  int                 `json:"severity"`
	SeverityName              string              `json:"severity_name"`
	SHA256                    string              `json:"sha256,omitempty"`
	ShowInUI                  bool                `json:"show_in_ui"`
	SourceProducts            []string            `json:"source_products"`
	SourceVendors             []string            `json:"source_vendors"`
	Status                    string              `json:"status"`
	Tactic                    string              `json:"tactic"`
	TacticID                  string              `json:"tactic_id"`
	Tags                      []string            `json:"tags"`
	Technique                 string              `json:"technique"`
	TechniqueID               string              `json:"technique_id"`
	Timestamp                 string              `json:"timestamp"`
	Type                      string              `json:"type"`
	UpdatedTimestamp          string              `json:"updated_timestamp"`
	UserName                  string              `json:"user_name,omitempty"`
	Comments                  []alertComment      `json:"comments,omitempty"`

	created, updated int64 // Unix seconds, for filtering and sorting
}

type alertDevice struct {
	DeviceID        string `json:"device_id"`
	CID             string `json:"cid"`
	Hostname        string `json:"hostname"`
	PlatformName    string `json:"platform_name"`
	OSVersion       string `json:"os_version"`
	AgentVersion    string `json:"agent_version"`
	LocalIP         string `json:"local_ip"`
	ExternalIP      string `json:"external_ip"`
	MACAddress      string `json:"mac_address"`
	MachineDomain   string `json:"machine_domain,omitempty"`
	ProductTypeDesc string `json:"product_type_desc"`
	SiteName        string `json:"site_name"`
	Status          string `json:"status"`
}

type alertParentDetails struct {
	Cmdline  string `json:"cmdline"`
	Filename string `json:"filename"`
	Filepath string `json:"filepath"`
	SHA256   string `json:"sha256"`
}

type mitreAttack struct {
	PatternID   int    `json:"pattern_id"`
	Tactic      string `json:"tactic"`
	TacticID    string `json:"tactic_id"`
	Technique   string `json:"technique"`
	TechniqueID string `json:"technique_id"`
}

type alertComment struct {
	Value     string `json:"value"`
	Author    string `json:"author"`
	Timestamp string `json:"timestamp"`
}

func alertCount(cfgAlerts, hosts int, r interface{ IntN(int) int }) int {
	if cfgAlerts >= 0 {
		return cfgAlerts
	}
	if hosts == 0 {
		return 0
	}
	n := 200 + r.IntN(201)
	if hosts < 1000 {
		n = max(n*hosts/1000, 20)
	} else {
		n = min(n*hosts/1000, 3000)
	}
	return n
}

// genAlerts creates a tenant's alerts, spread over the last 30 days.
func genAlerts(w *world, t *tenant, cfgAlerts int) {
	r := newRand(w.seed, streamAlerts^uint64(t.idx)<<16)
	n := alertCount(cfgAlerts, len(t.hosts), r)
	if len(t.hosts) == 0 {
		return
	}
	products := []string{"epp", "epp", "epp", "epp", "epp", "epp", "idp", "xdr", "overwatch"}
	for k := range n {
		hi := r.IntN(len(t.hosts))
		h := &t.hosts[hi]
		ref := hostRef{s: nil, t: t, i: hi}
		p := &osProfiles[h.os]
		atk := attacks[r.IntN(len(attacks))]
		if p.platform != "Windows" && r.IntN(2) == 0 {
			atk = attacks[len(attacks)-1] // reverse shell fits Mac/Linux
		}
		aid := w.ids.encode(t.idx, hi)
		created := w.start - int64(r.IntN(30*86400))
		seq := fmt.Sprintf("%d-%d-%d", created*1000+int64(r.IntN(1000)), atk.pattern, 100000+k)
		sev := []int{10, 30, 50, 70, 90}[weighted(r.IntN(100), 8, 30, 35, 20, 7)] + r.IntN(10)
		a := &alert{
			AgentID:                   aid,
			AggregateID:               "aggind:" + aid + ":" + strconv.FormatInt(created/3600, 10),
			CID:                       t.cid,
			OriginCID:                 t.cid,
			CompositeID:               t.cid + ":ind:" + aid + ":" + seq,
			ID:                        "ind:" + aid + ":" + seq,
			Confidence:                10 * (1 + r.IntN(10)),
			DataDomains:               []string{"Endpoint"},
			Description:               atk.description,
			DisplayName:               atk.display,
			Name:                      atk.name,
			Objective:                 atk.objective,
			Scenario:                  atk.scenario,
			Tactic:                    atk.tactic,
			TacticID:                  atk.tacticID,
			Technique:                 atk.technique,
			TechniqueID:               atk.techniqueID,
			PatternID:                 atk.pattern,
			Platform:                  p.platform,
			Product:                   products[r.IntN(len(products))],
			Severity:                  sev,
			SeverityName:              severityName(sev),
			ShowInUI:                  r.IntN(20) != 0,
			SourceProducts:            []string{"Falcon Insight"},
			SourceVendors:             []string{"CrowdStrike"},
			Status:                    "new",
			Tags:                      []string{},
			LinkedBehavioralDetection: []string{},
			LinkedCaseIDs:             []string{},
			Type:                      "ldt",
			Filename:                  atk.filename,
			Cmdline:                   atk.cmdline,
			UserName:                  ref.lastUserNoServer(),
			SHA256:                    hex32(r.Uint64(), r.Uint64()) + hex32(r.Uint64(), r.Uint64()),
			MD5:                       randHex32(r),
			created:                   created,
		}
		a.Filepath = `\Device\HarddiskVolume3\Windows\System32\` + atk.filename
		if p.platform != "Windows" {
			a.Filepath = "/usr/bin/" + atk.filename
		}
		a.ParentDetails = &alertParentDetails{Filename: "explorer.exe", Filepath: `C:\Windows\explorer.exe`,
			Cmdline: `C:\Windows\Explorer.EXE`, SHA256: hex32(r.Uint64(), r.Uint64()) + hex32(r.Uint64(), r.Uint64())}
		switch a.Product {
		case "idp":
			a.Type, a.DataDomains, a.SourceProducts = "idp-user-endpoint-app-access", []string{"Identity"}, []string{"Falcon Identity Protection"}
		case "xdr":
			a.Type, a.SourceProducts = "xdr", []string{"Falcon Insight XDR"}
		case "overwatch":
			a.Type, a.SourceProducts = "ofp", []string{"Falcon OverWatch"}
		}
		a.MitreAttack = []mitreAttack{{PatternID: atk.pattern, Tactic: atk.tactic, TacticID: atk.tacticID,
			Technique: atk.technique, TechniqueID: atk.techniqueID}}
		a.FalconHostLink = "https://falcon.crowdstrike.com/activity-v2/detections/" + strings.ReplaceAll(a.CompositeID, ":", "%3A")
		a.Timestamp = rfc3339(created - int64(r.IntN(120)))
		a.CrawledTimestamp = rfc3339(created + int64(r.IntN(300)))
		a.CreatedTimestamp = rfc3339(created)
		updated := created
		switch x := r.IntN(100); {
		case x < 45:
		case x < 65:
			a.Status = "in_progress"
			updated += int64(600 + r.IntN(86400))
			a.SecondsToTriaged = updated - created
		case x < 95:
			a.Status = "closed"
			updated += int64(3600 + r.IntN(4*86400))
			a.SecondsToTriaged = int64(600 + r.IntN(3600))
			a.SecondsToResolved = updated - created
			a.Resolution = []string{"true_positive", "false_positive", "false_positive", "ignored"}[r.IntN(4)]
		default:
			a.Status = "reopened"
			updated += int64(86400 + r.IntN(86400))
		}
		if a.Status != "new" {
			u := t.users[r.IntN(len(t.users))]
			a.AssignedToName, a.AssignedToUID, a.AssignedToUUID = u.first+" "+u.last, u.uid, u.uuid
		}
		a.updated = min(updated, w.start)
		a.UpdatedTimestamp = rfc3339(a.updated)
		if w.hostile && k%23 == 3 {
			a.Description = hostileStrings[(k/23)%len(hostileStrings)] + " " + a.Description
			if k == 3 {
				a.Description += strings.Repeat(" padding", 1280) // ~10 KB
			}
			a.Tags = append(a.Tags, hostileStrings[(k/23+1)%len(hostileStrings)])
		}
		a.Device = &alertDevice{
			DeviceID: aid, CID: t.cid, Hostname: h.hostname, PlatformName: p.platform, OSVersion: p.osVersion,
			AgentVersion: ref.agentVersion(), LocalIP: ref.localIP(), ExternalIP: t.sites[h.site].external,
			MACAddress: ref.mac(), MachineDomain: ref.domain(), ProductTypeDesc: p.typeDesc,
			SiteName: t.sites[h.site].name, Status: statusNames[h.status],
		}
		t.alerts = append(t.alerts, a)
		t.alertByID[a.CompositeID] = a
	}
}

// weighted maps x in [0,100) onto the index of cumulative percentages.
func weighted(x int, pcts ...int) int {
	for i, p := range pcts {
		if x < p {
			return i
		}
		x -= p
	}
	return len(pcts) - 1
}

func (r hostRef) lastUserNoServer() string {
	return r.t.people[r.h().user]
}
