package hostrows

import (
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// The row schema. Every field a row keeps is one entry in one of the tables below, by how
// it is stored:
//
//   - symbol fields: a value many hosts share, interned in a dict (4 bytes per row);
//   - set fields: a list hosts share (tags, groups), interned in a setDict (4 bytes per row);
//   - text fields: a value nearly every host has its own (host name), in an arena;
//   - IP fields: an address, packed into 8 bytes when it is a plain IPv4 dotted quad;
//   - time fields: nanoseconds since the Unix epoch (8 bytes per row).
//
// Adding a list column (serial number, MAC, OU, first seen, sensor policy…) is one entry in
// the right table plus the constant naming it; Append, Host and the memory report pick it
// up from the table. A field the local filter searches says so (searched); the filter then
// tests it too, but note that the filter's haystack (haystack in filter.go) lists the
// searched fields in the hosts pane's order for the rare rows matched as a whole.

type symField struct {
	name     string
	dict     int // which dict holds the values (fields of one kind may share one)
	searched bool
	get      func(*falcon.Host) string
	set      func(*falcon.Host, string)
}

// Symbol fields.
const (
	symCID = iota
	symPlatform
	symOSVersion
	symOSProduct
	symSensor
	symContainment
	symExternalIP
	symDomain
	symSite
	symUser
	symSerial
	symMAC
	symSensorPolicy
	numSym
)

// Dicts. OS version and OS product name share one: the OS column shows either, and one
// rank table then orders both.
const (
	dictCID = iota
	dictPlatform
	dictOS
	dictSensor
	dictContainment
	dictExternalIP
	dictDomain
	dictSite
	dictUser
	dictSerial
	dictMAC
	dictPolicy
	numDict
)

var symFields = [numSym]symField{
	symCID:         {"cid", dictCID, false, func(h *falcon.Host) string { return h.CID }, func(h *falcon.Host, v string) { h.CID = v }},
	symPlatform:    {"platform", dictPlatform, true, func(h *falcon.Host) string { return h.Platform }, func(h *falcon.Host, v string) { h.Platform = v }},
	symOSVersion:   {"os version", dictOS, true, func(h *falcon.Host) string { return h.OSVersion }, func(h *falcon.Host, v string) { h.OSVersion = v }},
	symOSProduct:   {"os product", dictOS, true, func(h *falcon.Host) string { return h.OSProductName }, func(h *falcon.Host, v string) { h.OSProductName = v }},
	symSensor:      {"sensor version", dictSensor, true, func(h *falcon.Host) string { return h.AgentVersion }, func(h *falcon.Host, v string) { h.AgentVersion = v }},
	symContainment: {"containment", dictContainment, false, func(h *falcon.Host) string { return h.Containment }, func(h *falcon.Host, v string) { h.Containment = v }},
	symExternalIP:  {"external IP", dictExternalIP, true, func(h *falcon.Host) string { return h.ExternalIP }, func(h *falcon.Host, v string) { h.ExternalIP = v }},
	symDomain:      {"domain", dictDomain, true, func(h *falcon.Host) string { return h.MachineDomain }, func(h *falcon.Host, v string) { h.MachineDomain = v }},
	symSite:        {"site", dictSite, true, func(h *falcon.Host) string { return h.SiteName }, func(h *falcon.Host, v string) { h.SiteName = v }},
	symUser:        {"last login user", dictUser, true, func(h *falcon.Host) string { return h.LastLoginUser }, func(h *falcon.Host, v string) { h.LastLoginUser = v }},
	// Serial numbers and MACs are nearly one per host: a dict still keeps each once, and
	// the filter tests each once per word like the other symbols.
	symSerial:       {"serial number", dictSerial, true, func(h *falcon.Host) string { return h.SerialNumber }, func(h *falcon.Host, v string) { h.SerialNumber = v }},
	symMAC:          {"MAC", dictMAC, true, func(h *falcon.Host) string { return h.MAC }, func(h *falcon.Host, v string) { h.MAC = v }},
	symSensorPolicy: {"sensor policy", dictPolicy, false, SensorPolicyID, setSensorPolicy},
}

// SensorPolicyID is the ID of the host's sensor update policy ("" when none is listed).
func SensorPolicyID(h *falcon.Host) string {
	for _, p := range h.Policies {
		if p.Type == "sensor_update" {
			return p.ID
		}
	}
	return ""
}

func setSensorPolicy(h *falcon.Host, v string) {
	if v != "" {
		h.Policies = []falcon.Policy{{Type: "sensor_update", ID: v}}
	}
}

type setField struct {
	name     string
	searched bool
	get      func(*falcon.Host) []string
	set      func(*falcon.Host, []string)
}

const (
	setTags = iota
	setGroups
	setOU
	numSet
)

var setFields = [numSet]setField{
	setTags:   {"tags", true, func(h *falcon.Host) []string { return h.Tags }, func(h *falcon.Host, v []string) { h.Tags = v }},
	setGroups: {"groups", false, func(h *falcon.Host) []string { return h.Groups }, func(h *falcon.Host, v []string) { h.Groups = v }},
	setOU:     {"OU", false, func(h *falcon.Host) []string { return h.OU }, func(h *falcon.Host, v []string) { h.OU = v }},
}

type textField struct {
	name     string
	searched bool
	get      func(*falcon.Host) string
	set      func(*falcon.Host, string)
}

const (
	textHostname = iota
	numText
)

var textFields = [numText]textField{
	textHostname: {"hostname", true, func(h *falcon.Host) string { return h.Hostname }, func(h *falcon.Host, v string) { h.Hostname = v }},
}

type ipField = textField

const (
	ipLocal = iota
	numIP
)

var ipFields = [numIP]ipField{
	ipLocal: {"local IP", true, func(h *falcon.Host) string { return h.LocalIP }, func(h *falcon.Host, v string) { h.LocalIP = v }},
}

const (
	timeLastSeen = iota
	timeFirstSeen
	numTime
)

var timeFields = [numTime]struct {
	name string
	ptr  func(*falcon.Host) *time.Time
}{
	timeLastSeen:  {"last seen", func(h *falcon.Host) *time.Time { return &h.LastSeen }},
	timeFirstSeen: {"first seen", func(h *falcon.Host) *time.Time { return &h.FirstSeen }},
}
