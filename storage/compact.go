package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A bbolt file never shrinks: pages freed by deletions are reused, not
// given back. Compact writes the live data into a new file and replaces
// the old one with it.

// BucketSize is what one bucket holds.
type BucketSize struct {
	Keys  int   // number of keys
	Bytes int64 // bytes of the pages in use, keys and values included
}

// Sizes is what the database occupies, for monitoring.
type Sizes struct {
	File   int64 // size of the bbolt file, in bytes
	Free   int64 // bytes of free pages in it: what Compact would give back, about
	Outbox int   // activities in the outbox
}

// Sizes measures the file cheaply (no page is read but the meta and
// freelist ones): what /metrics may ask at every scrape.
func (s *Store) Sizes() (Sizes, error) {
	var sz Sizes
	err := s.db.View(func(tx *bolt.Tx) error {
		sz.File = tx.Size()
		sz.Outbox = outboxCount(tx)
		return nil
	})
	st := s.db.Stats()
	sz.Free = int64(st.FreeAlloc)
	return sz, err
}

// BucketSizes measures each bucket, by name. It reads every page of the
// file (which then counts in the process's RSS, as mapped file pages): for
// an occasional diagnosis, not for every scrape.
func (s *Store) BucketSizes() (map[string]BucketSize, error) {
	out := map[string]BucketSize{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			st := b.Stats()
			out[string(name)] = BucketSize{Keys: st.KeyN, Bytes: int64(st.BranchInuse + st.LeafInuse)}
			return nil
		})
	})
	return out, err
}

// compactTxSize is how many bytes Compact copies per transaction.
const compactTxSize = 64 << 20

// Compact rewrites the database of the data directory dir into a new file
// holding only the live data, through bbolt's own compaction, then
// atomically replaces the file with it. It must run offline: it fails with
// ErrLocked at once when another process (serve) holds the file. It
// returns the file's size before and after.
func Compact(dir string) (before, after int64, err error) {
	path := filepath.Join(dir, FileName)
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, fmt.Errorf("compact: %w", err)
	}
	before = fi.Size()
	src, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 200 * time.Millisecond})
	if errors.Is(err, bolt.ErrTimeout) {
		return before, 0, fmt.Errorf("compact %s: %w", path, ErrLocked)
	}
	if err != nil {
		return before, 0, fmt.Errorf("compact: open %s: %w", path, err)
	}
	defer src.Close() // after the rename: the lock is held until the new file is in place
	tmp := path + ".compact"
	os.Remove(tmp) // left by an interrupted compaction
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		return before, 0, fmt.Errorf("compact: create %s: %w", tmp, err)
	}
	if err := bolt.Compact(dst, src, compactTxSize); err != nil {
		dst.Close()
		os.Remove(tmp)
		return before, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return before, 0, fmt.Errorf("compact: close %s: %w", tmp, err)
	}
	if fi, err = os.Stat(tmp); err != nil {
		return before, 0, fmt.Errorf("compact: %w", err)
	}
	after = fi.Size()
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return before, 0, fmt.Errorf("compact: replace %s: %w", path, err)
	}
	d, err := os.Open(dir) // make the rename durable
	if err != nil {
		return before, after, fmt.Errorf("compact: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return before, after, fmt.Errorf("compact: sync %s: %w", dir, err)
	}
	return before, after, nil
}
