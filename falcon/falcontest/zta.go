package falcontest

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

// Zero Trust Assessment: every visible host has a deterministic score.

type (
	ztaAssessment struct {
		OS           int    `json:"os"`
		Overall      int    `json:"overall"`
		SensorConfig int    `json:"sensor_config"`
		Version      string `json:"version"`
	}
	ztaSignal struct {
		Criteria      string `json:"criteria"`
		GroupName     string `json:"group_name"`
		MeetsCriteria string `json:"meets_criteria"`
		SignalID      string `json:"signal_id"`
		SignalName    string `json:"signal_name"`
	}
	ztaItems struct {
		OSSignals     []ztaSignal `json:"os_signals"`
		SensorSignals []ztaSignal `json:"sensor_signals"`
	}
	// domain.SignalProperties
	ztaProperties struct {
		AID                string        `json:"aid"`
		Assessment         ztaAssessment `json:"assessment"`
		AssessmentItems    ztaItems      `json:"assessment_items"`
		CID                string        `json:"cid"`
		EventPlatform      string        `json:"event_platform"`
		ModifiedTime       string        `json:"modified_time"`
		ProductTypeDesc    string        `json:"product_type_desc"`
		SensorFileStatus   string        `json:"sensor_file_status"`
		SystemSerialNumber string        `json:"system_serial_number"`
	}
	// domain.ZeroTrustSimpleAssessment
	ztaSimple struct {
		AID   string `json:"aid"`
		Score int    `json:"score"`
	}
	// common.OSAudit / common.CIDAuditResult
	osAudit struct {
		Audit               map[string]float64 `json:"audit"`
		AverageOverallScore float64            `json:"average_overall_score"`
		Name                string             `json:"name"`
		NumAIDs             int                `json:"num_aids"`
	}
	cidAudit struct {
		AverageOverallScore float64   `json:"average_overall_score"`
		CID                 string    `json:"cid"`
		NumAIDs             int       `json:"num_aids"`
		Platforms           []osAudit `json:"platforms"`
	}
)

func (r hostRef) ztaScores() (overall, os, sensor int) {
	os = 30 + r.derived(0x2a1, 71)
	sensor = 40 + r.derived(0x2a2, 61)
	if r.h().flags&flRFM != 0 {
		sensor /= 2
	}
	return (os + sensor) / 2, os, sensor
}

var ztaSchema = fql.Schema{"score": fql.Number, "aid": fql.String, "platform": fql.String, "os_score": fql.Number, "sensor_config_score": fql.Number}

type ztaRec struct{ r hostRef }

func (z ztaRec) FQLValues(f string) []string {
	o, os, sc := z.r.ztaScores()
	switch f {
	case "score":
		return []string{strconv.Itoa(o)}
	case "os_score":
		return []string{strconv.Itoa(os)}
	case "sensor_config_score":
		return []string{strconv.Itoa(sc)}
	case "aid":
		return []string{z.r.s.w.ids.encode(z.r.t.idx, z.r.i)}
	case "platform":
		return []string{osProfiles[z.r.h().os].platform}
	}
	return nil
}

// ztaByScore serves GET /zero-trust-assessment/queries/assessments/v1:
// filter (required, score FQL), sort (default score), after token, limit 1–1000.
func (s *Server) ztaByScore(c *call) {
	limit := c.intParam("limit", defaultLimit)
	if limit < 1 || limit > 1000 {
		c.fail(http.StatusBadRequest, "limit must be between 1 and 1000")
		return
	}
	t := c.t
	var sn *snapshot
	pos := 0
	if tok := c.str("after"); tok != "" {
		var err error
		if sn, pos, err = s.scrolls.resolve(tok, t, "zta", c.now); err != nil {
			c.fail(http.StatusBadRequest, "invalid after: the pagination token is malformed or has expired")
			return
		}
	} else {
		expr, err := fql.ParseAt(c.str("filter"), ztaSchema, c.now)
		if err != nil {
			c.fail(http.StatusBadRequest, err.Error())
			return
		}
		keys, err := fql.ParseSort(orDefault(c.str("sort"), "score|desc"), ztaSchema)
		if err != nil {
			c.fail(http.StatusBadRequest, err.Error())
			return
		}
		t.mu.RLock()
		type item struct {
			i   int32
			rec fql.Values
		}
		var items []item
		ref := hostRef{s: s, t: t, now: c.now.Unix()}
		for i := range t.hosts {
			if t.hosts[i].flags&flHidden != 0 {
				continue
			}
			ref.i = i
			if expr != nil && !expr.Match(ztaRec{ref}) {
				continue
			}
			o, _, _ := ref.ztaScores()
			items = append(items, item{int32(i), fql.Values{"score": {strconv.Itoa(o)}}})
		}
		t.mu.RUnlock()
		slices.SortStableFunc(items, func(a, b item) int { return fql.Compare(a.rec, b.rec, keys, ztaSchema) })
		ids := make([]int32, len(items))
		for k, it := range items {
			ids[k] = it.i
		}
		sn = s.scrolls.create(t, "zta", ids, nil, c.now, time.Hour)
	}
	ids := page(sn.ids, pos, limit)
	t.mu.RLock()
	out := make([]ztaSimple, len(ids))
	for k, i := range ids {
		o, _, _ := hostRef{s: s, t: t, i: int(i)}.ztaScores()
		out[k] = ztaSimple{AID: s.w.ids.encode(t.idx, int(i)), Score: o}
	}
	t.mu.RUnlock()
	pg := afterPaging{Limit: limit, Total: len(sn.ids)}
	if pos+len(ids) < len(sn.ids) {
		pg.After = s.scrolls.token(sn, pos+len(ids), c.now.Add(time.Hour))
	}
	c.send(reply{resources: out, pagination: pg})
}

