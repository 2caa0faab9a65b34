//go:build unix

package frame

import (
	"syscall"
	"time"
)

// cpuTime is the processor time the process has used so far, in user and
// system mode. Benchmarks report it beside wall time because the machine
// is shared: wall time measures the neighbours too.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
