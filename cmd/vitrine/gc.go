package main

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Garbage collection of a build. A build allocates much that it drops at once (each page's layouts,
// each file's syntax tree): Go's default (GOGC=100) collects every time the heap doubles, which on a
// small site means dozens of collections of a small heap. While the build holds little, tuneGC lets the
// heap grow three times what is live (GOGC=200), under a soft limit that follows the live heap:
// gcSoftLimit, or twice the live heap plus gcLimitMargin when that is more. On the 1,000-article corpus
// of bench/, whose live heap peaks near 17 MB, the limit holds the process at about 75 MB instead of
// 100 for 5 to 8% more CPU (a fixed 40 MiB limit cost 35%: the collector then runs without end), and
// as it grows with the live heap, a larger site collects about as often as with Go's defaults, not
// more.
// Once the live heap passes gcLiveSwitch (a site of several thousand pages) it gives Go's defaults
// back, so that memory stays proportional to what the build holds.
// GOGC or GOMEMLIMIT set in the environment are left alone.
const (
	gcPercent     = 200
	gcSoftLimit   = 48 << 20
	gcLimitMargin = 16 << 20
	gcLiveSwitch  = 100 << 20
)

// gcLimit is the soft memory limit while the live heap is live bytes.
func gcLimit(live uint64) int64 {
	return max(gcSoftLimit, int64(2*live)+gcLimitMargin)
}

// tuneGC applies the tuning above until stop is called or the live heap grows past gcLiveSwitch.
func tuneGC() (stop func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(gcPercent)
	limit := int64(gcSoftLimit)
	debug.SetMemoryLimit(limit)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		defer func() {
			debug.SetGCPercent(old)
			debug.SetMemoryLimit(math.MaxInt64)
		}()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				continue
			}
			live := sample[0].Value.Uint64()
			if live > gcLiveSwitch {
				return
			}
			if l := gcLimit(live); l != limit {
				limit = l
				debug.SetMemoryLimit(l)
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
