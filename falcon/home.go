package falcon

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sync/atomic"

	"golang.org/x/sync/singleflight"
)

// The home CID. A token does not name the tenant it acts in, yet every call that names
// the home CID must use the home token: asked for as a member_cid, the home CID is refused
// (Falcon answers 400, as for any CID that is not a child). So the client learns it at
// Connect, and at the latest before it would ask for its first member token, from the
// cheapest endpoint the API client may read:
//   - Flight Control (mssp:read): the first child's link names its parent, child_of;
//   - the sensor CCID (sensor-installers:read) is "<CID>-<checksum>";
//   - any host record (devices:read) carries its cid.
//
// No endpoint names the home tenant itself: domain.ChildLink carries the names of
// children as their parent sees them, and nothing else in the API carries a CID's name.
// The home tenant's Tenant.Name therefore stays empty and the UI labels it.

// homeLearner makes sure the endpoints are asked once, by one caller, while the others
// wait (or leave when their context ends).
type homeLearner struct {
	flight singleflight.Group
	tried  atomic.Bool // every endpoint was asked (the CID may still be unknown)
}

// ensureHomeCID learns the home CID unless it is known or was looked for already. The
// error is non-nil only when ctx ended.
func (c *Client) ensureHomeCID(ctx context.Context) error {
	h := &c.home
	for c.HomeCID() == "" && !h.tried.Load() {
		// The search runs under the context of the caller that started it.
		ch := h.flight.DoChan("", func() (any, error) {
			if c.HomeCID() != "" || h.tried.Load() {
				return nil, nil // a search that ended while this caller was on its way here
			}
			c.learnHomeCID(ctx)
			if ctx.Err() != nil {
				return nil, context.Cause(ctx) // a cancelled search proves nothing
			}
			h.tried.Store(true)
			return nil, nil
		})
		select {
		case r := <-ch:
			if r.Err == nil {
				return nil
			}
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			// The searcher's cancellation is not ours: search again.
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	return nil
}

// learnHomeCID asks the endpoints that reveal the home CID, cheapest first for the
// scopes the client may hold. Failures leave it unknown.
func (c *Client) learnHomeCID(ctx context.Context) {
	home := func(cl *call, out any) bool {
		_, err := c.sendKey(ctx, "", cl, out)
		return err == nil
	}
	var kids []string
	if home(&call{method: http.MethodGet, path: pathChildrenQuery, query: url.Values{"limit": {"1"}}}, &kids) && len(kids) > 0 {
		var links []struct {
			ChildOf string `json:"child_of"`
		}
		// The GET form, not POST …/GET/v2: a read-only client sends no POST it need not.
		if home(&call{method: http.MethodGet, path: pathChildrenGetV1, query: url.Values{"ids": kids[:1]}}, &links) {
			for _, l := range links {
				c.setHomeCID(l.ChildOf)
			}
		}
	}
	if c.HomeCID() != "" || ctx.Err() != nil {
		return
	}
	var ccid []string
	if home(&call{method: http.MethodGet, path: pathCCID}, &ccid) && len(ccid) > 0 {
		c.setHomeCID(ccid[0])
	}
	if c.HomeCID() != "" || ctx.Err() != nil {
		return
	}
	var ids []string
	if !home(&call{method: http.MethodGet, path: pathDeviceQuery, query: url.Values{"limit": {"1"}}}, &ids) || len(ids) == 0 {
		return
	}
	body, _ := json.Marshal(map[string][]string{"ids": ids})
	var ws []struct {
		CID string `json:"cid"`
	}
	if home(&call{method: http.MethodPost, path: pathDeviceEntities, body: body}, &ws) && len(ws) > 0 {
		c.setHomeCID(ws[0].CID)
	}
}
