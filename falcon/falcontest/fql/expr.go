package fql

import (
	"strings"
)

// Expr is a parsed filter. A nil *Expr matches everything. An Expr is
// immutable and safe for concurrent use.
type Expr struct {
	root node
}

// node is one element of the filter tree: an AND, an OR or a term.
type node interface {
	match(r Record) bool
	// write appends the canonical form; inAnd says the node is an operand of
	// an AND, so an OR must be parenthesised.
	write(b *strings.Builder, inAnd bool)
	terms(visit func(*term))
}

// andNode and orNode never contain a node of their own kind: the parser
// flattens them, which keeps the canonical form free of redundant parens.
type andNode []node
type orNode []node

// Match reports whether r satisfies the filter.
func (e *Expr) Match(r Record) bool {
	if e == nil {
		return true
	}
	return e.root.match(r)
}

// Fields returns the fields the filter references, once each, in order of
// first appearance.
func (e *Expr) Fields() []string {
	if e == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	e.root.terms(func(t *term) {
		if !seen[t.field] {
			seen[t.field] = true
			out = append(out, t.field)
		}
	})
	return out
}

// String returns the canonical form: no blanks, values single-quoted
// (numbers, booleans and null bare), only the parentheses that matter.
// Parsing it again yields an equivalent Expr with the same String.
// Relative times are kept relative ('now-7d').
func (e *Expr) String() string {
	if e == nil {
		return ""
	}
	var b strings.Builder
	e.root.write(&b, false)
	return b.String()
}

func (n andNode) match(r Record) bool {
	for _, k := range n {
		if !k.match(r) {
			return false
		}
	}
	return true
}

func (n orNode) match(r Record) bool {
	for _, k := range n {
		if k.match(r) {
			return true
		}
	}
	return false
}

func (n andNode) write(b *strings.Builder, _ bool) {
	for i, k := range n {
		if i > 0 {
			b.WriteByte('+')
		}
		k.write(b, true)
	}
}

func (n orNode) write(b *strings.Builder, inAnd bool) {
	if inAnd {
		b.WriteByte('(')
	}
	for i, k := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		k.write(b, false)
	}
	if inAnd {
		b.WriteByte(')')
	}
}

func (n andNode) terms(visit func(*term)) {
	for _, k := range n {
		k.terms(visit)
	}
}

func (n orNode) terms(visit func(*term)) {
	for _, k := range n {
		k.terms(visit)
	}
}

// join builds an AND (and=true) or OR of kids, splicing in children of the
// same kind; a single kid is returned as is.
func join(kids []node, and bool) node {
	if len(kids) == 1 {
		return kids[0]
	}
	var out []node
	for _, k := range kids {
		switch k := k.(type) {
		case andNode:
			if and {
				out = append(out, k...)
				continue
			}
		case orNode:
			if !and {
				out = append(out, k...)
				continue
			}
		}
		out = append(out, k)
	}
	if and {
		return andNode(out)
	}
	return orNode(out)
}
