package falcon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

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

func (o Outcome) String() string {
	switch o {
	case OutcomeChanged:
		return "changed"
	case OutcomeUnchanged:
		return "unchanged"
	case OutcomeFailed:
		return "failed"
	}
	return "unknown"
}

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
func (r MembershipResult) Changed() []string { return r.ids(OutcomeChanged) }

// Failed returns the device IDs whose chunk failed (what a retry must resend).
func (r MembershipResult) Failed() []string { return r.ids(OutcomeFailed) }

// Unchanged returns the device IDs that were already in the requested state.
func (r MembershipResult) Unchanged() []string { return r.ids(OutcomeUnchanged) }

func (r MembershipResult) ids(o Outcome) []string {
	var ids []string
	for _, h := range r.Hosts {
		if h.Outcome == o {
			ids = append(ids, h.DeviceID)
		}
	}
	return ids
}

// ErrDynamicGroup is returned by EditMembers for a dynamic group: its members follow its
// assignment rule and cannot be added or removed by hand. It matches ErrInvalidRequest.
var ErrDynamicGroup = fmt.Errorf("%w: the host group is dynamic: its members follow its assignment rule", ErrInvalidRequest)

// ErrHostNotFound is the Err of a host outcome whose device ID the tenant does not know.
var ErrHostNotFound = fmt.Errorf("%w: no such host in this tenant", ErrNotFound)

// errNotApplied is the Err of a host the action was sent for but that is still not in the
// requested state afterwards.
var errNotApplied = errors.New("falcon: the cloud accepted the change but the host's membership did not change")

// verifyTimeout bounds the after-check when the caller's context has ended mid-edit: the
// hosts already sent must still get their true outcome.
const verifyTimeout = 15 * time.Second

// EditMembers adds or removes hosts in chunks of 500, checking membership before and after
// so that each host's outcome is the server's truth. progress may be nil. A non-nil error
// means the edit could not start (scope, read-only, dynamic group, ...); chunk failures are
// reported per host in the result instead.
//
// Requests: one membership read per 5,000 hosts before, one action per 500 hosts that need
// the change (hosts already in the requested state are not sent), one read per 5,000 sent
// hosts after. Duplicate IDs in deviceIDs are reported once.
func (s *HostGroupsService) EditMembers(ctx context.Context, cid, groupID string, action MembershipAction,
	deviceIDs []string, progress func(MembershipProgress)) (MembershipResult, error) {
	c := s.client
	res := MembershipResult{GroupID: groupID, Action: action}
	if action != AddHosts && action != RemoveHosts {
		return res, fmt.Errorf("%w: unknown membership action %q", ErrInvalidRequest, action)
	}
	if c.cfg.ReadOnly {
		return res, fmt.Errorf("%w: %s on host group %s", ErrReadOnly, action, groupID)
	}
	ids := dedupeIDs(deviceIDs)
	if len(ids) == 0 {
		return res, nil
	}
	// Checked before anything is sent: the ids end up in the action's FQL filter.
	if err := checkDeviceIDs(ids); err != nil {
		return res, err
	}
	g, err := s.Get(ctx, cid, groupID)
	if err != nil {
		return res, err
	}
	if !g.Type.Manual() {
		return res, fmt.Errorf("%w (group %q)", ErrDynamicGroup, g.Name)
	}
	before, err := c.groupMembership(ctx, cid, groupID, ids)
	if err != nil {
		return res, err
	}

	e := memberEdit{want: action == AddHosts, before: before, sendErr: map[string]error{}, notSent: map[string]error{}}
	var toSend []string
	for _, id := range ids {
		if m, found := before[strings.ToLower(id)]; found && m != e.want {
			toSend = append(toSend, id)
		}
	}
	total := len(ids)
	done := total - len(toSend)
	sent := make([]string, 0, len(toSend))
	for chunk := range slices.Chunk(toSend, c.memberChunk) {
		if err := ctx.Err(); err != nil {
			for _, id := range toSend[len(sent):] {
				e.notSent[strings.ToLower(id)] = fmt.Errorf("not sent: %w", context.Cause(ctx))
			}
			break
		}
		if err := c.groupAction(ctx, cid, groupID, action, chunk); err != nil {
			for _, id := range chunk {
				e.sendErr[strings.ToLower(id)] = err
			}
		}
		sent = append(sent, chunk...)
		done += len(chunk)
		if progress != nil {
			progress(MembershipProgress{Done: done, Total: total})
		}
	}
	if len(toSend) == 0 && progress != nil {
		progress(MembershipProgress{Done: total, Total: total})
	}

	// The after-check decides every sent host's outcome, even for failed chunks: a chunk
	// whose reply was lost may have been applied.
	if len(sent) > 0 {
		vctx := ctx
		if ctx.Err() != nil {
			var cancel context.CancelFunc
			vctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), verifyTimeout)
			defer cancel()
		}
		e.after, e.verifyErr = c.groupMembership(vctx, cid, groupID, sent)
	}

	res.Hosts = make([]HostOutcome, len(ids))
	for i, id := range ids {
		res.Hosts[i] = e.outcome(id)
	}
	return res, nil
}

