package fql

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// maxDepth bounds parenthesis nesting so hostile input cannot exhaust the
// stack; no real filter comes close.
const maxDepth = 100

// Parse parses an FQL filter against schema, resolving relative times
// ('now-7d') against the current time. An empty or blank filter gives
// (nil, nil), and a nil *Expr matches everything. Errors are *SyntaxError or
// *FieldError.
func Parse(filter string, schema Schema) (*Expr, error) {
	return ParseAt(filter, schema, time.Now())
}

// ParseAt is Parse with relative times resolved against now, for
// deterministic tests.
func ParseAt(filter string, schema Schema, now time.Time) (*Expr, error) {
	if strings.TrimSpace(filter) == "" {
		return nil, nil
	}
	p := parser{lex: lexer{src: filter}, schema: schema, now: now}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.lex.peek() != eof {
		return nil, p.lex.unexpected(p.lex.pos)
	}
	return &Expr{root: root}, nil
}

type parser struct {
	lex    lexer
	schema Schema
	now    time.Time
	depth  int
}

// or = and { "," and }
func (p *parser) or() (node, error) {
	var kids []node
	for {
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
		if !p.lex.accept(',') {
			return join(kids, false), nil
		}
	}
}

// and = primary { "+" primary }
func (p *parser) and() (node, error) {
	var kids []node
	for {
		n, err := p.primary()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
		if !p.lex.accept('+') {
			return join(kids, true), nil
		}
	}
}

// primary = "(" or ")" | term
func (p *parser) primary() (node, error) {
	if p.lex.peek() != '(' {
		return p.term()
	}
	open := p.lex.pos
	if p.depth >= maxDepth {
		return nil, p.lex.errorf(open, "too many nested parentheses")
	}
	p.lex.pos++
	p.depth++
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	p.depth--
	if !p.lex.accept(')') {
		if p.lex.peek() == eof {
			return nil, p.lex.errorf(open, "unbalanced '('")
		}
		return nil, p.lex.unexpected(p.lex.pos)
	}
	return n, nil
}

// term = field ":" [ "!" ] [ op ] ( value | "[" value { "," value } "]" )
func (p *parser) term() (node, error) {
	name, pos, err := p.lex.field()
	if err != nil {
		return nil, err
	}
	typ, ok := p.schema[name]
	if !ok {
		return nil, &FieldError{Field: name, Pos: pos}
	}
	if !p.lex.accept(':') {
		return nil, p.lex.unexpected(p.lex.pos)
	}
	t := &term{field: name, neg: p.lex.accept('!')}
	var opPos int
	t.op, opPos = p.lex.operator()
	if t.neg && t.op.ordering() {
		return nil, p.lex.errorf(opPos, "'!' cannot be combined with '%s'", t.op)
	}
	if t.op.ordering() && typ == Bool {
		return nil, p.lex.errorf(opPos, "'%s' cannot be used on boolean field %s", t.op, name)
	}
	if p.lex.accept('[') {
		t.list = true
		for {
			v, err := p.lex.value()
			if err != nil {
				return nil, err
			}
			o, err := p.operand(v, typ, t.op, name, true)
			if err != nil {
				return nil, err
			}
			t.vals = append(t.vals, o)
			if p.lex.accept(']') {
				return t, nil
			}
			if !p.lex.accept(',') {
				return nil, p.lex.unexpected(p.lex.pos)
			}
		}
	}
	v, err := p.lex.value()
	if err != nil {
		return nil, err
	}
	if !v.quoted && !v.wildcard() && strings.EqualFold(v.text(), "null") {
		if t.op != opEq {
			return nil, p.lex.errorf(v.pos, "null cannot be used with '%s'", t.op)
		}
		t.null = true
		return t, nil
	}
	o, err := p.operand(v, typ, t.op, name, false)
	if err != nil {
		return nil, err
	}
	t.vals = []operand{o}
	return t, nil
}

// operand compiles one value for a field of type typ under op.
func (p *parser) operand(v valueToken, typ FieldType, op opKind, field string, inList bool) (operand, error) {
	if inList {
		if !v.quoted && !v.wildcard() && strings.EqualFold(v.text(), "null") {
			return operand{}, p.lex.errorf(v.pos, "null is not allowed in a list")
		}
		// falcon-mcp documents ['value'] as the exact-match form, so '*'
		// inside a list is an ordinary character.
		v.segs = []string{strings.Join(v.segs, "*")}
	}
	glob := operand{kind: kindGlob, segs: v.segs, text: quoteSegs(v.segs)}
	switch {
	case op == opContains:
		// ~ is a text match whatever the field's type.
		if !v.wildcard() && v.text() == "" {
			return operand{}, p.lex.errorf(v.pos, "empty value")
		}
		return glob, nil
	case v.wildcard() && op.ordering():
		return operand{}, p.lex.errorf(v.pos, "wildcards cannot be used with '%s'", op)
	case v.wildcard() && onlyWildcards(v.segs):
		// field:* and field:!* test for presence (tags:!* = untagged).
		glob.kind = kindPresent
		return glob, nil
	case v.wildcard():
		switch {
		case typ == Time || typ == Bool:
			return operand{}, p.lex.errorf(v.pos, "wildcards are not supported on %s field %s", typ, field)
		case typ == Number && !v.quoted:
			return operand{}, p.lex.errorf(v.pos, "wildcard patterns on number field %s must be quoted", field)
		}
		// A pattern on a number field matches its text (pattern_id:'301*').
		return glob, nil
	}
	text := v.text()
	switch typ {
	case Number:
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return operand{}, p.lex.errorf(v.pos, "invalid number %q for field %s", text, field)
		}
		return operand{kind: kindNumber, num: f, text: strconv.FormatFloat(f, 'g', -1, 64)}, nil
	case Time:
		tv, ok := parseTimeValue(text, p.now)
		if !ok {
			return operand{}, p.lex.errorf(v.pos, "invalid time %q for field %s", text, field)
		}
		return operand{kind: kindTime, t: tv.t, end: tv.end, text: "'" + tv.canon + "'"}, nil
	case Bool:
		b, ok := parseBool(text)
		if !ok {
			return operand{}, p.lex.errorf(v.pos, "invalid boolean %q for field %s", text, field)
		}
		return operand{kind: kindBool, b: b, text: strconv.FormatBool(b)}, nil
	}
	return glob, nil
}

func onlyWildcards(segs []string) bool {
	for _, s := range segs {
		if s != "" {
			return false
		}
	}
	return true
}
