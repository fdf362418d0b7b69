package falcon

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// ZTA scores in bulk (docs/API.md §15): the overall score of a set of hosts, and the hosts
// below a threshold — what NetBird's Falcon integration gates agents on.

const (
	pathZTAQuery = "/zero-trust-assessment/queries/assessments/v1"
	ztaPerQuery  = 1000 // the assessments query's limit maximum
	// maxZTAPages bounds one Below: 10,000 pages of 1,000 hosts.
	maxZTAPages = 10_000
)

// ZTAScore is one host's overall Zero Trust Assessment score (0–100).
type ZTAScore struct {
	AID   string
	Score int
}

// Scores returns the overall score of each of the given hosts, 100 hosts a call (the
// entities GET); hosts without an assessment are absent from the map. Fetch only what is
// on screen: every call counts against the tenant's rate limit.
func (s *ZTAService) Scores(ctx context.Context, cid string, aids ...string) (map[string]int, error) {
	as, err := s.Get(ctx, cid, aids...)
	out := make(map[string]int, len(as))
	for _, a := range as {
		out[a.AID] = a.Overall
	}
	return out, err
}

// Below returns the hosts whose overall score is below threshold, lowest first: every page
// of the assessments query filtered by `score:<threshold` (1,000 a page, cursor `after`).
// threshold is 0–100, as NetBird's zta_score_threshold; 0 finds nothing.
func (s *ZTAService) Below(ctx context.Context, cid string, threshold int) ([]ZTAScore, error) {
	if err := checkThreshold(threshold); err != nil {
		return nil, err
	}
	limit := s.pageSize
	if limit <= 0 {
		limit = ztaPerQuery
	}
	var out []ZTAScore
	after := ""
	for range maxZTAPages {
		q := url.Values{"filter": {ztaBelowFilter(threshold)}, "sort": {"score|asc"}, "limit": {strconv.Itoa(limit)}}
		if after != "" {
			q.Set("after", after)
		}
		var ws []wireZTAScore
		resp, err := s.client.send(ctx, cid, &call{method: http.MethodGet, path: pathZTAQuery, query: q}, &ws)
		if err != nil {
			return out, err
		}
		for _, w := range ws {
			out = append(out, ZTAScore{AID: w.AID, Score: int(w.Score)})
		}
		after = resp.Meta.Pagination.After
		if after == "" || len(ws) == 0 {
			break
		}
	}
	return out, nil
}

// CountBelow returns how many hosts score below threshold — the hosts an integration
// gating on that threshold would refuse — with one call (limit=1, reading the total).
func (s *ZTAService) CountBelow(ctx context.Context, cid string, threshold int) (int, error) {
	if err := checkThreshold(threshold); err != nil {
		return 0, err
	}
	q := url.Values{"filter": {ztaBelowFilter(threshold)}, "limit": {"1"}}
	var ws []wireZTAScore
	resp, err := s.client.send(ctx, cid, &call{method: http.MethodGet, path: pathZTAQuery, query: q}, &ws)
	if err != nil {
		return 0, err
	}
	return resp.Meta.Pagination.Total, nil
}

func ztaBelowFilter(threshold int) string { return "score:<" + strconv.Itoa(threshold) }

func checkThreshold(n int) error {
	if n < 0 || n > 100 {
		return fmt.Errorf("%w: ZTA threshold %d is not between 0 and 100", ErrInvalidRequest, n)
	}
	return nil
}

// wireZTAScore is domain.ZeroTrustSimpleAssessment.
type wireZTAScore struct {
	AID   string  `json:"aid"`
	Score flexInt `json:"score"`
}
