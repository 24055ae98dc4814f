package storage

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// Errors returned by the Store, wrapped with context; match them with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change contradicts what is stored (a place
	// that still has events, an email already taken).
	ErrConflict = errors.New("conflict")
	// ErrReadOnly means the record belongs to another network.
	ErrReadOnly = errors.New("record of another network")
	// ErrLocked means another process holds the database.
	ErrLocked = errors.New("database locked by another process")
)

// FileName is the name of the bbolt file inside the data directory.
const FileName = "maillage.db"

// Options configure Open.
type Options struct {
	// BaseURL is the instance's public URL, without a trailing slash; the
	// ActivityPub ids of local records are built from it. It is fixed at
	// first use (url.go): a new data directory stores it, and Open fails
	// with a *URLMismatchError when it differs from the stored one. Empty,
	// the stored URL is used.
	BaseURL string
	// DefaultURL is the URL stored when BaseURL is empty and none is
	// stored yet.
	DefaultURL string
	// PruneEvery, when set, starts a goroutine that prunes the store
	// (Prune) at this interval until Close; serve sets it.
	PruneEvery time.Duration
	// ReleaseEvery, when set, starts a goroutine that gives back the pages
	// of the file the store has read (release.go) at this interval until
	// Close; serve sets it to ReleaseEvery.
	ReleaseEvery time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// LockTimeout is how long Open waits for another process to release
	// the file; 200 ms when zero.
	LockTimeout time.Duration
	// Logger receives what the store does in the background (applying
	// accepted activities); slog.Default() when nil.
	Logger *slog.Logger
}

// Store is one instance's database and its search index. It is safe for
// concurrent use. Close it when done.
type Store struct {
	db      *bolt.DB
	index   *catalogue.Index
	baseURL string
	now     func() time.Time

	name atomic.Value // string: the network's name, cached for every read

	publisher atomic.Pointer[Publisher]
	relay     atomic.Bool
	notify    atomic.Pointer[func()]

	// writeMu makes "commit, then update the index" atomic with respect
	// to other writers, so the index applies changes in commit order.
	writeMu sync.Mutex

	// group shares one transaction between concurrent small writes.
	group *committer
	// inbox holds accepted activities until they are applied.
	inbox *inboxLog
	log   *slog.Logger

	codecs      codecs // of the outbox's compression (outboxzip.go)
	urlFixed    bool
	stopPrune   func() // stops the pruning goroutine and waits for it
	stopRelease func() // stops the goroutine of releaseMap and waits for it
}

// Open opens (creating if needed) the database in the directory dir,
// migrates it, and builds the search index from it. It fails with
// ErrLocked at once if another process holds the file.
func Open(dir string, opts Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	timeout := opts.LockTimeout
	if timeout == 0 {
		timeout = 200 * time.Millisecond
	}
	path := filepath.Join(dir, FileName)
	s := &Store{now: opts.Now, log: opts.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	err := guard(path, func() error { return s.openDB(path, timeout, opts) })
	if err != nil {
		return nil, err
	}
	db := s.db
	s.group = newCommitter(db)
	if s.inbox, err = s.openInboxLog(dir); err != nil {
		s.group.close()
		db.Close()
		return nil, err
	}
	s.stopPrune = s.startPruning(opts.PruneEvery)
	s.stopRelease = s.startReleasing(opts.ReleaseEvery)
	return s, nil
}

// openDB opens the bbolt file at path, migrates it, reads the settings
// and builds the search index. On failure, nothing is left open.
func (s *Store) openDB(path string, timeout time.Duration, opts Options) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, FreelistType: bolt.FreelistMapType})
	if errors.Is(err, bolt.ErrTimeout) {
		return fmt.Errorf("open %s: %w", path, ErrLocked)
	}
	if isBoltDamage(err) {
		return &CorruptError{Path: path, Detail: fmt.Sprintf("bbolt ne peut pas l'ouvrir (%v)", err)}
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	// Delivery bookkeeping (FinishDelivery, RetryDelivery) uses bbolt's
	// Batch: workers finishing together wait this long for company, and
	// share one commit. (Other writes use the group commit, Store.batch;
	// the inbox's, the inbox log and then the group commit.)
	db.MaxBatchDelay = 2 * time.Millisecond
	s.db = db
	if err := db.Update(migrate); err != nil {
		db.Close()
		return err
	}
	err = db.Update(func(tx *bolt.Tx) (err error) {
		s.baseURL, s.urlFixed, err = fixBaseURL(tx, opts)
		return err
	})
	if err != nil {
		db.Close()
		return err
	}
	st, err := s.Settings()
	if err != nil {
		db.Close()
		return err
	}
	s.name.Store(st.Name)
	if err := s.loadIndex(); err != nil {
		db.Close()
		return err
	}
	s.releaseMap() // the index is built: its entries are in memory now
	return nil
}

