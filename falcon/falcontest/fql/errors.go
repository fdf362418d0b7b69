package fql

import "fmt"

// SyntaxError is returned for a malformed filter. Pos is the byte offset
// (counting from 0) in Filter where the problem was found.
type SyntaxError struct {
	Filter string
	Pos    int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid filter: %s at position %d", e.Msg, e.Pos)
}

// FieldError is returned when a filter or a sort names a field the resource
// does not have. Pos is the byte offset of the name in the filter (0 for a
// sort); InSort says whether it came from ParseSort.
type FieldError struct {
	Field  string
	Pos    int
	InSort bool
}

func (e *FieldError) Error() string {
	what := "filter"
	if e.InSort {
		what = "sort"
	}
	return fmt.Sprintf("invalid %s: unknown field '%s'", what, e.Field)
}

// SortError is returned by ParseSort for a malformed sort expression.
type SortError struct {
	Sort string
	Msg  string
}

func (e *SortError) Error() string {
	return fmt.Sprintf("invalid sort: %s", e.Msg)
}
