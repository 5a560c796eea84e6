package gctune

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestLimit(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, Floor},
		{100 << 20, Floor},
		{150 << 20, Floor},
		{200 << 20, 400 << 20},
		{math.MaxUint64, 1 << 62},
	} {
		if got := Limit(c.live); got != c.want {
			t.Errorf("Limit(%d) = %d, want %d", c.live, got, c.want)
		}
	}
}

// TestTuneFollowsLiveHeap holds a live heap above half the floor and checks that the limit
// rises with it after a collection, and that the pace is set.
func TestTuneFollowsLiveHeap(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	oldPct := debug.SetGCPercent(100)
	oldLim := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(oldPct); debug.SetMemoryLimit(oldLim) })
	Tune()
	if p := debug.SetGCPercent(Percent); p != Percent {
		t.Fatalf("GOGC is %d, want %d", p, Percent)
	}
	held := make([][]byte, 0, 256)
	for range 256 {
		held = append(held, make([]byte, 1<<20)) // 256 MB live
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // the finalizer runs on its own goroutine
		if lim := debug.SetMemoryLimit(-1); lim >= 2*256<<20 {
			runtime.KeepAlive(held)
			return
		}
	}
	t.Fatalf("the limit stayed at %d with 256 MB live", debug.SetMemoryLimit(-1))
}

// TestTuneLeavesUserSettings: GOGC or GOMEMLIMIT in the environment wins.
func TestTuneLeavesUserSettings(t *testing.T) {
	t.Setenv("GOGC", "150")
	old := debug.SetGCPercent(150)
	t.Cleanup(func() { debug.SetGCPercent(old) })
	Tune()
	if p := debug.SetGCPercent(150); p != 150 {
		t.Fatalf("GOGC is %d after Tune with GOGC=150 set, want 150", p)
	}
}
