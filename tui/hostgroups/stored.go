package hostgroups

// What the pane loads goes to the local store too (docs/STORE.md): the tenant's groups and
// a group's member ids, as the server listed them. Best effort: a store that cannot be
// written is refilled by the next load.

import (
	"context"
	"log/slog"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// keepGroups records a tenant's groups as listed.
func keepGroups(ctx context.Context, s *store.Store, cid string, groups []falcon.HostGroup, now time.Time) tea.Cmd {
	if s == nil || cid == "" {
		return nil
	}
	groups = slices.Clone(groups)
	return func() tea.Msg {
		if err := s.PutGroups(ctx, cid, groups, now); err != nil {
			slog.Debug("store: groups not recorded", "err", err)
		}
		return nil
	}
}

// keepMembers records a group's members, listed in full.
func keepMembers(ctx context.Context, s *store.Store, cid, groupID string, hosts []falcon.Host, now time.Time) tea.Cmd {
	if s == nil || cid == "" || groupID == "" {
		return nil
	}
	ids := make([]string, len(hosts))
	for i, h := range hosts {
		ids[i] = h.DeviceID
	}
	return func() tea.Msg {
		if err := s.PutMembers(ctx, cid, groupID, ids, now); err != nil {
			slog.Debug("store: members not recorded", "err", err)
		}
		return nil
	}
}
