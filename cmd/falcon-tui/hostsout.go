package main

// The hosts command's output: each host as a record (hostRecord), written as it arrives in
// one of the --format formats (hostWriter), trimmed to --fields when asked.

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/export"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
)

// hostRecord is one host as the command prints it (JSON, NDJSON, and the CSV columns).
type hostRecord struct {
	CID            string   `json:"cid"`
	DeviceID       string   `json:"device_id"`
	Hostname       string   `json:"hostname"`
	State          string   `json:"state"`
	Platform       string   `json:"platform_name,omitempty"`
	OSVersion      string   `json:"os_version,omitempty"`
	OSProductName  string   `json:"os_product_name,omitempty"`
	OSBuild        string   `json:"os_build,omitempty"`
	KernelVersion  string   `json:"kernel_version,omitempty"`
	AgentVersion   string   `json:"agent_version,omitempty"`
	ProductType    string   `json:"product_type_desc,omitempty"`
	Containment    string   `json:"status,omitempty"`
	FirstSeen      string   `json:"first_seen,omitempty"`
	LastSeen       string   `json:"last_seen,omitempty"`
	LastReboot     string   `json:"last_reboot,omitempty"`
	Modified       string   `json:"modified_timestamp,omitempty"`
	LocalIP        string   `json:"local_ip,omitempty"`
	ExternalIP     string   `json:"external_ip,omitempty"`
	ConnectionIP   string   `json:"connection_ip,omitempty"`
	DefaultGateway string   `json:"default_gateway_ip,omitempty"`
	MAC            string   `json:"mac_address,omitempty"`
	MachineDomain  string   `json:"machine_domain,omitempty"`
	OU             []string `json:"ou,omitempty"`
	SiteName       string   `json:"site_name,omitempty"`
	SerialNumber   string   `json:"serial_number,omitempty"`
	Manufacturer   string   `json:"system_manufacturer,omitempty"`
	Model          string   `json:"system_product_name,omitempty"`
	LastLoginUser  string   `json:"last_login_user,omitempty"`
	RFM            string   `json:"reduced_functionality_mode,omitempty"`
	Tags           []string `json:"tags,omitempty"`
	Groups         []string `json:"groups,omitempty"`
	Policies       []policy `json:"policies,omitempty"`
}

type policy struct {
	Type        string `json:"policy_type"`
	ID          string `json:"policy_id"`
	Applied     bool   `json:"applied"`
	AppliedDate string `json:"applied_date,omitempty"`
}

func record(h *falcon.Host, now time.Time) hostRecord {
	r := hostRecord{
		CID: h.CID, DeviceID: h.DeviceID, Hostname: h.Hostname, State: h.State(now).String(),
		Platform: h.Platform, OSVersion: h.OSVersion, OSProductName: h.OSProductName, OSBuild: h.OSBuild,
		KernelVersion: h.KernelVersion, AgentVersion: h.AgentVersion, ProductType: h.ProductType,
		Containment: h.Containment, FirstSeen: stamp(h.FirstSeen), LastSeen: stamp(h.LastSeen),
		LastReboot: stamp(h.LastReboot), Modified: stamp(h.Modified), LocalIP: h.LocalIP,
		ExternalIP: h.ExternalIP, ConnectionIP: h.ConnectionIP, DefaultGateway: h.DefaultGateway, MAC: h.MAC,
		MachineDomain: h.MachineDomain, OU: h.OU, SiteName: h.SiteName, SerialNumber: h.SerialNumber,
		Manufacturer: h.Manufacturer, Model: h.Model, LastLoginUser: h.LastLoginUser, RFM: h.RFM,
		Tags: h.Tags, Groups: h.Groups,
	}
	for _, p := range h.Policies {
		r.Policies = append(r.Policies, policy{Type: p.Type, ID: p.ID, Applied: p.Applied, AppliedDate: stamp(p.AppliedDate)})
	}
	return r
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// hostWriter writes batches as they arrive and flushes after each, so that a pipe or a
// terminal sees the first rows long before the last page is fetched.
type hostWriter struct {
	w      *bufio.Writer
	format string
	csv    *csv.Writer
	enc    *safeJSONEncoder
	n      int
	now    time.Time
	cols   []hostField // --fields: the columns of the trimmed records; nil = full records
	table  []int       // the tableColumns shown
}

// csvColumns are the CSV (and table) fields, in order; lists are joined with ";".
var csvColumns = []string{"cid", "device_id", "hostname", "state", "platform_name", "os_product_name", "os_version",
	"agent_version", "product_type_desc", "status", "last_seen", "first_seen", "local_ip", "external_ip",
	"mac_address", "machine_domain", "site_name", "serial_number", "system_manufacturer", "system_product_name",
	"last_login_user", "tags", "groups"}

func csvRow(r *hostRecord) []string {
	return []string{r.CID, r.DeviceID, r.Hostname, r.State, r.Platform, r.OSProductName, r.OSVersion,
		r.AgentVersion, r.ProductType, r.Containment, r.LastSeen, r.FirstSeen, r.LocalIP, r.ExternalIP,
		r.MAC, r.MachineDomain, r.SiteName, r.SerialNumber, r.Manufacturer, r.Model,
		r.LastLoginUser, strings.Join(r.Tags, ";"), strings.Join(r.Groups, ";")}
}

// tableColumns are the table's columns with their widths in terminal cells.
var tableColumns = []struct {
	title string
	width int
	value func(r *hostRecord) string
	field string // the host field it shows (with --fields, shown only when fetched)
}{
	{"CID", 32, func(r *hostRecord) string { return r.CID }, "cid"},
	{"HOSTNAME", 24, func(r *hostRecord) string { return r.Hostname }, "hostname"},
	{"DEVICE ID", 32, func(r *hostRecord) string { return r.DeviceID }, "device_id"},
	{"PLATFORM", 8, func(r *hostRecord) string { return r.Platform }, "platform_name"},
	{"OS", 22, func(r *hostRecord) string { return r.OSProductName }, "os_product_name"},
	{"AGENT", 14, func(r *hostRecord) string { return r.AgentVersion }, "agent_version"},
	{"STATE", 9, func(r *hostRecord) string { return r.State }, "state"},
	{"LAST SEEN", 16, func(r *hostRecord) string { return shortStamp(r.LastSeen) }, "last_seen"},
	{"LOCAL IP", 15, func(r *hostRecord) string { return r.LocalIP }, "local_ip"},
}

func shortStamp(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Format("2006-01-02 15:04")
	}
	return s
}

