//go:build !linux

package hosts

import "time"

var start = time.Now()

// Elsewhere the benchmarks fall back to wall time.
func threadCPU() time.Duration { return time.Since(start) }
