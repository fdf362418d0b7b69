package falcon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

const sampleDevice = `{
  "device_id": "0123456789abcdef0123456789abcdef", "cid": "ABCDEF0123456789ABCDEF0123456789",
  "hostname": "web-01\u0007\u001b[31m", "platform_name": "Windows", "os_version": "Windows 11",
  "os_product_name": "Windows 11 Pro", "os_build": "22631", "kernel_version": "10.0.22631",
  "agent_version": "7.20.19207.0", "product_type_desc": "Workstation", "status": "contained",
  "first_seen": "2024-01-02T03:04:05Z", "last_seen": "2024-06-01T10:00:00.123Z",
  "last_reboot": "2024-05-30T08:00:00+02:00", "modified_timestamp": "not a time",
  "local_ip": "10.0.0.5", "external_ip": "203.0.113.9", "connection_ip": "10.0.0.5",
  "default_gateway_ip": "10.0.0.1", "mac_address": "00-11-22-33-44-55",
  "machine_domain": "corp.example", "ou": ["Workstations", "Berlin"], "site_name": "Berlin",
  "serial_number": "SN123", "system_manufacturer": "Dell Inc.", "system_product_name": "Latitude 7440",
  "last_login_user": "CORP\\alice", "reduced_functionality_mode": "no",
  "tags": ["FalconGroupingTags/Prod", "SensorGroupingTags/\ud83d\ude00"], "groups": [],
  "device_policies": {
    "sensor_update": {"policy_type": "sensor_update", "policy_id": "p2", "applied": true, "applied_date": "2024-01-02T03:10:05Z", "uninstall_protection": "ENABLED"},
    "prevention": {"policy_type": "prevention", "policy_id": "p1", "applied": false, "rule_groups": [1, {"x": null}]}
  },
  "meta": {"version": "42"}, "unknown_number": -1.5e3, "unknown_bool": true, "unknown_null": null
}`

func decodeHostsFrom(t *testing.T, body string, oneByte bool) ([]Host, error) {
	t.Helper()
	var r = strings.NewReader(body)
	var rd interface{ Read([]byte) (int, error) } = r
	if oneByte {
		rd = iotest.OneByteReader(r)
	}
	d := &hostDecoder{in: newInterner(), cid: "tenantcid"}
	resp := &Response{}
	c := &Client{}
	err := c.decode(resp, rd, d)
	return d.hosts, err
}

func TestHostDecoder(t *testing.T) {
	body := `{"meta":{"query_time":0.1,"trace_id":"t"},"resources":[` + sampleDevice + `,{"device_id":"b","hostname":"x"}],"errors":[]}`
	for _, oneByte := range []bool{false, true} {
		hosts, err := decodeHostsFrom(t, body, oneByte)
		if err != nil {
			t.Fatalf("oneByte=%v: %v", oneByte, err)
		}
		if len(hosts) != 2 {
			t.Fatalf("got %d hosts", len(hosts))
		}
		h := hosts[0]
		want := Host{
			DeviceID: "0123456789abcdef0123456789abcdef", CID: "abcdef0123456789abcdef0123456789",
			Hostname: "web-01\a\x1b[31m", Platform: "Windows", OSVersion: "Windows 11", OSProductName: "Windows 11 Pro",
			OSBuild: "22631", KernelVersion: "10.0.22631", AgentVersion: "7.20.19207.0", ProductType: "Workstation",
			Containment: "contained",
			FirstSeen:   time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
			LastSeen:    time.Date(2024, 6, 1, 10, 0, 0, 123e6, time.UTC),
			LocalIP:     "10.0.0.5", ExternalIP: "203.0.113.9", ConnectionIP: "10.0.0.5", DefaultGateway: "10.0.0.1",
			MAC: "00-11-22-33-44-55", MachineDomain: "corp.example", OU: []string{"Workstations", "Berlin"},
			SiteName: "Berlin", SerialNumber: "SN123", Manufacturer: "Dell Inc.", Model: "Latitude 7440",
			LastLoginUser: `CORP\alice`, RFM: "no",
			Tags: []string{"FalconGroupingTags/Prod", "SensorGroupingTags/😀"},
			Policies: []Policy{
				{Type: "prevention", ID: "p1"},
				{Type: "sensor_update", ID: "p2", Applied: true, AppliedDate: time.Date(2024, 1, 2, 3, 10, 5, 0, time.UTC)},
			},
		}
		reboot := h.LastReboot
		h.LastReboot = time.Time{}
		if !reboot.Equal(time.Date(2024, 5, 30, 6, 0, 0, 0, time.UTC)) {
			t.Errorf("LastReboot = %v", reboot)
		}
		if got, w := fmt.Sprintf("%#v", h), fmt.Sprintf("%#v", want); got != w {
			t.Errorf("host mismatch\n got %s\nwant %s", got, w)
		}
		if hosts[1].CID != "tenantcid" {
			t.Errorf("a record without cid gets the tenant's: %q", hosts[1].CID)
		}
	}
}

