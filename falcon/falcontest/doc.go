// Package falcontest is a simulated CrowdStrike Falcon cloud for the demo,
// the tests and the benchmarks of falcon-tui. Like net/http/httptest it
// serves real HTTP on loopback:
//
//	s := falcontest.NewServer(falcontest.WithSeed(7), falcontest.WithHosts(5000))
//	defer s.Close()
//	full := s.Client("full") // ID, Secret, Scopes
//	// point a client at s.URL
//
// It speaks the wire contract of docs/API.md and api/openapi-subset.json on
// its own and never imports the client package, so a wrong JSON tag in the
// client cannot be mirrored here and pass unnoticed.
//
// # Data
//
// A parent CID with WithTenants children (default 3), WithHosts hosts per
// tenant (default 1000), 8–15 host groups per tenant of all three types,
// a few hundred alerts per tenant over the last 30 days, ZTA scores, console
// users, Flight Control CID groups, user groups and role links. Everything
// is a pure function of WithSeed; timestamps are relative to the server
// clock at start (WithClock). By default child 2 lacks Zero Trust
// Assessment (its calls answer 404 without X-Cs-Region, as an unprovisioned
// product does).
// About 6% of hosts are stale (last seen > 30 days), 1.5% contained, 0.5%
// hidden (host queries leave those out: Tenant.Hosts counts the hosts they
// serve, Tenant.Hidden the hidden ones). WithHostile puts terminal escape
// sequences (CSI, OSC 52, OSC 8), bidi overrides, zero-width and wide
// characters and 10 KB strings into hostnames, tags, group
// names/descriptions and alert texts.
//
// API clients: "full" (every scope), "analyst" (every :read scope except
// api-clients:read) and "partial" (no host-group:write, mssp:read,
// api-clients:read); WithClient adds more.
//
// # Gateway behaviour
//
// Every reply carries X-Cs-Traceid (= meta.trace_id), X-Cs-Region,
// X-Ratelimit-Limit, X-Ratelimit-Remaining and Content-Type:
// application/json — except the 404 of a product that is not provisioned in
// the tenant, which lacks X-Cs-Region: that is how a client tells "not
// provisioned" from "not found" (docs/API.md §8). The pipeline
// is: latency → route (404/405) → bearer token (401 "access denied, invalid
// bearer token", 15/min per IP) → injected 429 → per-CID sliding 60 s window
// (429 with X-Ratelimit-Retryafter = Unix second at which a slot frees) →
// scope (403 "access denied, scope not permitted", powered_by
// crowdstrike-api-gateway) → provisioning (404 "Not Found" from the gateway,
// without X-Cs-Region) → query parameters (unknown, missing, malformed or
// out-of-range parameters → 400) → handler. /oauth2/token and /oauth2/revoke
// share their own per-IP window (300/min, WithTokenRateLimit), told in the
// same rate headers. Malformed FQL gets 400, never 500.
//
// WithBandwidth adds a link model after the handler: every reply crosses
// one link shared by all connections (a WAN uplink), paced in real time,
// so a load's wall time is at least its bytes over the rate. Without it
// replies are written at once.
//
// # Tokens
//
// POST /oauth2/token accepts client credentials in the form or in a Basic
// header and returns 201 with a JWT-looking opaque token (expires_in 1799 s,
// WithTokenLifetime). Bad secret or unknown client: 403 "Failed to issue
// access token - Client authentication failed (…)". A member_cid that is not
// a child of the parent: 400 "Failed to generate access token for
// clientID=<id>." with trace_id "--". WithBlockedClient(name): 403 "access
// denied, authorization failed" (IP allowlisting). WithRedirectTo(url):
// 308 with Location <url>/oauth2/token and an empty body (the wrong cloud).
// POST /oauth2/revoke (Basic credentials, form token) answers 200.
//
// # Paging
//
// queries/devices/v1: offset+limit ≤ 10,000 (else 400 "limit + offset must
// be less than 10000"), limit 1–5000. queries/devices-scroll/v1 and
// combined/devices/v1 freeze the result ids at the first page (a snapshot),
// so every host comes exactly once even if hosts change meanwhile; their
// tokens are opaque, HMAC-protected, expire WithScrollExpiry (default 2 min;
// expires_at is Unix nanoseconds) and a garbled or expired token gets 400.
// The scroll keeps returning a token at the end (with no more ids);
// combined devices omits `next` on the last page; alerts combined omits
// `after` on the last page. Combined devices sorts by device_id.asc when
// no sort is given (as its spec says) and answers 400 when `next` comes
// back with another filter or sort than the first page's (the spec says
// to repeat them; a guess at what the API does otherwise). fields=a,b
// trims its records to those keys, plus device_id and cid; dotted names
// pick keys inside objects (device_policies.prevention.applied, meta.version).
//
// # Partial results
//
// Entity reads answer found ids in resources and one errors entry per
// unknown id (code 404, id set): 200 when anything was found, 404 when
// nothing was. Flight Control entity calls answer 207 when any id failed.
// Device ids of another tenant are unknown ids.
//
// # Host groups
//
// The assignment_rule of the three group types:
//
//	static      device_id:[''],hostname:['H1','H2']     (hostname list)
//	staticByID  device_id:['a1','a2'],hostname:['']     (AID list)
//	dynamic     any host FQL, e.g. platform_name:'Mac'
//
// Dynamic members are recomputed whenever host data changes. add-hosts and
// remove-hosts (≤ 500 hosts per call, else 400) update the stored rule and
// the hosts' `groups` field; on a dynamic group they answer 400 (a guess).
// Create rejects assignment_rule on static kinds (400); an unparsable rule
// answers 500 like the real API. Hosts can be filtered by groups:'<id>'.
// A hidden host keeps its memberships but is left out wherever members are
// listed — the members queries, groups:'<id>', Server.GroupMembers — as the
// console hides hidden hosts everywhere; Server.GroupMembersAll includes them.
//
// # Faults
//
// WithFaults draws at most one fault per request outside /_sim/ (and, unless
// Faults.IncludeToken, outside /oauth2/): 429 (Retryafter = now+1 s, no
// budget consumed), 500, connection reset (TCP RST), malformed (truncated)
// JSON. Faulted writes are not applied, so retries are safe — except a
// reset on an idempotent write (device actions, tags, host-group
// add/remove-hosts, alert updates, MSSP member changes), which strikes
// AFTER the change was applied to prove clients retry idempotently.
//
// # Statistics
//
// GET /_sim/stats (DELETE resets; no auth, never faulted or counted) and
// Server.Stats return:
//
//	{"requests_total":N,
//	 "by_operation":{"GET /devices/queries/devices-scroll/v1":n,…},  // "unknown" for bad paths
//	 "by_status":{"200":n,"429":n,"reset":n,…},
//	 "by_tenant":{"<cid>":n,…},                                       // CID of the token
//	 "throttled_429":n,                                               // every 429 sent
//	 "writes":n,                                                      // successful state-changing calls
//	 "alerts_updated":n,                                              // alerts changed by applied alert PATCHes
//	 "bytes_sent":n,                                                  // status lines + headers + bodies
//	 "bytes_by_operation":{"GET /devices/combined/devices/v1":n,…}}
//
// These names are stable.
//
// # Alert triage and users
//
// PATCH /alerts/entities/alerts/v3 (and v2) applies every action of
// docs/API.md §14 to the named alerts; a re-read shows the change and
// Stats.AlertsUpdated counts it. An unknown action, a status other than
// new/in_progress/reopened/closed, or an assign_to_uuid/_user_id/_name
// naming no user of the tenant answers 400 (meta + errors) and changes
// nothing; unknown composite ids get a 404 entry each (status 404 when no
// alert was found). Each tenant has 8–17 console users; WithHostile puts
// control sequences into some first names.
//
// # Outside the subset
//
// mimicked.go serves operations the real API has but the subset lacks,
// with the SDKs' shapes (docs/API.md §0): POST
// /user-management/entities/users/GET/v1 {"ids":[…]} (≤ 5,000 UUIDs)
// returns the tenant's users.
//
// extra_scopes.go serves cheap probe endpoints for integration scopes the
// subset lacks (real-time-response, iocs, exclusions, detects, incidents,
// spotlight, ods, identity-protection GraphQL). GET
// /api-clients/entities/api-clients/v1?ids=<own id> returns the client with
// its scope ids (a guess; needs api-clients:read, only "full" has it).
package falcontest
