package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// fieldsList is the hosts command's --fields: host fields by their API names (commas,
// repeatable); "list" stands for the explorer's list fields (falcon.ListFields).
type fieldsList []string

func (l *fieldsList) String() string { return strings.Join(*l, ",") }
func (l *fieldsList) Type() string   { return "FIELDS" }

func (l *fieldsList) Set(v string) error {
	for part := range strings.SplitSeq(v, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		switch {
		case part == "":
		case part == "list":
			for _, f := range falcon.ListFields {
				if !slices.Contains(*l, f) {
					*l = append(*l, f)
				}
			}
		case !slices.Contains(falcon.HostFields, part):
			return fmt.Errorf("%q is not a host field (one of: list, %s)", part, strings.Join(falcon.HostFields, ", "))
		case !slices.Contains(*l, part):
			*l = append(*l, part)
		}
	}
	return nil
}

// completeHostFields completes the last name of a comma-separated --fields value; names
// already typed are not offered again.
func completeHostFields(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	done, last, typed := commaList(toComplete)
	last = strings.ToLower(last)
	var out []cobra.Completion
	if done == "" && strings.HasPrefix("list", last) {
		out = append(out, cobra.CompletionWithDesc("list", "the explorer's list fields: "+strings.Join(falcon.ListFields, ",")))
	}
	for _, f := range falcon.HostFields {
		if !typed[f] && strings.HasPrefix(f, last) {
			out = append(out, done+f)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// hostField is one field of a partial record: its API name and its value in a record.
type hostField struct {
	name string
	text func(r *hostRecord) string // CSV and table
	json func(r *hostRecord) any
}

func textField(name string, v func(r *hostRecord) string) hostField {
	return hostField{name: name, text: v, json: func(r *hostRecord) any { return v(r) }}
}

func listField(name string, v func(r *hostRecord) []string) hostField {
	return hostField{name: name, text: func(r *hostRecord) string { return strings.Join(v(r), ";") },
		json: func(r *hostRecord) any {
			if l := v(r); l != nil {
				return l
			}
			return []string{}
		}}
}

// hostFieldsByName are the fields --fields can name, by API name (the keys of the full
// records' JSON, except device_policies, which the records call policies).
var hostFieldsByName = func() map[string]hostField {
	fs := []hostField{
		textField("device_id", func(r *hostRecord) string { return r.DeviceID }),
		textField("cid", func(r *hostRecord) string { return r.CID }),
		textField("hostname", func(r *hostRecord) string { return r.Hostname }),
		textField("platform_name", func(r *hostRecord) string { return r.Platform }),
		textField("os_version", func(r *hostRecord) string { return r.OSVersion }),
		textField("os_product_name", func(r *hostRecord) string { return r.OSProductName }),
		textField("os_build", func(r *hostRecord) string { return r.OSBuild }),
		textField("kernel_version", func(r *hostRecord) string { return r.KernelVersion }),
		textField("agent_version", func(r *hostRecord) string { return r.AgentVersion }),
		textField("product_type_desc", func(r *hostRecord) string { return r.ProductType }),
		textField("status", func(r *hostRecord) string { return r.Containment }),
		textField("first_seen", func(r *hostRecord) string { return r.FirstSeen }),
		textField("last_seen", func(r *hostRecord) string { return r.LastSeen }),
		textField("last_reboot", func(r *hostRecord) string { return r.LastReboot }),
		textField("modified_timestamp", func(r *hostRecord) string { return r.Modified }),
		textField("local_ip", func(r *hostRecord) string { return r.LocalIP }),
		textField("external_ip", func(r *hostRecord) string { return r.ExternalIP }),
		textField("connection_ip", func(r *hostRecord) string { return r.ConnectionIP }),
		textField("default_gateway_ip", func(r *hostRecord) string { return r.DefaultGateway }),
		textField("mac_address", func(r *hostRecord) string { return r.MAC }),
		textField("machine_domain", func(r *hostRecord) string { return r.MachineDomain }),
		listField("ou", func(r *hostRecord) []string { return r.OU }),
		textField("site_name", func(r *hostRecord) string { return r.SiteName }),
		textField("serial_number", func(r *hostRecord) string { return r.SerialNumber }),
		textField("system_manufacturer", func(r *hostRecord) string { return r.Manufacturer }),
		textField("system_product_name", func(r *hostRecord) string { return r.Model }),
		textField("last_login_user", func(r *hostRecord) string { return r.LastLoginUser }),
		textField("reduced_functionality_mode", func(r *hostRecord) string { return r.RFM }),
		listField("tags", func(r *hostRecord) []string { return r.Tags }),
		listField("groups", func(r *hostRecord) []string { return r.Groups }),
		{name: "device_policies", text: func(r *hostRecord) string {
			var parts []string
			for _, p := range r.Policies {
				parts = append(parts, p.Type+":"+p.ID)
			}
			return strings.Join(parts, ";")
		}, json: func(r *hostRecord) any {
			if r.Policies == nil {
				return []policy{}
			}
			return r.Policies
		}},
		textField("state", func(r *hostRecord) string { return r.State }),
	}
	m := make(map[string]hostField, len(fs))
	for _, f := range fs {
		m[f.name] = f
	}
	return m
}()

// partialColumns are the columns of a listing trimmed to fields: cid and device_id first
// (every record names its tenant and its host), then the fields in the order asked for,
// then state when both of what it derives from (status, last_seen) were fetched.
func partialColumns(fields []string) []hostField {
	names := []string{"cid", "device_id"}
	for _, f := range fields {
		if !slices.Contains(names, f) {
			names = append(names, f)
		}
	}
	if slices.Contains(fields, "status") && slices.Contains(fields, "last_seen") {
		names = append(names, "state")
	}
	out := make([]hostField, len(names))
	for i, n := range names {
		out[i] = hostFieldsByName[n]
	}
	return out
}

// partialRecord is a record trimmed to some fields, as one JSON object with its keys in
// column order.
type partialRecord struct {
	cols []hostField
	r    *hostRecord
}

func (p partialRecord) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range p.cols {
		if i > 0 {
			b.WriteByte(',')
		}
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // as the full records (the safe encoder escapes what matters)
		if err := enc.Encode(c.name); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
		b.WriteByte(':')
		if err := enc.Encode(c.json(p.r)); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
