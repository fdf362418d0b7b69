package falcontest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"sync"
	"time"
)

// A snapshot freezes the result ids of a paged query at its first page, so
// that scrolling returns every match exactly once even while hosts change.
// Page tokens are opaque: base64 of (snapshot, position, expiry) with an
// HMAC, dressed like the Elasticsearch scroll ids the real API hands out.
type snapshot struct {
	id      uint64
	tenant  *tenant
	kind    string
	ids     []int32
	strs    []string // for non-host snapshots (alerts, ZTA)
	query   string   // the host query it froze (queryKey), for page tokens that must repeat it
	expires time.Time
}

func (sn *snapshot) size() int {
	if sn.strs != nil {
		return len(sn.strs)
	}
	return len(sn.ids)
}

type snapshotStore struct {
	mu   sync.Mutex
	key  [32]byte
	next uint64
	m    map[uint64]*snapshot
}

const maxSnapshots = 512

func newSnapshotStore() *snapshotStore {
	st := &snapshotStore{m: map[uint64]*snapshot{}}
	_, _ = rand.Read(st.key[:])
	return st
}

var errBadToken = errors.New("invalid or expired pagination token")

// tokenPrefix makes tokens start like an ES scroll id ("FQluY2x1ZGVfY29u…").
var tokenPrefix = []byte("\x15\x09include_context_uuid\x0dqueryAndFetch\x01")

func (st *snapshotStore) create(t *tenant, kind string, ids []int32, strs []string, now time.Time, ttl time.Duration) *snapshot {
	st.mu.Lock()
	defer st.mu.Unlock()
	for k, sn := range st.m {
		if now.After(sn.expires) {
			delete(st.m, k)
		}
	}
	if len(st.m) >= maxSnapshots { // drop the oldest
		oldest := ^uint64(0)
		for k := range st.m {
			oldest = min(oldest, k)
		}
		delete(st.m, oldest)
	}
	st.next++
	sn := &snapshot{id: st.next, tenant: t, kind: kind, ids: ids, strs: strs, expires: now.Add(ttl)}
	st.m[sn.id] = sn
	return sn
}

// token encodes a position in sn valid until exp, and keeps sn alive that long.
func (st *snapshotStore) token(sn *snapshot, pos int, exp time.Time) string {
	st.mu.Lock()
	if exp.After(sn.expires) {
		sn.expires = exp
	}
	st.mu.Unlock()
	b := make([]byte, 0, len(tokenPrefix)+28+16)
	b = append(b, tokenPrefix...)
	b = binary.BigEndian.AppendUint64(b, sn.id)
	b = binary.BigEndian.AppendUint32(b, uint32(pos))
	b = binary.BigEndian.AppendUint64(b, uint64(exp.UnixNano()))
	mac := hmac.New(sha256.New, st.key[:])
	mac.Write(b)
	b = mac.Sum(b)[:len(b)+16]
	return base64.StdEncoding.EncodeToString(b)
}

// resolve checks a token and returns its snapshot and position.
func (st *snapshotStore) resolve(tok string, t *tenant, kind string, now time.Time) (*snapshot, int, error) {
	b, err := base64.StdEncoding.DecodeString(tok)
	if err != nil {
		// Be lenient about padding lost by careless URL handling.
		if b, err = base64.RawStdEncoding.DecodeString(tok); err != nil {
			return nil, 0, errBadToken
		}
	}
	n := len(tokenPrefix) + 20
	if len(b) != n+16 {
		return nil, 0, errBadToken
	}
	mac := hmac.New(sha256.New, st.key[:])
	mac.Write(b[:n])
	if !hmac.Equal(mac.Sum(nil)[:16], b[n:]) {
		return nil, 0, errBadToken
	}
	p := b[len(tokenPrefix):]
	id := binary.BigEndian.Uint64(p)
	pos := int(binary.BigEndian.Uint32(p[8:]))
	exp := time.Unix(0, int64(binary.BigEndian.Uint64(p[12:])))
	if now.After(exp) {
		return nil, 0, errBadToken
	}
	st.mu.Lock()
	sn := st.m[id]
	st.mu.Unlock()
	if sn == nil || sn.tenant != t || sn.kind != kind || pos > sn.size() {
		return nil, 0, errBadToken
	}
	return sn, pos, nil
}
