package storage

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// What the store keeps of its history, and for how long. Prune drops the
// rest; docs/ARCHITECTURE.md states the same periods.
const (
	// OutboxRetention: the outbox keeps every activity of this period,
	// and, older, the latest activity of each object (what a follower
	// backfilling from the outbox needs). It is more than twice the 72
	// hours a delivery is retried: a follower unreachable for longer
	// catches up from the collections of current places and events (or
	// the latest activity of each object here), not from the history.
	OutboxRetention = 7 * 24 * time.Hour
	// ActivityRetention: the ids of processed incoming activities are
	// kept this long to refuse a replay. An older activity is refused
	// anyway: its signature's date is out of the accepted window
	// (12 hours, plus an hour of clock skew).
	ActivityRetention = 7 * 24 * time.Hour
	// TombstoneRetention: a deleted local record answers 410 Gone (and
	// its Delete stays in the outbox) this long, then it is forgotten.
	TombstoneRetention = 180 * 24 * time.Hour
)

// pruneBatch bounds the deletions of one write transaction, and pruneScan
// the entries it looks at, so that a prune never holds the writer long.
const (
	pruneBatch = 2000
	pruneScan  = 20000
)

// Pruned counts what one Prune removed.
type Pruned struct {
	Outbox     int // superseded activities older than OutboxRetention
	Activities int // processed activity ids older than ActivityRetention
	Tombstones int // tombstones older than TombstoneRetention, with their Delete
}

// outboxObjectValue is the value of outbox_objects: the sequence number of
// the object's latest activity, then its time (Unix seconds).
func outboxObjectValue(seq uint64, t time.Time) []byte {
	v := binary.BigEndian.AppendUint64(nil, seq)
	return binary.BigEndian.AppendUint64(v, uint64(t.Unix()))
}

// staleKey orders the superseded outbox activities by their time.
func staleKey(unix, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, unix), seq)
}

// keyOutboxCount is the number of activities in the outbox, kept in the
// meta bucket: counting the bucket's keys reads all its pages.
var keyOutboxCount = []byte("outbox_count")

// addOutboxCount moves the outbox's count by n, in tx.
func addOutboxCount(tx *bolt.Tx, n int) error {
	meta := tx.Bucket(bucketMeta)
	c := int64(outboxCount(tx)) + int64(n)
	return meta.Put(keyOutboxCount, binary.BigEndian.AppendUint64(nil, uint64(max(c, 0))))
}

// outboxCount is the number of activities in the outbox.
func outboxCount(tx *bolt.Tx) int {
	if v := tx.Bucket(bucketMeta).Get(keyOutboxCount); len(v) == 8 {
		return int(binary.BigEndian.Uint64(v))
	}
	return tx.Bucket(bucketOutbox).Stats().KeyN
}

// putOutbox appends an activity about the object apID to the outbox, in
// tx, compressed (outboxzip.go), and marks the object's previous activity
// as superseded.
func (s *Store) putOutbox(tx *bolt.Tx, apID string, activity []byte, t time.Time) error {
	codec, err := s.outboxCodecOf(tx, activity)
	if err != nil {
		return err
	}
	stored, err := codec.deflate(activity)
	if err != nil {
		return fmt.Errorf("compress activity: %w", err)
	}
	outbox := tx.Bucket(bucketOutbox)
	// Its keys only grow: full pages, not the half-full ones a split
	// leaves by default (the outbox of 125,000 activities took 225 MB of
	// pages for 97 MB of data).
	outbox.FillPercent = 1
	seq, err := outbox.NextSequence()
	if err != nil {
		return err
	}
	if err := outbox.Put(seqKey(seq), stored); err != nil {
		return err
	}
	if err := addOutboxCount(tx, 1); err != nil {
		return err
	}
	return trackOutbox(tx, apID, seq, t)
}

