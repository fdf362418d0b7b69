package hostgroups

// Write-through to the local store (docs/STORE.md): only what the server returned or confirmed
// is recorded, in a tea.Cmd, best effort — a store error never changes what the pane shows; it
// is logged at debug level and the next load fixes the store.

import (
	"context"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// storeCID is the tenant the store files the pane's rows under: "" (the home tenant) is the
// client's home CID, "" when not known yet — then nothing is recorded.
func (m Model) storeCID() string {
	if m.cid == "" && m.client != nil {
		return m.client.HomeCID()
	}
	return m.cid
}

// storeWrite runs write against s in a tea.Cmd (nil without a store); it reports nothing.
func storeWrite(ctx context.Context, s *store.Store, cid, what string, write func(context.Context, *store.Store) error) tea.Cmd {
	if s == nil || cid == "" {
		return nil
	}
	return func() tea.Msg {
		if err := write(ctx, s); err != nil {
			slog.Debug("store write failed", "what", what, "err", err)
		}
		return nil
	}
}

func storeGroups(ctx context.Context, s *store.Store, cid string, groups []falcon.HostGroup, at time.Time) tea.Cmd {
	return storeWrite(ctx, s, cid, "groups", func(ctx context.Context, s *store.Store) error {
		return s.PutGroups(ctx, cid, groups, at)
	})
}

func storeGroup(ctx context.Context, s *store.Store, cid string, g falcon.HostGroup, at time.Time) tea.Cmd {
	return storeWrite(ctx, s, cid, "group", func(ctx context.Context, s *store.Store) error {
		return s.PutGroup(ctx, cid, g, at)
	})
}

func storeGroupDeleted(ctx context.Context, s *store.Store, cid, groupID string) tea.Cmd {
	return storeWrite(ctx, s, cid, "group delete", func(ctx context.Context, s *store.Store) error {
		return s.DeleteGroup(ctx, cid, groupID)
	})
}

func storeMembers(ctx context.Context, s *store.Store, cid, groupID string, ids []string, at time.Time) tea.Cmd {
	return storeWrite(ctx, s, cid, "members", func(ctx context.Context, s *store.Store) error {
		return s.PutMembers(ctx, cid, groupID, ids, at)
	})
}
