package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/scopehealth"
	"github.com/falcon-tui/falcon-tui/tui/export"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
)

// Terminal detection, swappable in tests.
var (
	stdoutIsTerminal = func(w io.Writer) bool { return isTerminal(w) }
	stderrIsTerminal = func(w io.Writer) bool { return isTerminal(w) }
)

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// cidList collects repeatable --tenant values (commas accepted too).
type cidList []string

func (l *cidList) String() string { return strings.Join(*l, ",") }
func (l *cidList) Type() string   { return "CID" }

func (l *cidList) Set(v string) error {
	for part := range strings.SplitSeq(v, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		if part == "" {
			continue
		}
		if !cidPattern.MatchString(part) {
			return fmt.Errorf("%q is not a CID (32 hex digits)", part)
		}
		*l = append(*l, part)
	}
	return nil
}

var (
	cidPattern  = regexp.MustCompile(`^[0-9a-f]{32}$`)
	sortPattern = regexp.MustCompile(`^[a-z][a-z0-9_.]*?(\.(asc|desc)|\|(asc|desc))?$`)
)

// hostFormats are the values of --format, with what each is for (help and completion).
var hostFormats = []struct{ name, what string }{
	{"table", "fixed-width columns for a terminal"},
	{"csv", "spreadsheet; a header row, then one host a row"},
	{"json", "one JSON array"},
	{"ndjson", "one JSON object a line, for jq and log pipelines"},
}

// hostsOptions are the hosts command's own flags.
type hostsOptions struct {
	tenants    cidList
	allTenants bool
	filter     string
	sort       string
	format     string
	fields     fieldsList
	ztaBelow   int // --zta-below; -1 = not given
	cached     bool
}

func (a *app) hostsCommand() *cobra.Command {
	var o hostsOptions
	cmd := &cobra.Command{
		Use:   "hosts",
		Short: "List hosts non-interactively (export, scripting)",
		Long: `List hosts non-interactively, for export and scripting.

Rows are written as they arrive: the first appear before the last page is fetched. Every record carries its tenant's cid. A progress line goes to standard error when it is a terminal. Nothing is written to standard output unless the first page arrived.

Exit status: 0 all hosts listed; 1 an error (the other tenants are still listed); 2 a usage error.

` + envSection(credentialEnv...),
		Example: `# every tenant (the parent and each Flight Control child) to one CSV file
falcon-tui hosts --all-tenants --format csv > hosts.csv
# the Windows hosts of one child tenant, one JSON object a line
falcon-tui hosts --tenant 0123456789abcdef0123456789abcdef --filter "platform_name:'Windows'" --format ndjson
# on the demo cloud, sorted by hostname
falcon-tui hosts --demo --sort hostname.asc
# only what the explorer's list shows (a tenth of the bytes on the wire), as CSV
falcon-tui hosts --all-tenants --fields list --format csv > hosts.csv
# the hosts NetBird would refuse at zta_score_threshold 75, lowest score first
falcon-tui hosts --zta-below 75 --format csv`,
		Args:        noArgs,
		Annotations: uses(globalsChecked),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runHosts(cmd.Context(), a, cmd, &o)
		},
	}
	fs := cmd.Flags()
	fs.VarP(&o.tenants, "tenant", "t", "list the hosts of tenant CID (repeatable; default: the tenant the client starts in)")
	fs.BoolVarP(&o.allTenants, "all-tenants", "a", false, "list the hosts of the home tenant and of every Flight Control child, in parallel")
	fs.StringVarP(&o.filter, "filter", "f", "", "server-side filter in FQL, e.g. \"platform_name:'Windows'+last_seen:>='now-7d'\"")
	fs.StringVarP(&o.sort, "sort", "s", "", "sort by FIELD[.asc|.desc], e.g. hostname.asc (within each tenant)")
	fs.StringVarP(&o.format, "format", "o", "", "output FORMAT: table, csv, json or ndjson (default: table on a terminal, ndjson otherwise)")
	fs.BoolVar(&o.cached, "cached", false, "export from the encrypted local store at once, without the network; each tenant's age goes to standard error")
	fs.Var(&o.fields, "fields", "fetch and print only these host FIELDS (API names, commas; \"list\": the explorer's list fields); default: full records")
	fs.IntVar(&o.ztaBelow, "zta-below", -1, "only the hosts whose Zero Trust Assessment score is below N (0-100), lowest first; needs zero-trust-assessment:read")
	_ = cmd.RegisterFlagCompletionFunc("tenant", a.completeTenants(true))
	_ = cmd.RegisterFlagCompletionFunc("format", completeHostFormats)
	_ = cmd.RegisterFlagCompletionFunc("fields", completeHostFields)
	return cmd
}

