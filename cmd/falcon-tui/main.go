// Command falcon-tui is a keyboard-driven terminal explorer for CrowdStrike Falcon.
//
// main stays thin: it parses the global flags, picks the subcommand and hands it a context
// that ends on SIGINT/SIGTERM. Each subcommand lives in its own file with its own flag set.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Stamped by the release build (-ldflags "-X main.version=…").
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

// Exit codes shared by every command (docs/CLI.md §9).
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// command is one subcommand. run gets the arguments after the command name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) int
	// ownGlobals is false for commands that make no use of the global options (sim,
	// version): a bad FALCON_CLOUD in the environment does not stop them.
	ownGlobals bool
}

func commands() []command {
	return []command{
		{"login", "verify a profile's credentials, discover its cloud, store them (secret in the OS keyring)", runLogin, true},
		{"logout", "delete a profile and its keyring secret", runLogout, true},
		{"profiles", "list profiles (never secrets)", runProfiles, true},
		{"scopes", "scope-health report: what the API client can do, per tenant", runScopes, true},
		{"hosts", "list hosts non-interactively (export, scripting)", runHosts, true},
		{"sim", "run the simulated Falcon cloud on loopback", func(ctx context.Context, _ *globalOptions, args []string, stdout, stderr io.Writer) int {
			return runSim(ctx, args, stdout, stderr)
		}, false},
		{"version", "version, commit, build date", runVersion, false},
	}
}

func main() {
	ctx, stop := signalContext()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// signalContext is a context that ends on the first SIGINT or SIGTERM. Once it has ended
// the signals get their default behaviour back, so a second Ctrl+C kills the process even
// while the shutdown path (token revocation, a stuck keyring) still hangs.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop)
	return ctx, stop
}

// run is main without the process: tests call it exactly as main does.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := defaultGlobalOptions()
	fs := newFlagSet("falcon-tui", stderr)
	g.register(fs)
	fs.Usage = func() { usage(fs, stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	rest := fs.Args()
	if len(rest) > 0 && rest[0] == "help" {
		usage(fs, stdout)
		return exitOK
	}
	// Flags given after the command are checked as the command parses them (register);
	// this covers the environment and the flags before the command, before anything runs.
	checkGlobals := func() bool {
		if err := g.validate(); err != nil {
			fmt.Fprintf(stderr, "falcon-tui: %v\n", err)
			return false
		}
		return true
	}
	if len(rest) == 0 {
		if !checkGlobals() {
			return exitUsage
		}
		return runExplore(ctx, g, nil, stdout, stderr)
	}
	for _, c := range commands() {
		if c.name == rest[0] {
			if c.ownGlobals && !checkGlobals() {
				return exitUsage
			}
			return c.run(ctx, g, rest[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "falcon-tui: unknown command %q (see falcon-tui -h)\n", rest[0])
	return exitUsage
}

func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintln(w, "falcon-tui — a keyboard-driven terminal explorer for CrowdStrike Falcon")
	fmt.Fprintln(w, "\nUsage:\n  falcon-tui [global flags]            the interactive explorer\n  falcon-tui [global flags] COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nGlobal flags (accepted before or after the command):")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintln(w, "\nCredentials, first found wins: FALCON_CLIENT_ID + FALCON_CLIENT_SECRET, then the profile in the OS keyring.")
	fmt.Fprintln(w, "Run 'falcon-tui COMMAND -h' for a command's flags.")
}

// newFlagSet returns a flag set that reports errors instead of exiting, so run stays testable.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func runVersion(_ context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("falcon-tui version", stderr)
	// The global flags are accepted (and checked) like everywhere, though version uses none.
	g.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: falcon-tui version\n\nPrints the version, commit and build date.")
		fmt.Fprintln(stderr, "The global flags are accepted and have no effect here.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "falcon-tui version: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	fmt.Fprintf(stdout, "falcon-tui %s (commit %s, built %s)\n", version, commit, date)
	return exitOK
}

// flagExit maps a flag parse error to an exit code: -h is success, anything else a usage error.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}