// Close applies the activities accepted so far (see AcceptRemote), then
// closes the database. Grouped writes still waiting for their commit
// fail with ErrClosed; other in-flight calls must have returned.
func (s *Store) Close() error {
	s.stopPrune()
	s.stopRelease()
	err := s.inbox.close()
	s.group.close()
	return errors.Join(err, s.db.Close())
}

// update runs fn in a write transaction and then, once committed, after;
// both under writeMu so the index sees changes in commit order.
func (s *Store) update(fn func(tx *bolt.Tx) error, after func()) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.db.Update(fn); err != nil {
		return diskFull(err)
	}
	if after != nil {
		after()
	}
	return nil
}

// updateLocal is update for the writes of local records through the API:
// fn joins the group commit, ahead of the inbox's backlog (see
// committer.do), so that concurrent editors share one commit and none
// waits for the activities a flood left to apply; fn may therefore run
// more than once, and must give the same result from the same state.
// after runs once fn is committed, under writeMu, in commit order. It
// does not wait for the inbox's accepted activities either: another
// network's activities cannot change a local record.
func (s *Store) updateLocal(fn func(tx *bolt.Tx) error, after func()) error {
	err := s.group.doThen(fn, func() {
		if after != nil {
			s.writeMu.Lock()
			defer s.writeMu.Unlock()
			after()
		}
	})
	return diskFull(err)
}

// touched lists the records a batched write changed.
type touched struct{ places, events, groups []string }

// batch runs fn in a write transaction shared with other concurrent
// batch calls (a group commit, see committer), so that many small writes
// cost one disk sync. fn may run more than once (when another call in the
// group fails) and starts each time with an empty touched. Once
// committed, the touched records are read back and applied to the index
// under writeMu: reading the committed state, rather than replaying fn's
// view of it, keeps the index right whatever order concurrent commits
// finish in.
func (s *Store) batch(fn func(tx *bolt.Tx, t *touched) error) error {
	s.inbox.settle() // activities accepted before this write are applied before it
	var t touched
	err := s.group.do(func(tx *bolt.Tx) error {
		t = touched{}
		return fn(tx, &t)
	})
	if err != nil {
		return diskFull(err)
	}
	return s.reindex(t)
}

// reindex brings the search index up to date with committed changes,
// reading each record touched once.
func (s *Store) reindex(ts ...touched) error {
	var places, events, groups []string
	if len(ts) == 1 {
		places, events, groups = ts[0].places, ts[0].events, ts[0].groups
	} else {
		seen := map[string]bool{}
		for _, t := range ts {
			places = appendNew(places, seen, "p", t.places)
			events = appendNew(events, seen, "e", t.events)
			groups = appendNew(groups, seen, "g", t.groups)
		}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.db.View(func(tx *bolt.Tx) error {
		for _, id := range places {
			if p, err := getPlace(tx, id); err == nil {
				s.indexSafely("place", id, func() { s.indexPlace(p) })
			} else {
				s.index.RemovePlace(id)
			}
		}
		for _, id := range events {
			if e, err := getEvent(tx, id); err == nil {
				s.indexSafely("event", id, func() { s.index.PutEvent(e) })
			} else {
				s.index.RemoveEvent(id)
			}
		}
		s.indexSafely("groups", "", func() { s.indexGroups(tx, groups) })
		return nil
	})
}

// appendNew appends to list the ids not yet seen under kind.
func appendNew(list []string, seen map[string]bool, kind string, ids []string) []string {
	for _, id := range ids {
		if !seen[kind+id] {
			seen[kind+id] = true
			list = append(list, id)
		}
	}
	return list
}

// newID returns a random, URL-safe record id.
func newID() string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}
