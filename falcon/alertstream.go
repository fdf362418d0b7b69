package falcon

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
)

const (
	pathAlertsCombined = "/alerts/combined/alerts/v1"

	// alertsPerPage is the combined alerts call's limit maximum (docs/API.md, paging table).
	alertsPerPage = 1000
)

// AlertPage is one page of a Stream: the alerts in the query's order, and how many alerts
// the whole query matches (the server's pagination total).
type AlertPage struct {
	Alerts []Alert
	Total  int
}

// Stream yields every alert q selects, a page at a time, newest first unless q.Sort says
// otherwise. It pages with the combined call's `after` token, which has no offset window
// (the query call stops at offset+limit 10,000), so a tenant's thousands of alerts all
// arrive. q.Limit is the page size (default and maximum 1,000). The iteration stops at the
// first error, which is yielded; pages already yielded stay valid.
func (s *AlertsService) Stream(ctx context.Context, cid string, q AlertQuery) iter.Seq2[AlertPage, error] {
	return func(yield func(AlertPage, error) bool) {
		limit := q.Limit
		if limit <= 0 || limit > alertsPerPage {
			limit = alertsPerPage
		}
		sort := q.Sort
		if sort == "" {
			sort = "created_timestamp|desc"
		}
		req := struct {
			Filter string `json:"filter,omitempty"`
			Sort   string `json:"sort"`
			Limit  int    `json:"limit"`
			After  string `json:"after,omitempty"`
		}{Filter: q.filter(), Sort: sort, Limit: limit}
		seen := map[string]bool{}
		for {
			body, err := json.Marshal(req)
			if err != nil {
				yield(AlertPage{}, err)
				return
			}
			var ws []wireAlert
			resp, err := s.client.send(ctx, cid, &call{method: http.MethodPost, path: pathAlertsCombined, body: body}, &ws)
			if err != nil {
				yield(AlertPage{}, err)
				return
			}
			page := AlertPage{Alerts: make([]Alert, 0, len(ws)), Total: resp.Meta.Pagination.Total}
			for i := range ws {
				// A page boundary that moved (alerts created while paging) repeats an alert.
				if id := ws[i].CompositeID; id != "" {
					if seen[id] {
						continue
					}
					seen[id] = true
				}
				page.Alerts = append(page.Alerts, ws[i].alert())
			}
			if !yield(page, nil) {
				return
			}
			after := resp.Meta.Pagination.After
			if after == "" || len(ws) == 0 {
				return
			}
			req.After = after
		}
	}
}
