package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func gcPercentNow() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestTuneGC checks that a build collects less often while it holds little, under a memory limit that
// follows what it holds, gives Go's defaults back once it holds more than gcLiveSwitch or when it ends,
// and leaves GOGC from the environment alone.
func TestTuneGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := gcPercentNow()
	stop := tuneGC()
	if p := gcPercentNow(); p != gcPercent {
		t.Errorf("during a small build GOGC is %d, want %d", p, gcPercent)
	}
	if l := debug.SetMemoryLimit(-1); l != gcSoftLimit {
		t.Errorf("during a small build the memory limit is %d, want %d", l, gcSoftLimit)
	}
	stop()
	if p := gcPercentNow(); p != before {
		t.Errorf("after the build GOGC is %d, want %d back", p, before)
	}

	// Holding more than half the soft limit, the limit follows the live heap.
	stop = tuneGC()
	mid := make([][]byte, 0, 40)
	for range cap(mid) {
		mid = append(mid, make([]byte, 1<<20))
	}
	runtime.GC()
	want := gcLimit(uint64(len(mid)) << 20)
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if l := debug.SetMemoryLimit(-1); l < want || want <= gcSoftLimit {
		t.Errorf("holding %d MiB, the memory limit is %d MiB, want at least %d", len(mid), l>>20, want>>20)
	}
	runtime.KeepAlive(mid)
	stop()

	stop = tuneGC()
	defer stop()
	held := make([][]byte, 0, 160)
	for range cap(held) {
		held = append(held, make([]byte, 1<<20))
	}
	runtime.GC()
	deadline = time.Now().Add(5 * time.Second)
	for gcPercentNow() != before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if p := gcPercentNow(); p != before {
		t.Errorf("holding %d MiB, GOGC is still %d, want %d back", len(held), p, before)
	}
	runtime.KeepAlive(held)

	t.Setenv("GOGC", "50")
	debug.SetGCPercent(50)
	defer debug.SetGCPercent(before)
	stop2 := tuneGC()
	if p := gcPercentNow(); p != 50 {
		t.Errorf("with GOGC=50 in the environment GOGC became %d", p)
	}
	stop2()
}
