package storage

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/communes"
)

// CreatePlace stores a new local place, which the caller has normalised
// and validated. It sets the place's id, ActivityPub id, network and
// update time.
func (s *Store) CreatePlace(p *catalogue.Place) error {
	return s.CreatePlaces([]*catalogue.Place{p})
}

// UpdatePlace replaces the local place id by p, which the caller has
// normalised and validated. It fails with ErrNotFound, or ErrReadOnly for
// another network's place.
func (s *Store) UpdatePlace(id string, p *catalogue.Place) error {
	var t touched
	err := s.updateLocal(func(tx *bolt.Tx) error {
		old, err := getPlace(tx, id)
		if err != nil {
			return err
		}
		if !old.Network.Local {
			return fmt.Errorf("place %s: %w", id, ErrReadOnly)
		}
		if p.Draft() && !old.Draft() {
			return fmt.Errorf("place %s: a published place cannot become a draft: %w", id, ErrConflict)
		}
		p.ID, p.APID, p.Network = old.ID, old.APID, old.Network
		p.Published = keptPublished(old.Published, old.Updated)
		p.Updated = editedAt(p.Published, s.now())
		p.Sources = nil // read-only: a client may PUT back a merged place it read
		p.FieldSources = nil
		if err := resolveSkills(tx, p); err != nil {
			return err
		}
		communes.France().Settle(p, old)
		if err := putRecord(tx, bucketPlaces, id, p, kindPlace, placeEntries(old), placeEntries(p)); err != nil {
			return err
		}
		t = touched{}
		g := newGrouper(tx)
		if err := g.place(p); err != nil {
			return err
		}
		if err := g.finish(&t); err != nil {
			return err
		}
		return s.publish(tx, Change{Verb: updateVerb(old), Place: p})
	}, func() { s.indexPlace(p); s.applyGroups(t.groups); s.wake() })
	if err != nil {
		return fmt.Errorf("update place: %w", err)
	}
	s.decoratePlace(p)
	return nil
}

// DeletePlace deletes the local place id. It fails with ErrNotFound,
// ErrReadOnly, or ErrConflict while events still take place there.
func (s *Store) DeletePlace(id string) error {
	var t touched
	err := s.updateLocal(func(tx *bolt.Tx) error {
		old, err := getPlace(tx, id)
		if err != nil {
			return err
		}
		if !old.Network.Local {
			return fmt.Errorf("place %s: %w", id, ErrReadOnly)
		}
		if k, _ := tx.Bucket(bucketEventsByPlace).Cursor().Seek([]byte(id + "/")); hasPrefix(k, id+"/") {
			return fmt.Errorf("place %s has events: %w", id, ErrConflict)
		}
		if err := deleteRecord(tx, bucketPlaces, id, placeEntries(old)); err != nil {
			return err
		}
		t = touched{}
		g := newGrouper(tx)
		if err := g.removed(id); err != nil {
			return err
		}
		if err := g.finish(&t); err != nil {
			return err
		}
		if old.Draft() {
			return nil // never published
		}
		return s.publish(tx, Change{Verb: VerbDelete, Place: old})
	}, func() { s.index.RemovePlace(id); s.applyGroups(t.groups); s.wake() })
	if err != nil {
		return fmt.Errorf("delete place: %w", err)
	}
	return nil
}

// Place returns the place whose id or ActivityPub id is ref, or
// ErrNotFound.
func (s *Store) Place(ref string) (*catalogue.Place, error) {
	return s.readPlace(ref, getPlace)
}

