package fql

import "fmt"

// FieldType says how a field compares.
type FieldType int

const (
	// String fields compare case-insensitively and accept '*' wildcards.
	String FieldType = iota
	// Number fields compare numerically.
	Number
	// Time fields compare chronologically; values are RFC 3339 timestamps.
	Time
	// Bool fields hold "true" or "false".
	Bool
)

func (t FieldType) String() string {
	switch t {
	case String:
		return "string"
	case Number:
		return "number"
	case Time:
		return "time"
	case Bool:
		return "bool"
	}
	return fmt.Sprintf("FieldType(%d)", int(t))
}

// Schema maps the field names a resource can be filtered and sorted on to
// their types. Dotted names (device.hostname) are allowed. Names are matched
// exactly, as the gateway treats field names as case-sensitive identifiers.
type Schema map[string]FieldType

// Record is one resource as the filter sees it. FQLValues returns the field's
// values as strings: several for list fields such as tags or groups, none
// when the field is absent. Times are RFC 3339 strings, numbers decimal
// strings, bools "true"/"false".
//
// Match calls FQLValues once per term and never retains or modifies the
// slice, so a Record that returns pre-built slices is matched without
// allocating.
type Record interface {
	FQLValues(field string) []string
}

// Values is a ready-made Record backed by a map, convenient in tests and for
// resources that are built once and filtered many times.
type Values map[string][]string

// FQLValues implements Record.
func (v Values) FQLValues(field string) []string { return v[field] }
