package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrForbidden means a remote actor tried to change a record it does not own.
var ErrForbidden = errors.New("record owned by another actor")

// ErrDuplicate means an activity was already processed.
var ErrDuplicate = errors.New("activity already processed")

// Follow states.
const (
	FollowPending  = "pending"
	FollowAccepted = "accepted"
	FollowRejected = "rejected"
)

// Follower is a remote actor that follows this instance's network.
type Follower struct {
	Actor       string    `json:"actor"`
	Inbox       string    `json:"inbox"`
	SharedInbox string    `json:"shared_inbox,omitempty"`
	FollowID    string    `json:"follow_id"` // the id of their Follow activity
	State       string    `json:"state"`
	Since       time.Time `json:"since"`
}

// DeliveryInbox is where activities for this follower go: its shared inbox
// when it has one.
func (f Follower) DeliveryInbox() string {
	if f.SharedInbox != "" {
		return f.SharedInbox
	}
	return f.Inbox
}

// Following is a remote network this instance follows, or asked to.
type Following struct {
	ID      string    `json:"id"` // the id of our Follow activity
	Actor   string    `json:"actor"`
	Inbox   string    `json:"inbox"`
	State   string    `json:"state"`
	Created time.Time `json:"created"`
	// Backfilled is set once the network's current records were fetched.
	Backfilled bool `json:"backfilled,omitempty"`
	// BackfillNext is the next collection page to fetch when a backfill
	// was interrupted; it resumes there.
	BackfillNext string `json:"backfill_next,omitempty"`
}

// RemoteActor is what is cached of a remote actor or key document.
type RemoteActor struct {
	ID                string    `json:"id"`
	Type              string    `json:"type"`
	Name              string    `json:"name,omitempty"`
	PreferredUsername string    `json:"preferred_username,omitempty"`
	Inbox             string    `json:"inbox,omitempty"`
	SharedInbox       string    `json:"shared_inbox,omitempty"`
	Outbox            string    `json:"outbox,omitempty"`
	Places            string    `json:"places,omitempty"` // Maillage's collection of current places
	Events            string    `json:"events,omitempty"`
	KeyID             string    `json:"key_id,omitempty"`
	PublicKeyPEM      string    `json:"public_key_pem,omitempty"`
	Fetched           time.Time `json:"fetched"`
}

// Delivery is one activity waiting to be posted to one inbox.
type Delivery struct {
	Key      []byte          `json:"-"`
	Inbox    string          `json:"inbox"`
	Activity json.RawMessage `json:"activity"`
	Attempts int             `json:"attempts"`
	Created  time.Time       `json:"created"`
	Due      time.Time       `json:"-"`
}

var keyPrivateKey = []byte("private_key")

// ActorKey returns the PEM private key of the network actor, creating it
// with generate on first use.
func (s *Store) ActorKey(generate func() (string, error)) (string, error) {
	var pem string
	err := s.db.View(func(tx *bolt.Tx) error {
		pem = string(tx.Bucket(bucketMeta).Get(keyPrivateKey))
		return nil
	})
	if err != nil || pem != "" {
		return pem, err
	}
	fresh, err := generate()
	if err != nil {
		return "", err
	}
	err = s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if existing := meta.Get(keyPrivateKey); existing != nil {
			pem = string(existing)
			return nil
		}
		pem = fresh
		return meta.Put(keyPrivateKey, []byte(fresh))
	}, nil)
	return pem, err
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), data)
}

func getJSON(b *bolt.Bucket, key string, v any) error {
	data := b.Get([]byte(key))
	if data == nil {
		return fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	return json.Unmarshal(data, v)
}

func listJSON[T any](db *bolt.DB, bucket []byte) ([]T, error) {
	var out []T
	err := db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			var x T
			if err := json.Unmarshal(v, &x); err != nil {
				return fmt.Errorf("decode %s %s: %w", bucket, k, err)
			}
			out = append(out, x)
			return nil
		})
	})
	return out, err
}

// PutFollower stores or replaces a follower.
func (s *Store) PutFollower(f Follower) error {
	return s.update(func(tx *bolt.Tx) error {
		if err := markFederated(tx); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bucketFollowers), f.Actor, f)
	}, nil)
}

// Follower returns the follower with this actor IRI, or ErrNotFound.
func (s *Store) Follower(actor string) (Follower, error) {
	var f Follower
	err := s.db.View(func(tx *bolt.Tx) error { return getJSON(tx.Bucket(bucketFollowers), actor, &f) })
	return f, err
}

// Followers lists every follower, whatever its state.
func (s *Store) Followers() ([]Follower, error) { return listJSON[Follower](s.db, bucketFollowers) }

// DeleteFollower removes a follower; it is not an error if there was none.
func (s *Store) DeleteFollower(actor string) error {
	return s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketFollowers).Delete([]byte(actor)) }, nil)
}

// PutFollowing stores or replaces a followed network.
func (s *Store) PutFollowing(f Following) error {
	return s.update(func(tx *bolt.Tx) error {
		if err := markFederated(tx); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bucketFollowing), f.Actor, f)
	}, nil)
}