func newHostWriter(format string, w io.Writer) (*hostWriter, error) {
	hw := &hostWriter{w: bufio.NewWriterSize(w, 64<<10), format: strings.ToLower(format), now: time.Now()}
	for i := range tableColumns {
		hw.table = append(hw.table, i)
	}
	switch hw.format {
	case "ndjson", "json":
		hw.enc = newSafeJSONEncoder("")
	case "csv":
		hw.csv = csv.NewWriter(hw.w)
	case "table":
	default:
		return nil, fmt.Errorf("--format %q: want table, csv, json or ndjson", format)
	}
	return hw, nil
}

// trim makes the writer print records trimmed to fields (--fields): the JSON objects
// and the CSV columns are the fields asked for (after cid and device_id), the table shows
// those of its columns whose field was fetched.
func (hw *hostWriter) trim(fields []string) {
	hw.cols = partialColumns(fields)
	hw.table = hw.table[:0]
	for i, c := range tableColumns {
		if slices.ContainsFunc(hw.cols, func(f hostField) bool { return f.name == c.field }) {
			hw.table = append(hw.table, i)
		}
	}
}

// header is the CSV header row.
func (hw *hostWriter) header() []string {
	if hw.cols == nil {
		return csvColumns
	}
	out := make([]string, len(hw.cols))
	for i, c := range hw.cols {
		out[i] = c.name
	}
	return out
}

func (hw *hostWriter) write(hosts []falcon.Host) error {
	for i := range hosts {
		r := record(&hosts[i], hw.now)
		if err := hw.one(&r); err != nil {
			return err
		}
		hw.n++
	}
	if hw.csv != nil {
		hw.csv.Flush()
		if err := hw.csv.Error(); err != nil {
			return err
		}
	}
	return hw.w.Flush()
}

func (hw *hostWriter) one(r *hostRecord) error {
	switch hw.format {
	case "ndjson", "json":
		// Terminal-safe JSON: control, bidi and invisible runes as \u escapes (jsonsafe.go).
		var v any = r
		if hw.cols != nil {
			v = partialRecord{cols: hw.cols, r: r}
		}
		b, err := hw.enc.encode(v)
		if err != nil {
			return err
		}
		if hw.format == "json" {
			sep := ",\n"
			if hw.n == 0 {
				sep = "[\n"
			}
			if _, err := hw.w.WriteString(sep); err != nil {
				return err
			}
			b = b[:len(b)-1] // the encoder's newline; the separator or the closing bracket follows
		}
		_, err = hw.w.Write(b)
		return err
	case "csv":
		if hw.n == 0 {
			if err := hw.csv.Write(hw.header()); err != nil {
				return err
			}
		}
		var row []string
		if hw.cols == nil {
			row = csvRow(r)
		} else {
			row = make([]string, len(hw.cols))
			for i, c := range hw.cols {
				row[i] = c.text(r)
			}
		}
		for i, v := range row {
			row[i] = csvCell(v)
		}
		return hw.csv.Write(row)
	case "table":
		if hw.n == 0 {
			hw.tableRow(func(i int) string { return tableColumns[i].title })
		}
		hw.tableRow(func(i int) string { return tableColumns[i].value(r) })
	}
	return nil
}

// tableRow writes one line of fixed-width cells: API text is sanitized (no control
// sequence reaches the terminal) and cut to the column with an ellipsis.
func (hw *hostWriter) tableRow(cell func(i int) string) {
	for k, i := range hw.table {
		col := tableColumns[i]
		if k > 0 {
			hw.w.WriteString("  ")
		}
		v := sanitize.Line(cell(i), col.width)
		hw.w.WriteString(v)
		if k < len(hw.table)-1 {
			hw.w.WriteString(strings.Repeat(" ", max(0, col.width-ansi.StringWidth(v))))
		}
	}
	hw.w.WriteByte('\n')
}

// csvCell makes an API string safe for a spreadsheet (export.CSVCell, shared with the
// explorer's exports): no control character or escape sequence, and no cell that a
// spreadsheet would run as a formula.
func csvCell(v string) string { return export.CSVCell(v) }

// close ends the document. With no row written it writes an empty document (a CSV or
// table header, "[]") only when complete, i.e. the listing succeeded with nothing to list:
// after a failure before the first page nothing at all reaches standard output, so that a
// script never mistakes a rejected query for an empty result.
func (hw *hostWriter) close(complete bool) error {
	if hw.n == 0 && !complete {
		return hw.w.Flush()
	}
	switch hw.format {
	case "json":
		end := "\n]\n"
		if hw.n == 0 {
			end = "[]\n"
		}
		hw.w.WriteString(end)
	case "csv":
		if hw.n == 0 {
			hw.csv.Write(hw.header())
		}
		hw.csv.Flush()
		if err := hw.csv.Error(); err != nil {
			return err
		}
	case "table":
		if hw.n == 0 {
			hw.tableRow(func(i int) string { return tableColumns[i].title })
		}
	}
	return hw.w.Flush()
}
