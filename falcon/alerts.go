package falcon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

const (
	pathAlertsQuery    = "/alerts/queries/alerts/v2"
	pathAlertsEntities = "/alerts/entities/alerts/v2"

	defaultAlertLimit = 200
	maxAlertLimit     = 10000 // the query's limit maximum
	alertsPerEntities = 1000  // composite IDs per entities POST (PSFalcon's batch)
)

// AlertsService reads alerts.
type AlertsService struct{ client *Client }

// AlertQuery selects alerts.
type AlertQuery struct {
	// DeviceID restricts the alerts to one host's; the client quotes it into the filter,
	// so any string is safe here.
	DeviceID string
	Filter   string // FQL, e.g. "status:'new'+severity:>=70"
	Sort     string // default "created_timestamp|desc"
	Limit    int    // default 200
}

// filter is the query's FQL: the host restriction and Filter, both applying.
func (q AlertQuery) filter() string {
	var host string
	if q.DeviceID != "" {
		host = "device.device_id:" + fqlQuote(q.DeviceID)
	}
	return fqlAnd(host, q.Filter)
}

// List returns alerts newest first (query v2 + entities v2).
func (s *AlertsService) List(ctx context.Context, cid string, q AlertQuery) ([]Alert, error) {
	c := s.client
	limit := q.Limit
	if limit <= 0 {
		limit = defaultAlertLimit
	}
	limit = min(limit, maxAlertLimit)
	sort := q.Sort
	if sort == "" {
		sort = "created_timestamp|desc"
	}
	query := url.Values{"limit": {strconv.Itoa(limit)}, "sort": {sort}}
	if f := q.filter(); f != "" {
		query.Set("filter", f)
	}
	var ids []string
	if _, err := c.send(ctx, cid, &call{method: http.MethodGet, path: pathAlertsQuery, query: query}, &ids); err != nil {
		return nil, err
	}
	return s.Get(ctx, cid, ids...)
}

// Get returns the alerts with the given composite IDs, in the order given; IDs the tenant
// does not know are skipped (docs/API.md §14). It reads 1,000 a call.
func (s *AlertsService) Get(ctx context.Context, cid string, compositeIDs ...string) ([]Alert, error) {
	c := s.client
	ids := dedupeIDs(compositeIDs)
	out := make([]Alert, 0, len(ids))
	for chunk := range slices.Chunk(ids, alertsPerEntities) {
		body, err := json.Marshal(map[string][]string{"composite_ids": chunk})
		if err != nil {
			return out, err
		}
		var ws []wireAlert
		if _, err := c.send(ctx, cid, &call{method: http.MethodPost, path: pathAlertsEntities, body: body}, &ws); err != nil {
			if errors.Is(err, ErrNotFound) {
				continue // none of this chunk exists (docs/API.md §5)
			}
			return out, err
		}
		// Keep the requested order (for List, the query's sort).
		byID := make(map[string]*wireAlert, len(ws))
		for i := range ws {
			byID[ws[i].CompositeID] = &ws[i]
		}
		for _, id := range chunk {
			if w := byID[id]; w != nil {
				out = append(out, w.alert())
			}
		}
	}
	return out, nil
}

// ForHost returns a host's recent alerts, newest first.
func (s *AlertsService) ForHost(ctx context.Context, cid, deviceID string, limit int) ([]Alert, error) {
	return s.List(ctx, cid, AlertQuery{DeviceID: deviceID, Limit: limit})
}

// Count returns how many alerts match filter.
func (s *AlertsService) Count(ctx context.Context, cid, filter string) (int, error) {
	return s.Total(ctx, cid, AlertQuery{Filter: filter})
}

// Total returns how many alerts match q (its Sort and Limit do not matter).
func (s *AlertsService) Total(ctx context.Context, cid string, q AlertQuery) (int, error) {
	query := url.Values{"limit": {"1"}}
	if f := q.filter(); f != "" {
		query.Set("filter", f)
	}
	var ids []string
	resp, err := s.client.send(ctx, cid, &call{method: http.MethodGet, path: pathAlertsQuery, query: query}, &ids)
	if err != nil {
		return 0, err
	}
	return resp.Meta.Pagination.Total, nil
}

// wireAlert is the part of detects.Alert the client keeps.
type wireAlert struct {
	CompositeID string `json:"composite_id"`
	ID          string `json:"id"`
	CID         string `json:"cid"`
	AgentID     string `json:"agent_id"`
	Device      struct {
		DeviceID string `json:"device_id"`
		Hostname string `json:"hostname"`
		Platform string `json:"platform_name"`
	} `json:"device"`
	Platform       string  `json:"platform"`
	Created        string  `json:"created_timestamp"`
	Updated        string  `json:"updated_timestamp"`
	Status         string  `json:"status"`
	Severity       flexInt `json:"severity"`
	SeverityName   string  `json:"severity_name"`
	Confidence     flexInt `json:"confidence"`
	Product        string  `json:"product"`
	Name           string  `json:"name"`
	DisplayName    string  `json:"display_name"`
	Description    string  `json:"description"`
	Tactic         string  `json:"tactic"`
	TacticID       string  `json:"tactic_id"`
	Technique      string  `json:"technique"`
	TechniqueID    string  `json:"technique_id"`
	Filename       string  `json:"filename"`
	CommandLine    string  `json:"cmdline"`
	SHA256         string  `json:"sha256"`
	UserName       string  `json:"user_name"`
	AssignedToName string  `json:"assigned_to_name"`
	AssignedToUUID string  `json:"assigned_to_uuid"`
	Link           string  `json:"falcon_host_link"`
}

func (w *wireAlert) alert() Alert {
	a := Alert{
		CompositeID: w.CompositeID, ID: w.ID, CID: strings.ToLower(w.CID),
		DeviceID: w.Device.DeviceID, Hostname: w.Device.Hostname, Platform: w.Device.Platform,
		Created: parseTime(w.Created), Updated: parseTime(w.Updated),
		Status: w.Status, Severity: int(w.Severity), SeverityName: w.SeverityName, Confidence: int(w.Confidence),
		Product: w.Product, Name: w.Name, DisplayName: w.DisplayName, Description: w.Description,
		Tactic: w.Tactic, TacticID: w.TacticID, Technique: w.Technique, TechniqueID: w.TechniqueID,
		Filename: w.Filename, CommandLine: w.CommandLine, SHA256: w.SHA256, UserName: w.UserName,
		AssignedTo: w.AssignedToName, AssignedToUUID: w.AssignedToUUID, Link: w.Link,
	}
	if a.DeviceID == "" {
		a.DeviceID = w.AgentID
	}
	if a.Platform == "" {
		a.Platform = w.Platform
	}
	return a
}

// flexInt accepts a JSON number with or without a fraction, or a numeric string.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return err
	}
	*f = flexInt(v)
	return nil
}
