package fql_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

var (
	testNow = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

	testSchema = fql.Schema{
		"hostname":        fql.String,
		"platform_name":   fql.String,
		"tags":            fql.String,
		"status":          fql.String,
		"agent_version":   fql.String,
		"device.hostname": fql.String,
		"severity":        fql.Number,
		"last_seen":       fql.Time,
		"first_seen":      fql.Time,
		"reduced":         fql.Bool,
	}

	// testRecords is a small fleet; each match case lists the names it selects.
	testRecords = map[string]fql.Values{
		"web1": {
			"hostname":        {"WEB-01"},
			"platform_name":   {"Windows"},
			"tags":            {"FalconGroupingTags/Prod", "SensorGroupingTags/x"},
			"status":          {"normal"},
			"agent_version":   {"7.10.1"},
			"device.hostname": {"DC-01"},
			"severity":        {"70"},
			"last_seen":       {"2024-05-31T12:00:00Z"},
			"first_seen":      {"2023-01-01T00:00:00Z"},
			"reduced":         {"false"},
		},
		"db1": {
			"hostname":      {"db-srv-02"},
			"platform_name": {"Linux"},
			"tags":          {"FalconGroupingTags/Dev"},
			"status":        {"contained"},
			"agent_version": {"6.50"},
			"severity":      {"30"},
			"last_seen":     {"2024-05-20T00:00:00Z"},
			"first_seen":    {"2024-01-01T10:00:00+02:00"},
			"reduced":       {"true"},
		},
		"mac": {
			"hostname":      {"Mac-Book"},
			"platform_name": {"Mac"},
			"status":        {""},
			"agent_version": {"7.9"},
			"severity":      {"95.5"},
			"last_seen":     {"2024-06-01T00:00:00.000Z"},
		},
		"empty": {},
	}
)

