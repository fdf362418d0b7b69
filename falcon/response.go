package falcon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Raw request access, for scope probes and diagnostics.

// Request is a raw API call in a tenant.
type Request struct {
	Method string
	Path   string // "/devices/queries/devices/v1"
	Query  map[string][]string
	Body   any // JSON-encoded when non-nil
	// Probe marks a scope probe (docs/API.md §9): a request made invalid on purpose, whose
	// refusal (400, 403, 404) is the answer. The request log says so and does not count
	// such a refusal as a failure.
	Probe bool
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
	Resources  []byte // raw JSON of "resources" (nil for replies decoded by the typed services)
	Attempts   int    // how many times the request was sent (1 = no retry)
}

// Meta is msa.MetaInfo.
type Meta struct {
	QueryTime  float64
	PoweredBy  string
	TraceID    string
	Pagination Pagination
	// ResourcesAffected is meta.writes.resources_affected: how many entities a write changed
	// (0 when the reply does not say).
	ResourcesAffected int
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
//
// Do retries like the typed services: 429s always (the gateway refused before the
// service ran), 5xx replies, resets and malformed bodies only for reads and for the
// writes that are safe to repeat (see idempotent).
func (c *Client) Do(ctx context.Context, cid string, r *Request) (*Response, error) {
	cl := call{method: r.Method, path: r.Path, query: r.Query, raw: true, probe: r.Probe}
	if r.Body != nil {
		b, err := json.Marshal(r.Body)
		if err != nil {
			return nil, fmt.Errorf("falcon: encoding request body: %w", err)
		}
		cl.body = b
	}
	var raw json.RawMessage
	resp, err := c.send(ctx, cid, &cl, &raw)
	if resp != nil && len(raw) > 0 && !bytes.Equal(raw, []byte("null")) {
		resp.Resources = raw
	}
	return resp, err
}

// Wire forms of the envelope. meta differs between services only in extra fields.

type wireMeta struct {
	QueryTime  float64         `json:"query_time"`
	PoweredBy  string          `json:"powered_by"`
	TraceID    string          `json:"trace_id"`
	Pagination *wirePagination `json:"pagination"`
	Writes     *struct {
		ResourcesAffected int `json:"resources_affected"`
	} `json:"writes"`
}

type wirePagination struct {
	Offset    flexString `json:"offset"`
	Limit     int        `json:"limit"`
	Total     int        `json:"total"`
	Next      flexString `json:"next"`
	After     flexString `json:"after"`
	ExpiresAt int64      `json:"expires_at"`
}

func (m wireMeta) meta() Meta {
	out := Meta{QueryTime: m.QueryTime, PoweredBy: m.PoweredBy, TraceID: m.TraceID}
	if m.Writes != nil {
		out.ResourcesAffected = m.Writes.ResourcesAffected
	}
	if p := m.Pagination; p != nil {
		out.Pagination = Pagination{
			Offset: string(p.Offset), Limit: p.Limit, Total: p.Total,
			Next: string(p.Next), After: string(p.After), ExpiresAt: p.ExpiresAt,
		}
	}
	return out
}

// flexString accepts a JSON string or number: pagination offsets are ints on most
// endpoints and opaque strings on scroll endpoints.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*f = flexString(n.String())
	}
	return nil
}
