package falcon

import "context"

// WriteAccess asks whether the API client may write host groups (host-group:write) in
// tenant cid, with HostGroupWriteProbe: nothing is ever changed. The reply is read by
// ClassifyProbe, as the scope report reads it, so both always agree:
//   - ScopeGranted, ScopeDenied or ScopeNotProvisioned with a nil error: a definite answer
//     (a 404 that never reached a service means host groups are not provisioned, not that
//     writes are allowed);
//   - ScopeUnknown with an error matching ErrReadOnly: read-only mode, nothing was sent;
//   - ScopeError with the error: the question stays open (unreachable, 5xx or 429 after
//     the client's retries, an ended context); asking again may settle it.
func (s *HostGroupsService) WriteAccess(ctx context.Context, cid string) (ScopeState, error) {
	return s.client.writeAccess(ctx, cid, HostGroupWriteProbe())
}
