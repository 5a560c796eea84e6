//go:build linux

package analyze

import (
	"os"
	"syscall"
)

// maxRSS returns the peak resident memory of an exited child process, in bytes (Linux
// reports kilobytes); 0 where the platform does not say.
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024
	}
	return 0
}
