//go:build unix

package cputime

import (
	"syscall"
	"time"
)

// Used is the processor time the process has used so far, in user and
// system mode; 0 where the system will not say.
func Used() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
