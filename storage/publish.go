package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/communes"
)

// Verbs of a Change.
const (
	VerbCreate = "Create"
	VerbUpdate = "Update"
	VerbDelete = "Delete"
)

// Change is a committed change of a local record, as a Publisher sees it,
// or, on a relaying instance, of a remote record it accepted (Remote).
type Change struct {
	Verb   string
	Place  *catalogue.Place // set for places, and for events: the event's place
	Event  *catalogue.Event // set for events
	Time   time.Time
	Remote bool // a remote record to relay (Announce), not one of ours
}

// Publisher turns a local change into the JSON activity sent to the
// followers. The federation package sets it; it runs inside the write
// transaction, so the activity is queued atomically with the change.
type Publisher func(c Change) ([]byte, error)

// SetPublisher makes every later local change queue an activity for each
// distinct inbox of the accepted followers, and keep it in the outbox.
func (s *Store) SetPublisher(p Publisher) { s.publisher.Store(&p) }

// SetRelay makes every later change of a remote record (a new version, a
// deletion) published too, as a Change with Remote set: a relaying
// instance re-shares what it accepts. A version no newer than the stored
// one changes nothing and is not relayed, so relays in a loop fall quiet.
func (s *Store) SetRelay(on bool) { s.relay.Store(on) }

// Tombstone is what remains of a deleted local record.
type Tombstone struct {
	FormerType string    `json:"former_type"` // "Place" or "Event"
	Deleted    time.Time `json:"deleted"`
}

// publish queues the activity of a change, in tx.
func (s *Store) publish(tx *bolt.Tx, c Change) error {
	p := s.publisher.Load()
	if p == nil {
		return nil
	}
	if c.Event == nil && c.Place != nil && c.Place.Draft() && !c.Remote {
		return nil // a draft is published once completed, as a Create
	}
	c.Time = s.now().UTC()
	if c.Place != nil && c.Place.Network.Local {
		place := *c.Place
		place.Network = s.localNetwork()
		c.Place = &place
	}
	if c.Event != nil && c.Event.Network.Local {
		ev := *c.Event
		ev.Network = s.localNetwork()
		c.Event = &ev
	}
	activity, err := (*p)(c)
	if err != nil {
		return fmt.Errorf("build activity: %w", err)
	}
	apID, kind := "", "Place"
	if c.Event != nil {
		apID, kind = c.Event.APID, "Event"
	} else {
		apID = c.Place.APID
	}
	if c.Verb == VerbDelete && !c.Remote {
		if err := putJSON(tx.Bucket(bucketTombstones), apID, Tombstone{FormerType: kind, Deleted: c.Time}); err != nil {
			return err
		}
	}
	if err := s.putOutbox(tx, apID, activity, c.Time); err != nil {
		return err
	}
	seen := map[string]bool{}
	return tx.Bucket(bucketFollowers).ForEach(func(k, v []byte) error {
		var f Follower
		if err := json.Unmarshal(v, &f); err != nil {
			return fmt.Errorf("decode follower %s: %w", k, err)
		}
		inbox := f.DeliveryInbox()
		if f.State != FollowAccepted || seen[inbox] || !f.Wants(c) {
			return nil
		}
		seen[inbox] = true
		return enqueue(tx, inbox, activity, c.Time)
	})
}

func seqKey(seq uint64) []byte {
	return fmt.Appendf(nil, "%016x", seq)
}

// TombstoneOf returns the tombstone of a deleted local record, or
// ErrNotFound.
func (s *Store) TombstoneOf(apID string) (Tombstone, error) {
	var t Tombstone
	err := s.db.View(func(tx *bolt.Tx) error { return getJSON(tx.Bucket(bucketTombstones), apID, &t) })
	return t, err
}

