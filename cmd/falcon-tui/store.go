package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/falcon/untrusted"
)

// localStoreDir is where the stores live: "" = store.DefaultDir() ($XDG_CACHE_HOME/falcon-tui).
var localStoreDir = ""

// storeKeyring is the keyring holding the stores' keys: the profile store's, so tests that
// swap openProfileStore swap this too.
var storeKeyring = func() (profile.Keyring, error) {
	ps, err := openProfileStore()
	if err != nil {
		return nil, err
	}
	return ps.Keyring(), nil
}

// storeOff says why the local store is off for this run ("" = it is on): --no-store, or the
// profile's no_store setting (docs/STORE.md).
func (a *app) storeOff() string { return storeOffFor(a.g, a.g.Profile) }

// storeOffFor is storeOff for the named profile.
func storeOffFor(g *globalOptions, name string) string {
	if g.NoStore {
		return "--no-store"
	}
	if ps, err := openProfileStore(); err == nil {
		if p, err := ps.Get(name); err == nil && p.NoStore {
			return fmt.Sprintf("profile %q has no_store set", name)
		}
	}
	return ""
}

// openLocalStore opens the run's profile's store, or returns (nil, nil) when it is off. A
// notice (the old database was set aside) is written to stderr. Without a keyring the error
// matches store.ErrNoKeyring: callers say so once and go on without the store.
func (a *app) openLocalStore(ctx context.Context) (*store.Store, error) {
	if a.storeOff() != "" {
		return nil, nil
	}
	kr, err := storeKeyring()
	if err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, a.g.Profile, kr, store.Options{Dir: localStoreDir})
	if err != nil {
		return nil, err
	}
	if n := s.Notice(); n != nil {
		fmt.Fprintf(a.stderr, "Note: %s.\n", n)
	}
	return s, nil
}

// openExistingStore opens the profile's store for the store command, regardless of
// --no-store (the command is about the store itself); ok false when there is none yet, so
// that looking never creates a store or a key.
func (a *app) openExistingStore(ctx context.Context) (s *store.Store, path string, ok bool, err error) {
	if err := profile.ValidateName(a.g.Profile); err != nil {
		return nil, "", false, err
	}
	path, err = store.Path(localStoreDir, a.g.Profile)
	if err != nil {
		return nil, "", false, err
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, path, false, nil
	}
	kr, err := storeKeyring()
	if err != nil {
		return nil, path, false, err
	}
	s, err = store.Open(ctx, a.g.Profile, kr, store.Options{Dir: localStoreDir})
	if err != nil {
		return nil, path, false, fmt.Errorf("store: %w", err)
	}
	if n := s.Notice(); n != nil {
		fmt.Fprintf(a.stderr, "Note: %s.\n", n)
	}
	return s, path, true, nil
}

type storeOptions struct{ json bool }

func (a *app) storeCommand() *cobra.Command {
	var o storeOptions
	cmd := &cobra.Command{
		Use:   "store",
		Short: "Show the encrypted local store: where, size, tenants, rows, ages",
		Long: `Show the profile's encrypted local store: where it is, its size, and per tenant the rows it holds and how old they are. Looking creates nothing.

The store keeps what falcon-tui last saw (tenants, hosts' list rows, groups and members, recent alerts, access tokens), encrypted with a key kept in the OS keyring (service falcon-tui, user store:PROFILE). --no-store, or no_store in the profile's settings, turns it off; logout deletes it and its key. See docs/STORE.md.

` + envSection("FALCON_TUI_PROFILE", "XDG_CACHE_HOME"),
		Example: `falcon-tui store
falcon-tui store --profile eu-prod --json
falcon-tui store clear`,
		Args:        noArgs,
		Annotations: uses(globalsChecked),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStore(cmd.Context(), a, o)
		},
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print one JSON object instead of a table")
	clear := &cobra.Command{
		Use:         "clear",
		Short:       "Empty the local store (its key stays)",
		Long:        "Empty the profile's encrypted local store. Its key stays in the keyring; the next start fills it again from the API.",
		Example:     "falcon-tui store clear --profile eu-prod",
		Args:        noArgs,
		Annotations: uses(globalsChecked),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStoreClear(cmd.Context(), a)
		},
	}
	cmd.AddCommand(clear)
	return cmd
}

