package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// Check verifies that the indexes match the records exactly: every record
// has all its index entries, every index entry belongs to a record, the
// search index's entries (load.go) are those of the records, and the
// search index holds the same records. It returns every problem found,
// joined. Tests run it before closing a store, once the writes they made
// have returned: the activities the inbox accepted are applied first.
func (s *Store) Check() error {
	s.inbox.settle()
	s.writeMu.Lock() // no index update halfway through
	defer s.writeMu.Unlock()
	var problems []error
	err := s.db.View(func(tx *bolt.Tx) error {
		problems = s.checkTx(tx)
		return nil
	})
	if err != nil {
		return err
	}
	return errors.Join(problems...)
}

// checkTx is Check in tx: every problem found.
func (s *Store) checkTx(tx *bolt.Tx) (problems []error) {
	err := func() error {
		want := map[string]map[string][]byte{} // bucket → key → value
		add := func(es []entry, kind byte, id string) {
			for _, e := range es {
				m := want[string(e.bucket)]
				if m == nil {
					m = map[string][]byte{}
					want[string(e.bucket)] = m
				}
				var v []byte
				if bytes.Equal(e.bucket, bucketObjects) {
					v = objectValue(kind, id)
				}
				m[string(e.key)] = v
			}
		}
		places, events := 0, 0
		err := tx.Bucket(bucketPlaces).ForEach(func(k, v []byte) error {
			var p catalogue.Place
			if err := json.Unmarshal(v, &p); err != nil {
				problems = append(problems, fmt.Errorf("place %s: %w", k, err))
				return nil
			}
			if p.ID != string(k) {
				problems = append(problems, fmt.Errorf("place under key %s has id %s", k, p.ID))
			}
			add(placeEntries(&p), kindPlace, p.ID)
			if !p.Draft() {
				places++ // a draft is not in the search index
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
			var e catalogue.Event
			if err := json.Unmarshal(v, &e); err != nil {
				problems = append(problems, fmt.Errorf("event %s: %w", k, err))
				return nil
			}
			if (e.Lieu != "" || e.Etape == nil) && tx.Bucket(bucketPlaces).Get([]byte(e.Lieu)) == nil {
				problems = append(problems, fmt.Errorf("event %s: place %s missing", k, e.Lieu))
			}
			add(eventEntries(&e), kindEvent, e.ID)
			events++
			return nil
		})
		if err != nil {
			return err
		}
		for _, name := range [][]byte{bucketPlacesByService, bucketPlacesByDept, bucketEventsByStart, bucketEventsByPlace, bucketObjects, bucketPlaceMatch} {
			m := want[string(name)]
			err := tx.Bucket(name).ForEach(func(k, v []byte) error {
				wv, ok := m[string(k)]
				switch {
				case !ok:
					problems = append(problems, fmt.Errorf("%s: stale entry %q", name, k))
				case !bytes.Equal(wv, v):
					problems = append(problems, fmt.Errorf("%s: entry %q points to %q, want %q", name, k, v, wv))
				}
				delete(m, string(k))
				return nil
			})
			if err != nil {
				return err
			}
			for k := range m {
				problems = append(problems, fmt.Errorf("%s: missing entry %q", name, k))
			}
		}
		problems = append(problems, checkEntries(tx)...)
		problems = append(problems, checkOutbox(tx)...)
		problems = append(problems, s.checkGroups(tx)...)
		ip, ie := s.index.Len()
		if ip != places || ie != events {
			problems = append(problems, fmt.Errorf("search index holds %d places and %d events, database %d and %d", ip, ie, places, events))
		}
		return nil
	}()
	if err != nil {
		problems = append(problems, err)
	}
	return problems
}