// OutboxPage returns up to n activities of the outbox, newest first,
// before the sequence number before (0 for the newest), and the total.
func (s *Store) OutboxPage(before uint64, n int) (items []json.RawMessage, next uint64, total int, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		total = outboxCount(tx)
		c := b.Cursor()
		var k, v []byte
		if before == 0 {
			k, v = c.Last()
		} else {
			c.Seek(seqKey(before))
			k, v = c.Prev()
		}
		for ; k != nil && len(items) < n; k, v = c.Prev() {
			a, err := s.outboxActivity(tx, v)
			if err != nil {
				return fmt.Errorf("outbox %s: %w", k, err)
			}
			items = append(items, a)
			fmt.Sscanf(string(k), "%x", &next)
		}
		if k == nil {
			next = 0
		}
		return nil
	})
	return items, next, total, err
}

// Remote is a place, or an event with the place it happens at (or that
// runs it, for an event at a stop), published by another network. Place
// may be nil for an event at a stop (catalogue.Event.Etape) that no
// place runs: a Mobilizon or Gancio event at an address.
type Remote struct {
	Place *catalogue.Place
	Event *catalogue.Event // nil for a place alone
}

// PutRemote stores or replaces records published by another network,
// identified by their ActivityPub ids, as the processing of activityID
// (empty for a backfill). It fails with ErrDuplicate when activityID was
// processed before, and with ErrForbidden when an ap_id is local or
// belongs to another actor; then nothing is written. Concurrent calls
// share a transaction (one disk sync for many activities).
func (s *Store) PutRemote(activityID string, objs ...Remote) error {
	if err := s.batch(s.putRemote(activityID, objs)); err != nil {
		return fmt.Errorf("store remote record: %w", err)
	}
	return nil
}

// putRemote is the write of PutRemote. It may run more than once (see
// committer), each time from the objects as given.
func (s *Store) putRemote(activityID string, objs []Remote) func(tx *bolt.Tx, t *touched) error {
	lieux := make([]string, len(objs))
	for i, o := range objs {
		if o.Event != nil {
			lieux[i] = o.Event.Lieu
		}
	}
	return func(tx *bolt.Tx, t *touched) error {
		if err := markActivity(tx, activityID, s.now()); err != nil {
			return err
		}
		g := newGrouper(tx)
		for i, o := range objs {
			if o.Place == nil && (o.Event == nil || o.Event.Etape == nil) {
				// A caller's bug (or a damaged log frame): the applier
				// sets the change aside (poison.go), as it did when this
				// was a nil dereference.
				panic("storage: a remote record without a place that is not an event at a stop")
			}
			if o.Place != nil && !kept(tx, o.Place.APID, o.Place.Network) || o.Event != nil && !kept(tx, o.Event.APID, o.Event.Network) {
				continue // hidden here, or from a blocked domain
			}
			placeVerb := ""
			if o.Place != nil { // nil for an event at a stop that no place of ours runs
				var err error
				if placeVerb, err = putRemotePlace(tx, o.Place); err != nil {
					return err
				}
			}
			if placeVerb != "" {
				t.places = append(t.places, o.Place.ID)
				if err := g.place(o.Place); err != nil {
					return err
				}
			}
			if o.Event == nil {
				if err := s.relayChange(tx, placeVerb, o.Place, nil); err != nil {
					return err
				}
				continue
			}
			o.Event.Lieu = lieux[i] // the ap_id again, when this runs twice
			verb, err := putRemoteEvent(tx, o.Event)
			if err != nil {
				return err
			}
			if verb == "" && placeVerb != "" {
				verb = VerbUpdate // the event's place changed: so did the event as shown
			}
			if verb != "" {
				t.events = append(t.events, o.Event.ID)
			}
			if err := s.relayChange(tx, verb, o.Place, o.Event); err != nil {
				return err
			}
		}
		return g.finish(t)
	}
}

// PutRemotePlace stores a remote place alone; see PutRemote.
func (s *Store) PutRemotePlace(activityID string, p *catalogue.Place) error {
	return s.PutRemote(activityID, Remote{Place: p})
}

