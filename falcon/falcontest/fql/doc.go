// Package fql implements the subset of the Falcon Query Language (FQL) that
// the simulated Falcon cloud uses to filter and sort resources.
//
// A filter is parsed once against a Schema (the fields a resource can be
// filtered on and their types) and then matched against many records:
//
//	expr, err := fql.Parse("platform_name:'Windows'+last_seen:>'now-7d'", schema)
//	if err != nil { … }         // *SyntaxError or *FieldError
//	for _, h := range hosts {
//		if expr.Match(h) { … }  // a nil expr (empty filter) matches everything
//	}
//
// # Grammar
//
// In EBNF; blanks (space, tab, newline) may appear between any two tokens
// but not inside a field name or a bare value:
//
//	filter   = [ or ] .
//	or       = and { "," and } .
//	and      = primary { "+" primary } .
//	primary  = "(" or ")" | term .
//	term     = field ":" [ "!" ] [ op ] ( value | list | "null" ) .
//	op       = "~" | ">" | ">=" | "<" | "<=" | "*" .
//	list     = "[" value { "," value } "]" .
//	value    = quoted | bare .
//	quoted   = "'" { char | "\" any } "'" | '"' { char | "\" any } '"' .
//	bare     = bare_char { bare_char } .  (ends at a blank, one of , ( ) [ ] ' "
//	                                       and at "+" unless a digit follows)
//	field    = ident { "." ident } .
//	ident    = ( letter | "_" ) { letter | digit | "_" } .
//
// "+" (AND) binds tighter than "," (OR). Inside a list "," separates items.
//
// # Meaning
//
//   - field:'v' matches when any of the field's values equals v, ignoring
//     case. A '*' in v is a wildcard matching any run of characters; \* is a
//     literal star. A pattern made only of wildcards (field:*) means "has a
//     non-empty value", so tags:!* finds untagged hosts.
//   - field:!'v' is the negation: no value matches. It also holds when the
//     field is absent. "!" may precede "~" but not an ordering operator.
//   - field:~'text' matches values containing text (case-insensitive, on the
//     raw value, whatever the field's type); field:!~'text' is its negation.
//   - field:>'v', >=, <, <= compare numerically on Number fields,
//     chronologically on Time fields and lexically, ignoring case, on
//     String fields (so agent_version:>='7.10' is not version-aware).
//   - field:['a','b'] matches any item; field:!['a','b'] matches none.
//     Items are exact: a '*' inside a list is literal.
//   - field:null matches an absent field or one whose values are all empty;
//     field:!null the opposite. A quoted 'null' is the string "null".
//   - Number values: anything strconv.ParseFloat accepts except NaN and
//     infinities; quoted or not. Wildcards on a number field must be quoted
//     (pattern_id:'301*') and match its text.
//   - Time values: RFC 3339 (2024-01-01T00:00:00Z, offsets allowed), a date
//     (2024-01-01, which as an equality means that whole UTC day and in a
//     comparison its midnight), a zone-less 2024-01-01T00:00:00 (UTC), and
//     relative now, now-7d, now+1d with units s, m, h, d, w (d and w are
//     calendar days). Wildcards are rejected on time fields.
//   - Bool values: true or false, quoted or not, any case.
//   - field:*'web*' (the console's explicit wildcard operator) is the same as
//     field:'web*'.
//
// # Choices where Falcon's behaviour is unknown
//
// The real gateway's grammar is not published; the above follows the API
// docs, the falcon-mcp FQL guides and falconpy samples. Where they are silent
// this package chooses:
//   - The negated prefix form !field:'v' is not accepted (documented only as
//     field:!'v').
//   - Terms must be joined by "+" or ","; blank-separated terms are an error
//     rather than an implicit AND, so a client that forgets to URL-encode "+"
//     (which decodes to a blank) is caught by the simulator.
//   - Backslash escapes inside quotes, and double quotes, are accepted.
//   - Field names are case-sensitive; string values are not.
//   - Error positions are byte offsets counted from 0.
//   - Relative times are resolved when the filter is parsed (see ParseAt),
//     and String keeps them relative.
//
// # Sorting
//
// ParseSort accepts the hosts form (hostname.asc) and the alerts form
// (created_timestamp|desc), bare field names and comma-separated lists.
// Compare orders by the first value of each key; records without a usable
// value sort last in either direction.
package fql
