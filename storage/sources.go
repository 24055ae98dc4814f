package storage

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Buckets of scheduled sources. They are created by the first write, so
// that the schema version need not change.
//
// TODO(schema): declare them in schema.go with the other buckets.
var (
	bucketSources    = []byte("sources")     // source id → JSON Source
	bucketSourceRuns = []byte("source_runs") // source id "/" start time (RFC 3339, UTC, fixed width) → JSON SourceRun
	bucketAlerts     = []byte("alerts")      // time (fixed width, UTC) "/" random id → JSON Alert
)

// DefaultMaxVanished is the share of a source's records that may vanish
// from it at once and be deleted; from that share on, nothing is deleted
// and the editors are alerted.
const DefaultMaxVanished = 0.20

// Source is a file a network publishes at a URL and that the instance
// imports on schedule (package sources fetches it).
type Source struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	// Name is what the editors call the source; "" shows the URL.
	Name string `json:"name,omitempty"`
	// Mapping maps a field of the standard to a column (or key) of the
	// file; nil lets the reader recognise the columns.
	Mapping map[string]string `json:"mapping,omitempty"`
	// Every is the period between two fetches.
	Every time.Duration `json:"every"`
	// MaxVanished is the share of records that may vanish at once and be
	// deleted (DefaultMaxVanished when zero).
	MaxVanished float64   `json:"max_vanished,omitempty"`
	Created     time.Time `json:"created"`

	// State of the last fetch.
	NextRun      time.Time `json:"next_run"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Digest       string    `json:"digest,omitempty"` // SHA-256 of the last file imported
	// Records maps each record of the last file imported to its local
	// place: its id in the file, or "#" + the place id for a record
	// without an id.
	Records map[string]string `json:"records,omitempty"`
}

// SourceRun is one fetch of a source, kept with its counts.
type SourceRun struct {
	Source   string    `json:"source"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// Status is "imported", "unchanged" (304, or the same file), "alert"
	// (too many records vanished: nothing deleted) or "error".
	Status     string   `json:"status"`
	HTTPStatus int      `json:"http_status,omitempty"`
	Created    int      `json:"created"`
	Updated    int      `json:"updated"`
	Unchanged  int      `json:"unchanged"`
	Rejected   int      `json:"rejected"`
	Vanished   int      `json:"vanished"`
	Deleted    int      `json:"deleted"`
	Warnings   []string `json:"warnings,omitempty"`
	Error      string   `json:"error,omitempty"`
}

// Alert is a message for the editors, stored until read.
type Alert struct {
	ID      string    `json:"id"`
	Time    time.Time `json:"time"`
	Source  string    `json:"source,omitempty"`
	Message string    `json:"message"`
}

// timeKey writes t so that keys sort by time.
func timeKey(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000000Z")
}

// AddSource stores a new source, with a new id, its creation time and
// its first run due now. The caller has checked its URL.
func (s *Store) AddSource(src Source) (Source, error) {
	src.ID = newID()
	src.Created = s.now().UTC()
	src.NextRun = src.Created
	if err := s.SaveSource(src); err != nil {
		return Source{}, err
	}
	return src, nil
}

// SaveSource stores src, replacing the source of the same id.
func (s *Store) SaveSource(src Source) error {
	data, err := json.Marshal(src)
	if err != nil {
		return err
	}
	err = s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSources)
		if err != nil {
			return err
		}
		return b.Put([]byte(src.ID), data)
	}, nil)
	if err != nil {
		return fmt.Errorf("save source %s: %w", src.ID, err)
	}
	return nil
}

