package fql_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

var fuzzSeeds = []string{
	"hostname:'web*'",
	"hostname:web*",
	`hostname:"it's"`,
	`hostname:'a\*b\\c\''`,
	"hostname:*'*srv*'",
	"platform_name:'Windows'+last_seen:>='2024-01-01T00:00:00Z'",
	"status:'new'+severity:>=70",
	"severity:>-1.5e3,severity:<=7",
	"severity:'9*'",
	"last_seen:>'now-7d'",
	"last_seen:>now-24h+last_seen:<now+1d",
	"last_seen:>2024-05-31T14:00:00+02:00",
	"last_seen:'2024-01-01'",
	"first_seen:now",
	"tags:'FalconGroupingTags/Prod'",
	"tags:!*",
	"tags:*",
	"device_id:['a1','a2']",
	"platform_name:!['Windows', Mac]",
	"hostname:~'srv'+hostname:!~'test'",
	"reduced:true,reduced:'FALSE'",
	"status:null+agent_version:!null",
	"(platform_name:'Linux',platform_name:'Mac')+severity:>50",
	"((hostname:'a'+(hostname:'b',hostname:'c')))",
	" platform_name : 'Linux' + severity : < 50 ",
	"device.hostname:'DC*'",
	"hostname:'x')",
	"(hostname:'x'",
	"hostname:'x",
	"hostname:",
	"hostname:'a' hostname:'b'",
	"severity:!>5",
	"nope:1",
	"",
	"hostname:'\u212a*'",
}

// fuzzRecords builds records whose values are the words of the input, so
// that round-trip equivalence is checked on values the filter talks about.
func fuzzRecords(input string) []fql.Record {
	words := strings.FieldsFunc(input, func(r rune) bool {
		return r == '\'' || r == '"' || r == ',' || r == '+' || r == '(' || r == ')' ||
			r == '[' || r == ']' || r == ':' || unicode.IsSpace(r)
	})
	recs := []fql.Record{fql.Values{}}
	for _, vals := range [][]string{
		words,
		{"", "x"},
		{"70", "2024-01-01T00:00:00Z", "true", "WEB-01", "2024-05-31T12:00:00+02:00"},
	} {
		r := fql.Values{}
		for f := range testSchema {
			r[f] = vals
		}
		recs = append(recs, r)
	}
	for _, w := range words {
		r := fql.Values{}
		for f := range testSchema {
			r[f] = []string{w}
		}
		recs = append(recs, r)
	}
	return recs
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := fql.ParseAt(s, testSchema, testNow)
		if err != nil {
			var se *fql.SyntaxError
			var fe *fql.FieldError
			switch {
			case errors.As(err, &se):
				if se.Pos < 0 || se.Pos > len(s) || se.Filter != s {
					t.Fatalf("%q: bad SyntaxError %+v", s, se)
				}
			case errors.As(err, &fe):
				if fe.Pos < 0 || fe.Pos > len(s) || !strings.HasPrefix(s[fe.Pos:], fe.Field) {
					t.Fatalf("%q: bad FieldError %+v", s, fe)
				}
			default:
				t.Fatalf("%q: error of type %T", s, err)
			}
			return
		}
		if e == nil {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("%q: nil Expr without error", s)
			}
			return
		}
		canon := e.String()
		e2, err := fql.ParseAt(canon, testSchema, testNow)
		if err != nil {
			t.Fatalf("%q: canonical form %q does not parse: %v", s, canon, err)
		}
		if got := e2.String(); got != canon {
			t.Fatalf("%q: String not stable: %q then %q", s, canon, got)
		}
		for _, r := range fuzzRecords(s) {
			if e.Match(r) != e2.Match(r) {
				t.Fatalf("%q and its canonical form %q disagree on %v", s, canon, r)
			}
		}
	})
}

func FuzzSort(f *testing.F) {
	for _, s := range []string{
		"", "hostname", "hostname.asc", "hostname.desc", "last_seen|desc", "severity|ASC",
		"device.hostname.desc", " hostname.desc , severity ", "hostname,,x", "nope.desc", "hostname|up", "|",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		keys, err := fql.ParseSort(s, testSchema)
		if err != nil {
			var se *fql.SortError
			var fe *fql.FieldError
			if !errors.As(err, &se) && !errors.As(err, &fe) {
				t.Fatalf("%q: error of type %T", s, err)
			}
			return
		}
		parts := make([]string, len(keys))
		for i, k := range keys {
			if _, ok := testSchema[k.Field]; !ok {
				t.Fatalf("%q: key on unknown field %q", s, k.Field)
			}
			parts[i] = k.String()
		}
		again, err := fql.ParseSort(strings.Join(parts, ","), testSchema)
		if err != nil || len(again) != len(keys) {
			t.Fatalf("%q: rendered keys %v do not parse back: %v", s, parts, err)
		}
		for i := range keys {
			if again[i] != keys[i] {
				t.Fatalf("%q: key %d %v became %v", s, i, keys[i], again[i])
			}
		}
	})
}
