package fql

import (
	"strconv"
	"strings"
	"time"
)

// opKind is the comparison of a term.
type opKind uint8

const (
	opEq       opKind = iota // field:'v'
	opContains               // field:~'v'
	opGT                     // field:>'v'
	opGE                     // field:>='v'
	opLT                     // field:<'v'
	opLE                     // field:<='v'
)

func (o opKind) String() string {
	return [...]string{"", "~", ">", ">=", "<", "<="}[o]
}

func (o opKind) ordering() bool { return o >= opGT }

// holds reports whether c (the sign of value-vs-operand) satisfies o.
func (o opKind) holds(c int) bool {
	switch o {
	case opGT:
		return c > 0
	case opGE:
		return c >= 0
	case opLT:
		return c < 0
	case opLE:
		return c <= 0
	}
	return c == 0
}

// term is field:[!][op]value, field:[!][op][v1,v2,…] or field:[!]null.
type term struct {
	field string
	neg   bool
	op    opKind
	null  bool
	list  bool
	vals  []operand
}

type operandKind uint8

const (
	kindGlob operandKind = iota
	kindNumber
	kindTime
	kindBool
	kindPresent // a pattern of wildcards only: any non-empty value
)

// operand is one compiled value of a term.
type operand struct {
	kind operandKind
	segs []string  // kindGlob: text split at wildcards
	num  float64   // kindNumber
	t    time.Time // kindTime
	end  time.Time // kindTime: end of the day for a date-only value, else zero
	b    bool      // kindBool
	text string    // canonical text, quoted as needed
}

// match: the field matches when any of its values matches any operand;
// negation inverts the whole, so field:!'x' means "no value is x" and also
// holds for a record without the field.
func (t *term) match(r Record) bool {
	vals := r.FQLValues(t.field)
	if t.null {
		return isNull(vals) != t.neg
	}
	for _, v := range vals {
		for i := range t.vals {
			if t.vals[i].match(v, t.op) {
				return !t.neg
			}
		}
	}
	return t.neg
}

// isNull: absent, or only empty strings.
func isNull(vals []string) bool {
	for _, v := range vals {
		if v != "" {
			return false
		}
	}
	return true
}

func (o *operand) match(v string, op opKind) bool {
	switch o.kind {
	case kindGlob:
		switch op {
		case opEq:
			return matchGlob(o.segs, v, false)
		case opContains:
			return matchGlob(o.segs, v, true)
		}
		return op.holds(compareFold(v, o.segs[0]))
	case kindNumber:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f != f { // f != f: NaN never compares
			return false
		}
		switch {
		case f < o.num:
			return op.holds(-1)
		case f > o.num:
			return op.holds(1)
		}
		return op.holds(0)
	case kindTime:
		t, ok := parseRecordTime(v)
		if !ok {
			return false
		}
		if op == opEq && !o.end.IsZero() {
			return !t.Before(o.t) && t.Before(o.end)
		}
		return op.holds(t.Compare(o.t))
	case kindBool:
		b, ok := parseBool(v)
		return ok && b == o.b
	case kindPresent:
		return v != ""
	}
	return false
}

func parseBool(v string) (value, ok bool) {
	switch {
	case strings.EqualFold(v, "true"):
		return true, true
	case strings.EqualFold(v, "false"):
		return false, true
	}
	return false, false
}

func (t *term) write(b *strings.Builder, _ bool) {
	b.WriteString(t.field)
	b.WriteByte(':')
	if t.neg {
		b.WriteByte('!')
	}
	b.WriteString(t.op.String())
	switch {
	case t.null:
		b.WriteString("null")
	case t.list:
		b.WriteByte('[')
		for i := range t.vals {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(t.vals[i].text)
		}
		b.WriteByte(']')
	default:
		b.WriteString(t.vals[0].text)
	}
}

func (t *term) terms(visit func(*term)) { visit(t) }

// quoteSegs renders glob segments as a single-quoted FQL string.
func quoteSegs(segs []string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i, s := range segs {
		if i > 0 {
			b.WriteByte('*')
		}
		for j := 0; j < len(s); j++ {
			switch s[j] {
			case '\\', '\'', '*':
				b.WriteByte('\\')
			}
			b.WriteByte(s[j])
		}
	}
	b.WriteByte('\'')
	return b.String()
}
