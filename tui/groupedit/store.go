package groupedit

// The store records only what the server confirmed (docs/STORE.md): the hosts whose membership
// is now as requested (changed, or already so), never a failed chunk's hosts. Best effort: a
// store error never changes the edit's own outcome; it is logged at debug level and the next
// member load fixes the store.

import (
	"context"
	"log/slog"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// confirmedIDs are the hosts res reports in the requested state.
func confirmedIDs(res falcon.MembershipResult) []string {
	var ids []string
	for _, h := range res.Hosts {
		if h.Outcome != falcon.OutcomeFailed {
			ids = append(ids, h.DeviceID)
		}
	}
	return ids
}

// storeConfirmed records res's confirmed hosts in group gid of tenant cid (nil: nothing to do).
func storeConfirmed(ctx context.Context, s *store.Store, cid, gid string, res falcon.MembershipResult) tea.Cmd {
	ids := confirmedIDs(res)
	if s == nil || cid == "" || gid == "" || len(ids) == 0 {
		return nil
	}
	return func() tea.Msg {
		var err error
		switch res.Action {
		case falcon.AddHosts:
			err = s.AddMembers(ctx, cid, gid, ids)
		case falcon.RemoveHosts:
			err = s.RemoveMembers(ctx, cid, gid, ids)
		}
		if err != nil {
			slog.Debug("store write failed", "what", "group members", "err", err)
		}
		return nil
	}
}
