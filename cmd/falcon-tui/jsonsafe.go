package main

import "github.com/falcon-tui/falcon-tui/tui/export"

// The terminal-safe JSON of the hosts and scopes commands is package export's, shared with
// the explorer's exports.

type safeJSONEncoder struct{ *export.JSONEncoder }

func newSafeJSONEncoder(indent string) *safeJSONEncoder {
	return &safeJSONEncoder{export.NewJSONEncoder(indent)}
}

// encode returns v's JSON followed by a newline, valid until the next call.
func (e *safeJSONEncoder) encode(v any) ([]byte, error) { return e.Encode(v) }

func appendSafeJSON(dst, src []byte) []byte { return export.AppendSafeJSON(dst, src) }
