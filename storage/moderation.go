package storage

import (
	"encoding/binary"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// Moderation: blocked domains and hidden remote records. Their buckets
// are created by the first block or hide.
var (
	bucketBlocks = []byte("blocks") // domain (host[:port], lower case) → Unix time
	bucketHidden = []byte("hidden") // ActivityPub id of a hidden remote record → Unix time
)

// Domain is the host (with its port, lower case) of an IRI or a domain
// typed by an editor, or "".
func Domain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil {
			return ""
		}
		return u.Host
	}
	if at := strings.LastIndex(s, "@"); at >= 0 { // handle@host
		s = s[at+1:]
	}
	return strings.TrimSuffix(s, "/")
}

// Block refuses everything from domain from now on: its records (and those
// that came through it as a relay) leave the catalogue and its followers
// are removed, in one transaction. The networks followed there stay
// followed, so that Unblock can fetch their records again.
func (s *Store) Block(domain string) (places, events int, err error) {
	domain = Domain(domain)
	if domain == "" || domain == Domain(s.baseURL) {
		return 0, 0, fmt.Errorf("block %q: %w", domain, ErrForbidden)
	}
	from := func(n catalogue.Network) bool {
		return Domain(n.Actor) == domain || n.Via != "" && Domain(n.Via) == domain
	}
	err = s.batch(func(tx *bolt.Tx, t *touched) error {
		b, err := tx.CreateBucketIfNotExists(bucketBlocks)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(domain), unixValue(s.now())); err != nil {
			return err
		}
		if places, events, err = deleteRemoteWhere(tx, t, from); err != nil {
			return err
		}
		fb := tx.Bucket(bucketFollowers)
		var followers [][]byte
		fb.ForEach(func(k, _ []byte) error {
			if Domain(string(k)) == domain {
				followers = append(followers, append([]byte(nil), k...))
			}
			return nil
		})
		for _, k := range followers {
			if err := fb.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("block %s: %w", domain, err)
	}
	return places, events, nil
}

// deleteRemoteWhere deletes in tx the remote places and events whose
// network matches, with every event at such a place, and notes them in t.
func deleteRemoteWhere(tx *bolt.Tx, t *touched, match func(catalogue.Network) bool) (places, events int, err error) {
	var evs []*catalogue.Event
	err = tx.Bucket(bucketEvents).ForEach(func(k, _ []byte) error {
		e, err := getEvent(tx, string(k))
		if err == nil && !e.Network.Local && match(e.Network) {
			evs = append(evs, e)
		}
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	var ps []*catalogue.Place
	err = tx.Bucket(bucketPlaces).ForEach(func(k, _ []byte) error {
		p, err := getPlace(tx, string(k))
		if err == nil && !p.Network.Local && match(p.Network) {
			ps = append(ps, p)
		}
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	for _, p := range ps {
		at, err := eventsAt(tx, p.ID) // events of any network at such a place go too
		if err != nil {
			return 0, 0, err
		}
		evs = append(evs, at...)
	}
	gone := map[string]bool{}
	for _, e := range evs {
		if gone[e.ID] {
			continue
		}
		gone[e.ID] = true
		if err := deleteRecord(tx, bucketEvents, e.ID, eventEntries(e)); err != nil {
			return 0, 0, err
		}
		t.events = append(t.events, e.ID)
	}
	g := newGrouper(tx)
	for _, p := range ps {
		if err := deleteRecord(tx, bucketPlaces, p.ID, placeEntries(p)); err != nil {
			return 0, 0, err
		}
		if err := g.removed(p.ID); err != nil {
			return 0, 0, err
		}
		t.places = append(t.places, p.ID)
	}
	return len(ps), len(gone), g.finish(t)
}

// Unblock lifts a block; the caller fetches the domain's records again.
func (s *Store) Unblock(domain string) error {
	domain = Domain(domain)
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBlocks)
		if b == nil || b.Get([]byte(domain)) == nil {
			return fmt.Errorf("block %s: %w", domain, ErrNotFound)
		}
		return b.Delete([]byte(domain))
	}, nil)
}

// Blocked says whether the domain of an IRI (or a domain) is blocked.
func (s *Store) Blocked(iri string) bool {
	d := Domain(iri)
	blocked := false
	s.db.View(func(tx *bolt.Tx) error {
		blocked = isBlocked(tx, d)
		return nil
	})
	return blocked
}

func isBlocked(tx *bolt.Tx, domain string) bool {
	b := tx.Bucket(bucketBlocks)
	return b != nil && domain != "" && b.Get([]byte(domain)) != nil
}

// Blocks lists the blocked domains, sorted.
func (s *Store) Blocks() ([]string, error) {
	return listKeys(s.db, bucketBlocks)
}

// Hide removes a remote record from this instance and keeps it out: later
// activities and backfills about it are ignored until Unhide. Hiding a
// place hides its events too. It fails with ErrForbidden for a local
// record (delete it instead), ErrNotFound for an unknown one.
func (s *Store) Hide(ref string) (apID string, err error) {
	err = s.batch(func(tx *bolt.Tx, t *touched) error {
		var (
			net    catalogue.Network
			places []*catalogue.Place
			events []*catalogue.Event
		)
		if id, ok := resolve(tx, kindEvent, ref); ok {
			e, err := getEvent(tx, id)
			if err != nil {
				return err
			}
			net, apID, events = e.Network, e.APID, []*catalogue.Event{e}
		} else if id, ok := resolve(tx, kindPlace, ref); ok {
			p, err := getPlace(tx, id)
			if err != nil {
				return err
			}
			at, err := eventsAt(tx, id)
			if err != nil {
				return err
			}
			net, apID, places, events = p.Network, p.APID, []*catalogue.Place{p}, at
		} else {
			return fmt.Errorf("record %s: %w", ref, ErrNotFound)
		}
		if net.Local {
			return fmt.Errorf("record %s is local: %w", ref, ErrForbidden)
		}
		b, err := tx.CreateBucketIfNotExists(bucketHidden)
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := deleteRecord(tx, bucketEvents, e.ID, eventEntries(e)); err != nil {
				return err
			}
			t.events = append(t.events, e.ID)
		}
		g := newGrouper(tx)
		for _, p := range places {
			if err := deleteRecord(tx, bucketPlaces, p.ID, placeEntries(p)); err != nil {
				return err
			}
			if err := g.removed(p.ID); err != nil {
				return err
			}
			t.places = append(t.places, p.ID)
		}
		if err := g.finish(t); err != nil {
			return err
		}
		return b.Put([]byte(apID), unixValue(s.now()))
	})
	return apID, err
}

// Unhide forgets that apID is hidden; the caller fetches it again.
func (s *Store) Unhide(apID string) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketHidden)
		if b == nil || b.Get([]byte(apID)) == nil {
			return fmt.Errorf("hidden record %s: %w", apID, ErrNotFound)
		}
		return b.Delete([]byte(apID))
	}, nil)
}

// Hidden lists the ActivityPub ids of the hidden records, sorted.
func (s *Store) Hidden() ([]string, error) {
	return listKeys(s.db, bucketHidden)
}

func isHidden(tx *bolt.Tx, apID string) bool {
	b := tx.Bucket(bucketHidden)
	return b != nil && b.Get([]byte(apID)) != nil
}

// kept says whether a remote record may be stored: neither hidden nor
// from (or through) a blocked domain.
func kept(tx *bolt.Tx, apID string, n catalogue.Network) bool {
	return !isHidden(tx, apID) && !isBlocked(tx, Domain(n.Actor)) && (n.Via == "" || !isBlocked(tx, Domain(n.Via)))
}

func listKeys(db *bolt.DB, bucket []byte) ([]string, error) {
	out := []string{}
	err := db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	sort.Strings(out)
	return out, err
}

func unixValue(t time.Time) []byte { return binary.BigEndian.AppendUint64(nil, uint64(t.Unix())) }
