//go:build unix

package web_test

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process used so far, so the dashboard
// benchmark can report CPU per page on a machine shared with other work,
// where wall time mostly measures the queue for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
