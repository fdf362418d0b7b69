package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// Tenant is a stored tenant: who it is, and its counts with the time they were fetched.
// A count of -1 is unknown.
type Tenant struct {
	CID      string
	Name     string
	Parent   string // parent CID; "" for the home tenant
	Status   string
	Hosts    int
	Groups   int
	Alerts   int
	CountsAt time.Time // when the counts were fetched (zero: never)
	SeenAt   time.Time // when the tenant was last listed
}

// Watermark is where a tenant's sync stands.
type Watermark struct {
	// Modified is the greatest modified_timestamp seen on the tenant's hosts: the next delta
	// asks for modified_timestamp:>'…' from there (minus an overlap for clock skew).
	Modified time.Time
	DeltaAt  time.Time // the last delta refresh
	FullAt   time.Time // the last full reconciliation (ids only)
}

// Token is a stored access token. It is a secret: String and LogValue never show Value.
type Token struct {
	Value  string
	Expiry time.Time
}

func (t Token) String() string {
	return fmt.Sprintf("token(redacted, expires %s)", t.Expiry.UTC().Format(time.RFC3339))
}

// LogValue keeps the value out of slog records.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.String()) }

// Format keeps the value out of fmt's %v, %+v and %#v.
func (t Token) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(t.String())) }

func (s *Store) conn() (*sql.DB, error) {
	if s == nil || s.db == nil {
		return nil, ErrClosed
	}
	return s.db, nil
}

func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	db, err := s.conn()
	if err != nil {
		return err
	}
	return inTx(ctx, db, fn)
}

// tenantID returns the row id of cid, adding a bare tenant row when there is none.
func tenantID(ctx context.Context, tx *sql.Tx, cid string) (int64, error) {
	if cid == "" {
		return 0, errors.New("store: empty CID")
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO tenants(cid) VALUES(?) ON CONFLICT(cid) DO UPDATE SET cid=excluded.cid RETURNING id`, cid).Scan(&id)
	return id, err
}

// lookupTenant returns the row id of cid, or ok false.
func (s *Store) lookupTenant(ctx context.Context, cid string) (int64, bool, error) {
	db, err := s.conn()
	if err != nil {
		return 0, false, err
	}
	var id int64
	err = db.QueryRowContext(ctx, `SELECT id FROM tenants WHERE cid=?`, cid).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, classify(err)
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(v, 0).UTC()
}

// PutTenants adds or updates tenants, seen at seenAt. Counts of -1 leave the stored ones.
func (s *Store) PutTenants(ctx context.Context, ts []Tenant, seenAt time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO tenants(cid, name, parent, status, hosts, groups, alerts, counts_at, seen_at)
			VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
			ON CONFLICT(cid) DO UPDATE SET name=?2, parent=?3, status=?4,
				hosts=CASE WHEN ?5>=0 THEN ?5 ELSE hosts END,
				groups=CASE WHEN ?6>=0 THEN ?6 ELSE groups END,
				alerts=CASE WHEN ?7>=0 THEN ?7 ELSE alerts END,
				counts_at=CASE WHEN ?8>0 THEN ?8 ELSE counts_at END,
				seen_at=?9`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, t := range ts {
			if t.CID == "" {
				return errors.New("store: tenant with an empty CID")
			}
			if _, err := st.ExecContext(ctx, t.CID, t.Name, t.Parent, t.Status, t.Hosts, t.Groups, t.Alerts, unix(t.CountsAt), unix(seenAt)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Tenants returns the stored tenants, the home tenant (no parent) first, then by name.
func (s *Store) Tenants(ctx context.Context) ([]Tenant, error) {
	db, err := s.conn()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT cid, name, parent, status, hosts, groups, alerts, counts_at, seen_at
		FROM tenants ORDER BY parent<>'', name, cid`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []Tenant
	for rows.Next() {
		var t Tenant
		var countsAt, seenAt int64
		if err := rows.Scan(&t.CID, &t.Name, &t.Parent, &t.Status, &t.Hosts, &t.Groups, &t.Alerts, &countsAt, &seenAt); err != nil {
			return nil, err
		}
		t.CountsAt, t.SeenAt = fromUnix(countsAt), fromUnix(seenAt)
		out = append(out, t)
	}
	return out, classify(rows.Err())
}

// DeleteTenant forgets a tenant (a child that is gone) and everything stored under it.
func (s *Store) DeleteTenant(ctx context.Context, cid string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM tenants WHERE cid=?`, cid).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, t := range []string{"hosts", "host_groups", "group_members", "alerts", "watermarks"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE tid=?", id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE cid=?`, cid); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM tenants WHERE id=?`, id)
		return err
	})
}

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

// PutAlerts adds or replaces alert summaries of tenant cid.
func (s *Store) PutAlerts(ctx context.Context, cid string, alerts []falcon.Alert, syncedAt time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		tid, err := tenantID(ctx, tx, cid)
		if err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO alerts(tid, composite_id, device_id, hostname, status,
			severity, severity_name, name, display_name, product, tactic, technique, assigned_to, created, updated, synced_at)
			VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, a := range alerts {
			if _, err := st.ExecContext(ctx, tid, a.CompositeID, a.DeviceID, a.Hostname, a.Status, a.Severity, a.SeverityName,
				a.Name, a.DisplayName, a.Product, a.Tactic, a.Technique, a.AssignedTo, unix(a.Created), unix(a.Updated), unix(syncedAt)); err != nil {
				return err
			}
		}
		return nil
	})
}

