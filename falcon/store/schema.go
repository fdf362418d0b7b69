package store

// migrations are the schema's ordered steps: migrations[i] takes a database from version i to
// version i+1 (PRAGMA user_version). A step is never edited once released; a change is a new
// step at the end. Each runs in one transaction with its version bump, so a database is always
// at exactly one version.
var migrations = []string{
	// 1: tenants, hosts' list rows, groups and their members, sync watermarks.
	`CREATE TABLE tenants (
		id        INTEGER PRIMARY KEY,
		cid       TEXT NOT NULL UNIQUE,
		name      TEXT NOT NULL DEFAULT '',
		parent    TEXT NOT NULL DEFAULT '',
		status    TEXT NOT NULL DEFAULT '',
		hosts     INTEGER NOT NULL DEFAULT -1,
		groups    INTEGER NOT NULL DEFAULT -1,
		alerts    INTEGER NOT NULL DEFAULT -1,
		counts_at INTEGER NOT NULL DEFAULT 0,
		seen_at   INTEGER NOT NULL DEFAULT 0
	);
	CREATE TABLE hosts (
		tid             INTEGER NOT NULL,
		device_id       TEXT NOT NULL,
		hostname        TEXT NOT NULL,
		platform        TEXT NOT NULL,
		os_version      TEXT NOT NULL,
		os_product      TEXT NOT NULL,
		agent_version   TEXT NOT NULL,
		status          TEXT NOT NULL,
		local_ip        TEXT NOT NULL,
		external_ip     TEXT NOT NULL,
		machine_domain  TEXT NOT NULL,
		site_name       TEXT NOT NULL,
		last_login_user TEXT NOT NULL,
		last_seen       INTEGER NOT NULL,
		modified        INTEGER NOT NULL,
		tags            TEXT NOT NULL,
		groups          TEXT NOT NULL,
		synced_at       INTEGER NOT NULL,
		PRIMARY KEY (tid, device_id)
	) WITHOUT ROWID;
	CREATE TABLE host_groups (
		tid         INTEGER NOT NULL,
		id          TEXT NOT NULL,
		name        TEXT NOT NULL,
		description TEXT NOT NULL,
		type        TEXT NOT NULL,
		rule        TEXT NOT NULL,
		modified    INTEGER NOT NULL,
		members_at  INTEGER NOT NULL DEFAULT 0,
		synced_at   INTEGER NOT NULL,
		PRIMARY KEY (tid, id)
	) WITHOUT ROWID;
	CREATE TABLE group_members (
		tid       INTEGER NOT NULL,
		group_id  TEXT NOT NULL,
		device_id TEXT NOT NULL,
		PRIMARY KEY (tid, group_id, device_id)
	) WITHOUT ROWID;
	CREATE TABLE watermarks (
		tid      INTEGER PRIMARY KEY,
		modified INTEGER NOT NULL DEFAULT 0,
		delta_at INTEGER NOT NULL DEFAULT 0,
		full_at  INTEGER NOT NULL DEFAULT 0
	);`,

	// 2: recent alert summaries and per-tenant access tokens.
	`CREATE TABLE alerts (
		tid           INTEGER NOT NULL,
		composite_id  TEXT NOT NULL,
		device_id     TEXT NOT NULL,
		hostname      TEXT NOT NULL,
		status        TEXT NOT NULL,
		severity      INTEGER NOT NULL,
		severity_name TEXT NOT NULL,
		name          TEXT NOT NULL,
		display_name  TEXT NOT NULL,
		product       TEXT NOT NULL,
		tactic        TEXT NOT NULL,
		technique     TEXT NOT NULL,
		assigned_to   TEXT NOT NULL,
		created       INTEGER NOT NULL,
		updated       INTEGER NOT NULL,
		synced_at     INTEGER NOT NULL,
		PRIMARY KEY (tid, composite_id)
	) WITHOUT ROWID;
	CREATE TABLE tokens (
		cid     TEXT PRIMARY KEY,
		token   TEXT NOT NULL,
		expires INTEGER NOT NULL
	) WITHOUT ROWID;`,

	// 3: tokens keyed by API client too, so that one client's token is never handed to
	// another (falcon.TokenKey). The old rows named no client: they are dropped, which
	// costs one token call per tenant at most.
	`DROP TABLE tokens;
	CREATE TABLE tokens (
		client_id TEXT NOT NULL,
		cid       TEXT NOT NULL,
		token     TEXT NOT NULL,
		expires   INTEGER NOT NULL,
		PRIMARY KEY (client_id, cid)
	) WITHOUT ROWID;`,

	// 4: a host is one encoded row (encodeRow, row.go) of every field store.Fields fills,
	// beside its key, its modified_timestamp and its sync time, and the values its tenant's
	// hosts share are kept once, in host_values: reading one small blob per host is several
	// times faster than seventeen columns. The old rows are dropped — the table is a cache —
	// and the watermarks with them, so the next refresh reloads every tenant in full.
	`DROP TABLE hosts;
	CREATE TABLE hosts (
		tid       INTEGER NOT NULL,
		device_id TEXT NOT NULL,
		modified  INTEGER NOT NULL,
		synced_at INTEGER NOT NULL,
		row       BLOB NOT NULL,
		PRIMARY KEY (tid, device_id)
	) WITHOUT ROWID;
	CREATE TABLE host_values (
		tid   INTEGER NOT NULL,
		id    INTEGER NOT NULL,
		value BLOB NOT NULL,
		PRIMARY KEY (tid, id)
	) WITHOUT ROWID;
	DELETE FROM watermarks;`,
}

// SchemaVersion is the version a database has after Open.
var SchemaVersion = len(migrations)