// readPlace resolves ref to a place id and reads it with get, in one
// read transaction.
func (s *Store) readPlace(ref string, get func(tx *bolt.Tx, id string) (*catalogue.Place, error)) (*catalogue.Place, error) {
	var p *catalogue.Place
	err := s.db.View(func(tx *bolt.Tx) error {
		id, ok := resolve(tx, kindPlace, ref)
		if !ok {
			return fmt.Errorf("place %s: %w", ref, ErrNotFound)
		}
		var err error
		p, err = get(tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.decoratePlace(p)
	return p, nil
}

// PlacePage is a page of places.
type PlacePage struct {
	Items []*catalogue.Place
	Total int
	Next  string
}

// Places answers a page of places matching q. A place published by
// several networks is one item, its merged place with Sources (see
// MergedPlace), unless q.Records asks for the records. A bad cursor gives
// catalogue.ErrBadCursor.
func (s *Store) Places(q catalogue.PlaceQuery) (PlacePage, error) {
	q.Network = s.localRef(q.Network)
	hits, err := s.index.Places(q)
	if err != nil {
		return PlacePage{}, err
	}
	page := PlacePage{Total: hits.Total, Next: hits.Next, Items: make([]*catalogue.Place, 0, len(hits.IDs))}
	err = s.db.View(func(tx *bolt.Tx) error {
		for i, id := range hits.IDs {
			get := getPlace
			if isGroupID(id) {
				get = mergeGroup
			}
			p, err := get(tx, id)
			if err != nil {
				return err
			}
			if hits.Distances != nil {
				d := hits.Distances[i]
				p.DistanceKm = &d
			}
			page.Items = append(page.Items, p)
		}
		return nil
	})
	if err != nil {
		return PlacePage{}, fmt.Errorf("read places: %w", err)
	}
	for _, p := range page.Items {
		s.decoratePlace(p)
	}
	return page, nil
}

// decoratePlace fills the network of a local place, and of its local
// source, with the instance's current name and actor.
func (s *Store) decoratePlace(p *catalogue.Place) {
	if p.Network.Local {
		p.Network = s.localNetwork()
	}
	for i := range p.Sources {
		if p.Sources[i].Network.Local {
			p.Sources[i].Network = s.localNetwork()
		}
	}
}

func hasPrefix(k []byte, prefix string) bool {
	return len(k) >= len(prefix) && string(k[:len(prefix)]) == prefix
}

// CreatePlaces stores many new local places in one transaction, as
// CreatePlace does for one: all are stored, or none.
func (s *Store) CreatePlaces(ps []*catalogue.Place) error {
	now := publishedAt(s.now())
	for _, p := range ps {
		p.ID = newID()
		p.APID = s.baseURL + "/lieux/" + p.ID
		p.Network = catalogue.Network{Local: true}
		p.Published, p.Updated = now, now
		p.Sources = nil
		p.FieldSources = nil
		communes.France().Settle(p, nil)
	}
	var t touched
	err := s.updateLocal(func(tx *bolt.Tx) error {
		t = touched{}
		if err := resolveSkills(tx, ps...); err != nil {
			return err
		}
		g := newGrouper(tx)
		for _, p := range ps {
			if err := putRecord(tx, bucketPlaces, p.ID, p, kindPlace, nil, placeEntries(p)); err != nil {
				return err
			}
			if err := g.place(p); err != nil {
				return err
			}
			if err := s.publish(tx, Change{Verb: VerbCreate, Place: p}); err != nil {
				return err
			}
		}
		return g.finish(&t)
	}, func() {
		for _, p := range ps {
			s.indexPlace(p)
		}
		s.applyGroups(t.groups)
		s.wake()
	})
	if err != nil {
		return fmt.Errorf("create places: %w", err)
	}
	for _, p := range ps {
		s.decoratePlace(p)
	}
	return nil
}

// updateVerb is the verb that publishes a new version of the local place
// old: Create for a draft, which the followers have never seen.
func updateVerb(old *catalogue.Place) string {
	if old.Draft() {
		return VerbCreate
	}
	return VerbUpdate
}

// indexPlace puts p in the search index, or takes it out when it is a
// draft.
func (s *Store) indexPlace(p *catalogue.Place) {
	if p.Draft() {
		s.index.RemovePlace(p.ID)
		return
	}
	s.index.PutPlace(p)
}

// Drafts returns the local places that are drafts (catalogue.Place.Draft),
// by name, each with the fields it lacks in ACompleter: no list or search
// gives them.
func (s *Store) Drafts() ([]*catalogue.Place, error) {
	var out []*catalogue.Place
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPlaces).ForEach(func(k, v []byte) error {
			if !bytes.Contains(v, []byte(`"a_completer"`)) {
				return nil
			}
			var p catalogue.Place
			if err := decodePlace(v, &p); err != nil {
				return fmt.Errorf("decode place %s: %w", k, err)
			}
			if p.Draft() && p.Network.Local {
				out = append(out, &p)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read drafts: %w", err)
	}
	for _, p := range out {
		s.decoratePlace(p)
	}
	slices.SortFunc(out, func(a, b *catalogue.Place) int {
		if c := strings.Compare(catalogue.Fold(a.Nom), catalogue.Fold(b.Nom)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}
