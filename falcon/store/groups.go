package store

// Host groups and their members, per tenant.

import (
	"context"
	"database/sql"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// PutGroups replaces the stored host groups of tenant cid (members of groups no longer listed
// go with them).
func (s *Store) PutGroups(ctx context.Context, cid string, groups []falcon.HostGroup, syncedAt time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		tid, err := tenantID(ctx, tx, cid)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS keep_groups(id TEXT PRIMARY KEY); DELETE FROM keep_groups`); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO host_groups(tid, id, name, description, type, rule, modified, synced_at)
			VALUES(?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT(tid, id) DO UPDATE SET name=?3, description=?4, type=?5, rule=?6, modified=?7, synced_at=?8`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, g := range groups {
			if _, err := st.ExecContext(ctx, tid, g.ID, g.Name, g.Description, string(g.Type), g.AssignmentRule, unix(g.ModifiedAt), unix(syncedAt)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO keep_groups(id) VALUES(?)`, g.ID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE tid=? AND group_id NOT IN (SELECT id FROM keep_groups)`, tid); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM host_groups WHERE tid=? AND id NOT IN (SELECT id FROM keep_groups)`, tid)
		return err
	})
}

// Groups returns the stored host groups of tenant cid, by name.
func (s *Store) Groups(ctx context.Context, cid string) ([]falcon.HostGroup, error) {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, description, type, rule, modified FROM host_groups WHERE tid=? ORDER BY name, id`, tid)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []falcon.HostGroup
	for rows.Next() {
		g := falcon.HostGroup{CID: cid}
		var typ string
		var modified int64
		if err := rows.Scan(&g.ID, &g.Name, &g.Description, &typ, &g.AssignmentRule, &modified); err != nil {
			return nil, err
		}
		g.Type, g.ModifiedAt = falcon.GroupType(typ), fromUnix(modified)
		out = append(out, g)
	}
	return out, classify(rows.Err())
}

// PutMembers replaces the stored member ids of one group.
func (s *Store) PutMembers(ctx context.Context, cid, groupID string, ids []string, syncedAt time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		tid, err := tenantID(ctx, tx, cid)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE tid=? AND group_id=?`, tid, groupID); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO group_members(tid, group_id, device_id) VALUES(?,?,?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range ids {
			if _, err := st.ExecContext(ctx, tid, groupID, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE host_groups SET members_at=? WHERE tid=? AND id=?`, unix(syncedAt), tid, groupID)
		return err
	})
}

// Members returns the stored member ids of one group, sorted.
func (s *Store) Members(ctx context.Context, cid, groupID string) ([]string, error) {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return nil, err
	}
	return s.strings(ctx, `SELECT device_id FROM group_members WHERE tid=? AND group_id=? ORDER BY device_id`, tid, groupID)
}

// AddMembers records device ids the server confirmed as added to one group; ids already stored
// stay. The group's members_at is left alone: the set is only as fresh as the last full load.
func (s *Store) AddMembers(ctx context.Context, cid, groupID string, ids []string) error {
	return s.editMembers(ctx, cid, groupID, ids, `INSERT OR IGNORE INTO group_members(tid, group_id, device_id) VALUES(?,?,?)`)
}

// RemoveMembers forgets device ids the server confirmed as removed from one group.
func (s *Store) RemoveMembers(ctx context.Context, cid, groupID string, ids []string) error {
	return s.editMembers(ctx, cid, groupID, ids, `DELETE FROM group_members WHERE tid=? AND group_id=? AND device_id=?`)
}

func (s *Store) editMembers(ctx context.Context, cid, groupID string, ids []string, query string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		tid, err := tenantID(ctx, tx, cid)
		if err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range ids {
			if _, err := st.ExecContext(ctx, tid, groupID, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// PutGroup adds or replaces one host group the server confirmed (created or renamed), leaving
// the tenant's other groups and this group's members as they are.
func (s *Store) PutGroup(ctx context.Context, cid string, g falcon.HostGroup, syncedAt time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		tid, err := tenantID(ctx, tx, cid)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO host_groups(tid, id, name, description, type, rule, modified, synced_at)
			VALUES(?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT(tid, id) DO UPDATE SET name=?3, description=?4, type=?5, rule=?6, modified=?7, synced_at=?8`,
			tid, g.ID, g.Name, g.Description, string(g.Type), g.AssignmentRule, unix(g.ModifiedAt), unix(syncedAt))
		return err
	})
}

// DeleteGroup forgets one host group the server confirmed as deleted, with its members.
func (s *Store) DeleteGroup(ctx context.Context, cid, groupID string) error {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE tid=? AND group_id=?`, tid, groupID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM host_groups WHERE tid=? AND id=?`, tid, groupID)
		return err
	})
}

// GroupsSyncedAt is when tenant cid's group list was last stored (zero: never).
func (s *Store) GroupsSyncedAt(ctx context.Context, cid string) (time.Time, error) {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return time.Time{}, err
	}
	var at sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(synced_at) FROM host_groups WHERE tid=?`, tid).Scan(&at); err != nil || !at.Valid {
		return time.Time{}, classify(err)
	}
	return fromUnix(at.Int64), nil
}
