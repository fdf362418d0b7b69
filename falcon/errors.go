package falcon

import "errors"

// Sentinel errors. Every error the client returns for these conditions matches them with
// errors.Is, whatever richer type (APIError, AuthError) carries the details.
var (
	ErrInvalidCredentials = errors.New("falcon: invalid client id or secret")
	ErrIPBlocked          = errors.New("falcon: access denied at the token endpoint (IP allow-list)")
	ErrScopeDenied        = errors.New("falcon: the API client lacks the scope for this call")
	ErrNotProvisioned     = errors.New("falcon: the product is not provisioned in this tenant")
	ErrNotFound           = errors.New("falcon: not found")
	ErrInvalidRequest     = errors.New("falcon: the API rejected the request as invalid")
	ErrRateLimited        = errors.New("falcon: rate limited")
	ErrUnreachable        = errors.New("falcon: cloud unreachable")
	ErrReadOnly           = errors.New("falcon: read-only mode: no write call is sent")
	ErrNotChild           = errors.New("falcon: member CID is not a Flight Control child of this client's tenant")
)

// ErrorItem is msa.APIError.
type ErrorItem struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	ID      string `json:"id,omitempty"`
}
