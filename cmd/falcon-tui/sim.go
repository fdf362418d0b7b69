package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// runSim is `falcon-tui sim`: the simulated Falcon cloud as a command. It
// prints one record a line (CLI.md) — listening, one line per tenant, one
// per API client, ready — and serves until ctx ends.
func runSim(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("falcon-tui sim", stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address `HOST:PORT`")
	seed := fs.Int64("seed", 1, "seed of the generated data (same seed, same data)")
	tenants := fs.Int("tenants", 3, "number of Flight Control child tenants")
	hosts := fs.Int("hosts", 1000, "hosts per tenant (parent included)")
	latency := fs.Duration("latency", 0, "latency added to every API reply (e.g. 150ms)")
	rate := fs.Int("rate-limit", 6000, "requests per sliding minute per CID")
	faults := fs.String("faults", "", "random faults, e.g. `429=0.05,500=0.02,reset=0.01,malformed=0.01`")
	hostile := fs.Bool("hostile", false, "seed hostile strings: control sequences, huge and right-to-left text")
	lifetime := fs.Duration("token-lifetime", 1799*time.Second, "lifetime of issued access tokens")
	bandwidth := fs.String("bandwidth", "", "pace replies over one link of `RATE` shared by all connections, e.g. 100Mbit (bits/s) or 10MB (bytes/s); none by default")
	tokenRate := fs.Int("token-rate-limit", 300, "calls of /oauth2/token + /oauth2/revoke per minute per IP")
	// Global flags are accepted after every command name; the simulator has no use for them.
	registerIgnored(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: falcon-tui sim [flags]\n\nRun the simulated Falcon cloud on loopback until interrupted.")
		fmt.Fprintln(stderr, "The global flags (--profile, --cloud, --base-url, --member-cid, --demo, --read-only, --log)")
		fmt.Fprintln(stderr, "are accepted and ignored: the simulator needs no profile, cloud or credentials.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "falcon-tui sim: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	f, err := falcontest.ParseFaults(*faults)
	if err != nil {
		fmt.Fprintf(stderr, "falcon-tui sim: --faults: %v\n", err)
		return exitUsage
	}
	bps, err := falcontest.ParseBandwidth(*bandwidth)
	if err != nil {
		fmt.Fprintf(stderr, "falcon-tui sim: --bandwidth: %v\n", err)
		return exitUsage
	}
	switch {
	case *tenants < 0 || *hosts < 0:
		fmt.Fprintln(stderr, "falcon-tui sim: --tenants and --hosts must not be negative")
		return exitUsage
	case *rate < 1 || *tokenRate < 1:
		fmt.Fprintln(stderr, "falcon-tui sim: --rate-limit and --token-rate-limit must be at least 1")
		return exitUsage
	case *latency < 0 || *lifetime < time.Second:
		fmt.Fprintln(stderr, "falcon-tui sim: --latency must not be negative and --token-lifetime at least 1s")
		return exitUsage
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "falcon-tui sim: %v\n", err)
		return exitError
	}
	srv := falcontest.NewServer(
		falcontest.WithListener(l), falcontest.WithSeed(*seed), falcontest.WithTenants(*tenants),
		falcontest.WithHosts(*hosts), falcontest.WithLatency(*latency), falcontest.WithRateLimit(*rate),
		falcontest.WithFaults(f), falcontest.WithHostile(*hostile), falcontest.WithTokenLifetime(*lifetime),
		falcontest.WithBandwidth(bps), falcontest.WithTokenRateLimit(*tokenRate),
	)
	defer srv.Close()

	fmt.Fprintf(stdout, "listening %s\n", srv.URL)
	for _, t := range srv.Tenants() {
		parent := t.Parent
		if parent == "" {
			parent = "-"
		}
		// hosts= is what host queries return; hidden hosts are counted apart.
		fmt.Fprintf(stdout, "tenant cid=%s name=%q parent=%s hosts=%d hidden=%d groups=%d alerts=%d\n",
			t.CID, t.Name, parent, t.Hosts, t.Hidden, t.Groups, t.Alerts)
	}
	for _, c := range srv.Clients() {
		// Simulated credentials: printing them is the point of this command.
		fmt.Fprintf(stdout, "client name=%s id=%s secret=%s scopes=%s\n", c.Name, c.ID, c.Secret, strings.Join(c.Scopes, ","))
	}
	fmt.Fprintln(stdout, "ready")

	<-ctx.Done()
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	return exitOK
}
