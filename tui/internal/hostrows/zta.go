package hostrows

// ZTA scores are not part of a host record: the pane fetches them for the rows it shows
// and hands them over by device ID. They are kept per device number (so they outlive a
// reload, as the device numbers do) in slices that are replaced, never written, when
// scores arrive: a job holding the old slices reads them without a lock.

// scores is the overall score of each device, plus one (0: not known).
type scores struct {
	hex []uint8 // per hex device number
	odd []uint8 // per odd device number
}

func (s scores) at(dev uint32) uint8 {
	v, i := s.hex, int(dev)
	if dev&oddDev != 0 {
		v, i = s.odd, int(dev&^oddDev)
	}
	if i < len(v) {
		return v[i]
	}
	return 0
}

// with returns a copy of s with more scores (device number → score 0–100).
func (s scores) with(add map[uint32]int) scores {
	out := scores{hex: append([]uint8(nil), s.hex...), odd: append([]uint8(nil), s.odd...)}
	for dev, score := range add {
		v := &out.hex
		i := int(dev)
		if dev&oddDev != 0 {
			v, i = &out.odd, int(dev&^oddDev)
		}
		if i >= len(*v) {
			*v = append(*v, make([]uint8, i+1-len(*v))...)
		}
		(*v)[i] = uint8(min(max(score, 0), 100) + 1)
	}
	return out
}

// SetScores records ZTA overall scores by device ID (devices not loaded are ignored). The
// order and filter in force keep the scores they were computed with; when the list is
// sorted by ZTA, or filtered by a score word (zta<75, filter.go), the returned jobs compute
// them again with the new ones.
func (t *Table) SetScores(byID map[string]int) []*Job {
	add := make(map[uint32]int, len(byID))
	for id, score := range byID {
		if n, ok := t.s.in.lookup(id); ok {
			add[n] = score
		}
	}
	if len(add) == 0 {
		return nil
	}
	in := t.s.in
	in.mu.Lock()
	in.zta = in.zta.with(add)
	in.mu.Unlock()
	t.s.publish()
	var jobs []*Job
	if s := t.Sorting(); s.By == ZTA {
		jobs = append(jobs, t.orderJob(s))
	}
	if hasScoreWord(filterWords(t.typed)) {
		jobs = append(jobs, t.filterJob(t.typed))
	}
	return jobs
}

// Score returns a row's ZTA overall score, and whether it is known.
func (t *Table) Score(row Row) (int, bool) {
	v := t.s.r.zta.at(t.s.r.devnum(int(row)))
	return int(v) - 1, v != 0
}

// HasScore reports whether a device's score is known (the pane fetches the others).
func (t *Table) HasScore(row Row) bool {
	_, ok := t.Score(row)
	return ok
}

// ScoreFiltered reports whether the filter typed tests ZTA scores (zta<75…): the rows it
// keeps are among those whose score is known.
func (t *Table) ScoreFiltered() bool { return hasScoreWord(filterWords(t.typed)) }
