package hostrows

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/falcon-tui/falcon-tui/tui/sanitize"
)

// The local filter keeps a row when every word of the filter occurs in the row's haystack:
// the lower-case sanitised text of its host name, platform, OS version and product, sensor
// version, local and external IP, device ID, domain, site, last login user, tenant label,
// serial number, MAC and tags, joined by tabs (which sanitising turns into spaces). A word holds no space, so
// it cannot match across two fields: it occurs in the haystack exactly when it occurs in one
// field's own lower-case sanitised text. (Escape sequences are the exception, see oddText:
// rows holding one are tested against their whole haystack.) That is what lets the engine
// test each interned value once per word, and only the per-row text (host name, local IP,
// device ID) once per row.

// filterWords splits a filter as the hosts pane does: trimmed, lower-cased, on spaces.
func filterWords(text string) []string {
	return strings.Fields(strings.ToLower(strings.TrimSpace(text)))
}

// haystack is the hosts pane's haystack of a row, built in full: only for odd rows.
func haystack(r *rows, row int, tenant string) string {
	parts := []string{
		r.textRaw(textHostname, row),
		r.symVal(symPlatform, row), r.symVal(symOSVersion, row), r.symVal(symOSProduct, row),
		r.symVal(symSensor, row), r.ipRaw(ipLocal, row), r.symVal(symExternalIP, row),
		r.deviceID(r.devnum(row)), r.symVal(symDomain, row), r.symVal(symSite, row),
		r.symVal(symUser, row), tenant, r.symVal(symSerial, row), r.symVal(symMAC, row),
	}
	parts = append(parts, r.setList(setTags, row)...)
	return strings.ToLower(sanitize.Text(strings.Join(parts, "\t")))
}

// matcher tests rows against one filter. Its per-value tables cover the dict values of the
// rows view it was built on and are extended (extend) as appends intern new values; a
// matcher belongs to one goroutine at a time (built by a job, then handed to the model).
type matcher struct {
	words  []string
	labels map[string]string
	tw     []*wordTest

	tenantOdd []bool // per CID: the label holds an escape sequence
	anyOdd    bool
}

// wordTest is one word's tables: for each searched symbol field, whether each value
// contains the word; the same per tenant and per tag set.
type wordTest struct {
	w      string
	dict   [numDict][]bool
	anyIn  [numDict]bool // some value of the dict matches: the field is worth a look
	tenant []bool
	anyTen bool
	tagEl  []bool // per tag
	tags   []bool // per tag set
	anyTag bool
	ipv4   bool // the word could occur in a dotted quad
	hexID  bool // the word could occur in a hex device ID
	hex    hexPattern
	// zta, for a word such as zta<75, tests the row's ZTA score instead of its text
	// (scoreWord); rows without a known score fail it.
	zta func(score int) bool

	// the plan test follows, rebuilt by extend: the symbol fields where some value
	// matches, those with the most matching values first
	live []liveSym
}

type liveSym struct {
	f   int
	tab []bool
}

func newMatcher(words []string, labels map[string]string) *matcher {
	m := &matcher{words: words, labels: labels}
	for _, w := range words {
		m.tw = append(m.tw, newWordTest(w))
	}
	return m
}

func newWordTest(w string) *wordTest {
	if pred := scoreWord(w); pred != nil {
		return &wordTest{w: w, zta: pred}
	}
	t := &wordTest{w: w, ipv4: true, hexID: len(w) <= 32}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !isDigit(c) && c != '.' {
			t.ipv4 = false
		}
		if !isDigit(c) && !(c >= 'a' && c <= 'f') {
			t.hexID = false
		}
	}
	if t.hexID {
		t.hex = newHexPattern(w)
	}
	return t
}

// searchedDict reports whether a dict holds values of a searched field.
var searchedDict = func() (out [numDict]bool) {
	for _, f := range symFields {
		if f.searched {
			out[f.dict] = true
		}
	}
	return out
}()

