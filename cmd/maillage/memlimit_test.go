package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

// serve keeps the memory limit above what is live, and gives the limit
// it found back when it stops; GOMEMLIMIT, when set, is left alone.
func TestFollowHeapKeepsTheLimitAboveTheLiveHeap(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetMemoryLimit(-1)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	stop := followHeap()
	limit := debug.SetMemoryLimit(-1)
	stop()
	if limit == math.MaxInt64 || limit < int64(ms.HeapAlloc)+memoryHeadroom {
		t.Errorf("limit %d with %d bytes live; want one above the live heap plus %d", limit, ms.HeapAlloc, memoryHeadroom)
	}
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("after stop, limit %d; want %d back", got, before)
	}

	t.Setenv("GOMEMLIMIT", "1GiB")
	stop = followHeap()
	defer stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("with GOMEMLIMIT set, limit %d; want %d, left alone", got, before)
	}
}
