package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
	"github.com/falcon-tui/falcon-tui/falcon/untrusted"
)

// cachedFields are the host fields the local store keeps (docs/STORE.md): what
// `hosts --cached` can print.
var cachedFields = append(slices.Clone(falcon.ListFields), "modified_timestamp")

// runHostsCached is `hosts --cached`: the hosts from the local store, at once and without the
// network, with each tenant's age on standard error (docs/CLI.md §6).
func runHostsCached(ctx context.Context, a *app, cmd *cobra.Command, o *hostsOptions, f string) error {
	switch {
	case o.filter != "" || o.sort != "":
		return usageErrorf(cmd, "--cached takes no --filter or --sort: they are the server's; filter the output instead")
	case a.g.NoStore:
		return usageErrorf(cmd, "--cached reads the local store, which --no-store turns off")
	}
	fields := []string(o.fields)
	for _, fl := range fields {
		if !slices.Contains(cachedFields, fl) {
			return usageErrorf(cmd, "--cached: the local store keeps no %q (it keeps: %s)", fl, strings.Join(cachedFields, ", "))
		}
	}
	if len(fields) == 0 {
		fields = cachedFields
	}
	out, err := newHostWriter(f, a.stdout)
	if err != nil {
		return asUsage(cmd, err)
	}
	out.trim(fields)

	if why := a.storeOff(); why != "" {
		return fmt.Errorf("the local store is off (%s): nothing is cached", why)
	}
	s, _, ok, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("profile %q has no local store yet: nothing is cached", a.g.Profile)
	}
	defer s.Close()
	tenants, err := s.Tenants(ctx)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	var cids []string
	switch {
	case o.allTenants:
		for _, t := range tenants {
			cids = append(cids, t.CID)
		}
	case len(o.tenants) > 0:
		cids = o.tenants
	case a.g.MemberCID != "":
		cids = []string{a.g.MemberCID}
	default:
		for _, t := range tenants {
			if t.Parent == "" {
				cids = append(cids, t.CID) // the home tenant
				break
			}
		}
	}
	names := map[string]string{}
	for _, t := range tenants {
		names[t.CID] = t.Name
	}
	now := time.Now()
	none := true
	for _, cid := range cids {
		var oldest time.Time
		n := 0
		batch := make([]falcon.Host, 0, 1000)
		err := s.Hosts(ctx, cid, func(r store.HostRow) error {
			n++
			if oldest.IsZero() || r.SyncedAt.Before(oldest) {
				oldest = r.SyncedAt
			}
			batch = append(batch, r.Host)
			if len(batch) == cap(batch) {
				err := out.write(batch)
				batch = batch[:0]
				return err
			}
			return nil
		})
		if err == nil {
			err = out.write(batch)
		}
		if err != nil {
			return fmt.Errorf("hosts --cached: %w", err)
		}
		label := cid
		if nm := untrusted.Text(names[cid]); nm != "" {
			label = fmt.Sprintf("%s (%s)", nm, cid)
		}
		if n == 0 {
			fmt.Fprintf(a.stderr, "%s: no hosts in the local store\n", label)
			continue
		}
		none = false
		fmt.Fprintf(a.stderr, "%s: %d hosts from the local store, as of %s\n", label, n, age(oldest, now))
	}
	if err := out.close(true); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	if none {
		return reported(exitError)
	}
	return nil
}
