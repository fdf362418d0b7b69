package main

import (
	"context"
	"iter"
	"slices"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// hostsBelow is the hosts of `hosts --zta-below N`: per tenant, the assessments query
// filtered by score (ZTA.Below: every host scoring below N, lowest first), then those
// hosts' records, 100 a call, in that order. A tenant's failure ends its part with a
// falcon.TenantError, as a multi-tenant stream's does, and the other tenants go on.
func hostsBelow(ctx context.Context, c *falcon.Client, cids []string, n int) iter.Seq2[[]falcon.Host, error] {
	if len(cids) == 0 {
		cids = []string{""} // the tenant the client starts in
	}
	return func(yield func([]falcon.Host, error) bool) {
		for _, cid := range cids {
			wrap := func(err error) error {
				if len(cids) == 1 {
					return err
				}
				return &falcon.TenantError{CID: cid, Err: err}
			}
			scores, err := c.ZTA.Below(ctx, cid, n)
			if err != nil {
				if !yield(nil, wrap(err)) {
					return
				}
				continue
			}
			ids := make([]string, len(scores))
			for i, s := range scores {
				ids[i] = s.AID
			}
			for chunk := range slices.Chunk(ids, 100) {
				hosts, err := c.Hosts.Get(ctx, cid, chunk)
				if err != nil {
					if !yield(nil, wrap(err)) {
						return
					}
					break
				}
				if !yield(hosts, nil) {
					return
				}
			}
		}
	}
}
