package main

// The hosts command: its flags, their checks, and the listing that streams hosts to the
// writer (hostsout.go), with a progress line (hostsprogress.go) and each failure explained
// (hostserrors.go). --cached and --zta-below have their own files (hostscached.go,
// hostszta.go).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/falcon-tui/falcon-tui/falcon"
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
