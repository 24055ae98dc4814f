package storage

import (
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bbolt reads the database through a memory map of the file: every page
// a read touches stays mapped in the process, and counts in its resident
// memory (RSS), until the kernel needs the memory back. A walk of all
// places (the figures of /statistiques, an export) or, over hours,
// visitors reading every record would leave the whole file resident: 45
// MB for 25,000 places, hundreds of MB with their events.
//
// The store gives those pages back itself (releaseMap): after the reads
// of the start-up, after a walk of every place, and, while serving
// (Options.ReleaseEvery), whenever the process's file-backed memory has
// grown by releaseBudget since the last time. They leave the process but
// stay in the kernel's page cache, as a file read with read(2) would:
// reading one again maps it back (a minor fault, no disk read while it
// is cached). What stays resident in the process is what it holds in its
// own memory, the search index first, and at most releaseBudget of the
// file (plus what is read between two checks).

// ReleaseEvery is how often a serving store checks how much of the file
// it holds.
const ReleaseEvery = 100 * time.Millisecond

// releaseBudget is how much the process's file-backed memory may grow
// before the store gives the file's pages back.
const releaseBudget = 4 << 20

// startReleasing checks every interval how much of the file the process
// holds, and gives it back past releaseBudget, until the returned
// function is called; a zero interval starts nothing.
func (s *Store) startReleasing(every time.Duration) func() {
	if every <= 0 {
		return func() {}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		base := fileResident()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if fileResident()-base > releaseBudget {
					s.releaseMap()
					base = fileResident()
				}
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(stop)
			<-done
		})
	}
}

// walkRelease gives the file's pages back during a long walk, in its
// transaction, each time the walk has read walkBudget bytes of values: a
// walk of every place or of the index snapshot then holds little of the
// file at any time. The budget is smaller than releaseBudget because the
// kernel maps up to 64 kB of cached file around each page a walk faults
// in (fault-around), the pages of other buckets too.
type walkRelease struct{ read int }

const walkBudget = 1 << 20

func (w *walkRelease) add(tx *bolt.Tx, n int) error {
	if w.read += n; w.read < walkBudget {
		return nil
	}
	w.read = 0
	return releaseIn(tx)
}
