// Package generation numbers the explorer's loads and runs from one process-wide counter.
//
// Panes drop results whose number is not their current one. A per-pane counter would start
// again at 1 whenever the root rebuilds its panes (`:profile`), so a result still in flight
// from the old pane could carry the very number the new pane expects and be taken as its
// own. Numbers from this counter are never handed out twice, whichever pane asks.
package generation

import "sync/atomic"

var last atomic.Int64

// Next returns a number no earlier call returned (in this process). It is never 0, so a
// zero value still means "nothing loaded yet".
func Next() int { return int(last.Add(1)) }
