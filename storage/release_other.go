//go:build !linux

package storage

import bolt "go.etcd.io/bbolt"

// releaseMap does nothing outside Linux: the kernel reclaims the pages of
// the memory map when it needs them.
func (s *Store) releaseMap() {}

// releaseIn does nothing outside Linux.
func releaseIn(*bolt.Tx) error { return nil }

// fileResident is 0 outside Linux: startReleasing never releases.
func fileResident() int64 { return 0 }