// PutRemoteEvent stores a remote event whose Lieu is the ActivityPub id of
// a place already stored; see PutRemote.
func (s *Store) PutRemoteEvent(activityID string, e *catalogue.Event) error {
	err := s.batch(func(tx *bolt.Tx, t *touched) error {
		if err := markActivity(tx, activityID, s.now()); err != nil {
			return err
		}
		if _, err := putRemoteEvent(tx, e); err != nil {
			return err
		}
		t.events = append(t.events, e.ID)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store remote event: %w", err)
	}
	return nil
}

// putRemotePlace stores p unless the stored version is as recent, and
// says what it did: VerbCreate, VerbUpdate, or "" for nothing.
func putRemotePlace(tx *bolt.Tx, p *catalogue.Place) (string, error) {
	p.Network.Local = false
	p.Updated = p.Updated.UTC()
	p.Sources = nil
	p.FieldSources = nil
	communes.France().Settle(p, nil) // before comparing with the stored version, placed the same way
	var old *catalogue.Place
	if id, ok := resolve(tx, kindPlace, p.APID); ok {
		var err error
		if old, err = getPlace(tx, id); err != nil {
			return "", err
		}
		if old.Network.Local || old.Network.Actor != p.Network.Actor {
			return "", fmt.Errorf("place %s: %w", p.APID, ErrForbidden)
		}
		p.ID = old.ID
		if !newer(old.Updated, p.Updated, old, p) && !lostVia(old.Network, p.Network) {
			*p = *old // a replay, a stale copy, or the same version through another relay
			return "", nil
		}
	} else if tx.Bucket(bucketObjects).Get([]byte(p.APID)) != nil {
		return "", fmt.Errorf("%s is not a place: %w", p.APID, ErrForbidden)
	} else {
		p.ID = newID()
	}
	verb, oldEntries := VerbCreate, []entry(nil)
	if old != nil {
		verb, oldEntries = VerbUpdate, placeEntries(old)
	}
	return verb, putRecord(tx, bucketPlaces, p.ID, p, kindPlace, oldEntries, placeEntries(p))
}

// newer says whether a received version of a record replaces the stored
// one: a later update time wins; at the same time (ActivityStreams dates
// have whole seconds), the content decides, the same way on every
// instance, so that two versions met in different orders converge.
//
// A version without a time (a peer that sends neither updated nor
// published) replaces the stored one whenever it says something else.
func newer[T catalogue.Place | catalogue.Event](oldTime, newTime time.Time, old, now *T) bool {
	switch {
	case newTime.IsZero():
		return !bytes.Equal(contentDigest(now), contentDigest(old))
	case !newTime.Equal(oldTime):
		return newTime.After(oldTime)
	}
	return bytes.Compare(contentDigest(now), contentDigest(old)) > 0
}

// contentDigest hashes what a record says, not where it is kept.
func contentDigest[T catalogue.Place | catalogue.Event](r *T) []byte {
	c := *r
	switch v := any(&c).(type) {
	case *catalogue.Place:
		v.ID, v.Network, v.Updated, v.Published = "", catalogue.Network{}, time.Time{}, time.Time{}
	case *catalogue.Event:
		v.ID, v.Network, v.Updated, v.Published, v.Lieu = "", catalogue.Network{}, time.Time{}, time.Time{}, ""
	}
	data, _ := json.Marshal(&c)
	sum := sha256.Sum256(data)
	return sum[:]
}

// lostVia: a record first known through a relay now comes from its
// origin directly; the provenance is worth a write.
func lostVia(old, now catalogue.Network) bool { return old.Via != "" && now.Via == "" }

// putRemoteEvent is putRemotePlace for events.
func putRemoteEvent(tx *bolt.Tx, e *catalogue.Event) (string, error) {
	e.Network.Local = false
	e.Updated = e.Updated.UTC()
	if err := locateStop(e, false); err != nil {
		return "", err
	}
	if err := resolvePlace(tx, e); err != nil {
		return "", err
	}
	var old *catalogue.Event
	if id, ok := resolve(tx, kindEvent, e.APID); ok {
		var err error
		if old, err = getEvent(tx, id); err != nil {
			return "", err
		}
		if old.Network.Local || old.Network.Actor != e.Network.Actor {
			return "", fmt.Errorf("event %s: %w", e.APID, ErrForbidden)
		}
		e.ID = old.ID
		if !newer(old.Updated, e.Updated, old, e) && !lostVia(old.Network, e.Network) && e.Lieu == old.Lieu {
			*e = *old
			return "", nil
		}
	} else if tx.Bucket(bucketObjects).Get([]byte(e.APID)) != nil {
		return "", fmt.Errorf("%s is not an event: %w", e.APID, ErrForbidden)
	} else {
		e.ID = newID()
	}
	verb, oldEntries := VerbCreate, []entry(nil)
	if old != nil {
		verb, oldEntries = VerbUpdate, eventEntries(old)
	}
	return verb, putRecord(tx, bucketEvents, e.ID, e, kindEvent, oldEntries, eventEntries(e))
}

// relayChange publishes a change of a remote record when this instance
// relays; verb "" (nothing changed) publishes nothing.
func (s *Store) relayChange(tx *bolt.Tx, verb string, p *catalogue.Place, e *catalogue.Event) error {
	if verb == "" || !s.relay.Load() {
		return nil
	}
	return s.publish(tx, Change{Verb: verb, Place: p, Event: e, Remote: true})
}

// DeleteRemote deletes the place or event apID of the network actor, with
// a place's events. It fails with ErrForbidden when actor does not own it;
// an unknown apID is not an error (it may never have reached us).
func (s *Store) DeleteRemote(activityID, actor, apID string) error {
	if err := s.batch(s.deleteRemote(activityID, actor, apID)); err != nil {
		return fmt.Errorf("delete remote record: %w", err)
	}
	return nil
}

// deleteRemote is the write of DeleteRemote.
func (s *Store) deleteRemote(activityID, actor, apID string) func(tx *bolt.Tx, t *touched) error {
	return func(tx *bolt.Tx, t *touched) error {
		if err := markActivity(tx, activityID, s.now()); err != nil {
			return err
		}
		if id, ok := resolve(tx, kindEvent, apID); ok {
			e, err := getEvent(tx, id)
			if err != nil {
				return err
			}
			if e.Network.Local || e.Network.Actor != actor {
				return fmt.Errorf("event %s: %w", apID, ErrForbidden)
			}
			t.events = append(t.events, id)
			if err := deleteRecord(tx, bucketEvents, id, eventEntries(e)); err != nil {
				return err
			}
			return s.relayChange(tx, VerbDelete, nil, e)
		}
		id, ok := resolve(tx, kindPlace, apID)
		if !ok {
			return nil
		}
		p, err := getPlace(tx, id)
		if err != nil {
			return err
		}
		if p.Network.Local || p.Network.Actor != actor {
			return fmt.Errorf("place %s: %w", apID, ErrForbidden)
		}
		events, err := eventsAt(tx, id)
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := deleteRecord(tx, bucketEvents, e.ID, eventEntries(e)); err != nil {
				return err
			}
			t.events = append(t.events, e.ID)
		}
		t.places = append(t.places, id)
		if err := deleteRecord(tx, bucketPlaces, id, placeEntries(p)); err != nil {
			return err
		}
		g := newGrouper(tx)
		if err := g.removed(id); err != nil {
			return err
		}
		if err := g.finish(t); err != nil {
			return err
		}
		return s.relayChange(tx, VerbDelete, p, nil)
	}
}

func eventsAt(tx *bolt.Tx, placeID string) ([]*catalogue.Event, error) {
	var out []*catalogue.Event
	c := tx.Bucket(bucketEventsByPlace).Cursor()
	prefix := placeID + "/"
	for k, _ := c.Seek([]byte(prefix)); hasPrefix(k, prefix); k, _ = c.Next() {
		e, err := getEvent(tx, string(k[len(prefix):]))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// DeleteNetwork removes every place and event of a remote network, and
// those that came through it as a relay, when this instance stops
// following it.
func (s *Store) DeleteNetwork(actor string) error {
	if actor == "" || actor == s.ActorIRI() {
		return fmt.Errorf("delete network %q: %w", actor, ErrForbidden)
	}
	err := s.batch(func(tx *bolt.Tx, t *touched) error {
		_, _, err := deleteRemoteWhere(tx, t, func(n catalogue.Network) bool { return n.Actor == actor || n.Via == actor })
		return err
	})
	if err != nil {
		return fmt.Errorf("delete network %s: %w", actor, err)
	}
	return nil
}
