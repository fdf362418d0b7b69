package falcontest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

// aggRequest is detectsapi.AggregateAlertQueryRequest (the parts served).
type aggRequest struct {
	DateRanges    []struct{ From, To string }  `json:"date_ranges"`
	Field         string                       `json:"field"`
	Filter        string                       `json:"filter"`
	Interval      string                       `json:"interval"`
	Missing       string                       `json:"missing"`
	Name          string                       `json:"name"`
	Q             string                       `json:"q"`
	Ranges        []struct{ From, To float64 } `json:"ranges"`
	Size          int                          `json:"size"`
	Sort          string                       `json:"sort"`
	SubAggregates []aggRequest                 `json:"sub_aggregates"`
	Type          string                       `json:"type"`
}

// aggResult is detectsapi.AggregationResult.
type aggResult struct {
	Buckets          []aggBucket `json:"buckets"`
	Name             string      `json:"name"`
	SumOtherDocCount int         `json:"sum_other_doc_count"`
}

// aggBucket is detectsapi.AggregationResultItem.
type aggBucket struct {
	Count         int         `json:"count"`
	From          *float64    `json:"from,omitempty"`
	KeyAsString   string      `json:"key_as_string,omitempty"`
	Label         any         `json:"label,omitempty"`
	StringFrom    string      `json:"string_from,omitempty"`
	StringTo      string      `json:"string_to,omitempty"`
	SubAggregates []aggResult `json:"sub_aggregates,omitempty"`
	To            *float64    `json:"to,omitempty"`
	Value         *float64    `json:"value,omitempty"`
}

// aggregateAlerts serves POST /alerts/aggregates/alerts/v1 and v2: terms,
// date_histogram, date_range, range and cardinality aggregations.
func (s *Server) aggregateAlerts(c *call) {
	var reqs []aggRequest
	if !c.decodeBody(&reqs) {
		return
	}
	if len(reqs) == 0 {
		c.send(reply{status: 400, resources: []aggResult{}, errs: errs1(400, "at least one aggregation is required")})
		return
	}
	t := c.t
	t.mu.RLock()
	defer t.mu.RUnlock()
	all, err := selectAlerts(t, "", "", "", c.boolParam("include_hidden", true), c.now)
	var out []aggResult
	for _, rq := range reqs {
		var res aggResult
		if err == nil {
			res, err = aggregate(all, rq, c.now)
		}
		out = append(out, res)
	}
	if err != nil {
		c.send(reply{status: 400, resources: []aggResult{}, errs: errs1(400, err.Error())})
		return
	}
	c.send(reply{resources: out})
}

