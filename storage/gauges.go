package storage

import (
	"encoding/json"
	"fmt"
	"net/url"

	bolt "go.etcd.io/bbolt"
)

// Gauges is a snapshot of what monitoring follows in the store.
type Gauges struct {
	// DatabaseBytes is the size of the bbolt file.
	DatabaseBytes int64
	// InboxBacklog counts the accepted activities written to the inbox
	// log and not applied to the catalogue yet: the applier's lag.
	InboxBacklog uint64
	// QueueByHost counts the deliveries waiting, by destination host.
	QueueByHost map[string]int
	// BucketKeys counts the keys of each top-level bucket (the outbox,
	// the seen activities…), to see what grows.
	BucketKeys map[string]int
}

// Gauges reads the snapshot in one read transaction (the delivery queue
// is walked: a scrape costs a pass over it).
func (s *Store) Gauges() (Gauges, error) {
	g := Gauges{QueueByHost: map[string]int{}, BucketKeys: map[string]int{}}
	s.inbox.mu.Lock()
	g.InboxBacklog = s.inbox.written - s.inbox.applied
	s.inbox.mu.Unlock()
	err := s.db.View(func(tx *bolt.Tx) error {
		g.DatabaseBytes = tx.Size()
		if err := tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			g.BucketKeys[string(name)] = b.Stats().KeyN
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketDeliveries).ForEach(func(_, v []byte) error {
			var d struct{ Inbox string }
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("decode delivery: %w", err)
			}
			host := "?"
			if u, err := url.Parse(d.Inbox); err == nil && u.Host != "" {
				host = u.Host
			}
			g.QueueByHost[host]++
			return nil
		})
	})
	return g, err
}
