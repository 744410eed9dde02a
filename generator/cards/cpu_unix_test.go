//go:build unix

package cards

import (
	"syscall"
	"time"
)

// cpuTime is the processor time the process used so far, all threads: a cost that does not depend on
// what else the machine runs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
