package falcon

// This file is the client's public contract, written first so the explorer and the commands
// can be built against it while the implementation lands. The implementation replaces these
// stubs file by file (client.go, auth.go, hosts.go, ...); signatures stay as they are here.

import (
	"context"
	"errors"
	"io"
	"iter"
	"net/http"
	"time"
)

var errTODO = errors.New("falcon: not implemented yet")

// Config configures a Client. ClientSecret is used only to fetch tokens and is never logged.
type Config struct {
	ClientID     string
	ClientSecret string
	Cloud        Cloud  // CloudAuto discovers the cloud from the token reply
	BaseURL      string // overrides Cloud; plain http only for loopback hosts
	MemberCID    string // the tenant the client starts in ("" = the home CID of the credentials)
	HTTPClient   *http.Client
	UserAgent    string
	ReadOnly     bool      // write calls fail with ErrReadOnly before anything is sent
	DebugLog     io.Writer // one line per call, secrets and tokens redacted; nil = off
	MaxRetries   int       // per request for 429/5xx/resets; 0 = default (5)
}

// Client talks to one Falcon cloud with one API client, in any number of tenants.
type Client struct {
	Tenants    *TenantsService
	Hosts      *HostsService
	HostGroups *HostGroupsService
	Alerts     *AlertsService
	ZTA        *ZTAService
	Sensors    *SensorsService
	Scopes     *ScopesService
}

// New validates cfg and returns a client. It does no network IO.
func New(cfg Config) (*Client, error) { return nil, errTODO }

// Connect gets the first token (discovering the cloud when Cloud is auto), so that credential,
// allow-list and network problems surface at once with their own error.
func (c *Client) Connect(ctx context.Context) error { return errTODO }

// Cloud is the cloud the client talks to (after discovery).
func (c *Client) Cloud() Cloud { return "" }

// BaseURL is the API base URL in use.
func (c *Client) BaseURL() string { return "" }

// ClientID is the API client's ID (not secret).
func (c *Client) ClientID() string { return "" }

// HomeCID is the CID the credentials belong to, once known ("" before Connect or when no
// endpoint the client may read reveals it).
func (c *Client) HomeCID() string { return "" }

// ReadOnly reports whether write calls are refused.
func (c *Client) ReadOnly() bool { return false }

// Close revokes the tokens the client holds (best effort) and stops background work.
func (c *Client) Close(ctx context.Context) error { return nil }

// RateLimit returns the current rate-limit state of a tenant ("" = home tenant).
func (c *Client) RateLimit(cid string) RateState { return RateState{} }

// SubscribeRateLimits delivers every rate-limit state change until ctx ends. Slow readers
// miss intermediate states, never the newest.
func (c *Client) SubscribeRateLimits(ctx context.Context) <-chan RateState { return nil }

// RateState is a tenant's rate-limit pool as the last replies described it.
type RateState struct {
	CID        string
	Limit      int       // X-Ratelimit-Limit
	Remaining  int       // X-Ratelimit-Remaining
	Requests1m int       // requests this client sent to the tenant in the last minute
	Throttled  int       // 429 replies received, all time
	RetryAfter time.Time // while cooling down after a 429; zero otherwise
	Updated    time.Time
}

// CoolingDown reports whether requests to the tenant are paused at now.
func (s RateState) CoolingDown(now time.Time) bool { return now.Before(s.RetryAfter) }

// Raw request access, for scope probes and diagnostics.

// Request is a raw API call in a tenant.
type Request struct {
	Method string
	Path   string // "/devices/queries/devices/v1"
	Query  map[string][]string
	Body   any // JSON-encoded when non-nil
}

// Response is a decoded reply envelope plus its transport facts.
type Response struct {
	StatusCode int
	Header     http.Header
	TraceID    string
	Region     string
	Rate       RateState
	Meta       Meta
	Errors     []ErrorItem
	Resources  []byte // raw JSON of "resources"
}

// Meta is msa.MetaInfo.
type Meta struct {
	QueryTime  float64
	PoweredBy  string
	TraceID    string
	Pagination Pagination
}

// Pagination covers the numeric, token and after-cursor forms.
type Pagination struct {
	Offset    string // numeric or opaque scroll token, as a string
	Limit     int
	Total     int
	Next      string
	After     string
	ExpiresAt int64
}

// Do sends a raw request in tenant cid. Unlike the typed services it does not turn a 4xx
// into an error: the caller gets the Response (err is for transport problems, cancelled
// contexts and exhausted retries). Writes are still refused in read-only mode.
func (c *Client) Do(ctx context.Context, cid string, r *Request) (*Response, error) {
	return nil, errTODO
}

// TenantsService reads the home tenant and its Flight Control children.
type TenantsService struct{ client *Client }

// List returns the home tenant first, then its children by name. Without mssp:read the
// list holds only the home tenant.
func (s *TenantsService) List(ctx context.Context) ([]Tenant, error) { return nil, errTODO }

// Summary counts a tenant's hosts, stale and contained hosts and new alerts.
func (s *TenantsService) Summary(ctx context.Context, cid string) (TenantSummary, error) {
	return TenantSummary{}, errTODO
}

// HostsService reads hosts.
type HostsService struct{ client *Client }

// HostQuery selects hosts.
type HostQuery struct {
	Filter string // FQL
	Sort   string // "hostname.asc"
	Limit  int    // 0 = every host
}

// Stream yields the hosts of tenant cid in batches as they arrive (scroll ids + detail
// calls of up to 5,000, pipelined). The iteration stops at the first error, which is yielded.
func (s *HostsService) Stream(ctx context.Context, cid string, q HostQuery) iter.Seq2[[]Host, error] {
	return func(func([]Host, error) bool) {}
}

