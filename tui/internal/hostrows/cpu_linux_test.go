package hostrows

import (
	"syscall"
	"time"
	"unsafe"
)

// The benchmarks report CPU time, not wall time: on a machine whose cores are shared, wall
// time mostly measures the neighbours. threadCPU is the calling thread's (the benchmark
// locks its goroutine to it: the UI goroutine's work), processCPU the whole process's (a
// job's workers and the collector included). Both from clock_gettime, which counts
// nanoseconds (getrusage counts a thread's time in scheduler ticks).

const (
	clockProcessCPU = 2 // CLOCK_PROCESS_CPUTIME_ID
	clockThreadCPU  = 3 // CLOCK_THREAD_CPUTIME_ID
)

func threadCPU() time.Duration { return cpuClock(clockThreadCPU) }

func processCPU() time.Duration { return cpuClock(clockProcessCPU) }

func cpuClock(id uintptr) time.Duration {
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, id, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
