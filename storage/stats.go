package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// EachPlace calls fn with every place, local and remote, in id order, in
// one read transaction; a place published by several networks comes once,
// merged, at its first record. An error from fn stops the walk and is
// returned.
func (s *Store) EachPlace(fn func(p *catalogue.Place) error) error {
	defer s.releaseMap() // it read the pages of every place
	return s.db.View(func(tx *bolt.Tx) error {
		groups := tx.Bucket(bucketPlaceGroups)
		seen := map[string]bool{}
		var release walkRelease
		return tx.Bucket(bucketPlaces).ForEach(func(k, v []byte) error {
			if err := release.add(tx, len(v)); err != nil {
				return err
			}
			get, id := getPlace, string(k)
			if gid := groups.Get(memberKey(id)); gid != nil {
				if seen[string(gid)] {
					return nil
				}
				seen[string(gid)] = true
				get, id = mergeGroup, string(gid)
			}
			p, err := get(tx, id)
			if err != nil {
				return fmt.Errorf("walk places: %w", err)
			}
			s.decoratePlace(p)
			return fn(p)
		})
	})
}

// Changes returns a number that changes whenever a place or an event is
// written, merged, hidden or removed: figures computed from the
// catalogue at one value hold until it changes.
func (s *Store) Changes() uint64 { return s.index.Changes() }
