package falcon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Alert triage: PATCH /alerts/entities/alerts/v3 (docs/API.md §14).

const pathAlertsUpdate = "/alerts/entities/alerts/v3"

// maxAlertComment bounds a comment the client sends; the API publishes no limit, and a
// comment is a note for other analysts, not a document.
const maxAlertComment = 4000

// AlertStatus is an alert's workflow state.
type AlertStatus string

// The four states the API accepts in update_status.
const (
	AlertStatusNew        AlertStatus = "new"
	AlertStatusInProgress AlertStatus = "in_progress"
	AlertStatusReopened   AlertStatus = "reopened"
	AlertStatusClosed     AlertStatus = "closed"
)

// AlertStatuses lists the states in the console's order, for pickers.
var AlertStatuses = []AlertStatus{AlertStatusNew, AlertStatusInProgress, AlertStatusReopened, AlertStatusClosed}

// Valid reports whether s is one of AlertStatuses.
func (s AlertStatus) Valid() bool { return slices.Contains(AlertStatuses, s) }

// AlertUpdate is one triage change, applied to every alert an Update names. Zero fields
// leave the alert as it is; at least one must be set.
type AlertUpdate struct {
	Status AlertStatus // "" leaves the status
	// AssignToUUID assigns the alerts to a console user of the tenant (User.UUID). The API
	// refuses a UUID it does not know (400).
	AssignToUUID string
	Unassign     bool   // clears the assignee; not together with AssignToUUID
	Comment      string // appended to each alert's comments; "" adds none
}

// Validate checks u before anything is sent; its errors match ErrInvalidRequest.
func (u AlertUpdate) Validate() error {
	switch {
	case u.Status != "" && !u.Status.Valid():
		return fmt.Errorf("%w: alert status %q is not one of new, in_progress, reopened, closed", ErrInvalidRequest, u.Status)
	case u.AssignToUUID != "" && u.Unassign:
		return fmt.Errorf("%w: assign and unassign in one update", ErrInvalidRequest)
	case strings.TrimSpace(u.AssignToUUID) != u.AssignToUUID:
		return fmt.Errorf("%w: user UUID %q has surrounding blanks", ErrInvalidRequest, u.AssignToUUID)
	case len(u.Comment) > maxAlertComment:
		return fmt.Errorf("%w: comment is %d bytes, at most %d", ErrInvalidRequest, len(u.Comment), maxAlertComment)
	case u.Status == "" && u.AssignToUUID == "" && !u.Unassign && strings.TrimSpace(u.Comment) == "":
		return fmt.Errorf("%w: the alert update changes nothing", ErrInvalidRequest)
	}
	return nil
}

type actionParameter struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// actionParameters is the v3 body's action list: unassign before a comment, so that a
// comment explaining a hand-over follows it.
func (u AlertUpdate) actionParameters() []actionParameter {
	var ps []actionParameter
	if u.Status != "" {
		ps = append(ps, actionParameter{"update_status", string(u.Status)})
	}
	if u.AssignToUUID != "" {
		ps = append(ps, actionParameter{"assign_to_uuid", u.AssignToUUID})
	}
	if u.Unassign {
		ps = append(ps, actionParameter{"unassign", ""})
	}
	if strings.TrimSpace(u.Comment) != "" {
		ps = append(ps, actionParameter{"append_comment", u.Comment})
	}
	return ps
}

// AlertOutcome is what became of one alert in an Update.
type AlertOutcome uint8

const (
	// AlertNotSent: no request for this alert left the client (read-only mode, no token,
	// or an earlier batch failed in a way that stopped the update). Nothing changed.
	AlertNotSent AlertOutcome = iota
	// AlertUpdated: the API accepted the change for this alert.
	AlertUpdated
	// AlertFailed: the API refused the change for this alert (Message says why); nothing
	// changed, and trying again is safe once the cause is fixed.
	AlertFailed
	// AlertUnknown: the request may have been applied — the reply was lost, cut short or a
	// 5xx. The client never resends such a write (a comment would be appended twice,
	// docs/API.md §11): re-read the alert (AlertsService.Get) before trying again.
	AlertUnknown
)

var alertOutcomeNames = [...]string{"not sent", "updated", "failed", "outcome unknown"}

func (o AlertOutcome) String() string {
	if int(o) < len(alertOutcomeNames) {
		return alertOutcomeNames[o]
	}
	return "outcome unknown"
}

// AlertResult is one alert's outcome.
type AlertResult struct {
	CompositeID string
	Outcome     AlertOutcome
	Message     string // the API's reason for a refusal, or why the outcome is unknown (cleaned text)
	TraceID     string // of the request that carried this alert ("" when none was sent)
}

// AlertUpdateResult is the outcome of an Update, one entry per distinct composite ID in
// the order given.
type AlertUpdateResult struct {
	Alerts []AlertResult
	// ResourcesAffected sums meta.writes.resources_affected over the replies.
	ResourcesAffected int
}

// Count returns how many alerts had outcome o.
func (r AlertUpdateResult) Count(o AlertOutcome) int {
	n := 0
	for _, a := range r.Alerts {
		if a.Outcome == o {
			n++
		}
	}
	return n
}