// matching returns the sorted names of the test records e selects.
func matching(e *fql.Expr) []string {
	var out []string
	for name, r := range testRecords {
		if e.Match(r) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func TestMatch(t *testing.T) {
	tests := []struct {
		filter string
		want   []string
	}{
		// equality, quoting, case, wildcards
		{"hostname:'WEB-01'", []string{"web1"}},
		{"hostname:'web-01'", []string{"web1"}},
		{`hostname:"web-01"`, []string{"web1"}},
		{"hostname:web-01", []string{"web1"}},
		{"hostname:'web*'", []string{"web1"}},
		{"hostname:web*", []string{"web1"}},
		{"hostname:'*srv*'", []string{"db1"}},
		{"hostname:'*-0*'", []string{"db1", "web1"}},
		{"hostname:'*book'", []string{"mac"}},
		{"hostname:'m*b*k'", []string{"mac"}},
		{"hostname:'web'", nil},
		{`hostname:'web\*'`, nil},
		{"hostname:*'*book'", []string{"mac"}},
		{"device.hostname:'dc*'", []string{"web1"}},
		// negation
		{"hostname:!'web*'", []string{"db1", "empty", "mac"}},
		{"platform_name:!'Linux'", []string{"empty", "mac", "web1"}},
		// text match
		{"hostname:~'SRV'", []string{"db1"}},
		{"hostname:~'-0'", []string{"db1", "web1"}},
		{"hostname:!~'srv'", []string{"empty", "mac", "web1"}},
		{"severity:~'5'", []string{"mac"}},
		// numbers
		{"severity:>50", []string{"mac", "web1"}},
		{"severity:>=70", []string{"mac", "web1"}},
		{"severity:<70", []string{"db1"}},
		{"severity:<=30", []string{"db1"}},
		{"severity:95.5", []string{"mac"}},
		{"severity:'70'", []string{"web1"}},
		{"severity:7e1", []string{"web1"}},
		{"severity:!70", []string{"db1", "empty", "mac"}},
		{"severity:'9*'", []string{"mac"}},
		// times
		{"last_seen:>'now-7d'", []string{"mac", "web1"}},
		{"last_seen:>now-24h", []string{"mac", "web1"}},
		{"last_seen:>now-30m", []string{"mac"}},
		{"last_seen:<now-1w", []string{"db1"}},
		{"last_seen:<now-2w", nil},
		{"last_seen:>=now", []string{"mac"}},
		{"last_seen:<now+1d", []string{"db1", "mac", "web1"}},
		{"last_seen:>now+1d", nil},
		{"last_seen:'2024-05-31'", []string{"web1"}},
		{"last_seen:>='2024-05-31T12:00:00Z'", []string{"mac", "web1"}},
		{"last_seen:>=2024-05-31T12:00:00Z", []string{"mac", "web1"}},
		{"last_seen:>2024-05-31T14:00:00+02:00", []string{"mac"}},
		{"first_seen:<'2024-01-01T09:00:00Z'", []string{"db1", "web1"}},
		{"first_seen:'2024-01-01T08:00:00Z'", []string{"db1"}},
		{"first_seen:'2024-01-01T08:00:00'", []string{"db1"}},
		// bools
		{"reduced:true", []string{"db1"}},
		{"reduced:'FALSE'", []string{"web1"}},
		{"reduced:!true", []string{"empty", "mac", "web1"}},
		// list fields: any value
		{"tags:'FalconGroupingTags/Prod'", []string{"web1"}},
		{"tags:'falcongroupingtags/*'", []string{"db1", "web1"}},
		{"tags:!'FalconGroupingTags/Prod'", []string{"db1", "empty", "mac"}},
		{"tags:*", []string{"db1", "web1"}},
		{"tags:!*", []string{"empty", "mac"}},
		// value lists
		{"platform_name:['Windows','Mac']", []string{"mac", "web1"}},
		{"platform_name:[windows, 'LINUX']", []string{"db1", "web1"}},
		{"platform_name:!['Windows','Mac']", []string{"db1", "empty"}},
		{"severity:[30,95.5]", []string{"db1", "mac"}},
		{"tags:['FalconGroupingTags/*']", nil},
		{"hostname:~['srv','book']", []string{"db1", "mac"}},
		// null
		{"status:null", []string{"empty", "mac"}},
		{"status:!null", []string{"db1", "web1"}},
		{"status:'null'", nil},
		{"last_seen:*", []string{"db1", "mac", "web1"}},
		// AND, OR, precedence, grouping, blanks
		{"platform_name:'Linux'+severity:<50", []string{"db1"}},
		{"platform_name:'Windows',platform_name:'Mac'", []string{"mac", "web1"}},
		{"platform_name:'Windows',platform_name:'Linux'+severity:>50", []string{"web1"}},
		{"platform_name:'Linux'+severity:>50,platform_name:'Mac'", []string{"mac"}},
		{"(platform_name:'Linux',platform_name:'Mac')+severity:>50", []string{"mac"}},
		{"((hostname:'web*'))", []string{"web1"}},
		{" platform_name : 'Linux' +\tseverity : < 50 ", []string{"db1"}},
		{"platform_name:'Linux' , platform_name:'Mac'", []string{"db1", "mac"}},
		// lexical comparison of strings, ignoring case
		{"agent_version:>='7.0'", []string{"mac", "web1"}},
		{"hostname:<'M'", []string{"db1"}},
		{"hostname:>='mac-book'", []string{"mac", "web1"}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			e, err := fql.ParseAt(tt.filter, testSchema, testNow)
			if err != nil {
				t.Fatalf("ParseAt: %v", err)
			}
			if got := matching(e); !slices.Equal(got, tt.want) {
				t.Errorf("matches %v, want %v (parsed as %s)", got, tt.want, e)
			}
		})
	}
}

func TestMatchUnicodeFold(t *testing.T) {
	r := fql.Values{"hostname": {"ÉCOLE-Straße-\u212a9"}} // U+212A KELVIN SIGN folds to k
	for _, f := range []string{"hostname:'école*'", "hostname:'*-k9'", "hostname:~'straße'", "hostname:'ÉCOLE-STRAßE-K9'"} {
		e, err := fql.Parse(f, testSchema)
		if err != nil {
			t.Fatal(err)
		}
		if !e.Match(r) {
			t.Errorf("%s does not match %q", f, r["hostname"])
		}
	}
}

func TestEmptyFilter(t *testing.T) {
	for _, f := range []string{"", "   ", "\t\n"} {
		e, err := fql.Parse(f, testSchema)
		if e != nil || err != nil {
			t.Fatalf("Parse(%q) = %v, %v; want nil, nil", f, e, err)
		}
		if !e.Match(fql.Values{}) || e.String() != "" || e.Fields() != nil {
			t.Errorf("nil Expr: Match, String or Fields wrong")
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"hostname:web*", "hostname:'web*'"},
		{` hostname : "it's" `, `hostname:'it\'s'`},
		{`hostname:'a\*b*'`, `hostname:'a\*b*'`},
		{"severity:>= '70' ", "severity:>=70"},
		{"severity:7.50", "severity:7.5"},
		{"reduced:'TRUE'", "reduced:true"},
		{"last_seen:>NOW-07d", "last_seen:>'now-7d'"},
		{"last_seen:now", "last_seen:'now'"},
		{"last_seen:2024-01-01", "last_seen:'2024-01-01'"},
		{"status:!NULL", "status:!null"},
		{"hostname:*'web*'", "hostname:'web*'"},
		{"platform_name:[ Windows , 'Mac' ]", "platform_name:['Windows','Mac']"},
		{"tags:['a*']", `tags:['a\*']`},
		{"(a:1)", ""}, // unknown field: no String
		{"((hostname:'a'))", "hostname:'a'"},
		{"(hostname:'a',hostname:'b'),hostname:'c'", "hostname:'a',hostname:'b',hostname:'c'"},
		{"(hostname:'a'+hostname:'b')+hostname:'c'", "hostname:'a'+hostname:'b'+hostname:'c'"},
		{"(hostname:'a',hostname:'b')+hostname:'c'", "(hostname:'a',hostname:'b')+hostname:'c'"},
		{"hostname:'a',(hostname:'b'+hostname:'c')", "hostname:'a',hostname:'b'+hostname:'c'"},
	}
	for _, tt := range tests {
		e, err := fql.ParseAt(tt.in, testSchema, testNow)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseAt(%q) succeeded, want error", tt.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseAt(%q): %v", tt.in, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("ParseAt(%q).String() = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestFields(t *testing.T) {
	e, err := fql.Parse("hostname:'a'+severity:>1,(hostname:'b'+device.hostname:null)", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.Fields(), []string{"hostname", "severity", "device.hostname"}; !slices.Equal(got, want) {
		t.Errorf("Fields() = %v, want %v", got, want)
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		filter string
		pos    int
		msg    string // substring of the message
	}{
		{"hostname:'x')", 12, "unexpected ')'"},
		{"(hostname:'x'", 0, "unbalanced '('"},
		{"(hostname:'x' hostname:'y')", 14, "unexpected 'h'"},
		{"hostname:'x", 9, "unterminated quoted value"},
		{`hostname:'x\`, 9, "unterminated quoted value"},
		{"hostname:", 9, "missing value"},
		{"hostname:!", 10, "missing value"},
		{"hostname:'x'+", 13, "unexpected end of filter"},
		{"hostname:'x',", 13, "unexpected end of filter"},
		{"hostname:'x',,severity:1", 13, "unexpected ','"},
		{"hostname:'x'+)", 13, "unexpected ')'"},
		{"hostname:'a' hostname:'b'", 13, "unexpected 'h'"},
		{"hostname 'a'", 9, `unexpected '\''`},
		{"hostname", 8, "unexpected end of filter"},
		{"hostname::'x'", 9, "unexpected ':'"},
		{"hostname:=x", 9, "unexpected '='"},
		{"!hostname:'x'", 0, "unexpected '!'"},
		{"()", 1, "unexpected ')'"},
		{"+hostname:'x'", 0, "unexpected '+'"},
		{"hostname:[]", 10, "unexpected ']'"},
		{"hostname:['a'", 13, "unexpected end of filter"},
		{"hostname:['a',]", 14, "unexpected ']'"},
		{"hostname:['a' 'b']", 14, `unexpected '\''`},
		{"hostname:>null", 10, "null cannot be used with '>'"},
		{"hostname:~null", 10, "null cannot be used with '~'"},
		{"hostname:['a',null]", 14, "null is not allowed in a list"},
		{"hostname:~''", 10, "empty value"},
		{"hostname:>'a*'", 10, "wildcards cannot be used with '>'"},
		{"severity:!>5", 10, "'!' cannot be combined with '>'"},
		{"severity:'abc'", 9, `invalid number "abc" for field severity`},
		{"severity:''", 9, `invalid number "" for field severity`},
		{"severity:NaN", 9, "invalid number"},
		{"severity:1e400", 9, "invalid number"},
		{"severity:9*", 9, "must be quoted"},
		{"last_seen:>'yesterday'", 11, `invalid time "yesterday" for field last_seen`},
		{"last_seen:>now-7x", 11, "invalid time"},
		{"last_seen:>now-d", 11, "invalid time"},
		{"last_seen:>now-99999999d", 11, "invalid time"},
		{"last_seen:'2024-02-30'", 10, "invalid time"},
		{"last_seen:'2024*'", 10, "wildcards are not supported on time field last_seen"},
		{"reduced:yes", 8, `invalid boolean "yes" for field reduced`},
		{"reduced:>true", 8, "'>' cannot be used on boolean field reduced"},
		{"device..hostname:'x'", 0, "invalid field name"},
		{"device.:'x'", 0, "invalid field name"},
		{strings.Repeat("(", 101) + "hostname:'x'" + strings.Repeat(")", 101), 100, "too many nested parentheses"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			e, err := fql.ParseAt(tt.filter, testSchema, testNow)
			var se *fql.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseAt = %v, %v; want *SyntaxError", e, err)
			}
			if se.Pos != tt.pos || !strings.Contains(se.Msg, tt.msg) || se.Filter != tt.filter {
				t.Errorf("got %q (pos %d), want pos %d and %q", se.Error(), se.Pos, tt.pos, tt.msg)
			}
		})
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := fql.Parse("status:'new'+x:1)", fql.Schema{"status": fql.String, "x": fql.Number})
	if got, want := err.Error(), "invalid filter: unexpected ')' at position 16"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestFieldErrors(t *testing.T) {
	tests := []struct {
		filter, field string
		pos           int
	}{
		{"nope:'x'", "nope", 0},
		{"hostname:'a'+device.name:1", "device.name", 13},
		{"(hostname:'a',Hostname:'b')", "Hostname", 14},
	}
	for _, tt := range tests {
		_, err := fql.Parse(tt.filter, testSchema)
		var fe *fql.FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || fe.Pos != tt.pos || fe.InSort {
			t.Errorf("Parse(%q) error = %#v, want FieldError{%s at %d}", tt.filter, err, tt.field, tt.pos)
			continue
		}
		if want := "invalid filter: unknown field '" + tt.field + "'"; fe.Error() != want {
			t.Errorf("Error() = %q, want %q", fe.Error(), want)
		}
	}
}

func TestParseUsesCurrentTime(t *testing.T) {
	e, err := fql.Parse("last_seen:>now-1h", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	recent := fql.Values{"last_seen": {time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)}}
	old := fql.Values{"last_seen": {time.Now().UTC().Add(-2 * time.Hour).Format(time.RFC3339)}}
	if !e.Match(recent) || e.Match(old) {
		t.Errorf("now-1h not resolved against the current time")
	}
}

func TestRecordTimeFormats(t *testing.T) {
	e, err := fql.ParseAt("last_seen:>='2024-01-01T00:00:00Z'+last_seen:<'2024-01-02T00:00:00Z'", testSchema, testNow)
	if err != nil {
		t.Fatal(err)
	}
	for v, want := range map[string]bool{
		"2024-01-01T00:00:00Z":            true,
		"2024-01-01T23:59:59.999999999Z":  true,
		"2024-01-01t12:00:00z":            true,
		"2024-01-02T00:30:00+01:00":       true,
		"2024-01-01T23:30:00-01:00":       false,
		"2024-01-01":                      true,
		"2024-01-02T00:00:00Z":            false,
		"2024-01-01T12:00:00.1234567890Z": true, // > 9 digits: left to time.Parse
		"2024-01-01 12:00:00":             false,
		"2024-13-01T00:00:00Z":            false,
		"2024-01-01T24:00:00Z":            false,
		"garbage":                         false,
		"":                                false,
	} {
		if got := e.Match(fql.Values{"last_seen": {v}}); got != want {
			t.Errorf("last_seen %q: Match = %v, want %v", v, got, want)
		}
	}
}

func TestMatchDoesNotAllocate(t *testing.T) {
	e, err := fql.ParseAt("hostname:'*srv*'+severity:>=10+last_seen:>now-30d,tags:~'prod'+first_seen:'2024-01-01'", testSchema, testNow)
	if err != nil {
		t.Fatal(err)
	}
	r := testRecords["db1"]
	if n := testing.AllocsPerRun(100, func() { e.Match(r) }); n != 0 {
		t.Errorf("Match allocates %v times per record", n)
	}
}