// PruneAlerts keeps the alert summaries of tenant cid updated at or after since: "recent".
func (s *Store) PruneAlerts(ctx context.Context, cid string, since time.Time) error {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM alerts WHERE tid=? AND updated<?`, tid, unix(since))
		return err
	})
}

// Alerts returns the stored alert summaries of tenant cid, newest first.
func (s *Store) Alerts(ctx context.Context, cid string) ([]falcon.Alert, error) {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT composite_id, device_id, hostname, status, severity, severity_name, name,
		display_name, product, tactic, technique, assigned_to, created, updated FROM alerts WHERE tid=? ORDER BY updated DESC, composite_id`, tid)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []falcon.Alert
	for rows.Next() {
		a := falcon.Alert{CID: cid}
		var created, updated int64
		if err := rows.Scan(&a.CompositeID, &a.DeviceID, &a.Hostname, &a.Status, &a.Severity, &a.SeverityName, &a.Name,
			&a.DisplayName, &a.Product, &a.Tactic, &a.Technique, &a.AssignedTo, &created, &updated); err != nil {
			return nil, err
		}
		a.Created, a.Updated = fromUnix(created), fromUnix(updated)
		out = append(out, a)
	}
	return out, classify(rows.Err())
}

// Watermark returns tenant cid's sync watermark (zero when it was never synced).
func (s *Store) Watermark(ctx context.Context, cid string) (Watermark, error) {
	tid, ok, err := s.lookupTenant(ctx, cid)
	if err != nil || !ok {
		return Watermark{}, err
	}
	var m, d, f int64
	err = s.db.QueryRowContext(ctx, `SELECT modified, delta_at, full_at FROM watermarks WHERE tid=?`, tid).Scan(&m, &d, &f)
	if errors.Is(err, sql.ErrNoRows) {
		return Watermark{}, nil
	}
	if err != nil {
		return Watermark{}, classify(err)
	}
	return Watermark{Modified: fromUnix(m), DeltaAt: fromUnix(d), FullAt: fromUnix(f)}, nil
}

