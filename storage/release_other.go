//go:build !linux

package storage

// releaseMap does nothing outside Linux: the kernel reclaims the pages of
// the memory map when it needs them.
func (s *Store) releaseMap() {}

// fileResident is 0 outside Linux: startReleasing never releases.
func fileResident() int64 { return 0 }
