package store

// Hosts: each tenant's hosts' list rows, and the store's side of a reconciliation.

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// listSep joins tags and group ids in one column: a unit separator, which neither contains.
const listSep = "\x1f"

func joinList(v []string) string { return strings.Join(v, listSep) }

func splitList(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, listSep)
}

// PutHosts adds or replaces hosts' list rows (the falcon.ListFields fields and
// modified_timestamp) of tenant cid, in one transaction.
func (s *Store) PutHosts(ctx context.Context, cid string, hosts []falcon.Host, syncedAt time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		tid, err := tenantID(ctx, tx, cid)
		if err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO hosts(tid, device_id, hostname, platform, os_version,
			os_product, agent_version, status, local_ip, external_ip, machine_domain, site_name, last_login_user,
			last_seen, modified, tags, groups, synced_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		synced := unix(syncedAt)
		// In key order, the B-tree grows at its end instead of splitting pages all over: 100k
		// rows in random order took seven times as long.
		order := make([]int, len(hosts))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return strings.Compare(hosts[a].DeviceID, hosts[b].DeviceID) })
		for _, i := range order {
			h := &hosts[i]
			if h.DeviceID == "" {
				return errors.New("store: host with an empty device id")
			}
			if _, err := st.ExecContext(ctx, tid, h.DeviceID, h.Hostname, h.Platform, h.OSVersion, h.OSProductName,
				h.AgentVersion, h.Containment, h.LocalIP, h.ExternalIP, h.MachineDomain, h.SiteName, h.LastLoginUser,
				unix(h.LastSeen), unix(h.Modified), joinList(h.Tags), joinList(h.Groups), synced); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteHosts removes hosts of tenant cid by device id (removed or hidden on the server).
func (s *Store) DeleteHosts(ctx context.Context, cid string, ids []string) error {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `DELETE FROM hosts WHERE tid=? AND device_id=?`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range ids {
			if _, err := st.ExecContext(ctx, tid, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// HostRow is a stored host and when it was synced.
type HostRow struct {
	falcon.Host
	SyncedAt time.Time
}

// Hosts calls fn with each stored host of tenant cid, by device id; an error from fn stops the
// walk and is returned.
func (s *Store) Hosts(ctx context.Context, cid string, fn func(HostRow) error) error {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT device_id, hostname, platform, os_version, os_product, agent_version,
		status, local_ip, external_ip, machine_domain, site_name, last_login_user, last_seen, modified, tags, groups, synced_at
		FROM hosts WHERE tid=? ORDER BY device_id`, tid)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r HostRow
		h := &r.Host
		var lastSeen, modified, synced int64
		var tags, groups string
		if err := rows.Scan(&h.DeviceID, &h.Hostname, &h.Platform, &h.OSVersion, &h.OSProductName, &h.AgentVersion,
			&h.Containment, &h.LocalIP, &h.ExternalIP, &h.MachineDomain, &h.SiteName, &h.LastLoginUser,
			&lastSeen, &modified, &tags, &groups, &synced); err != nil {
			return err
		}
		h.CID = cid
		h.LastSeen, h.Modified, r.SyncedAt = fromUnix(lastSeen), fromUnix(modified), fromUnix(synced)
		h.Tags, h.Groups = splitList(tags), splitList(groups)
		if err := fn(r); err != nil {
			return err
		}
	}
	return classify(rows.Err())
}

// HostIDs returns the stored device ids of tenant cid, sorted: the local side of a
// reconciliation.
func (s *Store) HostIDs(ctx context.Context, cid string) ([]string, error) {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return nil, err
	}
	return s.strings(ctx, `SELECT device_id FROM hosts WHERE tid=? ORDER BY device_id`, tid)
}

// KeepHosts is the store's side of a reconciliation: it deletes the hosts of tenant cid whose
// device id is not in live (the ids the server lists now: hidden and removed hosts are not),
// and returns those it deleted.
func (s *Store) KeepHosts(ctx context.Context, cid string, live []string) ([]string, error) {
	stored, err := s.HostIDs(ctx, cid)
	if err != nil {
		return nil, err
	}
	keep := make(map[string]struct{}, len(live))
	for _, id := range live {
		keep[id] = struct{}{}
	}
	var gone []string
	for _, id := range stored {
		if _, ok := keep[id]; !ok {
			gone = append(gone, id)
		}
	}
	if len(gone) == 0 {
		return nil, nil
	}
	return gone, s.DeleteHosts(ctx, cid, gone)
}
