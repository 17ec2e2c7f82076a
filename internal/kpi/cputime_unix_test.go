//go:build unix

package kpi

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time used by the process so far, so benchmarks
// can report CPU per operation on a machine shared with other work, where
// wall time mostly measures the queue for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
