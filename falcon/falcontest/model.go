package falcontest

import (
	"math/bits"
	"strings"
	"sync"
	"sync/atomic"
)

// host is one sensor, stored compactly so that a million fit in memory:
// repeated values are indexes into shared tables (osProfiles, hwProfiles,
// tenant.sites, tenant.tagSets), times are Unix seconds, and attributes that
// never change (MAC, IPs, serial, BIOS, …) are derived from seed on demand.
// The device id is not stored at all; see deviceIDCodec.
type host struct {
	hostname  string
	firstSeen int64
	lastSeen  int64
	modified  int64
	seed      uint64
	tags      uint32 // index into tenant.tagSets
	user      uint16 // index into tenant.people
	os        uint8  // index into osProfiles
	hw        uint8  // index into hwProfiles
	agent     uint8  // index into osProfiles[os].agents
	site      uint8  // index into tenant.sites
	status    uint8
	flags     uint8
}

// Host status values as the API spells them.
const (
	stNormal uint8 = iota
	stContainPending
	stContained
	stLiftPending
)

var statusNames = [...]string{"normal", "containment_pending", "contained", "lift_containment_pending"}

const (
	flHidden     uint8 = 1 << iota
	flRFM              // reduced functionality mode
	flSuppressed       // detection suppression on
)

// group is a host group. Membership of static groups is explicit (host
// names or AIDs, mirrored in a bitset); dynamic groups compute their bitset
// lazily from rule whenever the tenant's host data changed.
type group struct {
	id, name, description, groupType string
	rule                             string // assignment_rule as served
	createdBy, modifiedBy            string
	created, modified                int64

	hostnames []string // static: ordered hostname list
	aids      []string // staticByID: ordered device id list
	members   bitset   // static kinds: authoritative; dynamic: cache
	dynOK     bool     // dynamic: members computed at least once
}

// tenant is one CID: the parent or a Flight Control child.
type tenant struct {
	idx      int // 0 = parent
	cid      string
	name     string
	parent   *tenant
	code     string // hostname prefix
	domain   string
	checksum string // CCID checksum
	created  int64
	sites    []site
	people   []string // usernames
	policies map[string]string

	mu sync.RWMutex
	// version is bumped on every host or group change (query caches key on
	// it); hostVersion only when host attributes change (dynamic group
	// rules depend on those). dynHostVer/dynAt record when dynamic
	// memberships were last computed.
	version     atomic.Uint64
	hostVersion atomic.Uint64
	dynHostVer  atomic.Uint64
	dynAt       atomic.Int64

	hosts   []host
	tagSets [][]string
	// idOrder lists the hosts by device id (see Server.idOrder).
	idOrderOnce sync.Once
	idOrder     []int32
	tagIdx      map[string]uint32

	groups    []*group
	groupByID map[string]*group

	alerts    []*alert
	alertByID map[string]*alert

	users []*user

	unprovisioned []string // scope prefixes this tenant lacks
}

func (t *tenant) tagsOf(h *host) []string { return t.tagSets[h.tags] }

// internTags returns the index of the tag set (order-insensitive).
func (t *tenant) internTags(tags []string) uint32 {
	key := strings.Join(tags, "\x00")
	if i, ok := t.tagIdx[key]; ok {
		return i
	}
	i := uint32(len(t.tagSets))
	t.tagSets = append(t.tagSets, tags)
	t.tagIdx[key] = i
	return i
}

func (t *tenant) provisioned(scope string) bool {
	for _, p := range t.unprovisioned {
		if strings.HasPrefix(scope, p) {
			return false
		}
	}
	return true
}

// bitset is a fixed-size set of host indexes.
type bitset []uint64

func newBitset(n int) bitset    { return make(bitset, (n+63)/64) }
func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) reset()         { clear(b) }
func (b bitset) each(fn func(i int)) {
	for w, word := range b {
		for word != 0 {
			tz := bits.TrailingZeros64(word)
			fn(w*64 + tz)
			word &^= 1 << uint(tz)
		}
	}
}

// apiClient is an OAuth2 client of the parent CID.
type apiClient struct {
	name, id, secret string
	scopes           map[string]bool
	scopeList        []string // sorted
	created          int64
}

func (c *apiClient) has(scope string) bool { return c.scopes[scope] }

func (c *apiClient) hasPrefix(prefix string) bool {
	for _, s := range c.scopeList {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// user is a console user (user-management, MSSP user groups).
type user struct {
	uuid, uid, first, last, status string
	created, lastLogin             int64
}