// storeTenantJSON is one tenant of `store --json`.
type storeTenantJSON struct {
	CID      string    `json:"cid"`
	Name     string    `json:"name"`
	Hosts    int       `json:"hosts"`
	Groups   int       `json:"groups"`
	Alerts   int       `json:"alerts"`
	SyncedAt time.Time `json:"synced_at,omitzero"`
}

// storeJSON is `store --json`. It has no field for a token or a key.
type storeJSON struct {
	Profile       string            `json:"profile"`
	Path          string            `json:"path"`
	Exists        bool              `json:"exists"`
	Off           string            `json:"off,omitempty"` // why the store is off, "" when on
	Bytes         int64             `json:"bytes"`
	SchemaVersion int               `json:"schema_version,omitempty"`
	Hosts         int               `json:"hosts"`
	Groups        int               `json:"groups"`
	Members       int               `json:"members"`
	Alerts        int               `json:"alerts"`
	Tokens        int               `json:"tokens"`
	Tenants       []storeTenantJSON `json:"tenants"`
}

func runStore(ctx context.Context, a *app, o storeOptions) error {
	s, path, ok, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	out := storeJSON{Profile: a.g.Profile, Path: path, Exists: ok, Off: a.storeOff(), Tenants: []storeTenantJSON{}}
	if ok {
		defer s.Close()
		st, err := s.Stats(ctx)
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		out.Bytes, out.SchemaVersion = st.Bytes, st.SchemaVersion
		out.Hosts, out.Groups, out.Members, out.Alerts, out.Tokens = st.Hosts, st.Groups, st.Members, st.Alerts, st.Tokens
		for _, t := range st.Tenants {
			out.Tenants = append(out.Tenants, storeTenantJSON{CID: t.CID, Name: t.Name, Hosts: t.Hosts, Groups: t.Groups, Alerts: t.Alerts, SyncedAt: t.SyncedAt})
		}
	}
	if o.json {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	printStore(a.stdout, out, time.Now())
	return nil
}

func printStore(w io.Writer, s storeJSON, now time.Time) {
	if !s.Exists {
		fmt.Fprintf(w, "Profile %q has no local store yet (it would be %s).\n", s.Profile, s.Path)
		if s.Off != "" {
			fmt.Fprintf(w, "The store is off (%s).\n", s.Off)
		}
		return
	}
	fmt.Fprintf(w, "Store:    %s (encrypted; key in the OS keyring, service %s, user %s)\n", s.Path, profile.Service, store.KeyUser(s.Profile))
	fmt.Fprintf(w, "Size:     %s\n", humanBytes(s.Bytes))
	fmt.Fprintf(w, "Holds:    %s, %s, %s (%s), %s, %s\n", plural(len(s.Tenants), "tenant"), plural(s.Hosts, "host"),
		plural(s.Groups, "group"), plural(s.Members, "member"), plural(s.Alerts, "alert"), plural(s.Tokens, "access token"))
	if s.Off != "" {
		fmt.Fprintf(w, "The store is off (%s): falcon-tui neither reads nor writes it.\n", s.Off)
	}
	if len(s.Tenants) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TENANT\tCID\tHOSTS\tGROUPS\tALERTS\tAS OF")
	for _, t := range s.Tenants {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", cell(untrusted.Text(t.Name)), t.CID, t.Hosts, t.Groups, t.Alerts, age(t.SyncedAt, now))
	}
	_ = tw.Flush()
}

// age is "14 min ago (2026-12-04 10:00 UTC)", or "-" for never.
func age(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	var ago string
	switch {
	case d < time.Minute:
		ago = "just now"
	case d < time.Hour:
		ago = fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		ago = fmt.Sprintf("%d h ago", int(d.Hours()))
	default:
		ago = fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
	return ago + " (" + t.UTC().Format("2006-01-02 15:04 UTC") + ")"
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func runStoreClear(ctx context.Context, a *app) error {
	s, path, ok, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	if !ok {
		fmt.Fprintf(a.stdout, "Profile %q has no local store: nothing to clear.\n", a.g.Profile)
		return nil
	}
	defer s.Close()
	if err := s.Clear(ctx); err != nil {
		return fmt.Errorf("store clear: %w", err)
	}
	fmt.Fprintf(a.stdout, "Cleared the local store of profile %q (%s).\n", a.g.Profile, path)
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
