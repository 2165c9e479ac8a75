//go:build unix

package store

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time: benchmarks report it per
// operation because the wall clock also counts time lost to other processes
// on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
