package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// Kinds of record, as stored in the objects bucket before the record id.
const (
	kindPlace = 'p'
	kindEvent = 'e'
	kindGroup = 'g' // a group of places (groups.go), in the index entries only
)

// entry is one index key of a record. Its value is nil, but in the
// objects bucket: objectValue.
type entry struct {
	bucket []byte
	key    []byte
	value  []byte
}

func placeEntries(p *catalogue.Place) []entry {
	var es []entry
	if p.Draft() {
		// A draft is found by its id and ActivityPub id only: no list,
		// search or match sees it.
		if p.APID != "" {
			es = append(es, entry{bucketObjects, []byte(p.APID), objectValue(kindPlace, p.ID)})
		}
		return es
	}
	for _, s := range p.Services {
		es = append(es, entry{bucketPlacesByService, joinKey(s, p.ID), nil})
	}
	if d := p.Departement(); d != "" {
		es = append(es, entry{bucketPlacesByDept, joinKey(d, p.CodeINSEE, p.ID), nil})
	}
	if p.APID != "" {
		es = append(es, entry{bucketObjects, []byte(p.APID), objectValue(kindPlace, p.ID)})
	}
	return append(es, matchEntries(p)...)
}

func eventEntries(e *catalogue.Event) []entry {
	es := []entry{{bucketEventsByStart, eventStartKey(e.Debut, e.ID), nil}}
	if e.Lieu != "" { // a remote event at a stop may have none
		es = append(es, entry{bucketEventsByPlace, joinKey(e.Lieu, e.ID), nil})
	}
	if e.APID != "" {
		es = append(es, entry{bucketObjects, []byte(e.APID), objectValue(kindEvent, e.ID)})
	}
	return es
}

// eventStartKey orders events by start time, then id.
func eventStartKey(start time.Time, id string) []byte {
	return append([]byte(start.UTC().Format("20060102T150405Z")+"/"), id...)
}

func joinKey(parts ...string) []byte {
	var b []byte
	for i, p := range parts {
		if i > 0 {
			b = append(b, '/')
		}
		b = append(b, p...)
	}
	return b
}

// objectValue is what the objects bucket holds for a record.
func objectValue(kind byte, id string) []byte {
	return append([]byte{kind}, id...)
}

// putRecord writes a record under id in bucket, replacing the index
// entries of old (nil for a new record) by those of the new one.
func putRecord(tx *bolt.Tx, bucket []byte, id string, record any, kind byte, oldEntries, newEntries []entry) error {
	for _, e := range oldEntries {
		if err := tx.Bucket(e.bucket).Delete(e.key); err != nil {
			return err
		}
	}
	for _, e := range newEntries {
		var v []byte
		if bytes.Equal(e.bucket, bucketObjects) {
			v = objectValue(kind, id)
		}
		if err := tx.Bucket(e.bucket).Put(e.key, v); err != nil {
			return err
		}
	}
	data, err := json.Marshal(record)
	if err != nil {
		return fmt.Errorf("encode %s: %w", id, err)
	}
	if err := tx.Bucket(bucket).Put([]byte(id), data); err != nil {
		return err
	}
	var ie []byte
	switch r := record.(type) {
	case *catalogue.Place:
		ie = placeIndexEntry(r)
	case *catalogue.Event:
		ie = catalogue.AppendEventEntry(nil, r)
	default:
		return fmt.Errorf("encode %s: no index entry for a %T", id, record)
	}
	return tx.Bucket(bucketIndexJournal).Put(journalKey(kind, id), ie)
}

// deleteRecord removes a record and its index entries.
func deleteRecord(tx *bolt.Tx, bucket []byte, id string, entries []entry) error {
	for _, e := range entries {
		if err := tx.Bucket(e.bucket).Delete(e.key); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucket).Delete([]byte(id)); err != nil {
		return err
	}
	kind := byte(kindEvent)
	if bytes.Equal(bucket, bucketPlaces) {
		kind = kindPlace
	}
	return tx.Bucket(bucketIndexJournal).Put(journalKey(kind, id), []byte{})
}

// placeIndexEntry is the search index entry of a place; empty, as for a
// deleted place, for a draft, which no search finds.
func placeIndexEntry(p *catalogue.Place) []byte {
	if p.Draft() {
		return []byte{}
	}
	return catalogue.AppendPlaceEntry(nil, p)
}

func getPlace(tx *bolt.Tx, id string) (*catalogue.Place, error) {
	data := tx.Bucket(bucketPlaces).Get([]byte(id))
	if data == nil {
		return nil, fmt.Errorf("place %s: %w", id, ErrNotFound)
	}
	var p catalogue.Place
	if err := decodePlace(data, &p); err != nil {
		return nil, fmt.Errorf("decode place %s: %w", id, err)
	}
	return &p, nil
}

func getEvent(tx *bolt.Tx, id string) (*catalogue.Event, error) {
	data := tx.Bucket(bucketEvents).Get([]byte(id))
	if data == nil {
		return nil, fmt.Errorf("event %s: %w", id, ErrNotFound)
	}
	var e catalogue.Event
	if err := decodeEvent(data, &e); err != nil {
		return nil, fmt.Errorf("decode event %s: %w", id, err)
	}
	return &e, nil
}

// resolve finds the id of a record of the given kind from its id or its
// ActivityPub id.
func resolve(tx *bolt.Tx, kind byte, ref string) (string, bool) {
	bucket := bucketPlaces
	if kind == kindEvent {
		bucket = bucketEvents
	}
	if tx.Bucket(bucket).Get([]byte(ref)) != nil {
		return ref, true
	}
	v := tx.Bucket(bucketObjects).Get([]byte(ref))
	if len(v) > 1 && v[0] == kind {
		return string(v[1:]), true
	}
	return "", false
}