// StreamTenants streams several tenants in parallel, each within its own rate limit.
func (s *HostsService) StreamTenants(ctx context.Context, cids []string, q HostQuery) iter.Seq2[[]Host, error] {
	return func(func([]Host, error) bool) {}
}

// Get returns the hosts with the given device IDs (missing IDs are skipped).
func (s *HostsService) Get(ctx context.Context, cid string, ids []string) ([]Host, error) {
	return nil, errTODO
}

// Count returns how many hosts match filter.
func (s *HostsService) Count(ctx context.Context, cid, filter string) (int, error) { return 0, errTODO }

// HostGroupsService reads and edits host groups.
type HostGroupsService struct{ client *Client }

// List returns every host group of the tenant (all pages), sorted by name.
func (s *HostGroupsService) List(ctx context.Context, cid string, filter string) ([]HostGroup, error) {
	return nil, errTODO
}

// Get returns one group.
func (s *HostGroupsService) Get(ctx context.Context, cid, id string) (HostGroup, error) {
	return HostGroup{}, errTODO
}

// GroupSpec creates or updates a group. On update, empty fields are left unchanged.
type GroupSpec struct {
	Name           string
	Description    string
	Type           GroupType // create only
	AssignmentRule string    // dynamic groups
}

func (s *HostGroupsService) Create(ctx context.Context, cid string, spec GroupSpec) (HostGroup, error) {
	return HostGroup{}, errTODO
}
func (s *HostGroupsService) Update(ctx context.Context, cid, id string, spec GroupSpec) (HostGroup, error) {
	return HostGroup{}, errTODO
}
func (s *HostGroupsService) Delete(ctx context.Context, cid string, ids ...string) error { return errTODO }

// Members streams a group's members via a hosts query on groups:'id' (works past 10k).
func (s *HostGroupsService) Members(ctx context.Context, cid, groupID string, q HostQuery) iter.Seq2[[]Host, error] {
	return func(func([]Host, error) bool) {}
}

// MemberCount returns the number of hosts in the group.
func (s *HostGroupsService) MemberCount(ctx context.Context, cid, groupID string) (int, error) {
	return 0, errTODO
}

// MembershipAction is add-hosts or remove-hosts.
type MembershipAction string

const (
	AddHosts    MembershipAction = "add-hosts"
	RemoveHosts MembershipAction = "remove-hosts"
)

// Inverse is the action that undoes a.
func (a MembershipAction) Inverse() MembershipAction {
	if a == AddHosts {
		return RemoveHosts
	}
	return AddHosts
}

// Outcome is what happened to one host in a membership edit.
type Outcome uint8

const (
	OutcomeChanged   Outcome = iota // added (or removed) by this edit
	OutcomeUnchanged                // already a member (or already not a member)
	OutcomeFailed                   // the chunk failed; Err says why
)

// HostOutcome is the per-host result of a membership edit.
type HostOutcome struct {
	DeviceID string
	Outcome  Outcome
	Err      error
}

// MembershipProgress is reported after each chunk.
type MembershipProgress struct {
	Done, Total int
}

// MembershipResult lists every requested host exactly once, in request order.
type MembershipResult struct {
	GroupID string
	Action  MembershipAction
	Hosts   []HostOutcome
}

// Changed returns the device IDs whose membership this edit changed (what an undo must revert).
func (r MembershipResult) Changed() []string {
	var ids []string
	for _, h := range r.Hosts {
		if h.Outcome == OutcomeChanged {
			ids = append(ids, h.DeviceID)
		}
	}
	return ids
}

// Failed returns the device IDs whose chunk failed (what a retry must resend).
func (r MembershipResult) Failed() []string {
	var ids []string
	for _, h := range r.Hosts {
		if h.Outcome == OutcomeFailed {
			ids = append(ids, h.DeviceID)
		}
	}
	return ids
}

// EditMembers adds or removes hosts in chunks of 500, checking membership before and after
// so that each host's outcome is the server's truth. progress may be nil. A non-nil error
// means the edit could not start (scope, read-only, dynamic group, ...); chunk failures are
// reported per host in the result instead.
func (s *HostGroupsService) EditMembers(ctx context.Context, cid, groupID string, action MembershipAction,
	deviceIDs []string, progress func(MembershipProgress)) (MembershipResult, error) {
	return MembershipResult{}, errTODO
}

// AlertsService reads alerts.
type AlertsService struct{ client *Client }

// AlertQuery selects alerts.
type AlertQuery struct {
	Filter string // FQL, e.g. "status:'new'+severity:>=70"
	Sort   string // default "created_timestamp|desc"
	Limit  int    // default 200
}

// List returns alerts newest first (query v2 + entities v2).
func (s *AlertsService) List(ctx context.Context, cid string, q AlertQuery) ([]Alert, error) {
	return nil, errTODO
}

// ForHost returns a host's recent alerts.
func (s *AlertsService) ForHost(ctx context.Context, cid, deviceID string, limit int) ([]Alert, error) {
	return nil, errTODO
}

// Count returns how many alerts match filter.
func (s *AlertsService) Count(ctx context.Context, cid, filter string) (int, error) { return 0, errTODO }

// ZTAService reads Zero Trust Assessments.
type ZTAService struct{ client *Client }

// Get returns the assessments of the given hosts.
func (s *ZTAService) Get(ctx context.Context, cid string, aids ...string) ([]ZTAAssessment, error) {
	return nil, errTODO
}

// SensorsService reads sensor installers and usage.
type SensorsService struct{ client *Client }

// CCID returns the tenant's customer ID with checksum.
func (s *SensorsService) CCID(ctx context.Context, cid string) (string, error) { return "", errTODO }

// ScopesService probes what the API client may do (see scopes catalogue).
type ScopesService struct{ client *Client }