// extend brings the tables up to the dict values of r.
func (m *matcher) extend(r *rows) {
	cids := r.dicts[dictCID]
	for i := len(m.tenantOdd); i < len(cids.vals); i++ {
		odd := oddText(m.labels[cids.vals[i]])
		m.tenantOdd = append(m.tenantOdd, odd)
		m.anyOdd = m.anyOdd || odd
	}
	m.anyOdd = m.anyOdd || len(r.oddRows) > 0
	for _, t := range m.tw {
		for d := range numDict {
			if !searchedDict[d] {
				continue
			}
			keys := r.dicts[d].keys
			for i := len(t.dict[d]); i < len(keys); i++ {
				hit := strings.Contains(keys[i], t.w)
				t.dict[d] = append(t.dict[d], hit)
				t.anyIn[d] = t.anyIn[d] || hit
			}
		}
		for i := len(t.tenant); i < len(cids.vals); i++ {
			hit := strings.Contains(searchKey(m.labels[cids.vals[i]]), t.w)
			t.tenant = append(t.tenant, hit)
			t.anyTen = t.anyTen || hit
		}
		tags := r.sets[setTags]
		for i := len(t.tagEl); i < len(tags.elem.keys); i++ {
			t.tagEl = append(t.tagEl, strings.Contains(tags.elem.keys[i], t.w))
		}
		for i := len(t.tags); i < len(tags.elems); i++ {
			hit := false
			for _, e := range tags.elems[i] {
				hit = hit || t.tagEl[e]
			}
			t.tags = append(t.tags, hit)
			t.anyTag = t.anyTag || hit
		}
		t.plan()
	}
}

// plan lists the symbol fields worth a look, the likeliest hit first.
func (t *wordTest) plan() {
	t.live = t.live[:0]
	share := map[int]float64{}
	for f := range numSym {
		d := symFields[f].dict
		if !symFields[f].searched || !t.anyIn[d] {
			continue
		}
		n := 0
		for _, hit := range t.dict[d] {
			if hit {
				n++
			}
		}
		share[f] = float64(n) / float64(len(t.dict[d]))
		t.live = append(t.live, liveSym{f, t.dict[d]})
	}
	slices.SortStableFunc(t.live, func(a, b liveSym) int { return cmp.Compare(share[b.f], share[a.f]) })
}

// oddSet returns the rows below n that odd() is true for, as a set.
func (m *matcher) oddSet(r *rows, n int) bitset {
	if !m.anyOdd {
		return nil
	}
	s := newBitset(n)
	for _, row := range r.oddRows {
		if int(row) < n {
			s.set(int(row))
		}
	}
	if slices.Contains(m.tenantOdd, true) {
		for row := range n {
			if m.tenantOdd[r.sym[symCID].at(row)] {
				s.set(row)
			}
		}
	}
	return s
}

// matchOne reports whether a row passes every word.
func (m *matcher) matchOne(r *rows, row int) bool {
	if m.anyOdd {
		if _, odd := slices.BinarySearch(r.oddRows, uint32(row)); odd || m.tenantOdd[r.sym[symCID].at(row)] {
			return m.matchWhole(r, row)
		}
	}
	for _, t := range m.tw {
		if !t.test(r, row) {
			return false
		}
	}
	return true
}

