package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/scopehealth"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
)

// exitMissing is the scopes command's "a required scope is missing" (docs/CLI.md §7).
const exitMissing = 3

// setList collects repeatable --require values (commas accepted too).
type setList []string

func (l *setList) String() string { return strings.Join(*l, ",") }
func (l *setList) Type() string   { return "SET" }

func (l *setList) Set(v string) error {
	for part := range strings.SplitSeq(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// scopesOptions are the scopes command's own flags.
type scopesOptions struct {
	allTenants bool
	json       bool
	require    setList
}

func (a *app) scopesCommand() *cobra.Command {
	var o scopesOptions
	cmd := &cobra.Command{
		Use:   "scopes",
		Short: "Scope health: what the API client can do, per tenant",
		Long: `Scope health: what the API client can do, per tenant.

Reads ask for one record; write probes send empty bodies the API rejects, so nothing is changed (none are sent with --read-only). With --require, the exit status says whether an integration can run: gate onboarding scripts on it.

Exit status: 0 every required scope granted; 3 one is missing (each named, with the feature it blocks); 1 other errors; 2 a usage error.

` + envSection(credentialEnv...),
		Example: `# gate onboarding on what the NinjaOne integration needs, in every tenant
falcon-tui scopes --all-tenants --require ninjaone-multitenancy || echo "grant the missing scopes first"
# the report as JSON for a ticket
falcon-tui scopes --all-tenants --json > scopes.json
# on the demo cloud
falcon-tui scopes --demo --require falcon-tui`,
		Args:        noArgs,
		Annotations: uses(globalsChecked),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runScopes(cmd.Context(), a, cmd, &o)
		},
	}
	fs := cmd.Flags()
	fs.BoolVarP(&o.allTenants, "all-tenants", "a", false, "probe the home tenant and every Flight Control child it can list")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON (matrix, scope listing, readiness, exit code)")
	fs.VarP(&o.require, "require", "r", "exit 3 unless every scope of integration SET is granted in every probed tenant;\n"+
		"repeatable: "+strings.Join(scopehealth.IntegrationSetNames(), ", "))
	_ = cmd.RegisterFlagCompletionFunc("require", completeRequire)
	return cmd
}

func runScopes(ctx context.Context, a *app, cmd *cobra.Command, o *scopesOptions) error {
	g, stdout := a.g, a.stdout
	sets, err := resolveSets(o.require)
	if err != nil {
		return asUsage(cmd, err)
	}

	s, err := a.openStoreSession(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Client.Connect(ctx); err != nil {
		return connectHint(err)
	}
	var rep *scopehealth.Report
	switch {
	case o.allTenants:
		rep, err = scopehealth.ProbeAll(ctx, s.Client)
	case g.MemberCID != "":
		rep, err = scopehealth.Probe(ctx, s.Client, []string{g.MemberCID})
	default:
		rep, err = scopehealth.Probe(ctx, s.Client, nil)
	}
	if err != nil {
		return err
	}
	code, why := scopesExit(rep, sets)
	if o.json {
		if err := writeScopesJSON(stdout, rep, sets, code); err != nil {
			return err
		}
	} else {
		writeScopesText(stdout, rep, sets)
	}
	if why != "" {
		return withExit(code, errors.New(why))
	}
	return nil
}

// completeRequire offers the integration sets; the value is a comma-separated list, so the
// sets already typed before the last comma are kept and not offered again.
func completeRequire(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	done, last, typed := commaList(toComplete)
	var out []cobra.Completion
	for _, n := range scopehealth.IntegrationSetNames() {
		if typed[n] || !strings.HasPrefix(n, strings.ToLower(last)) {
			continue
		}
		set, _ := scopehealth.LookupIntegrationSet(n)
		out = append(out, cobra.CompletionWithDesc(done+n, set.Title))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// connectHint adds what a first-time user most needs to know to a connect error: a 403 at
// the token endpoint is the IP allow-list, never a scope.
func connectHint(err error) error {
	if errors.Is(err, falcon.ErrIPBlocked) {
		return fmt.Errorf("%w\n  the token endpoint refused this machine's IP address: add it to the API client's IP allow-list (scopes cannot cause this)", err)
	}
	return err
}

func resolveSets(names []string) ([]scopehealth.IntegrationSet, error) {
	var sets []scopehealth.IntegrationSet
	seen := map[string]bool{}
	for _, n := range names {
		s, ok := scopehealth.LookupIntegrationSet(n)
		if !ok {
			return nil, fmt.Errorf("unknown --require set %q (known: %s)", n, strings.Join(scopehealth.IntegrationSetNames(), ", "))
		}
		if !seen[s.Name] {
			seen[s.Name] = true
			sets = append(sets, s)
		}
	}
	return sets, nil
}

// scopesExit applies docs/CLI.md §7: 3 when a required scope is missing somewhere; 1 when nothing
// is known missing but a tenant could not be probed or a required scope could not be
// checked; else 0. The reason goes to standard error.
func scopesExit(rep *scopehealth.Report, sets []scopehealth.IntegrationSet) (int, string) {
	var missing, unchecked []string
	for _, set := range sets {
		r := rep.Readiness(set)
		for _, g := range r.Missing() {
			missing = append(missing, gapLine(g, set))
		}
		for _, g := range r.Unchecked() {
			unchecked = append(unchecked, gapLine(g, set))
		}
	}
	if len(missing) > 0 {
		return exitMissing, fmt.Sprintf("%d required %s missing:\n%s", len(missing),
			pluralWord(len(missing), "scope", "scopes"), strings.Join(missing, "\n"))
	}
	var broken []string
	for _, t := range rep.Tenants {
		if t.Err != "" {
			broken = append(broken, sanitize.Text(t.Tenant.Label())+": "+sanitize.Text(t.Err))
		}
	}
	switch {
	case len(broken) > 0:
		return exitError, "could not probe every tenant:\n  " + strings.Join(broken, "\n  ")
	case len(unchecked) > 0:
		return exitError, fmt.Sprintf("could not verify %d required %s:\n%s", len(unchecked),
			pluralWord(len(unchecked), "scope", "scopes"), strings.Join(unchecked, "\n"))
	}
	return exitOK, ""
}

// gapLine names one unmet requirement for standard error: the scope, its console label,
// the tenant, the state and the feature it blocks.
func gapLine(g scopehealth.Gap, set scopehealth.IntegrationSet) string {
	line := fmt.Sprintf("  %s (%s: %s) in %s: %s", g.Permission, g.ConsoleName, g.Permission.Access.Title(),
		sanitize.Text(g.Tenant.Label()), g.State)
	if len(g.Blocks) > 0 {
		line += "; blocks " + strings.Join(g.Blocks, ", ")
	}
	return line + " [" + set.Name + "]"
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// scopesJSON is the --json document: the report's fields inline, then the verdicts.
type scopesJSON struct {
	*scopehealth.Report
	Readiness []scopehealth.Readiness `json:"readiness"`
	Required  []string                `json:"required"`
	ExitCode  int                     `json:"exit_code"`
}

func writeScopesJSON(w io.Writer, rep *scopehealth.Report, sets []scopehealth.IntegrationSet, code int) error {
	doc := scopesJSON{Report: rep, Readiness: rep.ReadinessAll(), Required: []string{}, ExitCode: code}
	for _, s := range sets {
		doc.Required = append(doc.Required, s.Name)
	}
	// The report quotes the server (tenant names, error messages): terminal-safe JSON.
	b, err := newSafeJSONEncoder("  ").encode(doc)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// tenantsPerBlock keeps the matrix readable on an 80-column terminal; more tenants are
// printed as further blocks of the same rows.
const tenantsPerBlock = 4

const (
	colName = 31
	colID   = 31
	colCell = 14
)

func writeScopesText(w io.Writer, rep *scopehealth.Report, required []scopehealth.IntegrationSet) {
	fmt.Fprintf(w, "Scope health of API client %s: %d %s, %d requests in %s\n",
		rep.ClientID, len(rep.Tenants), pluralWord(len(rep.Tenants), "tenant", "tenants"), rep.Requests(),
		time.Duration(rep.Duration).Round(time.Millisecond))
	if rep.ReadOnly {
		fmt.Fprintln(w, "Read-only mode: write probes were not sent (their scopes show ? unless the scope listing settles them).")
	} else {
		fmt.Fprintln(w, "Write probes send empty bodies the API rejects; nothing is changed.")
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "Note: %s\n", sanitize.Text(n))
	}
	defs := scopehealth.Catalogue()
	for start := 0; start < len(rep.Tenants); start += tenantsPerBlock {
		block := rep.Tenants[start:min(start+tenantsPerBlock, len(rep.Tenants))]
		fmt.Fprintln(w)
		fmt.Fprintf(w, "%s %s", pad("", colName), pad("", colID))
		for _, t := range block {
			fmt.Fprintf(w, " %s", pad(sanitize.Line(t.Tenant.Label(), colCell-1), colCell))
		}
		fmt.Fprintf(w, "\n%s %s", pad("SCOPE", colName), pad("ID", colID))
		for range block {
			fmt.Fprintf(w, " %s", pad("R  W", colCell))
		}
		fmt.Fprintln(w)
		for _, d := range defs {
			fmt.Fprintf(w, "%s %s", pad(d.Name, colName), pad(d.ID, colID))
			for i := range block {
				fmt.Fprintf(w, " %s", pad(matrixCell(&block[i], d), colCell))
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "\n%s granted  %s denied  %s not provisioned  %s error  %s unknown (no probe)  %s no such access\n",
		scopehealth.Symbol(falcon.ScopeGranted), scopehealth.Symbol(falcon.ScopeDenied), scopehealth.Symbol(falcon.ScopeNotProvisioned),
		scopehealth.Symbol(falcon.ScopeError), scopehealth.Symbol(falcon.ScopeUnknown), scopehealth.NotApplicableSymbol)

	fmt.Fprintf(w, "\nScope listing (/api-clients, needs api-clients:read): %s\n", listingLine(rep))
	for _, t := range rep.Tenants {
		if t.Err != "" {
			fmt.Fprintf(w, "Tenant %s could not be probed: %s\n", sanitize.Text(t.Tenant.Label()), sanitize.Text(t.Err))
		}
	}

	fmt.Fprintln(w, "\nReadiness")
	isRequired := map[string]bool{}
	for _, s := range required {
		isRequired[s.Name] = true
	}
	for _, r := range rep.ReadinessAll() {
		mark := "  "
		if isRequired[r.Set] {
			mark = "* "
		}
		fmt.Fprintf(w, "%s%s %s %s\n", mark, readinessSymbol(r.Status), pad(r.Set, 24), r.Summary())
	}
	if len(required) > 0 {
		fmt.Fprintln(w, "  (* = required with --require)")
	}
	for _, s := range required {
		r := rep.Readiness(s)
		gaps := append(r.Missing(), r.Unchecked()...)
		if len(gaps) == 0 {
			continue
		}
		fmt.Fprintf(w, "\nWhat %s lacks:\n", s.Name)
		for _, g := range gaps {
			fmt.Fprintf(w, "  %s — %s (%s): %s\n", tenantWithCID(g.Tenant),
				g.ConsoleName+": "+g.Permission.Access.Title(), g.Permission, g.State)
			if len(g.Blocks) > 0 {
				fmt.Fprintf(w, "      blocks: %s\n", strings.Join(g.Blocks, ", "))
			}
			fmt.Fprintf(w, "      fix:    %s\n", g.Fix)
			if g.Detail != "" && g.State != falcon.ScopeUnknown {
				fmt.Fprintf(w, "      detail: %s\n", sanitize.Text(g.Detail))
			}
		}
	}
}

// tenantWithCID names a tenant with its CID, which is what the console's CID switcher shows.
func tenantWithCID(t scopehealth.ProbedTenant) string {
	label := sanitize.Text(t.Label())
	if t.CID != "" && !strings.EqualFold(t.CID, label) {
		label += " (" + t.CID + ")"
	}
	return label
}

// matrixCell renders one tenant's read and write symbols for a scope.
func matrixCell(t *scopehealth.TenantScopes, d scopehealth.ScopeDef) string {
	sym := func(a scopehealth.Access) string {
		if d.Access(a) == nil {
			return scopehealth.NotApplicableSymbol
		}
		res, ok := t.Result(scopehealth.Perm(d.ID, a))
		if !ok {
			return scopehealth.Symbol(falcon.ScopeUnknown)
		}
		return scopehealth.Symbol(res.State)
	}
	return sym(scopehealth.Read) + "  " + sym(scopehealth.Write)
}

func readinessSymbol(s scopehealth.ReadinessStatus) string {
	switch s {
	case scopehealth.Ready:
		return scopehealth.Symbol(falcon.ScopeGranted)
	case scopehealth.NotReady:
		return scopehealth.Symbol(falcon.ScopeDenied)
	}
	return scopehealth.Symbol(falcon.ScopeUnknown)
}

func listingLine(rep *scopehealth.Report) string {
	l := rep.Listing
	if !l.Read() {
		d := l.State.String()
		if l.Detail != "" {
			d += ": " + sanitize.Text(l.Detail)
		}
		return "not read (" + d + "); the matrix rests on the probes alone"
	}
	disagree := 0
	for _, t := range rep.Tenants {
		for _, r := range t.Results {
			if r.Listed != nil && r.Probe == falcon.ScopeGranted && !*r.Listed ||
				r.Listed != nil && r.Probe == falcon.ScopeDenied && *r.Listed {
				disagree++
			}
		}
	}
	s := fmt.Sprintf("read, %d %s listed", len(l.Scopes), pluralWord(len(l.Scopes), "scope", "scopes"))
	if disagree > 0 {
		return s + fmt.Sprintf("; %d probe %s disagree with it (the probes win; see --json)", disagree, pluralWord(disagree, "result", "results"))
	}
	return s + "; it agrees with every probe"
}

// pad left-aligns s in n cells (cells, not bytes: the symbols are multi-byte).
func pad(s string, n int) string {
	w := ansi.StringWidth(s)
	if w >= n {
		return s
	}
	return s + strings.Repeat(" ", n-w)
}
