package storage

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketReports holds the error reports on places ("signaler une
// erreur"), created with the first one.
var bucketReports = []byte("reports") // time-ordered key → JSON Report

// Report is an error reported on a place, by a visitor of a page of this
// instance or, for one of our places, by another instance (a Flag).
type Report struct {
	ID      string    `json:"id"`
	Place   string    `json:"place"`    // the place's id here, when known
	PlaceAP string    `json:"place_ap"` // its ActivityPub id
	Message string    `json:"message"`
	Contact string    `json:"contact,omitempty"` // an email address, kept here only
	Created time.Time `json:"created"`
	// From is the instance actor that sent the report (a Flag); empty for
	// a report typed on this instance.
	From string `json:"from,omitempty"`
	// Forwarded is the network the report was sent to with a Flag, for a
	// place of another network.
	Forwarded string `json:"forwarded,omitempty"`
	// Handled is when an editor marked the report as dealt with, and
	// HandledBy who; zero while it waits.
	Handled   time.Time `json:"handled,omitzero"`
	HandledBy string    `json:"handled_by,omitempty"`
}

// AddReport stores a report; it sets its id.
func (s *Store) AddReport(r *Report) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketReports)
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		r.ID = fmt.Sprintf("%016x", seq)
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		return b.Put([]byte(r.ID), data)
	}, nil)
}

// Reports lists the reports, newest first.
func (s *Store) Reports() ([]Report, error) {
	out := []Report{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReports)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var r Report
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode report %s: %w", k, err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// SetReportHandled marks the report id as dealt with by the editor by,
// now, or (handled false) as waiting again. It fails with ErrNotFound.
func (s *Store) SetReportHandled(id, by string, handled bool) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReports)
		var data []byte
		if b != nil {
			data = b.Get([]byte(id))
		}
		if data == nil {
			return fmt.Errorf("report %s: %w", id, ErrNotFound)
		}
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("decode report %s: %w", id, err)
		}
		r.Handled, r.HandledBy = time.Time{}, ""
		if handled {
			r.Handled, r.HandledBy = s.now().UTC(), by
		}
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		return b.Put([]byte(id), data)
	}, nil)
}
