package storage

import (
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// CreateEvent stores a new local event, which the caller has normalised
// and validated. Its Lieu (a place id or ActivityPub id) must be in the
// catalogue and not a draft, else a *catalogue.ValidationError names the
// field. It sets
// the event's id, ActivityPub id, network and update time, and replaces
// Lieu by the place's id.
func (s *Store) CreateEvent(e *catalogue.Event) error {
	return s.CreateEvents([]*catalogue.Event{e})
}

// UpdateEvent replaces the local event id by e, as CreateEvent does. It
// fails with ErrNotFound, or ErrReadOnly for another network's event.
func (s *Store) UpdateEvent(id string, e *catalogue.Event) error {
	err := s.updateLocal(func(tx *bolt.Tx) error {
		old, err := getEvent(tx, id)
		if err != nil {
			return err
		}
		if !old.Network.Local {
			return fmt.Errorf("event %s: %w", id, ErrReadOnly)
		}
		if err := locateStop(e, true); err != nil {
			return err
		}
		if err := resolveLocalPlace(tx, e); err != nil {
			return err
		}
		e.ID, e.APID, e.Network = old.ID, old.APID, old.Network
		e.Published = keptPublished(old.Published, old.Updated)
		e.Updated = editedAt(e.Published, s.now())
		if err := putRecord(tx, bucketEvents, id, e, kindEvent, eventEntries(old), eventEntries(e)); err != nil {
			return err
		}
		return s.publishEvent(tx, VerbUpdate, e)
	}, func() { s.index.PutEvent(e); s.wake() })
	if err != nil {
		return fmt.Errorf("update event: %w", err)
	}
	s.decorateEvent(e)
	return nil
}

// DeleteEvent deletes the local event id. It fails with ErrNotFound or
// ErrReadOnly.
func (s *Store) DeleteEvent(id string) error {
	err := s.updateLocal(func(tx *bolt.Tx) error {
		old, err := getEvent(tx, id)
		if err != nil {
			return err
		}
		if !old.Network.Local {
			return fmt.Errorf("event %s: %w", id, ErrReadOnly)
		}
		if err := deleteRecord(tx, bucketEvents, id, eventEntries(old)); err != nil {
			return err
		}
		return s.publishEvent(tx, VerbDelete, old)
	}, func() { s.index.RemoveEvent(id); s.wake() })
	if err != nil {
		return fmt.Errorf("delete event: %w", err)
	}
	return nil
}

// resolvePlace replaces e.Lieu, a place id or ActivityPub id, by the id.
// A remote event at a stop may have no Lieu (catalogue.Event.Lieu).
func resolvePlace(tx *bolt.Tx, e *catalogue.Event) error {
	if e.Lieu == "" && e.Etape != nil && !e.Network.Local {
		return nil
	}
	id, ok := resolve(tx, kindPlace, e.Lieu)
	if !ok {
		return &catalogue.ValidationError{Fields: map[string]string{"lieu": "lieu inconnu dans le catalogue « " + e.Lieu + " »"}}
	}
	e.Lieu = id
	return nil
}

// resolveLocalPlace is resolvePlace for a local event, which may not take
// place at a draft: a draft is neither listed, published, federated nor
// exported, and an event there would be all four before its place. The
// editor completes the place first; a *catalogue.ValidationError on lieu
// says so.
func resolveLocalPlace(tx *bolt.Tx, e *catalogue.Event) error {
	if err := resolvePlace(tx, e); err != nil {
		return err
	}
	p, err := getPlace(tx, e.Lieu)
	if err != nil {
		return err
	}
	if p.Draft() {
		return &catalogue.ValidationError{Fields: map[string]string{"lieu": fmt.Sprintf(
			"le lieu « %s » est un brouillon « à compléter » (manque : %s) : complétez-le avant d'y annoncer un événement",
			p.Nom, strings.Join(p.ACompleter, ", "))}}
	}
	return nil
}

// Event returns the event whose id or ActivityPub id is ref, or
// ErrNotFound.
func (s *Store) Event(ref string) (*catalogue.Event, error) {
	var e *catalogue.Event
	err := s.db.View(func(tx *bolt.Tx) error {
		id, ok := resolve(tx, kindEvent, ref)
		if !ok {
			return fmt.Errorf("event %s: %w", ref, ErrNotFound)
		}
		var err error
		e, err = getEvent(tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.decorateEvent(e)
	return e, nil
}

// EventPage is a page of event occurrences: a recurring event appears once
// per occurrence, with that occurrence's Debut and Fin.
type EventPage struct {
	Items []*catalogue.Event
	// Hits are the index's hits of the items, in the same order: the
	// distance of each with Near, whether it is for the publics asked for.
	Hits  []catalogue.EventHit
	Total int
	Next  string
}

// Events answers a page of event occurrences matching q. q.Place may be a
// place id or ActivityPub id; an unknown place matches nothing; the events
// at every record of a place published by several networks match.
func (s *Store) Events(q catalogue.EventQuery) (EventPage, error) {
	if q.Place != "" {
		err := s.db.View(func(tx *bolt.Tx) error {
			id, ok := resolve(tx, kindPlace, q.Place)
			if !ok {
				return ErrNotFound
			}
			q.Place = id
			if gid := tx.Bucket(bucketPlaceGroups).Get(memberKey(id)); gid != nil {
				q.PlaceRecords = strings.Split(string(tx.Bucket(bucketPlaceGroups).Get(groupKey(string(gid)))), "\n")
			}
			return nil
		})
		if err != nil {
			return EventPage{Items: []*catalogue.Event{}}, nil
		}
	}
	q.Network = s.localRef(q.Network)
	hits, err := s.index.Events(q)
	if err != nil {
		return EventPage{}, err
	}
	items, err := s.occurrences(hits.Hits)
	if err != nil {
		return EventPage{}, fmt.Errorf("read events: %w", err)
	}
	return EventPage{Total: hits.Total, Next: hits.Next, Items: items[0], Hits: hits.Hits}, nil
}

// occurrences reads the events of each list of hits, in one transaction,
// each with the Debut and Fin of its hit's occurrence, decorated.
func (s *Store) occurrences(lists ...[]catalogue.EventHit) ([][]*catalogue.Event, error) {
	out := make([][]*catalogue.Event, len(lists))
	err := s.db.View(func(tx *bolt.Tx) error {
		for i, hits := range lists {
			out[i] = make([]*catalogue.Event, 0, len(hits))
			for _, h := range hits {
				e, err := getEvent(tx, h.ID)
				if err != nil {
					return err
				}
				e.Debut, e.Fin = h.Debut, h.Fin
				out[i] = append(out[i], e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, list := range out {
		for _, e := range list {
			s.decorateEvent(e)
		}
	}
	return out, nil
}

func (s *Store) decorateEvent(e *catalogue.Event) {
	if e.Network.Local {
		e.Network = s.localNetwork()
	}
}

// CreateEvents stores many new local events in one transaction, as
// CreateEvent does for one: all are stored, or none.
func (s *Store) CreateEvents(es []*catalogue.Event) error {
	now := publishedAt(s.now())
	for _, e := range es {
		e.ID = newID()
		e.APID = s.baseURL + "/evenements/" + e.ID
		e.Network = catalogue.Network{Local: true}
		e.Published, e.Updated = now, now
	}
	err := s.updateLocal(func(tx *bolt.Tx) error {
		for _, e := range es {
			if err := locateStop(e, true); err != nil {
				return err
			}
			if err := resolveLocalPlace(tx, e); err != nil {
				return err
			}
			if err := putRecord(tx, bucketEvents, e.ID, e, kindEvent, nil, eventEntries(e)); err != nil {
				return err
			}
			if err := s.publishEvent(tx, VerbCreate, e); err != nil {
				return err
			}
		}
		return nil
	}, func() {
		for _, e := range es {
			s.index.PutEvent(e)
		}
		s.wake()
	})
	if err != nil {
		return fmt.Errorf("create events: %w", err)
	}
	for _, e := range es {
		s.decorateEvent(e)
	}
	return nil
}

// publishEvent publishes a change of a local event with its place.
func (s *Store) publishEvent(tx *bolt.Tx, verb string, e *catalogue.Event) error {
	if s.publisher.Load() == nil {
		return nil
	}
	p, err := getPlace(tx, e.Lieu)
	if err != nil {
		return err
	}
	return s.publish(tx, Change{Verb: verb, Place: p, Event: e})
}

// CurrentEvents lists, in id order after the cursor after, up to n events
// (local ones only when localOnly) that still have an occurrence ending
// after from: the series themselves, not their occurrences, as a new
// follower needs them. next is the cursor of the following page, empty at
// the end.
func (s *Store) CurrentEvents(from time.Time, localOnly bool, after string, n int) (events []*catalogue.Event, next string, err error) {
	// The index knows which events are current: only the page's records
	// are read, not every event (which would map the whole bucket into
	// the process's memory).
	ids, more, _ := s.index.CurrentEvents(from, localOnly, after, n)
	err = s.db.View(func(tx *bolt.Tx) error {
		for _, id := range ids {
			e, err := getEvent(tx, id)
			if errors.Is(err, ErrNotFound) {
				continue // deleted since
			}
			if err != nil {
				return err
			}
			events = append(events, e)
		}
		return nil
	})
	if more && len(ids) > 0 {
		next = ids[len(ids)-1]
	}
	for _, e := range events {
		s.decorateEvent(e)
	}
	return events, next, err
}

// NextEvents answers, for each group of place ids (a merged place's id
// and its records' ids), up to n events held there with an occurrence
// overlapping [from, to): each event once, with the Debut and Fin of its
// first such occurrence, soonest first. It reads only those events.
func (s *Store) NextEvents(groups [][]string, from, to time.Time, n int) ([][]*catalogue.Event, error) {
	out, err := s.occurrences(s.index.NextAt(groups, from, to, n)...)
	if err != nil {
		return nil, fmt.Errorf("read next events: %w", err)
	}
	return out, nil
}

// CountCurrentEvents is the number of events CurrentEvents lists, all
// pages together, from the index.
func (s *Store) CountCurrentEvents(from time.Time, localOnly bool) int {
	_, _, total := s.index.CurrentEvents(from, localOnly, "", 0)
	return total
}
