package storage

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// Reading a place published by several networks as one: its merged
// place, for the lists, the search index and the place page (see groups.go).

// mergeGroup reads the records of the group gid and merges them. The
// merged place takes the id, ap_id and network of its representative: its
// local record when it has one (the one this instance's editors can
// change), else its most recently updated one; its fields are its
// representative's, completed by the most recently updated records, except
// that another network never changes a local record's name, contact, web
// site and hours (catalogue.MergePlaces).
func mergeGroup(tx *bolt.Tx, gid string) (*catalogue.Place, error) {
	m, _, err := mergeRecords(tx, gid, nil)
	return m, err
}

// mergeRecords is mergeGroup, also answering the records, which it reads
// with get when not nil.
func mergeRecords(tx *bolt.Tx, gid string, get func(id string) (*catalogue.Place, error)) (*catalogue.Place, []*catalogue.Place, error) {
	v := tx.Bucket(bucketPlaceGroups).Get(groupKey(gid))
	if v == nil {
		return nil, nil, fmt.Errorf("group %s: %w", gid, ErrNotFound)
	}
	if get == nil {
		get = func(id string) (*catalogue.Place, error) { return getPlace(tx, id) }
	}
	var recs []*catalogue.Place
	for _, id := range strings.Split(string(v), "\n") {
		p, err := get(id)
		if err != nil {
			return nil, nil, fmt.Errorf("group %s: %w", gid, err)
		}
		recs = append(recs, p)
	}
	m, sources := catalogue.MergePlaces(recs)
	rep := sources[0]
	for _, s := range sources {
		if s.Network.Local {
			rep = s
			break
		}
	}
	for _, r := range recs {
		if r.ID == rep.ID {
			m.ID, m.APID, m.Network = r.ID, r.APID, r.Network
		}
	}
	m.Sources = sources
	return m, recs, nil
}

// groupEntries calls fn with the index entry of every group, in id order,
// for rebuildEntries and Check.
func groupEntries(tx *bolt.Tx, fn func(gid string, entry []byte) error) error {
	b := tx.Bucket(bucketPlaceGroups)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, _ := c.Seek([]byte{'g'}); len(k) > 0 && k[0] == 'g'; k, _ = c.Next() {
		m, recs, err := mergeRecords(tx, string(k[1:]), nil)
		if err != nil {
			return err
		}
		if err := fn(string(k[1:]), catalogue.AppendGroupEntry(nil, m, recs)); err != nil {
			return err
		}
	}
	return nil
}

// mergedOrRecord reads the place id as shown: its group's merged place
// when it has one, else the record; a group id gives its merged place.
func mergedOrRecord(tx *bolt.Tx, id string) (*catalogue.Place, error) {
	gid := id
	if !isGroupID(id) {
		gid = string(tx.Bucket(bucketPlaceGroups).Get(memberKey(id)))
		if gid == "" {
			return getPlace(tx, id)
		}
	}
	return mergeGroup(tx, gid)
}

// MergedPlace returns the place whose id or ActivityPub id is ref as the
// public sees it: when several networks publish it, the merged place of
// all their records, with Sources; else the record, as Place does. It
// fails with ErrNotFound, also for a draft, which the public does not see
// (Place gives it to its editors).
func (s *Store) MergedPlace(ref string) (*catalogue.Place, error) {
	p, err := s.readPlace(ref, mergedOrRecord)
	if err == nil && p.Draft() {
		return nil, fmt.Errorf("place %s is a draft: %w", ref, ErrNotFound)
	}
	return p, err
}

// applyGroups is indexGroups in a read transaction of its own.
func (s *Store) applyGroups(gids []string) {
	if len(gids) > 0 {
		s.db.View(func(tx *bolt.Tx) error { s.indexGroups(tx, gids); return nil })
	}
}

// indexGroups applies the committed index entries of the groups gids to
// the search index, reading them in tx, a read transaction begun after the
// commit. It runs under writeMu.
func (s *Store) indexGroups(tx *bolt.Tx, gids []string) {
	journal := tx.Bucket(bucketIndexJournal)
	for _, gid := range gids {
		ie := journal.Get(journalKey(kindGroup, gid))
		if len(ie) == 0 {
			s.index.RemoveGroup(gid)
			continue
		}
		if err := s.index.PutGroupEntry(gid, ie); err != nil {
			panic(fmt.Sprintf("storage: index entry of group %s: %v", gid, err)) // written by this package
		}
	}
}

// checkGroups verifies the groups for Check: members that exist, both
// directions of place_groups agreeing, and the search index holding the
// same groups.
func (s *Store) checkGroups(tx *bolt.Tx) []error {
	var problems []error
	b := tx.Bucket(bucketPlaceGroups)
	stored := map[string][]string{}
	err := b.ForEach(func(k, v []byte) error {
		switch k[0] {
		case 'm':
			members := strings.Split(string(b.Get(groupKey(string(v)))), "\n")
			if !slices.Contains(members, string(k[1:])) {
				problems = append(problems, fmt.Errorf("place %s: in group %s, which does not list it", k[1:], v))
			}
		case 'g':
			members := strings.Split(string(v), "\n")
			if len(members) < 2 {
				problems = append(problems, fmt.Errorf("group %s: %d member", k[1:], len(members)))
			}
			for _, m := range members {
				if tx.Bucket(bucketPlaces).Get([]byte(m)) == nil {
					problems = append(problems, fmt.Errorf("group %s: place %s missing", k[1:], m))
				}
				if !bytes.Equal(b.Get(memberKey(m)), k[1:]) {
					problems = append(problems, fmt.Errorf("group %s: place %s is not in it", k[1:], m))
				}
			}
			stored[string(k[1:])] = members
		}
		return nil
	})
	if err != nil {
		return []error{err}
	}
	indexed := s.index.Groups()
	for gid, members := range stored {
		if im, ok := indexed[gid]; !ok {
			problems = append(problems, fmt.Errorf("group %s missing from the search index", gid))
		} else if !slices.Equal(slices.Sorted(slices.Values(im)), members) {
			problems = append(problems, fmt.Errorf("group %s: search index holds members %v, database %v", gid, im, members))
		}
	}
	for gid := range indexed {
		if _, ok := stored[gid]; !ok {
			problems = append(problems, fmt.Errorf("group %s in the search index only", gid))
		}
	}
	return problems
}
