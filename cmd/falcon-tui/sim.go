package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// simCommand is `falcon-tui sim`: the simulated Falcon cloud as a command. It prints one
// record a line (docs/CLI.md §8) — listening, one line per tenant, one per API client, ready —
// and serves until interrupted.
func (a *app) simCommand() *cobra.Command {
	var o *simOptions
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Run the simulated Falcon cloud on loopback",
		Long: `Run the simulated Falcon cloud on loopback until interrupted.

It prints, on standard output, one record a line: "listening URL", one "tenant" line per tenant, one "client" line per API client (name, id, secret, scopes), then "ready". The clients are full (every scope), analyst (read-only scopes) and partial (no host-group:write, no mssp:read).

The global flags (--profile, --cloud, --base-url, --member-cid, --demo, --read-only, --log) are accepted and ignored: the simulator needs no profile, cloud or credentials.`,
		Example: `# a bigger estate, with faults and rate limits, for the explorer to connect to
falcon-tui sim --tenants 5 --hosts 20000 --faults 429=0.05,500=0.02 --rate-limit 600
# hosts that change over time (1% a minute), for delta refreshes by modified_timestamp
falcon-tui sim --churn 0.01
# then, in another terminal, with the id and secret of the "full" client line
FALCON_CLIENT_ID=... FALCON_CLIENT_SECRET=... falcon-tui --base-url http://127.0.0.1:PORT`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSimulator(cmd.Context(), o, a.stdout)
		},
	}
	o = simFlags(cmd.Flags())
	return cmd
}

// simOptions are the simulator's settings, one field per flag.
type simOptions struct {
	addr     *string
	seed     *int64
	tenants  *int
	hosts    *int
	latency  *time.Duration
	rate     *int
	faults   *string
	hostile  *bool
	lifetime *time.Duration
	// bandwidth is kept as typed and parsed by check, so a bad rate is a usage error.
	bandwidth *string
	tokenRate *int
	churn     *float64
	bps       int64
}

// simFlags declares sim's own flags, one a line.
func simFlags(fs *pflag.FlagSet) *simOptions {
	return &simOptions{
		addr:      fs.String("addr", "127.0.0.1:0", "listen address HOST:PORT"),
		seed:      fs.Int64("seed", 1, "seed of the generated data (same seed, same data)"),
		tenants:   fs.Int("tenants", 3, "number of Flight Control child tenants"),
		hosts:     fs.Int("hosts", 1000, "hosts per tenant (parent included)"),
		latency:   fs.Duration("latency", 0, "latency added to every API reply (e.g. 150ms)"),
		rate:      fs.Int("rate-limit", 6000, "requests per sliding minute per CID"),
		faults:    fs.String("faults", "", "random faults, e.g. 429=0.05,500=0.02,reset=0.01,malformed=0.01"),
		hostile:   fs.Bool("hostile", false, "seed hostile strings: control sequences, huge and right-to-left text"),
		lifetime:  fs.Duration("token-lifetime", 1799*time.Second, "lifetime of issued access tokens"),
		bandwidth: fs.String("bandwidth", "", "pace replies over one link of RATE shared by all connections, e.g. 100Mbit (bits/s) or 10MB (bytes/s); none by default"),
		tokenRate: fs.Int("token-rate-limit", 300, "calls of /oauth2/token + /oauth2/revoke per minute per IP"),
		churn:     fs.Float64("churn", 0, "share of hosts changed per minute, e.g. 0.01 = 1%: new last_seen or sensor version and modified_timestamp; some hidden, some back"),
	}
}

// check rejects values the simulator cannot run with; the error is a usage error.
func (o *simOptions) check() error {
	bps, err := falcontest.ParseBandwidth(*o.bandwidth)
	if err != nil {
		return fmt.Errorf("--bandwidth: %w", err)
	}
	o.bps = bps
	switch {
	case *o.tenants < 0 || *o.hosts < 0:
		return errors.New("--tenants and --hosts must not be negative")
	case *o.rate < 1 || *o.tokenRate < 1:
		return errors.New("--rate-limit and --token-rate-limit must be at least 1")
	case *o.latency < 0 || *o.lifetime < time.Second:
		return errors.New("--latency must not be negative and --token-lifetime at least 1s")
	case !(*o.churn >= 0 && *o.churn <= 1):
		return errors.New("--churn must be a share between 0 and 1 (0.01 = 1% of hosts a minute)")
	}
	return nil
}

// serverOptions turns the flags into the simulator's options.
func (o *simOptions) serverOptions(l net.Listener, f falcontest.Faults) []falcontest.Option {
	return []falcontest.Option{
		falcontest.WithListener(l), falcontest.WithSeed(*o.seed), falcontest.WithTenants(*o.tenants),
		falcontest.WithHosts(*o.hosts), falcontest.WithLatency(*o.latency), falcontest.WithRateLimit(*o.rate),
		falcontest.WithFaults(f), falcontest.WithHostile(*o.hostile), falcontest.WithTokenLifetime(*o.lifetime),
		falcontest.WithBandwidth(o.bps), falcontest.WithTokenRateLimit(*o.tokenRate), falcontest.WithChurn(*o.churn),
	}
}

// runSim is `falcon-tui sim ARGS…` exactly as main runs it.
func runSim(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return run(ctx, append([]string{"sim"}, args...), stdout, stderr)
}

// runSimulator serves the simulated cloud: it prints one record a line (docs/CLI.md §8) —
// listening, one line per tenant, one per API client, ready — and serves until ctx ends.
func runSimulator(ctx context.Context, o *simOptions, stdout io.Writer) error {
	f, err := falcontest.ParseFaults(*o.faults)
	if err != nil {
		return withExit(exitUsage, fmt.Errorf("--faults: %w", err))
	}
	if err := o.check(); err != nil {
		return withExit(exitUsage, err)
	}
	l, err := net.Listen("tcp", *o.addr)
	if err != nil {
		return err
	}
	srv := falcontest.NewServer(o.serverOptions(l, f)...)
	defer srv.Close()

	fmt.Fprintf(stdout, "listening %s\n", srv.URL)
	for _, t := range srv.Tenants() {
		parent := t.Parent
		if parent == "" {
			parent = "-"
		}
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
	return nil
}