func runHosts(ctx context.Context, a *app, cmd *cobra.Command, o *hostsOptions) error {
	g, stdout, stderr := a.g, a.stdout, a.stderr
	if o.allTenants && len(o.tenants) > 0 {
		return usageErrorf(cmd, "--tenant and --all-tenants exclude each other")
	}
	if o.ztaBelow != -1 && (o.ztaBelow < 0 || o.ztaBelow > 100) {
		return usageErrorf(cmd, "--zta-below %d: want a score from 0 to 100", o.ztaBelow)
	}
	if o.ztaBelow != -1 && (o.filter != "" || o.sort != "") {
		return usageErrorf(cmd, "--zta-below lists by score, lowest first: it takes no --filter or --sort")
	}
	if o.sort != "" && !sortPattern.MatchString(strings.ToLower(o.sort)) {
		return usageErrorf(cmd, "--sort %q: want FIELD, FIELD.asc or FIELD.desc (e.g. hostname.asc)", o.sort)
	}
	f := o.format
	if f == "" {
		f = "ndjson"
		if stdoutIsTerminal(stdout) {
			f = "table"
		}
	}
	if o.cached {
		return runHostsCached(ctx, a, cmd, o, f)
	}
	out, err := newHostWriter(f, stdout)
	if err != nil {
		return asUsage(cmd, err)
	}
	if len(o.fields) > 0 {
		out.trim(o.fields)
	}

	s, err := a.openStoreSession(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	c := s.Client
	if err := c.Connect(ctx); err != nil {
		return explainConnectError(err, falcon.Config{BaseURL: c.BaseURL(), MemberCID: g.MemberCID})
	}
	cids := []string(o.tenants)
	if o.allTenants {
		list, err := c.Tenants.List(ctx)
		if err != nil {
			return explainHostsError(err)
		}
		cids = cids[:0]
		for _, t := range list {
			cids = append(cids, t.CID) // "" when the home CID cannot be read: the home tenant
		}
	}

	q := falcon.HostQuery{Filter: o.filter, Sort: o.sort, Fields: o.fields}
	var seq iter.Seq2[[]falcon.Host, error]
	switch len(cids) {
	case 0:
		seq = c.Hosts.Stream(ctx, "", q)
	case 1:
		seq = c.Hosts.Stream(ctx, cids[0], q)
	default:
		seq = c.Hosts.StreamTenants(ctx, cids, q)
	}
	if o.ztaBelow != -1 {
		seq = hostsBelow(ctx, c, cids, o.ztaBelow)
	}

	prog := newProgress(stderr, stderrIsTerminal(stderr))
	if len(cids) > 1 {
		// Many tenants wait their turn for a token (the token endpoint's budget).
		prog.extra = func() string {
			pr := c.TokenProgress()
			if pr.Tenants >= len(cids) {
				return ""
			}
			return fmt.Sprintf(" · tokens %d/%d", pr.Tenants, len(cids))
		}
	}
	failed := false
	for hosts, err := range seq {
		if err != nil {
			prog.clear()
			a.errs.report(explainHostsError(err))
			failed = true
			var te *falcon.TenantError
			if errors.As(err, &te) && !errors.Is(err, context.Canceled) {
				continue // the other tenants go on
			}
			break
		}
		if err := out.write(hosts); err != nil {
			prog.clear()
			return fmt.Errorf("writing output: %w", err)
		}
		prog.add(len(hosts))
	}
	prog.clear()
	if err := out.close(!failed); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	if failed {
		return reported(exitError)
	}
	return nil
}

func completeHostFormats(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	out := make([]cobra.Completion, len(hostFormats))
	for i, f := range hostFormats {
		out[i] = cobra.CompletionWithDesc(f.name, f.what)
	}
	return filterPrefix(out, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// explainHostsError says what went wrong in words the user can act on, one message per
// kind of failure. The client's error (with trace id, never a secret) follows.
func explainHostsError(err error) error {
	prefix := ""
	var te *falcon.TenantError
	if errors.As(err, &te) {
		prefix = "tenant " + te.CID + ": "
		err = te.Err
	}
	var ae *falcon.APIError
	errors.As(err, &ae)
	var msg string
	switch {
	case errors.Is(err, context.Canceled):
		return errors.New(prefix + "interrupted")
	case errors.Is(err, falcon.ErrScopeDenied):
		msg = "the API client lacks a scope for this"
		if ae != nil && ae.Scope != "" {
			msg = "the API client lacks scope " + ae.Scope
			if label := consoleLabel(ae.Scope); label != "" {
				msg += " — add '" + label + "' to the API client in the Falcon console (Support and resources > API clients and keys)"
			}
		}
	case errors.Is(err, falcon.ErrNotProvisioned):
		msg = "this product is not provisioned in the tenant (the API has no such route there)"
	case errors.Is(err, falcon.ErrInvalidRequest):
		msg = "the API rejected the query: check --filter (FQL, e.g. platform_name:'Windows') and --sort (e.g. hostname.asc)"
	case errors.Is(err, falcon.ErrRateLimited):
		msg = "the tenant's API rate limit stayed exhausted through every retry: other tools may share it; wait a minute and retry"
	case errors.Is(err, falcon.ErrUnreachable):
		msg = "the Falcon cloud stopped answering: check the network and any proxy, then retry"
	case errors.Is(err, falcon.ErrInvalidCredentials), errors.Is(err, falcon.ErrIPBlocked),
		errors.Is(err, falcon.ErrNotChild):
		// Token errors in the middle of a run (a child tenant's token): same words as at connect.
		return fmt.Errorf("%s%w", prefix, explainConnectError(err, falcon.Config{}))
	default:
		return fmt.Errorf("%s%w", prefix, err)
	}
	return fmt.Errorf("%s%s (%w)", prefix, msg, err)
}

// consoleLabel names the console checkbox of a scope: "devices:read" → "Hosts: Read".
func consoleLabel(scope string) string {
	p, err := scopehealth.ParsePermission(scope)
	if err != nil {
		return ""
	}
	def, ok := scopehealth.LookupScope(p.Scope)
	if !ok {
		return ""
	}
	return def.ConsoleLabel(p.Access)
}

// progress is the "hosts: N" line on a terminal's standard error, redrawn at most a few
// times a second.
type progress struct {
	extra func() string // more to say, if anything
	w     io.Writer
	on    bool
	n     int
	start time.Time
	last  time.Time
	shown bool
}

func newProgress(w io.Writer, on bool) *progress {
	return &progress{w: w, on: on, start: time.Now()}
}

func (p *progress) add(n int) {
	p.n += n
	if !p.on || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	more := ""
	if p.extra != nil {
		more = p.extra()
	}
	fmt.Fprintf(p.w, "\r\x1b[2Kloading hosts… %d (%.1fs)%s", p.n, time.Since(p.start).Seconds(), more)
	p.shown = true
}

func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[2K")
		p.shown = false
	}
}

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
