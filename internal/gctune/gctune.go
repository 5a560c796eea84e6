// Package gctune sets the garbage collector for a run of cleave: a short-lived process whose
// heap grows while it reads a repository and is all dropped at exit.
//
// Go's defaults collect once the heap has doubled since the last collection. For cleave that
// is often, and for nothing: most of what a run allocates stays live until it ends. Tune turns
// the pace off (GOGC=off) and bounds the total with a soft memory limit instead: the
// collector runs only as the total nears the limit. The limit follows the live heap (twice
// it, never under Floor), so that a repository whose live data alone nears the floor does not
// make the collector run all the time. A run that allocates less than the floor never
// collects at all.
package gctune

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Percent is the collector's pace (GOGC) that Tune sets: off, so that only the limit paces it.
const Percent = -1

// Floor is the lowest soft memory limit Tune sets, in bytes.
const Floor = 300 << 20

// Tune sets the pace and the limit, unless the user set either through GOGC or GOMEMLIMIT:
// then the runtime's own reading of them stands.
func Tune() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(Percent)
	debug.SetMemoryLimit(Floor)
	arm()
}

var (
	mu     sync.Mutex
	sample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
)

// sentinel is garbage from the moment it is made: its finalizer runs after the next
// collection, which re-arms it. It holds a pointer so that the tiny allocator, whose blocks
// may outlive their objects, does not place it.
type sentinel struct{ _ *byte }

func arm() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		follow()
		arm()
	})
}

// follow sets the limit to twice the live heap of the last collection, never under Floor.
func follow() {
	mu.Lock()
	defer mu.Unlock()
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	debug.SetMemoryLimit(Limit(sample[0].Value.Uint64()))
}

// Limit is the soft memory limit for a live heap of live bytes.
func Limit(live uint64) int64 {
	return max(Floor, int64(min(live, 1<<61))*2)
}
