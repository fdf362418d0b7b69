package falcon

import "github.com/falcon-tui/falcon-tui/falcon/untrusted"

// cleanText makes server-provided text (error messages, trace ids, headers) safe to embed in
// an error string, which callers print on a terminal or write to a log. It is defence in
// depth: the UI sanitizes what it draws, but an error also reaches stderr and log files.
// The definition of "safe" is falcon/untrusted, the same one the explorer renders with.
func cleanText(s string) string { return untrusted.Text(s) }
