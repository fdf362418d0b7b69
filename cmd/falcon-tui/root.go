package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
)

// app is one run of the command line: the global options every command shares, the output
// streams, and how errors are shown.
type app struct {
	g      *globalOptions
	stdout io.Writer
	stderr io.Writer
	errs   *errorReporter
	x      exploreOptions // the explorer's own flags (cmd/falcon-tui/views.go)
}

func newApp(stdout, stderr io.Writer) *app {
	return &app{
		g:      defaultGlobalOptions(),
		stdout: stdout,
		stderr: stderr,
		errs:   &errorReporter{w: stderr, terminal: func() bool { return stderrIsTerminal(stderr) }},
	}
}

// How a command treats the global flags (the annotation globalsUse on the command).
const (
	globalsUse = "falcon-tui/globals"
	// globalsChecked: the command uses them; bad values, from a flag or from the environment,
	// are usage errors before it runs.
	globalsChecked = "checked"
	// globalsFlagsOnly: the command uses none, but a bad value typed on its command line is
	// still an error (version). Without the annotation they are accepted and ignored (sim,
	// completion, man, help).
	globalsFlagsOnly = "flags"
)

func uses(mode string) map[string]string { return map[string]string{globalsUse: mode} }

// rootAbout is what falcon-tui is, for its help and its man page.
const rootAbout = `A keyboard-driven terminal explorer for CrowdStrike Falcon: tenants (Flight Control parent and children), hosts, host groups, alerts and scope health.

With no command, falcon-tui opens the explorer. The global flags are accepted before or after any command.

Credentials, first found wins: FALCON_CLIENT_ID + FALCON_CLIENT_SECRET in the environment, then the profile's secret in the OS keyring (falcon-tui login). Never on the command line.`

const exitStatus = "Exit status: 0 success; 1 an error; 2 a usage error; 3 (scopes --require) a required scope is missing."

// rootCommand builds the command tree. falcon-tui with no command is the explorer.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "falcon-tui",
		Short: "A keyboard-driven terminal explorer for CrowdStrike Falcon",
		Long:  rootAbout + "\n\n" + exitStatus + "\n\n" + envSection(append(slices.Clone(credentialEnv), "FALCON_TUI_ME")...),
		Example: `# the explorer on the embedded simulated cloud: no credentials, no network
falcon-tui --demo
# the explorer with the profile stored by login, starting in a child tenant
falcon-tui --profile eu-prod --member-cid 0123456789abcdef0123456789abcdef`,
		Args:              rootArgs,
		Annotations:       uses(globalsChecked),
		PersistentPreRunE: a.checkGlobals,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.x.check(); err != nil {
				return asUsage(cmd, err)
			}
			return runExplore(cmd.Context(), a)
		},
	}
	root.SuggestionsMinimumDistance = 2
	// Set before cobra's completion command is added: it takes its output stream then.
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	a.g.register(root.PersistentFlags())
	a.x.register(root.PersistentFlags())
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return asUsage(cmd, err) })
	root.SetVersionTemplate(versionLine() + "\n")
	root.AddCommand(a.loginCommand(), a.logoutCommand(), a.profilesCommand(), a.scopesCommand(),
		a.hostsCommand(), a.storeCommand(), a.simCommand(), a.versionCommand(), a.manCommand())
	a.globalCompletions(root)
	// cobra adds these when it runs; added now, their argument errors are usage errors too.
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Example = "falcon-tui completion bash > /etc/bash_completion.d/falcon-tui\n" +
				"falcon-tui completion zsh > \"${fpath[1]}/_falcon-tui\"\n" +
				"falcon-tui completion fish > ~/.config/fish/completions/falcon-tui.fish"
			// Without this, an unknown shell printed the help and exited 0.
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 {
					return usageErrorf(cmd, "unknown shell %q: want bash, zsh, fish or powershell", args[0])
				}
				return cmd.Help()
			}
		}
	}
	argsAreUsage(root)
	return root
}

// argsAreUsage makes every argument check in the tree (cobra's own commands included) report
// a usage error, exit 2.
func argsAreUsage(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		argsAreUsage(sub)
	}
	check := cmd.Args
	if check == nil {
		return
	}
	cmd.Args = func(cmd *cobra.Command, args []string) error {
		err := check(cmd, args)
		var ce *codedError
		if err == nil || errors.As(err, &ce) {
			return err
		}
		return asUsage(cmd, err)
	}
}

// checkGlobals runs before every command: it names the command for error messages and checks
// the global options as the command's annotation says.
func (a *app) checkGlobals(cmd *cobra.Command, _ []string) error {
	a.errs.cmd = cmd
	switch cmd.Annotations[globalsUse] {
	case globalsChecked:
		if err := a.g.validate(); err != nil {
			return asUsage(cmd, err)
		}
	case globalsFlagsOnly:
		if err := a.g.validateFlags(cmd.Flags()); err != nil {
			return asUsage(cmd, err)
		}
	}
	return nil
}

// rootArgs rejects anything that is not a command: falcon-tui itself takes no arguments.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += " (did you mean " + strings.Join(s, " or ") + "?)"
	}
	return usageErrorf(cmd, "%s", msg)
}

