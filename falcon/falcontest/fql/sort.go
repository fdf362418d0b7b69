package fql

import (
	"strconv"
	"strings"
)

// SortKey is one key of a sort: a field and its direction.
type SortKey struct {
	Field string
	Desc  bool
}

// String renders the key in the hosts API's dot form (hostname.desc).
func (k SortKey) String() string {
	if k.Desc {
		return k.Field + ".desc"
	}
	return k.Field + ".asc"
}

// ParseSort parses "field", "field.asc", "field.desc", "field|asc",
// "field|desc" and comma-separated lists of those; the direction is
// case-insensitive and blanks around items are ignored. An empty or blank
// sort gives (nil, nil). Unknown fields give *FieldError, malformed input
// *SortError.
func ParseSort(sort string, schema Schema) ([]SortKey, error) {
	if strings.TrimSpace(sort) == "" {
		return nil, nil
	}
	var keys []SortKey
	for item := range strings.SplitSeq(sort, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, &SortError{Sort: sort, Msg: "empty sort key"}
		}
		k, err := parseSortKey(item, sort, schema)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func parseSortKey(item, sort string, schema Schema) (SortKey, error) {
	// A field that itself ends in .asc/.desc wins over the suffix reading.
	if _, ok := schema[item]; ok {
		return SortKey{Field: item}, nil
	}
	field, dir := item, ""
	if i := strings.LastIndexAny(item, ".|"); i >= 0 {
		field, dir = strings.TrimSpace(item[:i]), strings.TrimSpace(item[i+1:])
	}
	var desc bool
	switch {
	case strings.EqualFold(dir, "asc"):
	case strings.EqualFold(dir, "desc"):
		desc = true
	case strings.Contains(item, "|"):
		return SortKey{}, &SortError{Sort: sort, Msg: "invalid sort direction " + strconv.Quote(dir)}
	default:
		// No direction: a dotted name that is not in the schema.
		field = item
	}
	if field == "" {
		return SortKey{}, &SortError{Sort: sort, Msg: "missing field name in " + strconv.Quote(item)}
	}
	if _, ok := schema[field]; !ok {
		return SortKey{}, &FieldError{Field: field, InSort: true}
	}
	return SortKey{Field: field, Desc: desc}, nil
}

// Compare orders a and b by keys: numbers numerically, times
// chronologically, bools false before true, strings case-insensitively. A
// multi-valued field sorts by its first value. A record without a usable
// value (absent, or not parseable as the field's type) sorts after every
// record with one, in both directions. Equal keys give 0.
func Compare(a, b Record, keys []SortKey, schema Schema) int {
	for _, k := range keys {
		typ := schema[k.Field]
		va, oka := sortValue(a, k.Field)
		vb, okb := sortValue(b, k.Field)
		var c int
		switch {
		case !oka && !okb:
			continue
		case !oka:
			return 1
		case !okb:
			return -1
		}
		c, oka, okb = compareTyped(typ, va, vb)
		switch {
		case !oka && !okb:
			continue
		case !oka:
			return 1
		case !okb:
			return -1
		}
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func sortValue(r Record, field string) (string, bool) {
	vals := r.FQLValues(field)
	if len(vals) == 0 {
		return "", false
	}
	return vals[0], true
}

// compareTyped compares two raw values of type typ; oka/okb report whether
// each could be read as that type.
func compareTyped(typ FieldType, a, b string) (c int, oka, okb bool) {
	switch typ {
	case Number:
		fa, erra := strconv.ParseFloat(a, 64)
		fb, errb := strconv.ParseFloat(b, 64)
		oka, okb = erra == nil && fa == fa, errb == nil && fb == fb
		switch {
		case fa < fb:
			c = -1
		case fa > fb:
			c = 1
		}
		return c, oka, okb
	case Time:
		ta, oka := parseRecordTime(a)
		tb, okb := parseRecordTime(b)
		return ta.Compare(tb), oka, okb
	case Bool:
		ba, oka := parseBool(a)
		bb, okb := parseBool(b)
		switch {
		case ba == bb:
		case bb:
			c = -1
		default:
			c = 1
		}
		return c, oka, okb
	}
	return compareFold(a, b), true, true
}
