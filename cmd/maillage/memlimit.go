package main

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// By default the Go runtime lets the heap grow to twice what is live
// before it collects (GOGC=100), and gives freed memory back to the
// system slowly: a serving instance whose index and tables take 27 MB
// held 55–60 MB of anonymous memory. serve keeps instead a soft memory
// limit (debug.SetMemoryLimit) just above what is live: the runtime's own
// memory besides the heap, the live heap and a quarter more, plus
// memoryHeadroom; it follows the live heap every memoryLimitEvery, up as
// the catalogue grows, down when it shrinks. The collector then runs
// more often (the limit caps its CPU at half the process's), and freed
// memory goes back to the system sooner. GOMEMLIMIT, when set, is used
// instead (deploy/ sets none; docs/DEPLOY.md says when to).
const (
	memoryHeadroom   = 2 << 20
	memoryLimitEvery = 10 * time.Second
)

// followHeap starts keeping the memory limit above the live heap, unless
// GOMEMLIMIT is set; the returned function stops it and restores the
// limit it found.
func followHeap() (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	before := debug.SetMemoryLimit(memoryLimit())
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(memoryLimitEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				debug.SetMemoryLimit(memoryLimit())
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			<-finished
			debug.SetMemoryLimit(before)
		})
	}
}

// memoryLimit is the limit for the live heap of the last collection.
func memoryLimit() int64 {
	s := []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	metrics.Read(s)
	v := make([]int64, len(s))
	for i := range s {
		if s[i].Value.Kind() == metrics.KindUint64 {
			v[i] = int64(s[i].Value.Uint64())
		}
	}
	live, overhead := v[0], v[1]-v[2]-v[3]-v[4]-v[5]
	return overhead + live + live/4 + memoryHeadroom
}