// trackOutbox records seq as the latest activity of apID.
func trackOutbox(tx *bolt.Tx, apID string, seq uint64, t time.Time) error {
	if apID == "" {
		return nil
	}
	objects := tx.Bucket(bucketOutboxObjects)
	if prev := objects.Get([]byte(apID)); len(prev) == 16 {
		err := tx.Bucket(bucketOutboxStale).Put(staleKey(binary.BigEndian.Uint64(prev[8:]), binary.BigEndian.Uint64(prev[:8])), nil)
		if err != nil {
			return err
		}
	}
	return objects.Put([]byte(apID), outboxObjectValue(seq, t))
}

// indexOutbox builds outbox_objects and outbox_stale from the activities
// of the outbox: the migration to schema version 5.
func indexOutbox(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketOutboxObjects, bucketOutboxStale} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	n := tx.Bucket(bucketOutbox).Stats().KeyN
	if err := tx.Bucket(bucketMeta).Put(keyOutboxCount, binary.BigEndian.AppendUint64(nil, uint64(n))); err != nil {
		return err
	}
	return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		var seq uint64
		if _, err := fmt.Sscanf(string(k), "%x", &seq); err != nil {
			return fmt.Errorf("outbox key %q: %w", k, err)
		}
		apID, t := activityObject(v)
		return trackOutbox(tx, apID, seq, t)
	})
}

// activityObject reads the id of an activity's object (an IRI, or an
// embedded object's id) and its published time.
func activityObject(activity []byte) (string, time.Time) {
	var a struct {
		Object    json.RawMessage `json:"object"`
		Published time.Time       `json:"published"`
	}
	if json.Unmarshal(activity, &a) != nil {
		return "", time.Time{}
	}
	var id string
	if json.Unmarshal(a.Object, &id) != nil {
		var o struct {
			ID string `json:"id"`
		}
		json.Unmarshal(a.Object, &o)
		id = o.ID
	}
	return id, a.Published
}

// Prune removes what the store no longer needs, at the store's clock:
// outbox activities superseded by a later one of the same object and
// older than OutboxRetention, processed activity ids older than
// ActivityRetention, and tombstones older than TombstoneRetention with the
// Delete that made them. It works in short transactions; serve runs it
// periodically (Options.PruneEvery).
func (s *Store) Prune() (Pruned, error) {
	var p Pruned
	now := s.now()
	var err error
	if p.Outbox, err = s.pruneOutbox(now.Add(-OutboxRetention)); err != nil {
		return p, fmt.Errorf("prune outbox: %w", err)
	}
	if p.Activities, err = s.pruneActivities(now.Add(-ActivityRetention)); err != nil {
		return p, fmt.Errorf("prune activities: %w", err)
	}
	if p.Tombstones, err = s.pruneTombstones(now.Add(-TombstoneRetention)); err != nil {
		return p, fmt.Errorf("prune tombstones: %w", err)
	}
	return p, nil
}

// pruneOutbox drops the superseded activities older than before.
func (s *Store) pruneOutbox(before time.Time) (int, error) {
	total := 0
	for {
		n := 0
		err := s.update(func(tx *bolt.Tx) error {
			outbox, stale := tx.Bucket(bucketOutbox), tx.Bucket(bucketOutboxStale)
			var keys [][]byte
			c := stale.Cursor()
			for k, _ := c.First(); k != nil && len(keys) < pruneBatch; k, _ = c.Next() {
				if int64(binary.BigEndian.Uint64(k[:8])) >= before.Unix() {
					break
				}
				keys = append(keys, append([]byte(nil), k...))
			}
			for _, k := range keys {
				if err := outbox.Delete(seqKey(binary.BigEndian.Uint64(k[8:]))); err != nil {
					return err
				}
				if err := stale.Delete(k); err != nil {
					return err
				}
			}
			n = len(keys)
			return addOutboxCount(tx, -n)
		}, nil)
		total += n
		if err != nil || n < pruneBatch {
			return total, err
		}
	}
}