// memberEdit is what EditMembers learned about each host (keys lower case).
type memberEdit struct {
	want      bool             // the membership the action asks for
	before    map[string]bool  // membership before; a host absent is unknown to the tenant
	sendErr   map[string]error // the action failed for the host's chunk
	notSent   map[string]error // the context ended before the host's chunk went out
	after     map[string]bool  // membership after, of the hosts sent
	verifyErr error            // the after-check failed
}

// outcome tells one host's truth. First match wins:
//
//	the host                                   outcome
//	unknown to the tenant                      failed: ErrHostNotFound
//	in the requested state before              unchanged (it was not sent)
//	its chunk never went out                   failed: not sent
//	the after-check failed                     failed: outcome unknown
//	in the requested state after               changed, even if its chunk failed (a lost
//	                                           reply may hide an applied change)
//	its chunk failed                           failed: the chunk's error
//	otherwise                                  failed: accepted but not applied
func (e *memberEdit) outcome(id string) HostOutcome {
	k := strings.ToLower(id)
	o := HostOutcome{DeviceID: id}
	m, found := e.before[k]
	switch {
	case !found:
		o.Outcome, o.Err = OutcomeFailed, ErrHostNotFound
	case m == e.want:
		o.Outcome = OutcomeUnchanged
	case e.notSent[k] != nil:
		o.Outcome, o.Err = OutcomeFailed, e.notSent[k]
	case e.verifyErr != nil:
		o.Outcome, o.Err = OutcomeFailed, fmt.Errorf("outcome unknown: the membership check failed: %w", e.verifyErr)
	case e.after[k] == e.want:
		o.Outcome = OutcomeChanged
	case e.sendErr[k] != nil:
		o.Outcome, o.Err = OutcomeFailed, e.sendErr[k]
	default:
		o.Outcome, o.Err = OutcomeFailed, errNotApplied
	}
	return o
}

// groupAction sends one host-group action for at most memberChunk hosts.
func (c *Client) groupAction(ctx context.Context, cid, groupID string, action MembershipAction, ids []string) error {
	filter, err := fqlIDList("device_id", ids)
	if err != nil {
		return err
	}
	body, err := json.Marshal(map[string]any{
		"ids": []string{groupID},
		"action_parameters": []map[string]string{
			{"name": "filter", "value": "(" + filter + ")"},
		},
	})
	if err != nil {
		return err
	}
	var out []wireGroup
	_, err = c.send(ctx, cid, &call{method: http.MethodPost, path: pathGroupActions,
		query: url.Values{"action_name": {string(action)}}, body: body}, &out)
	return err
}

// groupMembership reads, for each device ID, whether it is in the group (the device's
// groups field, from the entities POST, 5,000 IDs per call). IDs the tenant does not know
// are absent from the map. Keys are lower case.
func (c *Client) groupMembership(ctx context.Context, cid, groupID string, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	for chunk := range slices.Chunk(ids, c.detailBatch) {
		body, err := json.Marshal(struct {
			IDs []string `json:"ids"`
		}{chunk})
		if err != nil {
			return nil, err
		}
		var ws []struct {
			DeviceID string   `json:"device_id"`
			Groups   []string `json:"groups"`
		}
		_, err = c.send(ctx, cid, &call{method: http.MethodPost, path: pathDeviceEntities, body: body}, &ws)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		for _, w := range ws {
			out[strings.ToLower(w.DeviceID)] = slices.ContainsFunc(w.Groups, func(g string) bool {
				return strings.EqualFold(g, groupID)
			})
		}
	}
	return out, nil
}
