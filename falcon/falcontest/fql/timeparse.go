package fql

import (
	"strconv"
	"strings"
	"time"
)

// parseRecordTime reads a record's timestamp. The common RFC 3339 shapes are
// parsed by hand because time.Parse allocates for numeric zone offsets and
// Match must not allocate per record.
func parseRecordTime(s string) (time.Time, bool) {
	if t, ok := parseRFC3339(s); ok {
		return t, true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// parseRFC3339 accepts YYYY-MM-DD and YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM).
func parseRFC3339(s string) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	y, ok1 := digits(s[0:4])
	mo, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 || d > daysIn(time.Month(mo), y) {
		return time.Time{}, false
	}
	if len(s) == 10 {
		return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC), true
	}
	if len(s) < 20 || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	hh, ok1 := digits(s[11:13])
	mm, ok2 := digits(s[14:16])
	ss, ok3 := digits(s[17:19])
	if !ok1 || !ok2 || !ok3 || hh > 23 || mm > 59 || ss > 59 {
		return time.Time{}, false
	}
	rest := s[19:]
	ns := 0
	if rest[0] == '.' {
		i := 1
		for i < len(rest) && isDigit(rest[i]) {
			i++
		}
		if i == 1 || i > 10 {
			return time.Time{}, false
		}
		ns, _ = digits(rest[1:i])
		for k := i; k < 10; k++ {
			ns *= 10
		}
		rest = rest[i:]
	}
	var off int
	switch {
	case rest == "Z" || rest == "z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3])
		om, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		off = (oh*60 + om) * 60
		if rest[0] == '-' {
			off = -off
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, hh, mm, ss, ns, time.UTC)
	return t.Add(-time.Duration(off) * time.Second), true
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// maxRelative bounds the count in now±N<unit> so that the offset fits in a
// time.Duration and the arithmetic cannot overflow.
const maxRelative = 1_000_000

// timeValue is a filter's time literal resolved against now.
type timeValue struct {
	t, end time.Time // end: set for a date-only value (a whole UTC day)
	canon  string    // canonical spelling, without quotes
}

// parseTimeValue accepts RFC 3339, a date (YYYY-MM-DD), a zone-less
// YYYY-MM-DDTHH:MM:SS (UTC), and relative now, now-7d, now+1h, with units
// s, m, h, d and w.
func parseTimeValue(s string, now time.Time) (timeValue, bool) {
	if len(s) >= 3 && strings.EqualFold(s[:3], "now") {
		return parseRelative(s[3:], now)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return timeValue{t: t, canon: s}, true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return timeValue{t: t, end: t.AddDate(0, 0, 1), canon: s}, true
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return timeValue{t: t, canon: s}, true
	}
	return timeValue{}, false
}

func parseRelative(s string, now time.Time) (timeValue, bool) {
	if s == "" {
		return timeValue{t: now, canon: "now"}, true
	}
	if len(s) < 3 || (s[0] != '+' && s[0] != '-') {
		return timeValue{}, false
	}
	num, unit := s[1:len(s)-1], s[len(s)-1]
	for i := 0; i < len(num); i++ {
		if !isDigit(num[i]) {
			return timeValue{}, false
		}
	}
	n, err := strconv.Atoi(num)
	if err != nil || n > maxRelative {
		return timeValue{}, false
	}
	if s[0] == '-' {
		n = -n
	}
	var t time.Time
	switch unit {
	case 's':
		t = now.Add(time.Duration(n) * time.Second)
	case 'm':
		t = now.Add(time.Duration(n) * time.Minute)
	case 'h':
		t = now.Add(time.Duration(n) * time.Hour)
	case 'd':
		t = now.AddDate(0, 0, n)
	case 'w':
		t = now.AddDate(0, 0, 7*n)
	default:
		return timeValue{}, false
	}
	canon := "now" + s[:1] + strconv.Itoa(max(n, -n)) + string(unit)
	return timeValue{t: t, canon: canon}, true
}