func (m *matcher) matchWhole(r *rows, row int) bool {
	hay := haystack(r, row, m.labels[r.symVal(symCID, row)])
	for i, w := range m.words {
		if t := m.tw[i]; t.zta != nil {
			if !t.test(r, row) {
				return false
			}
		} else if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// test reports whether the word occurs in one of a (non-odd) row's searched fields. The
// fields are tried cheapest first: interned values are a table lookup.
func (t *wordTest) test(r *rows, row int) bool {
	if t.zta != nil {
		v := r.zta.at(r.devnum(row))
		return v != 0 && t.zta(int(v)-1)
	}
	k, i := row>>chunkShift, row&chunkMask
	for _, s := range t.live {
		if s.tab[r.sym[s.f].chunk(k)[i]] {
			return true
		}
	}
	if t.anyTen && t.tenant[r.sym[symCID].chunk(k)[i]] {
		return true
	}
	if t.anyTag && t.tags[r.set[setTags].chunk(k)[i]] {
		return true
	}
	if strings.Contains(r.texts[textHostname].key(r.text[textHostname].chunk(k)[i]), t.w) {
		return true
	}
	if v := r.ip[ipLocal].chunk(k)[i]; v&ipv4Flag != 0 {
		if t.ipv4 {
			var buf [15]byte
			if strings.Contains(bytesString(appendIPv4(buf[:0], uint32(v))), t.w) {
				return true
			}
		}
	} else if strings.Contains(r.ipTexts[ipLocal].key(uint32(v)), t.w) {
		return true
	}
	n := r.dev.chunk(k)[i]
	if n&oddDev != 0 {
		return strings.Contains(searchKey(r.oddIDs[n&^oddDev]), t.w)
	}
	if t.hexID {
		id := r.ids.chunk(int(n) >> chunkShift)
		return t.hex.in(&id[n&chunkMask])
	}
	return false
}

// wordBits is the set of rows below n whose haystack holds word: what a filter job learnt,
// kept so that the next keystroke can start from it. Never written once made.
type wordBits struct {
	word string
	n    int
	bits bitset
}

// matchRows computes, for the rows below n, the rows passing m, reusing cached word sets:
// a word seen before at the same row count costs nothing; a word that extends a cached word
// (typing one more letter) is tested only on that word's rows; rows appended since are
// tested in full. It returns the combined set and the complete word sets worth caching.
func matchRows(ctx context.Context, r *rows, n int, m *matcher, cache []*wordBits) (bitset, []*wordBits, error) {
	oddRows := m.oddSet(r, n)
	var result bitset
	var learnt []*wordBits
	for wi, t := range m.tw {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		var base *wordBits
		if t.zta == nil {
			// A score word's rows change as scores arrive, and zta<7 holds no superset
			// of zta<75's rows: never cached, never a start.
			base = bestCached(cache, t.w, n)
		}
		if base != nil && base.word == t.w && base.n == n {
			learnt = append(learnt, base)
			result = and(result, base.bits)
			continue
		}
		// Without a cached start, a later word need only be tested on the rows the earlier
		// words kept; that set then is not the word's own and is not cached.
		restrict := base == nil && result != nil
		var bits bitset
		switch {
		case base != nil:
			bits = scan(r, n, func(lo, hi int, f func(int)) {
				base.bits.each(lo, min(hi, base.n), f)
				for row := max(lo, base.n); row < hi; row++ {
					f(row)
				}
			}, func(row int) bool { return testWord(m, wi, r, row, oddRows) })
		case restrict:
			bits = scan(r, n, func(lo, hi int, f func(int)) { result.each(lo, hi, f) },
				func(row int) bool { return testWord(m, wi, r, row, oddRows) })
		default:
			bits = scan(r, n, func(lo, hi int, f func(int)) {
				for row := lo; row < hi; row++ {
					f(row)
				}
			}, func(row int) bool { return testWord(m, wi, r, row, oddRows) })
		}
		if !restrict && t.zta == nil {
			learnt = append(learnt, &wordBits{word: t.w, n: n, bits: bits})
		}
		result = and(result, bits)
	}
	return result, learnt, ctx.Err()
}

// testWord tests one word on a row; odd rows are tested on their whole haystack.
func testWord(m *matcher, wi int, r *rows, row int, oddRows bitset) bool {
	if oddRows != nil && oddRows.has(row) && m.tw[wi].zta == nil {
		return strings.Contains(haystack(r, row, m.labels[r.symVal(symCID, row)]), m.words[wi])
	}
	return m.tw[wi].test(r, row)
}

// scoreWord reads a filter word that tests the ZTA score — zta<N, zta<=N, zta>N, zta>=N,
// zta=N — and returns its test (nil for any other word).
func scoreWord(w string) func(int) bool {
	rest, ok := strings.CutPrefix(w, "zta")
	if !ok || rest == "" {
		return nil
	}
	op := rest[:1]
	if len(rest) > 1 && rest[1] == '=' && (op == "<" || op == ">") {
		op = rest[:2]
	}
	n, err := strconv.Atoi(rest[len(op):])
	if err != nil || n < 0 || n > 100 {
		return nil
	}
	switch op {
	case "<":
		return func(s int) bool { return s < n }
	case "<=":
		return func(s int) bool { return s <= n }
	case ">":
		return func(s int) bool { return s > n }
	case ">=":
		return func(s int) bool { return s >= n }
	case "=":
		return func(s int) bool { return s == n }
	}
	return nil
}

// hasScoreWord reports whether a filter tests ZTA scores (new scores change its rows).
func hasScoreWord(words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return scoreWord(w) != nil })
}

// bestCached returns the cached set to start a word from: the word itself, or else the
// longest cached word the new word contains (every row holding the new word holds it).
func bestCached(cache []*wordBits, w string, n int) *wordBits {
	var best *wordBits
	for _, c := range cache {
		if c.n > n || !strings.Contains(w, c.word) {
			continue
		}
		if best == nil || len(c.word) > len(best.word) || (len(c.word) == len(best.word) && c.n > best.n) {
			best = c
		}
	}
	return best
}

// scan runs test over the candidate rows below n, split over the cores in 64-row aligned
// ranges so that each worker writes its own words of the result.
func scan(r *rows, n int, candidates func(lo, hi int, f func(int)), test func(int) bool) bitset {
	out := newBitset(n)
	if n == 0 {
		return out
	}
	p := workers(n)
	step := ((n/p + 63) &^ 63)
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += step {
		hi := min(n, lo+step)
		wg.Go(func() {
			candidates(lo, hi, func(row int) {
				if test(row) {
					out.set(row)
				}
			})
		})
	}
	wg.Wait()
	return out
}

// and intersects b into a (a nil means "every row") and returns the result.
func and(a, b bitset) bitset {
	if a == nil {
		return append(bitset(nil), b...)
	}
	for i := range a {
		a[i] &= b[i]
	}
	return a
}