// The decoder must agree with encoding/json on what a string says.
func TestScannerStringsMatchEncodingJSON(t *testing.T) {
	for _, s := range []string{"plain", `q"uote`, `back\slash`, "tab\tnl\n", "\u00e9\u4e16\U0001F600", "\x00\x1f",
		"\u2028\u2029", "\u202e rtl", strings.Repeat("long ", 30000), `\"`, `ends with \`} {
		enc, _ := json.Marshal(s)
		body := `{"resources":[{"hostname":` + string(enc) + `}]}`
		hosts, err := decodeHostsFrom(t, body, false)
		if err != nil || len(hosts) != 1 || hosts[0].Hostname != s {
			t.Errorf("%q: got %v, %v", s[:min(len(s), 20)], hosts, err)
		}
	}
	// Escapes encoding/json does not produce.
	hosts, err := decodeHostsFrom(t, `{"resources":[{"hostname":"a\/b\u00E9\ud800x\ud83d\ude00"}]}`, true)
	if err != nil || hosts[0].Hostname != "a/bé\uFFFDx😀" {
		t.Errorf("escapes: %v, %v", hosts, err)
	}
	// Invalid UTF-8 becomes U+FFFD, as with encoding/json.
	hosts, err = decodeHostsFrom(t, "{\"resources\":[{\"hostname\":\"a\xffb\"}]}", false)
	if err != nil || hosts[0].Hostname != "a\uFFFDb" {
		t.Errorf("invalid UTF-8: %v, %v", hosts, err)
	}
}

func TestScannerRejectsMalformedBodies(t *testing.T) {
	full := `{"meta":{},"resources":[` + sampleDevice + `],"errors":[]}`
	for _, cut := range []int{1, 10, 100, len(full) / 2, len(full) - 2, len(full) - 1} {
		if _, err := decodeHostsFrom(t, full[:cut], cut%2 == 0); !errors.Is(err, errJSON) {
			t.Errorf("cut at %d: err = %v, want errJSON", cut, err)
		}
	}
	for _, bad := range []string{`{"resources":[{"a":1,}]}`, `{"resources":[{"a" 1}]}`, `{"resources":[tru]}`,
		`{"resources":[]} trailing`, `{"resources":[{"a":1e}]}`, `[1,2]`} {
		if _, err := decodeHostsFrom(t, bad, false); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

func TestInterningSharesValues(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"resources":[`)
	for i := range 3 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"device_id":"%d","platform_name":"Linux","tags":["a","b"]}`, i)
	}
	b.WriteString(`]}`)
	hosts, err := decodeHostsFrom(t, b.String(), false)
	if err != nil {
		t.Fatal(err)
	}
	if &hosts[0].Tags[0] != &hosts[2].Tags[0] {
		t.Errorf("equal tag lists are not shared")
	}
	if strings.Clone(hosts[0].Platform) != hosts[1].Platform || len(hosts[0].Platform) == 0 {
		t.Errorf("platform lost")
	}
}

// Lengths prefix list items, so an item holding a separator cannot alias another list.
func TestListInterningKeyIsUnambiguous(t *testing.T) {
	hosts, err := decodeHostsFrom(t, `{"resources":[{"tags":["a\u0000b"]},{"tags":["a","b"]}]}`, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(hosts[0].Tags) != 1 || len(hosts[1].Tags) != 2 {
		t.Errorf("tags = %q / %q", hosts[0].Tags, hosts[1].Tags)
	}
}