// Update applies u to the alerts with the given composite IDs in tenant cid, 1,000 per
// request (docs/API.md §14), and reports every alert's outcome.
//
// The error is nil when every request got a definite answer — even if the API refused some
// alerts (AlertFailed, with the API's message). Otherwise it is the first failure that
// stopped the update: later batches are not sent (AlertNotSent), and the batch in flight is
// AlertUnknown when it may have been applied (no reply, 5xx, a garbled 2xx) or AlertFailed
// when the gateway or service refused it whole (400, 403 — errors.Is(err, ErrScopeDenied) —,
// 429 after the client's retries). In read-only mode nothing is sent and the error matches
// ErrReadOnly. A 429 is resent like any call (the gateway refused before the service ran);
// nothing else is.
func (s *AlertsService) Update(ctx context.Context, cid string, compositeIDs []string, u AlertUpdate) (AlertUpdateResult, error) {
	ids := dedupeIDs(compositeIDs)
	res := AlertUpdateResult{Alerts: make([]AlertResult, len(ids))}
	for i, id := range ids {
		res.Alerts[i] = AlertResult{CompositeID: id, Outcome: AlertNotSent}
	}
	if len(ids) == 0 {
		return res, fmt.Errorf("%w: no alerts to update", ErrInvalidRequest)
	}
	if err := u.Validate(); err != nil {
		return res, err
	}
	params := u.actionParameters()
	c := s.client
	for start := 0; start < len(ids); start += alertsPerEntities {
		chunk := ids[start:min(start+alertsPerEntities, len(ids))]
		out := res.Alerts[start : start+len(chunk)]
		body, err := json.Marshal(struct {
			CompositeIDs     []string          `json:"composite_ids"`
			ActionParameters []actionParameter `json:"action_parameters"`
		}{chunk, params})
		if err != nil {
			return res, err
		}
		resp, err := c.send(ctx, cid, &call{method: http.MethodPatch, path: pathAlertsUpdate, body: body}, nil)
		if resp != nil {
			res.ResourcesAffected += resp.Meta.ResourcesAffected
		}
		if stop := settleAlertBatch(out, resp, err); stop {
			return res, err
		}
	}
	return res, nil
}

// settleAlertBatch fills one batch's outcomes from its reply and says whether the update
// must stop (the reply was not a per-alert answer).
func settleAlertBatch(out []AlertResult, resp *Response, err error) (stop bool) {
	trace := ""
	if resp != nil {
		trace = resp.TraceID
	}
	// Per-alert refusals: errors entries that name an id.
	named := map[string]string{}
	if resp != nil {
		for _, e := range resp.Errors {
			if e.ID != "" {
				named[e.ID] = cleanText(e.Message)
			}
		}
	}
	set := func(o AlertOutcome, msg string) {
		for i := range out {
			out[i].Outcome, out[i].Message, out[i].TraceID = o, msg, trace
			if m, ok := named[out[i].CompositeID]; ok {
				out[i].Outcome, out[i].Message = AlertFailed, m
			}
		}
	}
	if err == nil {
		set(AlertUpdated, "")
		return false
	}
	var ae *APIError
	switch {
	case errors.Is(err, ErrReadOnly), resp == nil && isAuthError(err):
		return true // nothing left the client; the outcomes stay "not sent"
	case errors.As(err, &ae) && ae.StatusCode/100 == 4:
		// A definite refusal. A 404 naming ids is per alert (the others were updated, as
		// in a 2xx with errors, docs/API.md §5); anything else refused the batch whole.
		if ae.StatusCode == http.StatusNotFound && len(named) > 0 {
			set(AlertUpdated, "")
			return false
		}
		set(AlertFailed, cleanText(apiMessage(ae)))
		return true
	}
	set(AlertUnknown, "the reply was lost or failed; the change may have been applied: "+cleanText(err.Error()))
	for i := range out {
		out[i].Outcome = AlertUnknown // per-id messages of a 5xx do not settle anything
	}
	return true
}

// apiMessage is the first message of an APIError, or its status.
func apiMessage(e *APIError) string {
	for _, it := range e.Errors {
		if it.Message != "" {
			return it.Message
		}
	}
	return fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
}

func isAuthError(err error) bool {
	var ae *AuthError
	return errors.As(err, &ae)
}

// AlertsWriteProbe is the probe of alerts:write: a v3 PATCH that names no alert and no
// action (docs/API.md §9). The gateway checks the scope first (403 without it); with it,
// the service refuses the empty body (400). Nothing is ever changed.
func AlertsWriteProbe() *ScopeProbe {
	return &ScopeProbe{Kind: ProbeInvalidWrite, Method: http.MethodPatch, Path: pathAlertsUpdate,
		Body: json.RawMessage(`{"composite_ids":[],"action_parameters":[]}`)}
}

// WriteAccess asks whether the API client may triage alerts (alerts:write) in tenant cid,
// with AlertsWriteProbe, so that a UI can say so before the user tries. Its answers are
// those of HostGroupsService.WriteAccess: a settled ScopeState with a nil error; ScopeUnknown
// with ErrReadOnly in read-only mode (nothing sent); ScopeError with the error otherwise.
func (s *AlertsService) WriteAccess(ctx context.Context, cid string) (ScopeState, error) {
	return s.client.writeAccess(ctx, cid, AlertsWriteProbe())
}

// writeAccess sends an empty-write probe and reads its reply with ClassifyProbe.
func (c *Client) writeAccess(ctx context.Context, cid string, p *ScopeProbe) (ScopeState, error) {
	resp, err := c.Do(ctx, cid, p.Request())
	if err != nil {
		switch st, _ := ClassifyProbeError(err); {
		case st.Settled():
			return st, nil
		case st == ScopeUnknown:
			return st, err
		}
		return ScopeError, err
	}
	st, _ := ClassifyProbe(p.Kind, resp)
	if st != ScopeError {
		return st, nil
	}
	return ScopeError, c.check(resp, &call{method: p.Method, path: p.Path}, c.tenantKey(cid))
}
