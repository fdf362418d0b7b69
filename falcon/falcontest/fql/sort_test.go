package fql_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

func TestParseSort(t *testing.T) {
	tests := []struct {
		in   string
		want []fql.SortKey
	}{
		{"", nil},
		{"  ", nil},
		{"hostname", []fql.SortKey{{Field: "hostname"}}},
		{"hostname.asc", []fql.SortKey{{Field: "hostname"}}},
		{"hostname.desc", []fql.SortKey{{Field: "hostname", Desc: true}}},
		{"hostname|desc", []fql.SortKey{{Field: "hostname", Desc: true}}},
		{"last_seen|ASC", []fql.SortKey{{Field: "last_seen"}}},
		{"hostname.DESC", []fql.SortKey{{Field: "hostname", Desc: true}}},
		{"hostname | desc", []fql.SortKey{{Field: "hostname", Desc: true}}},
		{"device.hostname", []fql.SortKey{{Field: "device.hostname"}}},
		{"device.hostname.desc", []fql.SortKey{{Field: "device.hostname", Desc: true}}},
		{" severity.desc , hostname ,last_seen|asc", []fql.SortKey{
			{Field: "severity", Desc: true}, {Field: "hostname"}, {Field: "last_seen"},
		}},
	}
	for _, tt := range tests {
		got, err := fql.ParseSort(tt.in, testSchema)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseSort(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseSortErrors(t *testing.T) {
	fieldErrs := map[string]string{
		"nope":         "nope",
		"nope.desc":    "nope",
		"nope|asc":     "nope",
		"hostname.up":  "hostname.up",
		"Hostname.asc": "Hostname",
		"desc":         "desc",
	}
	for in, field := range fieldErrs {
		_, err := fql.ParseSort(in, testSchema)
		var fe *fql.FieldError
		if !errors.As(err, &fe) || fe.Field != field || !fe.InSort {
			t.Errorf("ParseSort(%q) error = %v, want unknown field %q", in, err, field)
		}
	}
	for _, in := range []string{"hostname|up", "hostname|", "hostname,,severity", "hostname,", ",hostname", ".desc", "|asc"} {
		_, err := fql.ParseSort(in, testSchema)
		var se *fql.SortError
		if !errors.As(err, &se) || se.Sort != in {
			t.Errorf("ParseSort(%q) error = %v, want *SortError", in, err)
		}
	}
	_, err := fql.ParseSort("nope.asc", testSchema)
	if got, want := err.Error(), "invalid sort: unknown field 'nope'"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestCompare(t *testing.T) {
	recs := map[string]fql.Values{
		"a": {"hostname": {"alpha"}, "severity": {"9"}, "last_seen": {"2024-01-02T00:00:00Z"}, "reduced": {"true"}},
		"B": {"hostname": {"Bravo"}, "severity": {"10"}, "last_seen": {"2024-01-01T23:00:00-02:00"}, "reduced": {"false"}},
		"c": {"hostname": {"charlie"}, "severity": {"9"}, "last_seen": {"2024-01-01T00:00:00Z"}},
		"d": {"hostname": {"ALPHA"}, "severity": {"bogus"}, "tags": {"z", "a"}},
		"e": {},
	}
	names := []string{"e", "d", "c", "B", "a"}
	tests := []struct {
		sort string
		want []string
	}{
		// case-insensitive strings; absent last; stable on ties (d before a)
		{"hostname", []string{"d", "a", "B", "c", "e"}},
		{"hostname.desc", []string{"c", "B", "d", "a", "e"}},
		// numerically (10 > 9), unparseable and absent last in both directions
		{"severity", []string{"c", "a", "B", "d", "e"}},
		{"severity|desc", []string{"B", "c", "a", "d", "e"}},
		// chronologically across zones: B is 2024-01-02T01:00Z
		{"last_seen.asc", []string{"c", "a", "B", "e", "d"}},
		{"last_seen.desc", []string{"B", "a", "c", "e", "d"}},
		// false < true
		{"reduced", []string{"B", "a", "e", "d", "c"}},
		// secondary key breaks ties
		{"severity.asc,hostname.desc", []string{"c", "a", "B", "d", "e"}},
		// multi-valued: the first value
		{"tags,hostname", []string{"d", "a", "B", "c", "e"}},
	}
	for _, tt := range tests {
		keys, err := fql.ParseSort(tt.sort, testSchema)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Clone(names)
		slices.SortStableFunc(got, func(x, y string) int { return fql.Compare(recs[x], recs[y], keys, testSchema) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("sort %q = %v, want %v", tt.sort, got, tt.want)
		}
	}
	if c := fql.Compare(recs["a"], recs["d"], []fql.SortKey{{Field: "hostname"}}, testSchema); c != 0 {
		t.Errorf("alpha vs ALPHA = %d, want 0", c)
	}
	if c := fql.Compare(recs["a"], recs["B"], nil, testSchema); c != 0 {
		t.Errorf("no keys = %d, want 0", c)
	}
}
