package groupedit

import (
	"context"
	"errors"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/domain"
)

// WriteScope is the scope every host-group write needs.
const WriteScope = "host-group:write"

// Messages shown instead of a write when it cannot be sent.
const (
	ReadOnlyReason       = domain.ReadOnlyReason
	ScopeReason          = "needs " + WriteScope
	NotProvisionedReason = "host groups are not provisioned in this tenant"
	DynamicReason        = "its rule decides — press e to edit the rule"
)

// Access is what the API client may do to a tenant's host groups.
type Access uint8

const (
	AccessUnknown        Access = iota // not probed yet (or the probe could not tell)
	AccessGranted                      // host-group:write granted
	AccessDenied                       // host-group:write missing: writes would get 403
	AccessReadOnly                     // --read-only: no write call is ever sent
	AccessNotProvisioned               // the tenant has no host groups product: no scope helps
)

// WriteProbedMsg carries the result of probing host-group:write in tenant CID. The root may
// forward it to both the host-groups pane and the overlay; each records it.
type WriteProbedMsg struct {
	CID    string
	Access Access
	Err    error // transport trouble: Access stays unknown and the next write tries again

	from *Prober // the prober (so the client) that sent it; nil in tests that build one
}

// probeState is where a tenant's probe is for one Prober.
type probeState uint8

const (
	probeNone     probeState = iota
	probeInFlight            // sent, no answer yet
	probeAnswered            // answered: granted, denied or read-only
	probeFailed              // transport trouble: a write may try again
)

// Prober sends the host-group:write probe for one client: at most once per tenant (a switch
// back and forth, or the overlay and the host-groups pane both asking, share one call),
// under the client's context (a profile switch cancels it), and never in read-only mode.
// The root makes one per client and gives it to every model that probes; it is safe to
// share between copies of those models.
type Prober struct {
	ctx      context.Context
	client   *falcon.Client
	readOnly bool

	mu    sync.Mutex
	state map[string]probeState // by lower-case CID
}

// NewProber returns the prober of client; ctx is the parent of every probe (nil =
// Background). readOnly (or a read-only client) answers every probe without a call.
func NewProber(ctx context.Context, client *falcon.Client, readOnly bool) *Prober {
	if ctx == nil {
		ctx = context.Background()
	}
	return &Prober{ctx: ctx, client: client, readOnly: readOnly || (client != nil && client.ReadOnly()),
		state: map[string]probeState{}}
}

// Probe returns the probe of tenant cid, or nil when one was sent already (its answer is in,
// or on its way to every model) or there is no client.
func (p *Prober) Probe(cid string) tea.Cmd {
	return p.probe(cid, false)
}

// Retry is Probe for a write the user is about to make, whose model does not know the
// answer (a probe that failed with transport trouble): it is sent again unless one is on
// its way, whose answer ends the wait.
func (p *Prober) Retry(cid string) tea.Cmd {
	return p.probe(cid, true)
}

func (p *Prober) probe(cid string, again bool) tea.Cmd {
	if p == nil || p.client == nil {
		return nil
	}
	if p.readOnly {
		return func() tea.Msg { return WriteProbedMsg{CID: cid, Access: AccessReadOnly, from: p} }
	}
	key := strings.ToLower(cid)
	p.mu.Lock()
	defer p.mu.Unlock()
	switch st := p.state[key]; {
	case st == probeInFlight, st != probeNone && !again:
		return nil
	}
	p.state[key] = probeInFlight
	ctx, client := p.ctx, p.client
	return func() tea.Msg {
		msg := probeWrite(ctx, client, cid)
		msg.from = p
		p.mu.Lock()
		p.state[key] = probeAnswered
		if msg.Access == AccessUnknown {
			p.state[key] = probeFailed
		}
		p.mu.Unlock()
		return msg
	}
}

// Accepts reports whether msg answers for the client of p: a probe sent for the client
// before a profile switch says nothing about the new one.
func (p *Prober) Accepts(msg WriteProbedMsg) bool { return msg.from == nil || msg.from == p }

// probeWrite asks the client whether it may write host groups in tenant cid
// (falcon.HostGroupsService.WriteAccess: a probe that never changes anything, read by the
// same rules as the scope report).
func probeWrite(ctx context.Context, client *falcon.Client, cid string) WriteProbedMsg {
	st, err := client.HostGroups.WriteAccess(ctx, cid)
	switch {
	case errors.Is(err, falcon.ErrReadOnly):
		return WriteProbedMsg{CID: cid, Access: AccessReadOnly}
	case st == falcon.ScopeGranted:
		return WriteProbedMsg{CID: cid, Access: AccessGranted}
	case st == falcon.ScopeDenied:
		return WriteProbedMsg{CID: cid, Access: AccessDenied}
	case st == falcon.ScopeNotProvisioned:
		return WriteProbedMsg{CID: cid, Access: AccessNotProvisioned}
	}
	return WriteProbedMsg{CID: cid, Access: AccessUnknown, Err: err}
}

// Reason is the message a write key shows when access forbids it ("" when writes may go).
func (a Access) Reason() string {
	switch a {
	case AccessReadOnly:
		return ReadOnlyReason
	case AccessDenied:
		return ScopeReason
	case AccessNotProvisioned:
		return NotProvisionedReason
	}
	return ""
}

// AccessMap remembers the probe result per tenant. The zero value is ready to use once made
// with make; it is a plain map so models stay cheap to copy.
type AccessMap map[string]Access

// Record stores a probe result. Unknown results are not stored so the next write probes again.
func (am AccessMap) Record(msg WriteProbedMsg) {
	if msg.Access != AccessUnknown {
		am[msg.CID] = msg.Access
	}
}

// Of is the access in tenant cid, answering read-only at once.
func (am AccessMap) Of(client *falcon.Client, cid string) Access {
	if client != nil && client.ReadOnly() {
		return AccessReadOnly
	}
	return am[cid]
}
