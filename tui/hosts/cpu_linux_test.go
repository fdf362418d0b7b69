package hosts

import (
	"syscall"
	"time"
	"unsafe"
)

// threadCPU is the calling thread's CPU time (the benchmarks lock their goroutine to it):
// the UI goroutine's own work in an Update, without what the neighbours of a shared
// machine or the collector's background workers take meanwhile.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPU = 3 // CLOCK_THREAD_CPUTIME_ID
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPU, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