// noArgs is the Args check of a command that takes none.
var noArgs = noArgsHint(true, "")

// noArgsHint is noArgs with a hint on what to do instead. With echo false the argument is
// not repeated (login: a stray argument may well be the secret).
func noArgsHint(echo bool, hint string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		msg := fmt.Sprintf("unexpected argument %q", args[0])
		if !echo {
			msg = cmd.Name() + " takes no arguments"
		}
		if hint != "" {
			msg += "; " + hint
		}
		return usageErrorf(cmd, "%s", msg)
	}
}

// versionLine is what `falcon-tui version` and `falcon-tui --version` print.
func versionLine() string {
	return fmt.Sprintf("falcon-tui %s (commit %s, built %s)", version, commit, date)
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Long: `Print the version, commit and build date (also: falcon-tui --version).

The global flags are accepted and have no effect here; a bad value given on this command line is still an error.`,
		Example:     "falcon-tui version",
		Args:        noArgs,
		Annotations: uses(globalsFlagsOnly),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), versionLine())
			return err
		},
	}
}

// manCommand prints the man page. fang has one too, hidden and always on os.Stdout; this one
// is listed in the help, writes where the command's output goes (tests, goreleaser's hook)
// and adds the sections a man page is expected to have.
func (a *app) manCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "man",
		Short: "Print the man page (roff)",
		Long: `Print the man page (roff) on standard output.

The release archives and packages ship it as falcon-tui.1; packages install it, so that man falcon-tui works.`,
		Example: `falcon-tui man > falcon-tui.1
falcon-tui man | man -l -`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			page, err := mcobra.NewManPage(1, cmd.Root())
			if err != nil {
				return err
			}
			page = page.WithLongDescription(rootAbout). // the help's exit status and environment are sections here
									WithSection("Exit status", strings.TrimPrefix(exitStatus, "Exit status: ")).
									WithSection("Environment", manEnvironment()).
									WithSection("Files", "$XDG_CONFIG_HOME/falcon-tui/profiles.json (default ~/.config/falcon-tui/): profile settings, never secrets. "+
					"Secrets live in the OS keyring (service falcon-tui, user = profile name). "+
					"$XDG_CACHE_HOME/falcon-tui/PROFILE.db (default ~/.cache/falcon-tui/): the encrypted local store; its key is in the OS keyring (service falcon-tui, user store:PROFILE).").
				WithSection("See also", "falcon-tui COMMAND --help; docs/LOGIN.md and docs/KEYS.md in the source.")
			_, err = fmt.Fprint(cmd.OutOrStdout(), page.Build(roff.NewDocument()))
			return err
		},
	}
}

// envDocs describes every environment variable falcon-tui reads.
var envDocs = map[string]string{
	"FALCON_CLIENT_ID":     "API client id; with FALCON_CLIENT_SECRET set too, used instead of any profile",
	"FALCON_CLIENT_SECRET": "API client secret (there is no flag for it)",
	"FALCON_TUI_PROFILE":   "profile when --profile is not given (else \"default\")",
	"FALCON_CLOUD":         "cloud when --cloud is not given (else auto)",
	"FALCON_MEMBER_CID":    "Flight Control child to start in when --member-cid is not given",
	"XDG_CONFIG_HOME":      "profile settings go to $XDG_CONFIG_HOME/falcon-tui/ (else ~/.config/falcon-tui/)",
	"XDG_CACHE_HOME":       "the encrypted local store goes to $XDG_CACHE_HOME/falcon-tui/PROFILE.db (else ~/.cache/falcon-tui/)",
	"HTTPS_PROXY":          "proxy for the API calls (with HTTP_PROXY and NO_PROXY)",
	"NO_COLOR":             "any value: no colours",
	"ACCESSIBLE":           "any value: plain line prompts instead of the login form",
	"FALCON_TUI_ME":        "your Falcon console login for \"assign to me\" in alert triage (else the profile's, login --me)",
}

// credentialEnv is what every command that talks to the API reads.
var credentialEnv = []string{"FALCON_CLIENT_ID", "FALCON_CLIENT_SECRET", "FALCON_TUI_PROFILE", "FALCON_CLOUD",
	"FALCON_MEMBER_CID", "XDG_CONFIG_HOME", "HTTPS_PROXY", "NO_COLOR"}

// envSection is the "Environment:" part of a command's help.
func envSection(names ...string) string {
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	var b strings.Builder
	b.WriteString("Environment:")
	for _, n := range names {
		fmt.Fprintf(&b, "\n  %-*s  %s", width, n, envDocs[n])
	}
	return b.String()
}

func manEnvironment() string {
	var b strings.Builder
	for _, n := range []string{"FALCON_CLIENT_ID", "FALCON_CLIENT_SECRET", "FALCON_TUI_PROFILE", "FALCON_CLOUD",
		"FALCON_MEMBER_CID", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "HTTPS_PROXY", "NO_COLOR", "ACCESSIBLE", "FALCON_TUI_ME"} {
		fmt.Fprintf(&b, "%s: %s. ", n, envDocs[n])
	}
	return strings.TrimSpace(b.String())
}
