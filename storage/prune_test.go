package storage

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// fakeClock is the only fake of the tests: a time that moves when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openWithClock(t *testing.T, dir string, clock *fakeClock, every time.Duration) *Store {
	t.Helper()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: clock.now, PruneEvery: every})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Errorf("Check: %v", err)
		}
		s.Close()
	})
	return s
}

func outboxTotal(t *testing.T, s *Store) int {
	t.Helper()
	_, _, total, err := s.OutboxPage(0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// TestPruneKeepsWhatFollowersNeed: the outbox keeps the latest activity of
// each object and everything of the last 7 days; processed activity ids
// go after the replay window, tombstones (and their Delete) after theirs.
func TestPruneKeepsWhatFollowersNeed(t *testing.T) {
	clock := &fakeClock{t: testNow}
	s := openWithClock(t, t.TempDir(), clock, 0)
	s.SetPublisher(recordingPublisher)
	a, b := testPlace("EPN A"), testPlace("EPN B")
	for _, p := range []*catalogue.Place{a, b} {
		if err := s.CreatePlace(p); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(name string) {
		t.Helper()
		p := testPlace(name)
		if err := s.UpdatePlace(a.ID, p); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 10 {
		clock.advance(time.Minute)
		edit(fmt.Sprintf("EPN A v%d", i))
	}
	if err := s.MarkActivity("https://autre.example/activities/old"); err != nil {
		t.Fatal(err)
	}
	clock.advance(39 * 24 * time.Hour)
	if err := s.MarkActivity("https://autre.example/activities/recent"); err != nil {
		t.Fatal(err)
	}
	clock.advance(24 * time.Hour) // day 40
	for i := range 3 {
		clock.advance(time.Minute)
		edit(fmt.Sprintf("EPN A recent %d", i))
	}
	if err := s.DeletePlace(b.ID); err != nil {
		t.Fatal(err)
	}
	if got := outboxTotal(t, s); got != 16 {
		t.Fatalf("outbox before pruning: %d; want 16 (2 creates, 13 updates, 1 delete)", got)
	}

	p, err := s.Prune()
	if err != nil {
		t.Fatal(err)
	}
	// A's create and 10 old updates, B's create: superseded and 40 days old.
	if want := (Pruned{Outbox: 12, Activities: 1}); p != want {
		t.Errorf("Prune at day 40 = %+v; want %+v", p, want)
	}
	items, _, total, err := s.OutboxPage(0, 10)
	if err != nil || total != 4 || len(items) != 4 {
		t.Fatalf("outbox after pruning: %d of %d, %v; want the 4 activities of the last 7 days", len(items), total, err)
	}
	if !strings.Contains(string(items[0]), `"Delete"`) || !strings.Contains(string(items[1]), a.APID) {
		t.Errorf("outbox, newest first = %s", items)
	}
	if err := s.MarkActivity("https://autre.example/activities/old"); err != nil {
		t.Errorf("an activity id older than the replay window is still known: %v", err)
	}
	if err := s.MarkActivity("https://autre.example/activities/recent"); !errors.Is(err, ErrDuplicate) {
		t.Errorf("a recent activity id was forgotten: %v", err)
	}
	if _, err := s.TombstoneOf(b.APID); err != nil {
		t.Errorf("tombstone of B after 0 days: %v", err)
	}

	clock.advance(181 * 24 * time.Hour)
	if p, err = s.Prune(); err != nil {
		t.Fatal(err)
	}
	if want := (Pruned{Outbox: 2, Activities: 2, Tombstones: 1}); p != want {
		t.Errorf("Prune at day 221 = %+v; want %+v", p, want)
	}
	items, _, total, _ = s.OutboxPage(0, 10)
	if total != 1 || len(items) != 1 || !strings.Contains(string(items[0]), a.APID) || !strings.Contains(string(items[0]), "Update") {
		t.Errorf("outbox after the tombstone period: %d %s; want A's latest update only", total, items)
	}
	if _, err := s.TombstoneOf(b.APID); !errors.Is(err, ErrNotFound) {
		t.Errorf("tombstone of B after 181 days: %v; want ErrNotFound", err)
	}
	if p, err = s.Prune(); err != nil || p != (Pruned{}) {
		t.Errorf("second Prune = %+v, %v; want nothing", p, err)
	}
}

// TestPruneRunsInBackground: with PruneEvery, the store prunes by itself
// until Close.
func TestPruneRunsInBackground(t *testing.T) {
	clock := &fakeClock{t: testNow}
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: clock.now, PruneEvery: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	s.SetPublisher(recordingPublisher)
	p := testPlace("EPN")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if err := s.UpdatePlace(p.ID, testPlace("EPN bis")); err != nil {
			t.Fatal(err)
		}
	}
	clock.advance(OutboxRetention + time.Hour)
	for deadline := time.Now().Add(10 * time.Second); outboxTotal(t, s) != 1; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("outbox still holds %d activities; want the background prune to leave 1", outboxTotal(t, s))
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestSizesAndCompact(t *testing.T) {
	clock := &fakeClock{t: testNow}
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 300 {
		p := testPlace(fmt.Sprintf("EPN %d", i))
		p.PresentationDetail = strings.Repeat("Un lieu pour apprendre le numérique. ", 50)
		if err := s.CreatePlace(p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	sz, err := s.Sizes()
	if err != nil || sz.File == 0 {
		t.Fatalf("Sizes = %+v, %v", sz, err)
	}
	buckets, err := s.BucketSizes()
	if err != nil || buckets["places"].Keys != 300 || buckets["places"].Bytes < 300*1500 {
		t.Fatalf("BucketSizes = %+v, %v", buckets, err)
	}
	if _, _, err := Compact(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("Compact while open: %v; want ErrLocked", err)
	}
	for _, id := range ids[10:] {
		if err := s.DeletePlace(id); err != nil {
			t.Fatal(err)
		}
	}
	if sz2, err := s.Sizes(); err != nil || sz2.Free < 290*1500 || sz2.File < sz.File {
		t.Errorf("Sizes after deleting 290 places = %+v, %v; want their space free", sz2, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before, after, err := Compact(dir)
	if err != nil {
		t.Fatal(err)
	}
	if after >= before/2 {
		t.Errorf("Compact: %d → %d bytes; want the space of 290 deleted places back", before, after)
	}
	s = openAt(t, dir) // its cleanup runs Check
	page, err := s.Places(catalogue.PlaceQuery{Limit: 100})
	if err != nil || page.Total != 10 {
		t.Errorf("after compact: %d places, %v; want 10", page.Total, err)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "*.compact")); len(matches) > 0 {
		t.Errorf("left behind: %v", matches)
	}
}

// TestBaseURLFixedAtFirstUse: the first Open stores the URL; later ones
// use it, and refuse another.
func TestBaseURLFixedAtFirstUse(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{DefaultURL: "http://localhost:8080/"})
	if err != nil {
		t.Fatal(err)
	}
	if !s.URLFixed() || s.BaseURL() != "http://localhost:8080" {
		t.Errorf("first Open: fixed %v, %q", s.URLFixed(), s.BaseURL())
	}
	p := testPlace("EPN")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(dir, Options{DefaultURL: "http://autre:9000"})
	if err != nil || s.URLFixed() || s.BaseURL() != "http://localhost:8080" {
		t.Fatalf("second Open: %v, fixed %v, %q; want the stored URL", err, s.URLFixed(), s.BaseURL())
	}
	s.Close()
	var m *URLMismatchError
	if _, err := Open(dir, Options{BaseURL: "https://reseau.example"}); !errors.As(err, &m) || m.Stored != "http://localhost:8080" {
		t.Fatalf("Open with another BaseURL: %v; want a URLMismatchError", err)
	}
	// A file written before the URL was stored: its places' ids decide.
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keyBaseURL) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err = Open(dir, Options{DefaultURL: "http://autre:9000"})
	if err != nil || s.BaseURL() != "http://localhost:8080" {
		t.Fatalf("Open of an older file: %v, %q; want the URL of its places", err, s.BaseURL())
	}
	s.Close()
}

// TestPrunePanicIsLogged: a prune that panics (here on a damaged key) is
// logged, and the store goes on.
func TestPrunePanicIsLogged(t *testing.T) {
	clock := &fakeClock{t: testNow}
	var logs strings.Builder
	s, err := Open(t.TempDir(), Options{BaseURL: "http://maillage.test", Now: clock.now,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketOutboxStale).Put([]byte{0, 0, 0, 0}, nil) })
	if err != nil {
		t.Fatal(err)
	}
	s.pruneOnce()
	if !strings.Contains(logs.String(), "prune: panic") {
		t.Errorf("log = %q; want the panic logged", logs.String())
	}
	if err := s.CreatePlace(testPlace("EPN")); err != nil {
		t.Errorf("the store after a panicking prune: %v", err)
	}
}
