package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// The search index is built at every start from the index entries of the
// records (catalogue.AppendPlaceEntry, AppendEventEntry), not from the
// records: an entry holds only what the index needs, already analysed.
//
// The entries are kept in two parts. The snapshot holds the entries of all
// records as they were when it was written, in chunks of about a megabyte:
// each chunk is one bbolt value, whose pages are contiguous in the file, so
// start-up reads the snapshot in sequence instead of touching pages all
// over the file (the kernel maps 64 kB around each page fault of a file in
// its cache, and all of them count in the process's RSS). The journal
// holds the entries written since, one per record, written by putRecord
// and deleteRecord in the same transaction as the record; an empty entry
// marks a deleted record. Open folds the journal into a new snapshot when
// it holds more than foldThreshold entries.
const (
	chunkSize     = 1 << 20
	foldThreshold = 1000
)

// loadIndex builds the search index from the snapshot and the journal.
// Entries of another catalogue.EntryVersion are first rebuilt from the
// records.
func (s *Store) loadIndex() error {
	journal, err := s.readEntries()
	if errors.Is(err, catalogue.ErrEntryVersion) {
		if err := s.db.Update(rebuildEntries); err != nil {
			return fmt.Errorf("rebuild index entries: %w", err)
		}
		journal, err = s.readEntries()
	}
	if err != nil {
		return err
	}
	if journal > foldThreshold {
		if err := s.db.Update(foldJournal); err != nil {
			return fmt.Errorf("fold index journal: %w", err)
		}
	}
	return nil
}