// SetWatermark records tenant cid's sync watermark.
func (s *Store) SetWatermark(ctx context.Context, cid string, w Watermark) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		tid, err := tenantID(ctx, tx, cid)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO watermarks(tid, modified, delta_at, full_at) VALUES(?,?,?,?)`,
			tid, unix(w.Modified), unix(w.DeltaAt), unix(w.FullAt))
		return err
	})
}

// Token returns the stored access token of API client clientID in tenant cid ("" = the home
// tenant), if any, expired or not.
func (s *Store) Token(ctx context.Context, clientID, cid string) (Token, bool, error) {
	db, err := s.conn()
	if err != nil {
		return Token{}, false, err
	}
	var t Token
	var exp int64
	err = db.QueryRowContext(ctx, `SELECT token, expires FROM tokens WHERE client_id=? AND cid=?`, clientID, cid).Scan(&t.Value, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, false, nil
	}
	if err != nil {
		return Token{}, false, classify(err)
	}
	t.Expiry = fromUnix(exp)
	return t, true, nil
}

// PutToken stores the access token of API client clientID in tenant cid ("" = the home
// tenant); an empty value deletes it.
func (s *Store) PutToken(ctx context.Context, clientID, cid string, t Token) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if t.Value == "" {
			_, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE client_id=? AND cid=?`, clientID, cid)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO tokens(client_id, cid, token, expires) VALUES(?,?,?,?)`,
			clientID, cid, t.Value, unix(t.Expiry))
		return err
	})
}

// TenantStats is one tenant's line of Stats.
type TenantStats struct {
	CID, Name string
	Hosts     int       // stored host rows
	Groups    int       // stored groups
	Alerts    int       // stored alert summaries
	SyncedAt  time.Time // the newest host row's sync time (zero: none)
	OldestAt  time.Time // the oldest host row's sync time
}

// Stats describes the store: where it is, how big, what it holds and how old it is.
type Stats struct {
	Path          string
	Bytes         int64 // the database file plus its -wal file
	SchemaVersion int
	Tenants       []TenantStats
	Hosts         int
	Groups        int
	Members       int
	Alerts        int
	Tokens        int
}

// Stats reads the store's figures.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	db, err := s.conn()
	if err != nil {
		return Stats{}, err
	}
	st := Stats{Path: s.path}
	for _, p := range []string{s.path, s.path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			st.Bytes += fi.Size()
		}
	}
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&st.SchemaVersion); err != nil {
		return st, classify(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT t.cid, t.name,
		(SELECT count(*) FROM hosts h WHERE h.tid=t.id),
		(SELECT coalesce(max(synced_at),0) FROM hosts h WHERE h.tid=t.id),
		(SELECT coalesce(min(synced_at),0) FROM hosts h WHERE h.tid=t.id),
		(SELECT count(*) FROM host_groups g WHERE g.tid=t.id),
		(SELECT count(*) FROM alerts a WHERE a.tid=t.id)
		FROM tenants t ORDER BY t.parent<>'', t.name, t.cid`)
	if err != nil {
		return st, classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var ts TenantStats
		var newest, oldest int64
		if err := rows.Scan(&ts.CID, &ts.Name, &ts.Hosts, &newest, &oldest, &ts.Groups, &ts.Alerts); err != nil {
			return st, err
		}
		ts.SyncedAt, ts.OldestAt = fromUnix(newest), fromUnix(oldest)
		st.Tenants = append(st.Tenants, ts)
		st.Hosts += ts.Hosts
		st.Groups += ts.Groups
		st.Alerts += ts.Alerts
	}
	if err := rows.Err(); err != nil {
		return st, classify(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM group_members), (SELECT count(*) FROM tokens)`).Scan(&st.Members, &st.Tokens); err != nil {
		return st, classify(err)
	}
	return st, nil
}

// Clear empties the store (its key stays) and gives the space back.
func (s *Store) Clear(ctx context.Context) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, t := range []string{"hosts", "host_groups", "group_members", "alerts", "watermarks", "tokens", "tenants"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM`); err != nil {
		return classify(err)
	}
	_, err = s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return classify(err)
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

// strings runs a query of one text column and returns its values.
func (s *Store) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, classify(rows.Err())
}
