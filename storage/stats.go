package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// EachPlace calls fn with every place, local and remote, in id order, in
// one read transaction; an error from fn stops the walk and is returned.
func (s *Store) EachPlace(fn func(p *catalogue.Place) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPlaces).ForEach(func(k, _ []byte) error {
			p, err := getPlace(tx, string(k))
			if err != nil {
				return fmt.Errorf("walk places: %w", err)
			}
			s.decoratePlace(p)
			return fn(p)
		})
	})
}