// pruneActivities forgets the processed activity ids older than before.
func (s *Store) pruneActivities(before time.Time) (int, error) {
	return s.pruneWhere(bucketActivities, func(tx *bolt.Tx, k, v []byte) (bool, error) {
		return len(v) == 8 && int64(binary.BigEndian.Uint64(v)) < before.Unix(), nil
	})
}

// pruneTombstones forgets the local records deleted before before, and
// the Delete activity each left in the outbox.
func (s *Store) pruneTombstones(before time.Time) (int, error) {
	return s.pruneWhere(bucketTombstones, func(tx *bolt.Tx, k, v []byte) (bool, error) {
		var t Tombstone
		if err := json.Unmarshal(v, &t); err != nil {
			return false, fmt.Errorf("decode tombstone %s: %w", k, err)
		}
		if !t.Deleted.Before(before) {
			return false, nil
		}
		objects := tx.Bucket(bucketOutboxObjects)
		if last := objects.Get(k); len(last) == 16 {
			if err := tx.Bucket(bucketOutbox).Delete(seqKey(binary.BigEndian.Uint64(last[:8]))); err != nil {
				return false, err
			}
			if err := objects.Delete(k); err != nil {
				return false, err
			}
			if err := addOutboxCount(tx, -1); err != nil {
				return false, err
			}
		}
		return true, nil
	})
}

// pruneWhere deletes the entries of bucket for which drop says so, in
// transactions that look at no more than pruneScan entries and delete no
// more than pruneBatch, each resuming where the previous one stopped.
func (s *Store) pruneWhere(bucket []byte, drop func(tx *bolt.Tx, k, v []byte) (bool, error)) (int, error) {
	total := 0
	var from []byte
	for {
		var dropped [][]byte
		var next []byte
		err := s.update(func(tx *bolt.Tx) error {
			dropped, next = dropped[:0], nil
			b := tx.Bucket(bucket)
			c := b.Cursor()
			k, v := c.First()
			if from != nil {
				k, v = c.Seek(from)
			}
			for scanned := 0; k != nil; k, v = c.Next() {
				if len(dropped) == pruneBatch || scanned == pruneScan {
					next = append([]byte(nil), k...)
					break
				}
				scanned++
				ok, err := drop(tx, k, v)
				if err != nil {
					return err
				}
				if ok {
					dropped = append(dropped, append([]byte(nil), k...))
				}
			}
			for _, k := range dropped {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			return nil
		}, nil)
		if err != nil {
			return total, err
		}
		total += len(dropped)
		if next == nil {
			return total, nil
		}
		from = next
	}
}

// startPruning runs Prune every interval in a goroutine, until the
// returned function is called (by Close), which waits for it to end.
// A failing or panicking prune is logged; the next one runs as planned.
func (s *Store) startPruning(every time.Duration) func() {
	if every <= 0 {
		return func() {}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				s.pruneOnce()
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

// pruneOnce runs Prune, logging what it removed or why it failed.
func (s *Store) pruneOnce() {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("prune: panic", "panic", r)
		}
	}()
	p, err := s.Prune()
	if err != nil {
		s.log.Error("prune", "err", err)
		return
	}
	if p != (Pruned{}) {
		s.log.Info("pruned", "outbox", p.Outbox, "activities", p.Activities, "tombstones", p.Tombstones)
	}
}

// checkOutbox compares the outbox's kept count and object index with the
// outbox, for Check.
func checkOutbox(tx *bolt.Tx) []error {
	var problems []error
	outbox := tx.Bucket(bucketOutbox)
	if n, want := outboxCount(tx), outbox.Stats().KeyN; n != want {
		problems = append(problems, fmt.Errorf("outbox count %d; the outbox holds %d", n, want))
	}
	tx.Bucket(bucketOutboxObjects).ForEach(func(k, v []byte) error {
		if len(v) != 16 || outbox.Get(seqKey(binary.BigEndian.Uint64(v[:8]))) == nil {
			problems = append(problems, fmt.Errorf("outbox object %s: its latest activity is missing", k))
		}
		return nil
	})
	return problems
}
