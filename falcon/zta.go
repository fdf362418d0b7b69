package falcon

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

const (
	pathZTAEntities = "/zero-trust-assessment/entities/assessments/v1"
	ztaPerGET       = 100 // ids per GET: a long query string is refused by gateways
)

// ZTAService reads Zero Trust Assessments.
type ZTAService struct {
	client   *Client
	pageSize int // assessments query page; 0 = ztaPerQuery (tests lower it)
}

// Get returns the assessments of the given hosts (hosts without one are skipped).
func (s *ZTAService) Get(ctx context.Context, cid string, aids ...string) ([]ZTAAssessment, error) {
	c := s.client
	var out []ZTAAssessment
	for chunk := range slices.Chunk(dedupeIDs(aids), ztaPerGET) {
		var ws []wireZTA
		_, err := c.send(ctx, cid, &call{method: http.MethodGet, path: pathZTAEntities,
			query: url.Values{"ids": chunk}}, &ws)
		if err != nil {
			// 404 with per-ID errors: none of these hosts has an assessment.
			var ae *APIError
			if errors.As(err, &ae) && errors.Is(err, ErrNotFound) {
				continue
			}
			return out, err
		}
		for i := range ws {
			out = append(out, ws[i].assessment())
		}
	}
	return out, nil
}

// wireZTA is domain.SignalProperties.
type wireZTA struct {
	AID        string `json:"aid"`
	CID        string `json:"cid"`
	Modified   string `json:"modified_time"`
	Assessment struct {
		Overall      flexInt `json:"overall"`
		OS           flexInt `json:"os"`
		SensorConfig flexInt `json:"sensor_config"`
	} `json:"assessment"`
	Items struct {
		OS     []wireSignal `json:"os_signals"`
		Sensor []wireSignal `json:"sensor_signals"`
	} `json:"assessment_items"`
}

type wireSignal struct {
	ID       string `json:"signal_id"`
	Name     string `json:"signal_name"`
	Group    string `json:"group_name"`
	Criteria string `json:"criteria"`
	Meets    string `json:"meets_criteria"`
}

func (w *wireZTA) assessment() ZTAAssessment {
	a := ZTAAssessment{
		AID: w.AID, CID: strings.ToLower(w.CID), Modified: parseTime(w.Modified),
		Overall: int(w.Assessment.Overall), OS: int(w.Assessment.OS), SensorConfig: int(w.Assessment.SensorConfig),
	}
	add := func(group string, sigs []wireSignal) {
		for _, s := range sigs {
			g := s.Group
			if g == "" {
				g = group
			}
			a.Signals = append(a.Signals, ZTASignal{ID: s.ID, Name: s.Name, Group: g, Criteria: s.Criteria, Meets: s.Meets})
		}
	}
	add("os_signals", w.Items.OS)
	add("sensor_signals", w.Items.Sensor)
	return a
}