// ztaAssessments serves GET /zero-trust-assessment/entities/assessments/v1?ids=<aid>.
func (s *Server) ztaAssessments(c *call) {
	ids := c.q["ids"]
	if len(ids) == 0 {
		c.fail(http.StatusBadRequest, "ids must not be empty")
		return
	}
	t := c.t
	t.mu.RLock()
	var out []ztaProperties
	var errs []apiError
	for _, id := range dedupe(ids) {
		i, ok := s.hostIndex(t, id)
		if !ok {
			errs = append(errs, apiError{Code: 404, ID: id, Message: "No assessment found for aid " + id})
			continue
		}
		ref := hostRef{s: s, t: t, i: i, now: c.now.Unix()}
		o, os, sc := ref.ztaScores()
		p := osProfiles[ref.h().os]
		sig := func(id, name, group string, ok bool) ztaSignal {
			m := "no"
			if ok {
				m = "yes"
			}
			return ztaSignal{SignalID: id, SignalName: name, GroupName: group, Criteria: "enabled", MeetsCriteria: m}
		}
		out = append(out, ztaProperties{
			AID: s.w.ids.encode(t.idx, i), CID: t.cid, EventPlatform: p.platform, ProductTypeDesc: p.typeDesc,
			Assessment:   ztaAssessment{Overall: o, OS: os, SensorConfig: sc, Version: "3.9.0"},
			ModifiedTime: rfc3339(ref.h().lastSeen), SensorFileStatus: "deployed", SystemSerialNumber: ref.serial(),
			AssessmentItems: ztaItems{
				OSSignals: []ztaSignal{
					sig("firewall_enabled", "Firewall", "Network", os > 50),
					sig("disk_encryption", "Full disk encryption", "Data", os > 60),
					sig("secure_boot", "Secure boot", "Boot", os > 40),
				},
				SensorSignals: []ztaSignal{
					sig("sensor_up_to_date", "Sensor version", "Sensor", ref.h().agent == 0),
					sig("prevention_policy", "Prevention policy", "Policy", sc > 55),
					sig("rfm_off", "Reduced functionality mode off", "Sensor", ref.h().flags&flRFM == 0),
				},
			},
		})
	}
	t.mu.RUnlock()
	c.send(reply{status: partialStatus(len(out), len(errs)), resources: nonNil(out), errs: errs})
}

// ztaAudit serves GET /zero-trust-assessment/entities/audit/v1: CID averages.
func (s *Server) ztaAudit(c *call) {
	t := c.t
	t.mu.RLock()
	type acc struct {
		n         int
		o, os, sc float64
	}
	per := map[string]*acc{}
	var total acc
	for i := range t.hosts {
		if t.hosts[i].flags&flHidden != 0 {
			continue
		}
		ref := hostRef{s: s, t: t, i: i}
		o, os, sc := ref.ztaScores()
		name := osProfiles[t.hosts[i].os].platform
		a := per[name]
		if a == nil {
			a = &acc{}
			per[name] = a
		}
		for _, x := range []*acc{a, &total} {
			x.n++
			x.o += float64(o)
			x.os += float64(os)
			x.sc += float64(sc)
		}
	}
	t.mu.RUnlock()
	avg := func(sum float64, n int) float64 {
		if n == 0 {
			return 0
		}
		v, _ := strconv.ParseFloat(strconv.FormatFloat(sum/float64(n), 'f', 1, 64), 64)
		return v
	}
	res := cidAudit{CID: t.cid, NumAIDs: total.n, AverageOverallScore: avg(total.o, total.n), Platforms: []osAudit{}}
	for _, name := range []string{"Windows", "Mac", "Linux"} {
		if a := per[name]; a != nil {
			res.Platforms = append(res.Platforms, osAudit{Name: name, NumAIDs: a.n, AverageOverallScore: avg(a.o, a.n),
				Audit: map[string]float64{"os": avg(a.os, a.n), "sensor_config": avg(a.sc, a.n)}})
		}
	}
	c.send(reply{resources: []cidAudit{res}})
}