// FollowingActor returns what this instance follows at this actor IRI.
func (s *Store) FollowingActor(actor string) (Following, error) {
	var f Following
	err := s.db.View(func(tx *bolt.Tx) error { return getJSON(tx.Bucket(bucketFollowing), actor, &f) })
	return f, err
}

// Followings lists the networks this instance follows or asked to.
func (s *Store) Followings() ([]Following, error) { return listJSON[Following](s.db, bucketFollowing) }

// DeleteFollowing forgets a followed network.
func (s *Store) DeleteFollowing(actor string) error {
	return s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketFollowing).Delete([]byte(actor)) }, nil)
}

// PutActor caches a remote actor or key document under its id.
func (s *Store) PutActor(a RemoteActor) error {
	return s.update(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bucketActors), a.ID, a) }, nil)
}

// Actor returns a cached remote actor or key document, or ErrNotFound.
func (s *Store) Actor(id string) (RemoteActor, error) {
	var a RemoteActor
	err := s.db.View(func(tx *bolt.Tx) error { return getJSON(tx.Bucket(bucketActors), id, &a) })
	return a, err
}

// markActivity records that an activity was processed, in tx; it fails
// with ErrDuplicate when it already was.
func markActivity(tx *bolt.Tx, id string, now time.Time) error {
	if id == "" {
		return nil
	}
	b := tx.Bucket(bucketActivities)
	if b.Get([]byte(id)) != nil {
		return fmt.Errorf("%s: %w", id, ErrDuplicate)
	}
	return b.Put([]byte(id), binary.BigEndian.AppendUint64(nil, uint64(now.Unix())))
}

// MarkActivity records that an activity without a catalogue change (a
// Follow, an Accept) was processed; ErrDuplicate when it already was.
func (s *Store) MarkActivity(id string) error {
	return s.update(func(tx *bolt.Tx) error { return markActivity(tx, id, s.now()) }, nil)
}

// deliveryKey orders deliveries by due time, then by a sequence number.
func deliveryKey(b *bolt.Bucket, due time.Time) ([]byte, error) {
	seq, err := b.NextSequence()
	if err != nil {
		return nil, err
	}
	k := binary.BigEndian.AppendUint64(nil, uint64(due.UnixNano()))
	return binary.BigEndian.AppendUint64(k, seq), nil
}

func enqueue(tx *bolt.Tx, inbox string, activity []byte, now time.Time) error {
	if err := markFederated(tx); err != nil {
		return err
	}
	b := tx.Bucket(bucketDeliveries)
	key, err := deliveryKey(b, now)
	if err != nil {
		return err
	}
	return putJSON(b, string(key), Delivery{Inbox: inbox, Activity: activity, Created: now})
}

// Enqueue queues an activity for one inbox (a Follow, an Accept…).
func (s *Store) Enqueue(inbox string, activity []byte) error {
	return s.update(func(tx *bolt.Tx) error { return enqueue(tx, inbox, activity, s.now()) }, s.wake)
}

// DueDeliveries returns up to n deliveries due at now, oldest first.
func (s *Store) DueDeliveries(now time.Time, n int) ([]Delivery, error) {
	var out []Delivery
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketDeliveries).Cursor()
		for k, v := c.First(); k != nil && len(out) < n; k, v = c.Next() {
			due := time.Unix(0, int64(binary.BigEndian.Uint64(k[:8])))
			if due.After(now) {
				break
			}
			var d Delivery
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("decode delivery: %w", err)
			}
			d.Key, d.Due = append([]byte(nil), k...), due
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// NextDelivery returns when the next delivery is due; false when the queue
// is empty.
func (s *Store) NextDelivery() (time.Time, bool) {
	var due time.Time
	var ok bool
	s.db.View(func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket(bucketDeliveries).Cursor().First(); k != nil {
			due, ok = time.Unix(0, int64(binary.BigEndian.Uint64(k[:8]))), true
		}
		return nil
	})
	return due, ok
}

// QueueLength counts the deliveries waiting.
func (s *Store) QueueLength() int {
	n := 0
	s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketDeliveries).Stats().KeyN
		return nil
	})
	return n
}

// FinishDelivery removes a delivery that succeeded or was given up.
// Workers finishing together share a transaction (one disk sync).
func (s *Store) FinishDelivery(d Delivery) error {
	return s.db.Batch(func(tx *bolt.Tx) error { return tx.Bucket(bucketDeliveries).Delete(d.Key) })
}

// RetryDelivery moves a delivery to a later due time, counting the attempt.
func (s *Store) RetryDelivery(d Delivery, due time.Time) error {
	d.Attempts++
	return s.db.Batch(func(tx *bolt.Tx) error { // may run twice: no change to d inside
		b := tx.Bucket(bucketDeliveries)
		if b.Get(d.Key) == nil {
			return nil // finished meanwhile
		}
		if err := b.Delete(d.Key); err != nil {
			return err
		}
		key, err := deliveryKey(b, due)
		if err != nil {
			return err
		}
		return putJSON(b, string(key), d)
	})
}

// SetDeliveryNotify registers a function called after a commit that
// queued deliveries, to wake the delivery workers.
func (s *Store) SetDeliveryNotify(fn func()) { s.notify.Store(&fn) }

func (s *Store) wake() {
	if fn := s.notify.Load(); fn != nil {
		(*fn)()
	}
}
