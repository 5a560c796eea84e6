//go:build !linux

package analyze

import "os"

// maxRSS is measured on Linux only; elsewhere the benchmark reports 0.
func maxRSS(*os.ProcessState) int64 { return 0 }
