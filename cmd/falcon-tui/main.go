// Command falcon-tui is a keyboard-driven terminal explorer for CrowdStrike Falcon.
//
// main stays thin: it builds the command tree (cobra, styled by fang; root.go), runs it with
// a context that ends on SIGINT/SIGTERM, and turns the result into the exit code. Each
// subcommand lives in its own file.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"charm.land/fang/v2"
)

// Stamped by the release build (-ldflags "-X main.version=…").
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

// Exit codes shared by every command (docs/CLI.md §9); scopes adds exitMissing.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

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

// run is main without the process: tests call it exactly as main does. Every error is
// printed once, by the error handler (errors.go), and mapped to its exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := newApp(stdout, stderr)
	root := a.rootCommand()
	root.SetArgs(args)
	err := fang.Execute(ctx, root,
		fang.WithVersion(version), fang.WithCommit(commit),
		fang.WithoutManpage(), // our own `man` (root.go): listed, and written to the command's output
		fang.WithErrorHandler(a.errs.handle),
	)
	return exitCode(err)
}
