package groupedit

import (
	"context"
	"errors"
	"net/http"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// WriteScope is the scope every host-group write needs.
const WriteScope = "host-group:write"

// Messages shown instead of a write when it cannot be sent.
const (
	ReadOnlyReason = "read-only: no write call is sent"
	ScopeReason    = "needs " + WriteScope
	DynamicReason  = "its rule decides — press e to edit the rule"
)

// Access is what the API client may do to a tenant's host groups.
type Access uint8

const (
	AccessUnknown  Access = iota // not probed yet (or the probe could not tell)
	AccessGranted                // host-group:write granted
	AccessDenied                 // host-group:write missing: writes would get 403
	AccessReadOnly               // --read-only: no write call is ever sent
)

// WriteProbedMsg carries the result of probing host-group:write in tenant CID. The root may
// forward it to both the host-groups pane and the overlay; each records it.
type WriteProbedMsg struct {
	CID    string
	Access Access
	Err    error // transport trouble: Access stays unknown and the next write tries again
}

// ProbeWrite asks once whether the client holds host-group:write in tenant cid, with the
// cheapest write the API rejects by validation: an empty PATCH. The gateway checks scopes
// before the service validates bodies, so 403 means the scope is missing and 400 means it is
// granted; nothing is ever changed. In read-only mode no call is sent at all.
func ProbeWrite(client *falcon.Client, cid string) tea.Cmd {
	if client == nil {
		return nil
	}
	if client.ReadOnly() {
		return func() tea.Msg { return WriteProbedMsg{CID: cid, Access: AccessReadOnly} }
	}
	return func() tea.Msg {
		return probeWrite(context.Background(), client, cid)
	}
}

func probeWrite(ctx context.Context, client *falcon.Client, cid string) WriteProbedMsg {
	resp, err := client.Do(ctx, cid, &falcon.Request{
		Method: http.MethodPatch,
		Path:   "/devices/entities/host-groups/v1",
		Body:   map[string]any{"resources": []any{}},
	})
	switch {
	case errors.Is(err, falcon.ErrReadOnly):
		return WriteProbedMsg{CID: cid, Access: AccessReadOnly}
	case errors.Is(err, falcon.ErrScopeDenied):
		return WriteProbedMsg{CID: cid, Access: AccessDenied}
	case err != nil:
		return WriteProbedMsg{CID: cid, Access: AccessUnknown, Err: err}
	}
	switch {
	case resp.StatusCode == http.StatusForbidden:
		return WriteProbedMsg{CID: cid, Access: AccessDenied}
	case resp.StatusCode == http.StatusUnauthorized:
		// Falcon has been seen to answer a missing scope with 401 on some endpoints; the
		// client already renewed its token before handing us a 401, so treat it as denied.
		return WriteProbedMsg{CID: cid, Access: AccessDenied}
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return WriteProbedMsg{CID: cid, Access: AccessUnknown, Err: errors.New(http.StatusText(resp.StatusCode))}
	}
	return WriteProbedMsg{CID: cid, Access: AccessGranted}
}

// Reason is the message a write key shows when access forbids it ("" when writes may go).
func (a Access) Reason() string {
	switch a {
	case AccessReadOnly:
		return ReadOnlyReason
	case AccessDenied:
		return ScopeReason
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