// UpdateSource applies edit to the stored source id, in one transaction,
// so that two writers (a run and an editor) do not undo each other's
// changes. It fails with ErrNotFound when the source was removed.
func (s *Store) UpdateSource(id string, edit func(*Source)) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSources)
		if err != nil {
			return err
		}
		v := b.Get([]byte(id))
		if v == nil {
			return ErrNotFound
		}
		var src Source
		if err := json.Unmarshal(v, &src); err != nil {
			return err
		}
		edit(&src)
		src.ID = id
		data, err := json.Marshal(src)
		if err != nil {
			return err
		}
		return b.Put([]byte(id), data)
	}, nil)
	if err != nil {
		return fmt.Errorf("update source %s: %w", id, err)
	}
	return nil
}

// Sources lists the sources, oldest first.
func (s *Store) Sources() ([]Source, error) {
	var out []Source
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSources)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var src Source
			if err := json.Unmarshal(v, &src); err != nil {
				return err
			}
			out = append(out, src)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, nil
}

// Source returns the source id, or ErrNotFound.
func (s *Store) Source(id string) (Source, error) {
	var src Source
	err := s.db.View(func(tx *bolt.Tx) error {
		var v []byte
		if b := tx.Bucket(bucketSources); b != nil {
			v = b.Get([]byte(id))
		}
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &src)
	})
	if err != nil {
		return Source{}, fmt.Errorf("source %s: %w", id, err)
	}
	return src, nil
}

// RemoveSource deletes the source id and its runs; the places it
// imported stay. It fails with ErrNotFound.
func (s *Store) RemoveSource(id string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSources)
		if b == nil || b.Get([]byte(id)) == nil {
			return ErrNotFound
		}
		if err := b.Delete([]byte(id)); err != nil {
			return err
		}
		runs := tx.Bucket(bucketSourceRuns)
		if runs == nil {
			return nil
		}
		c, prefix := runs.Cursor(), []byte(id+"/")
		for k, _ := c.Seek(prefix); k != nil && hasPrefix(k, string(prefix)); k, _ = c.Seek(prefix) {
			if err := runs.Delete(k); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("remove source %s: %w", id, err)
	}
	return nil
}

// AddSourceRun keeps a run of a source.
func (s *Store) AddSourceRun(run SourceRun) error {
	data, err := json.Marshal(run)
	if err != nil {
		return err
	}
	err = s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSourceRuns)
		if err != nil {
			return err
		}
		return b.Put([]byte(run.Source+"/"+timeKey(run.Started)), data)
	}, nil)
	if err != nil {
		return fmt.Errorf("save run of source %s: %w", run.Source, err)
	}
	return nil
}

// SourceRuns returns the last runs of the source id, newest first, at
// most limit of them.
func (s *Store) SourceRuns(id string, limit int) ([]SourceRun, error) {
	var out []SourceRun
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSourceRuns)
		if b == nil {
			return nil
		}
		c, prefix := b.Cursor(), id+"/"
		k, v := c.Seek([]byte(prefix + "\xff"))
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && hasPrefix(k, prefix) && len(out) < limit; k, v = c.Prev() {
			var run SourceRun
			if err := json.Unmarshal(v, &run); err != nil {
				return err
			}
			out = append(out, run)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("runs of source %s: %w", id, err)
	}
	return out, nil
}

// AddAlert stores an alert for the editors, with its id and time.
func (s *Store) AddAlert(a Alert) (Alert, error) {
	a.ID = newID()
	if a.Time.IsZero() {
		a.Time = s.now().UTC()
	}
	data, err := json.Marshal(a)
	if err != nil {
		return Alert{}, err
	}
	err = s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketAlerts)
		if err != nil {
			return err
		}
		return b.Put([]byte(timeKey(a.Time)+"/"+a.ID), data)
	}, nil)
	if err != nil {
		return Alert{}, fmt.Errorf("save alert: %w", err)
	}
	return a, nil
}

// Alerts returns the last alerts, newest first, at most limit of them.
func (s *Store) Alerts(limit int) ([]Alert, error) {
	var out []Alert
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAlerts)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
			var a Alert
			if err := json.Unmarshal(v, &a); err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list alerts: %w", err)
	}
	return out, nil
}
