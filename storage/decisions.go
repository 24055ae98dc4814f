package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// Editors' decisions about places published by several networks: split
// a wrong merge, link a missed one (see groups.go).

// SplitPlace detaches the place record id (or ActivityPub id) from its
// group, for good: automatic matching never puts it with the other
// records of the group again, until an editor links them. The rest of
// the group is grouped again. It fails with ErrNotFound.
func (s *Store) SplitPlace(id string) error {
	return s.decide(id, "", func(tx *bolt.Tx, g *grouper, p, _ *catalogue.Place) error {
		gid := g.groupOf(p.ID)
		if gid == "" {
			return nil
		}
		d := tx.Bucket(bucketPlaceDecisions)
		for _, m := range g.members(gid) {
			q, err := g.record(m)
			if err != nil || q.ID == p.ID {
				continue
			}
			for _, pair := range [][2]string{{p.APID, q.APID}, {q.APID, p.APID}} {
				if err := d.Delete(decisionKey(decisionLink, pair[0], pair[1])); err != nil {
					return err
				}
				if err := d.Put(decisionKey(decisionSplit, pair[0], pair[1]), decided); err != nil {
					return err
				}
			}
		}
		return g.place(p)
	})
}

// LinkPlaces says that the place records a and b (ids or ActivityPub ids)
// are the same place, for good: their groups are joined, whatever
// automatic matching says, until an editor splits one of them. It fails
// with ErrNotFound, or ErrConflict when a and b are one record.
func (s *Store) LinkPlaces(a, b string) error {
	return s.decide(a, b, func(tx *bolt.Tx, g *grouper, p, q *catalogue.Place) error {
		if p.ID == q.ID {
			return fmt.Errorf("link place %s with itself: %w", p.ID, ErrConflict)
		}
		d := tx.Bucket(bucketPlaceDecisions)
		for _, pair := range [][2]string{{p.APID, q.APID}, {q.APID, p.APID}} {
			if err := d.Delete(decisionKey(decisionSplit, pair[0], pair[1])); err != nil {
				return err
			}
			if err := d.Put(decisionKey(decisionLink, pair[0], pair[1]), decided); err != nil {
				return err
			}
		}
		return g.place(p)
	})
}

// decide runs an editor's decision about the records a and b ("" for
// none) in one transaction, then brings the index up to date.
func (s *Store) decide(a, b string, fn func(tx *bolt.Tx, g *grouper, p, q *catalogue.Place) error) error {
	var t touched
	err := s.update(func(tx *bolt.Tx) error {
		t = touched{}
		g := newGrouper(tx)
		var recs [2]*catalogue.Place
		for i, ref := range []string{a, b} {
			if ref == "" {
				continue
			}
			id, ok := resolve(tx, kindPlace, ref)
			if !ok {
				return fmt.Errorf("place %s: %w", ref, ErrNotFound)
			}
			p, err := g.record(id)
			if err != nil {
				return err
			}
			recs[i] = p
		}
		if err := fn(tx, g, recs[0], recs[1]); err != nil {
			return err
		}
		return g.finish(&t)
	}, func() { s.applyGroups(t.groups) })
	if err != nil {
		return fmt.Errorf("place decision: %w", err)
	}
	return nil
}
