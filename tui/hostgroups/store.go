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
	"github.com/falcon-tui/falcon-tui/tui/domain"
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

// storedGroupsMsg carries the stored group list of a load still under way (docs/STORE.md).
type storedGroupsMsg struct {
	gen    int
	groups []falcon.HostGroup
	at     time.Time
}

// readStored reads the stored group list of cid for load gen (nil without a store).
func readStored(ctx context.Context, s *store.Store, gen int, cid string) tea.Cmd {
	if s == nil || cid == "" {
		return nil
	}
	return func() tea.Msg {
		gs, err := s.Groups(ctx, cid)
		if err != nil {
			slog.Debug("store read failed", "what", "groups", "err", err)
			return nil
		}
		at, err := s.GroupsSyncedAt(ctx, cid)
		if err != nil || len(gs) == 0 {
			return nil
		}
		return storedGroupsMsg{gen: gen, groups: gs, at: at}
	}
}

// storedGroups shows the stored list until the API's arrives; a late or stale one is dropped.
func (m Model) storedGroups(msg storedGroupsMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen || !m.loading || len(m.groups) > 0 {
		return m, nil
	}
	m.groups, m.storedAt = msg.groups, msg.at
	m.refilter()
	return m, nil
}

// storedAge is "as of 14m ago" while the rows shown are the store's, "" otherwise.
func (m Model) storedAge() string {
	if m.storedAt.IsZero() {
		return ""
	}
	return "as of " + domain.Ago(m.now(), m.storedAt)
}
