package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
)

// Shell completion: cobra's `completion` command writes the script for bash, zsh, fish or
// PowerShell; the script calls the hidden `falcon-tui __complete ARGS…`, which prints one
// candidate a line ("value<TAB>description") and a ":directive" line. The functions here
// supply the candidates of flags whose values are not file names. None of them prompts.

// completionTimeout bounds a completion that asks the API (the tenants of --tenant and
// --member-cid, including the keyring read and the token): a shell waiting on Tab must not
// hang on a slow network. It yields no candidates then, with a hint when the shell shows one.
var completionTimeout = 3 * time.Second

// descriptionCells caps a candidate's description (tenant names come from the API).
const descriptionCells = 60

// globalCompletions registers the completions of the global flags on the root.
func (a *app) globalCompletions(root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("profile", completeProfiles)
	_ = root.RegisterFlagCompletionFunc("cloud", completeClouds)
	_ = root.RegisterFlagCompletionFunc("member-cid", a.completeTenants(false))
	_ = root.RegisterFlagCompletionFunc("base-url", cobra.NoFileCompletions)
}

// completeProfiles offers the stored profiles (their settings only; the keyring is not asked).
func completeProfiles(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	store, err := openProfileStore()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	list, err := store.List()
	if err != nil {
		return cobra.AppendActiveHelp(nil, "cannot read the profiles: "+sanitize.Text(err.Error())), cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, p := range list {
		if !strings.HasPrefix(p.Name, toComplete) {
			continue
		}
		// The settings file may have been edited by hand: cell keeps the protocol's one line.
		desc := cell(p.Cloud) + ", client " + cell(p.ClientID)
		if p.MemberCID != "" {
			desc += ", member " + cell(p.MemberCID)
		}
		out = append(out, cobra.CompletionWithDesc(p.Name, sanitize.Line(desc, descriptionCells)))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeClouds offers auto and the named clouds with their API hosts.
func completeClouds(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	out := []cobra.Completion{cobra.CompletionWithDesc(string(falcon.CloudAuto), "discover it from the token reply")}
	for _, c := range falcon.Clouds {
		out = append(out, cobra.CompletionWithDesc(string(c), c.Host()))
	}
	return filterPrefix(out, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeTenants offers tenants by CID with their names as descriptions: the Flight Control
// children, and the home tenant too when includeHome (hosts --tenant takes it; --member-cid
// names a child). The list comes from the API, with the credentials the command would use,
// within completionTimeout.
func (a *app) completeTenants(includeHome bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		const directive = cobra.ShellCompDirectiveNoFileComp
		ctx := cmd.Context()
		if ctx == nil {
			ctx = context.Background()
		}
		ctx, cancel := context.WithTimeout(ctx, completionTimeout)
		defer cancel()
		tenants, err := a.listTenants(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("the API did not answer within %s", completionTimeout)
		}
		if err != nil {
			return cobra.AppendActiveHelp(nil, "no tenant list: "+sanitize.Line(err.Error(), 200)), directive
		}
		// The value may be a comma-separated list (--tenant): complete its last element.
		done, last := "", strings.ToLower(toComplete)
		if i := strings.LastIndex(last, ","); i >= 0 {
			done, last = last[:i+1], last[i+1:]
		}
		var out []cobra.Completion
		for _, t := range tenants {
			cid := strings.ToLower(t.CID)
			if cid == "" || (!t.IsChild() && !includeHome) || !strings.HasPrefix(cid, last) ||
				strings.Contains(","+done, ","+cid+",") {
				continue
			}
			name := sanitize.Line(t.Name, descriptionCells)
			switch {
			case t.IsChild():
			case name == "":
				name = "home tenant"
			default:
				name += " (home tenant)"
			}
			out = append(out, cobra.CompletionWithDesc(done+cid, name))
		}
		return out, directive
	}
}

// listTenants lists the home tenant and its children with the credentials and endpoint the
// global options name (environment, profile or --demo), read-only, from the home tenant.
func (a *app) listTenants(ctx context.Context) ([]falcon.Tenant, error) {
	g := *a.g
	g.MemberCID = "" // children are listed from the parent
	g.ReadOnly = true
	g.LogFile = "" // a Tab press is not worth a line in the debug log
	g.maxRetries = 1
	if err := g.validate(); err != nil {
		return nil, err
	}
	s, err := openSession(ctx, &g)
	if err != nil {
		return nil, err
	}
	defer s.CloseContext(ctx)
	if err := s.Client.Connect(ctx); err != nil {
		return nil, explainConnectError(err, falcon.Config{BaseURL: s.Client.BaseURL()})
	}
	return s.Client.Tenants.List(ctx)
}

func filterPrefix(cs []cobra.Completion, prefix string) []cobra.Completion {
	out := cs[:0]
	for _, c := range cs {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// commaList splits a comma-separated flag value being completed: done is what comes before
// the last comma (kept in the candidates), last the name being typed, typed the names
// already given (lower case), which are not offered again.
func commaList(toComplete string) (done, last string, typed map[string]bool) {
	last = toComplete
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		done, last = toComplete[:i+1], toComplete[i+1:]
	}
	typed = map[string]bool{}
	for n := range strings.SplitSeq(done, ",") {
		typed[strings.ToLower(strings.TrimSpace(n))] = true
	}
	return done, last, typed
}
