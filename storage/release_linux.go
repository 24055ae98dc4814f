package storage

import (
	"os"
	"strconv"
	"strings"
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseMap drops the pages of the database's memory map from the
// process (madvise MADV_DONTNEED; see release.go).
func (s *Store) releaseMap() {
	if err := s.db.View(releaseIn); err != nil {
		s.log.Warn("release the database's pages", "err", err)
	}
}

// releaseIn drops the pages of the memory map from the process, within
// tx: a read transaction holds bbolt's lock on the mapping, so that bbolt
// cannot remap it meanwhile. The mapping is read-only and shared: its
// content stays what the file holds (slices of tx stay valid), and a
// later read maps the page again.
func releaseIn(tx *bolt.Tx) error {
	data, size := tx.DB().Info().Data, tx.Size()
	if data == 0 || size <= 0 {
		return nil
	}
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, data, uintptr(size), syscall.MADV_DONTNEED)
	if errno != 0 {
		return errno
	}
	return nil
}

// fileResident is how much file-backed (and shared) memory the process
// holds, in bytes: the third field of /proc/self/statm, in pages; 0 when
// it cannot be read.
func fileResident() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return 0
	}
	pages, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}