// readEntries builds s.index and returns the length of the journal.
func (s *Store) readEntries() (int, error) {
	x := catalogue.NewIndex(s.now())
	journal := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		jb := tx.Bucket(bucketIndexJournal)
		journal = jb.Stats().KeyN
		sb := tx.Bucket(bucketIndexSnapshot)
		x.Grow(snapshotCount(sb, kindPlace), snapshotCount(sb, kindEvent))
		for _, kind := range []byte{kindPlace, kindEvent, kindGroup} {
			put, what := x.PutPlaceEntry, "place"
			switch kind {
			case kindEvent:
				put, what = x.PutEventEntry, "event"
			case kindGroup:
				put, what = x.PutGroupEntry, "group"
			}
			put = s.safePut(what, put)
			var key []byte
			var release walkRelease // the snapshot is read once: it need not stay
			err := forEachSnapshot(tx, kind, func(id, entry []byte) error {
				if err := release.add(tx, len(id)+len(entry)); err != nil {
					return err
				}
				if journal > 0 {
					key = append(append(key[:0], kind), id...)
					if jb.Get(key) != nil {
						return nil // changed since: the journal has it
					}
				}
				if err := put(string(id), entry); err != nil {
					return fmt.Errorf("index %s %s: %w", what, id, err)
				}
				return nil
			})
			if err != nil {
				return err
			}
			c := jb.Cursor()
			for k, v := c.Seek([]byte{kind}); len(k) > 0 && k[0] == kind; k, v = c.Next() {
				if len(v) == 0 {
					continue // deleted
				}
				if err := put(string(k[1:]), v); err != nil {
					return fmt.Errorf("index %s %s: %w", what, k[1:], err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.index = x
	return journal, nil
}

// journalKey is the key of a record's entry in the journal.
func journalKey(kind byte, id string) []byte {
	return append([]byte{kind}, id...)
}

// forEachSnapshot calls fn on each entry of the snapshot of one kind.
// Both slices are only valid during the transaction.
func forEachSnapshot(tx *bolt.Tx, kind byte, fn func(id, entry []byte) error) error {
	c := tx.Bucket(bucketIndexSnapshot).Cursor()
	for k, v := c.Seek([]byte{kind}); len(k) > 0 && k[0] == kind; k, v = c.Next() {
		for len(v) > 0 {
			id, rest, ok := cutChunk(v)
			if !ok {
				return fmt.Errorf("index snapshot chunk %x: corrupt", k)
			}
			entry, rest, ok := cutChunk(rest)
			if !ok {
				return fmt.Errorf("index snapshot chunk %x: corrupt", k)
			}
			if err := fn(id, entry); err != nil {
				return err
			}
			v = rest
		}
	}
	return nil
}

// snapshotCount is the number of entries of a kind in the snapshot.
func snapshotCount(b *bolt.Bucket, kind byte) int {
	v := b.Get(countKey(kind))
	if len(v) != 8 {
		return 0
	}
	return int(min(binary.BigEndian.Uint64(v), 1<<30))
}

// countKey is the key of the number of entries of a kind in the snapshot.
// It starts with 'n', which is no kind.
func countKey(kind byte) []byte {
	return []byte{'n', kind}
}

// cutChunk reads a length-prefixed field of a snapshot chunk.
func cutChunk(b []byte) (field, rest []byte, ok bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, false
	}
	return b[k : k+int(n)], b[k+int(n):], true
}

// snapshotBuilder makes the chunks of a new snapshot in memory; entries
// must come grouped by kind.
type snapshotBuilder struct {
	keys, values [][]byte
	kind         byte
	n            uint32
	buf          []byte
	count        map[byte]uint64
}

func (b *snapshotBuilder) add(kind byte, id, entry []byte) {
	if kind != b.kind {
		b.flush()
		b.kind, b.n = kind, 0
	}
	if b.count == nil {
		b.count = map[byte]uint64{}
	}
	b.count[kind]++
	if b.buf == nil {
		b.buf = make([]byte, 0, chunkSize+chunkSize/8)
	}
	b.buf = binary.AppendUvarint(b.buf, uint64(len(id)))
	b.buf = append(b.buf, id...)
	b.buf = binary.AppendUvarint(b.buf, uint64(len(entry)))
	b.buf = append(b.buf, entry...)
	if len(b.buf) >= chunkSize {
		b.flush()
	}
}

func (b *snapshotBuilder) flush() {
	if len(b.buf) == 0 {
		return
	}
	b.keys = append(b.keys, binary.BigEndian.AppendUint32([]byte{b.kind}, b.n))
	b.values = append(b.values, b.buf)
	b.n++
	b.buf = nil // bbolt keeps the value until the commit
}

// store replaces the snapshot by this one, and empties the journal.
func (b *snapshotBuilder) store(tx *bolt.Tx) error {
	b.flush()
	for _, name := range [][]byte{bucketIndexSnapshot, bucketIndexJournal} {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	snapshot := tx.Bucket(bucketIndexSnapshot)
	for i, k := range b.keys {
		if err := snapshot.Put(k, b.values[i]); err != nil {
			return err
		}
	}
	for kind, n := range b.count {
		if err := snapshot.Put(countKey(kind), binary.BigEndian.AppendUint64(nil, n)); err != nil {
			return err
		}
	}
	return nil
}

// rebuildEntries writes the index entries of every place and event again,
// from the records, as a new snapshot with an empty journal: the migration
// to schema version 3, and what Open does with entries of another
// catalogue.EntryVersion.
func rebuildEntries(tx *bolt.Tx) error {
	var b snapshotBuilder
	err := tx.Bucket(bucketPlaces).ForEach(func(k, v []byte) error {
		var p catalogue.Place
		if err := decodePlace(v, &p); err != nil {
			return fmt.Errorf("decode place %s: %w", k, err)
		}
		if !p.Draft() {
			b.add(kindPlace, k, placeIndexEntry(&p))
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
		var e catalogue.Event
		if err := decodeEvent(v, &e); err != nil {
			return fmt.Errorf("decode event %s: %w", k, err)
		}
		b.add(kindEvent, k, catalogue.AppendEventEntry(nil, &e))
		return nil
	})
	if err != nil {
		return err
	}
	err = groupEntries(tx, func(gid string, entry []byte) error {
		b.add(kindGroup, []byte(gid), entry)
		return nil
	})
	if err != nil {
		return err
	}
	return b.store(tx)
}

// foldJournal writes a new snapshot of the current entries: those of the
// snapshot that the journal does not replace, then those of the journal.
func foldJournal(tx *bolt.Tx) error {
	var b snapshotBuilder
	jb := tx.Bucket(bucketIndexJournal)
	for _, kind := range []byte{kindPlace, kindEvent, kindGroup} {
		var key []byte
		err := forEachSnapshot(tx, kind, func(id, entry []byte) error {
			key = append(append(key[:0], kind), id...)
			if jb.Get(key) == nil {
				b.add(kind, id, entry) // copied
			}
			return nil
		})
		if err != nil {
			return err
		}
		c := jb.Cursor()
		for k, v := c.Seek([]byte{kind}); len(k) > 0 && k[0] == kind; k, v = c.Next() {
			if len(v) > 0 {
				b.add(kind, k[1:], v)
			}
		}
	}
	return b.store(tx)
}

// checkEntries compares the index entries, snapshot and journal together,
// with those of the records, for Check.
func checkEntries(tx *bolt.Tx) []error {
	have := map[string][]byte{} // journal key → entry
	for _, kind := range []byte{kindPlace, kindEvent, kindGroup} {
		err := forEachSnapshot(tx, kind, func(id, entry []byte) error {
			have[string(journalKey(kind, string(id)))] = entry
			return nil
		})
		if err != nil {
			return []error{err}
		}
	}
	err := tx.Bucket(bucketIndexJournal).ForEach(func(k, v []byte) error {
		if len(v) == 0 {
			delete(have, string(k))
		} else {
			have[string(k)] = v
		}
		return nil
	})
	if err != nil {
		return []error{err}
	}
	var problems []error
	compare := func(kind byte, id string, want []byte) {
		key := string(journalKey(kind, id))
		got, ok := have[key]
		switch {
		case !ok:
			problems = append(problems, fmt.Errorf("index entry of %c %s missing", kind, id))
		case !bytes.Equal(got, want):
			problems = append(problems, fmt.Errorf("index entry of %c %s stale", kind, id))
		}
		delete(have, key)
	}
	err = tx.Bucket(bucketPlaces).ForEach(func(k, v []byte) error {
		var p catalogue.Place
		if err := decodePlace(v, &p); err != nil {
			return err
		}
		if p.Draft() {
			if _, ok := have[string(journalKey(kindPlace, string(k)))]; ok {
				problems = append(problems, fmt.Errorf("index entry of draft %s present", k))
				delete(have, string(journalKey(kindPlace, string(k))))
			}
			return nil
		}
		compare(kindPlace, string(k), placeIndexEntry(&p))
		return nil
	})
	if err == nil {
		err = tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
			var e catalogue.Event
			if err := decodeEvent(v, &e); err != nil {
				return err
			}
			compare(kindEvent, string(k), catalogue.AppendEventEntry(nil, &e))
			return nil
		})
	}
	if err == nil {
		err = groupEntries(tx, func(gid string, entry []byte) error {
			compare(kindGroup, gid, entry)
			return nil
		})
	}
	if err != nil {
		problems = append(problems, err)
	}
	for k := range have {
		problems = append(problems, fmt.Errorf("index entry of %c %s: no such record", k[0], k[1:]))
	}
	return problems
}