func aggregate(as []*alert, rq aggRequest, now time.Time) (aggResult, error) {
	res := aggResult{Name: rq.Name, Buckets: []aggBucket{}}
	if rq.Filter != "" || rq.Q != "" {
		expr, err := fql.ParseAt(rq.Filter, alertSchema, now)
		if err != nil {
			return res, err
		}
		q := strings.ToLower(rq.Q)
		var kept []*alert
		for _, a := range as {
			if (expr == nil || expr.Match(alertRec{a})) && (q == "" || alertMentions(a, q)) {
				kept = append(kept, a)
			}
		}
		as = kept
	}
	if _, ok := alertSchema[rq.Field]; !ok {
		return res, fmt.Errorf("invalid aggregation field '%s'", rq.Field)
	}
	sub := func(b *aggBucket, members []*alert) error {
		for _, sr := range rq.SubAggregates {
			r, err := aggregate(members, sr, now)
			if err != nil {
				return err
			}
			b.SubAggregates = append(b.SubAggregates, r)
		}
		return nil
	}
	switch rq.Type {
	case "terms":
		groups := map[string][]*alert{}
		var order []string
		for _, a := range as {
			vals := (alertRec{a}).FQLValues(rq.Field)
			if len(vals) == 0 && rq.Missing != "" {
				vals = []string{rq.Missing}
			}
			for _, v := range vals {
				if _, ok := groups[v]; !ok {
					order = append(order, v)
				}
				groups[v] = append(groups[v], a)
			}
		}
		asc := strings.HasSuffix(rq.Sort, "|asc") || strings.HasSuffix(rq.Sort, ".asc")
		byKey := strings.HasPrefix(rq.Sort, "_term") || strings.HasPrefix(rq.Sort, "_key")
		slices.SortStableFunc(order, func(x, y string) int {
			r := cmp.Compare(len(groups[y]), len(groups[x]))
			if byKey {
				r = strings.Compare(x, y)
			}
			if r == 0 {
				r = strings.Compare(x, y)
			}
			if asc {
				return -r
			}
			return r
		})
		size := rq.Size
		if size <= 0 {
			size = 10
		}
		for k, v := range order {
			if k >= size {
				res.SumOtherDocCount += len(groups[v])
				continue
			}
			b := aggBucket{Count: len(groups[v]), Label: termLabel(rq.Field, v)}
			if err := sub(&b, groups[v]); err != nil {
				return res, err
			}
			res.Buckets = append(res.Buckets, b)
		}
	case "cardinality":
		seen := map[string]bool{}
		for _, a := range as {
			for _, v := range (alertRec{a}).FQLValues(rq.Field) {
				seen[v] = true
			}
		}
		v := float64(len(seen))
		res.Buckets = append(res.Buckets, aggBucket{Count: len(as), Value: &v})
	case "date_histogram":
		if alertSchema[rq.Field] != fql.Time {
			return res, fmt.Errorf("date_histogram needs a timestamp field, not '%s'", rq.Field)
		}
		step := map[string]int64{"hour": 3600, "day": 86400, "week": 7 * 86400, "1h": 3600, "1d": 86400, "1w": 7 * 86400}[rq.Interval]
		if step == 0 {
			return res, fmt.Errorf("invalid interval '%s': use hour, day or week", rq.Interval)
		}
		counts := map[int64][]*alert{}
		for _, a := range as {
			for _, v := range (alertRec{a}).FQLValues(rq.Field) {
				if ts, err := time.Parse(time.RFC3339, v); err == nil {
					k := ts.Unix() / step * step
					counts[k] = append(counts[k], a)
				}
			}
		}
		keys := make([]int64, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ms := float64(k * 1000)
			b := aggBucket{Count: len(counts[k]), KeyAsString: rfc3339(k), Label: k * 1000, Value: &ms}
			if err := sub(&b, counts[k]); err != nil {
				return res, err
			}
			res.Buckets = append(res.Buckets, b)
		}
	case "date_range", "range":
		type span struct {
			lo, hi   float64
			slo, shi string
		}
		var spans []span
		if rq.Type == "range" {
			for _, r := range rq.Ranges {
				spans = append(spans, span{lo: r.From, hi: r.To})
			}
		} else {
			for _, r := range rq.DateRanges {
				lo, err1 := relTime(r.From, now)
				hi, err2 := relTime(r.To, now)
				if err1 != nil || err2 != nil {
					return res, fmt.Errorf("invalid date range %s..%s", r.From, r.To)
				}
				spans = append(spans, span{float64(lo), float64(hi), r.From, r.To})
			}
		}
		for _, sp := range spans {
			var members []*alert
			for _, a := range as {
				for _, v := range (alertRec{a}).FQLValues(rq.Field) {
					x, ok := numericValue(v)
					if ok && x >= sp.lo && x < sp.hi {
						members = append(members, a)
						break
					}
				}
			}
			lo, hi := sp.lo, sp.hi
			b := aggBucket{Count: len(members), From: &lo, To: &hi, StringFrom: sp.slo, StringTo: sp.shi}
			if err := sub(&b, members); err != nil {
				return res, err
			}
			res.Buckets = append(res.Buckets, b)
		}
	default:
		return res, fmt.Errorf("invalid aggregation type '%s': supported are terms, date_histogram, date_range, range, cardinality", rq.Type)
	}
	return res, nil
}

func termLabel(field, v string) any {
	if alertSchema[field] == fql.Number {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return v
}

// numericValue reads a number or an RFC 3339 time (as Unix seconds).
func numericValue(v string) (float64, bool) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return f, true
	}
	if ts, err := time.Parse(time.RFC3339, v); err == nil {
		return float64(ts.Unix()), true
	}
	return 0, false
}

// relTime parses RFC 3339 or "now", "now-7d", "now-12h" into Unix seconds.
func relTime(v string, now time.Time) (int64, error) {
	v = strings.TrimSpace(v)
	if ts, err := time.Parse(time.RFC3339, v); err == nil {
		return ts.Unix(), nil
	}
	if !strings.HasPrefix(v, "now") {
		return 0, fmt.Errorf("bad time %q", v)
	}
	rest := v[3:]
	if rest == "" {
		return now.Unix(), nil
	}
	sign := int64(1)
	switch rest[0] {
	case '-':
		sign = -1
	case '+':
	default:
		return 0, fmt.Errorf("bad time %q", v)
	}
	unit := rest[len(rest)-1]
	n, err := strconv.ParseInt(rest[1:len(rest)-1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad time %q", v)
	}
	mult := map[byte]int64{'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 7 * 86400}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("bad time %q", v)
	}
	return now.Unix() + sign*n*mult, nil
}

var _ = http.StatusOK
