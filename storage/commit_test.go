package storage

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// hold makes c busy with a write that waits for release, so that later
// writes queue up and share the next group. The held write's error goes
// to held.
func hold(t *testing.T, c *committer, fn func(tx *bolt.Tx) error) (release func(), held <-chan error) {
	t.Helper()
	started, stop, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- c.do(func(tx *bolt.Tx) error {
			select {
			case <-started: // a rerun: already started
			default:
				close(started)
			}
			<-stop
			return fn(tx)
		})
	}()
	<-started
	return func() { close(stop) }, done
}

// waitFor returns once cond, checked under c.mu, holds.
func waitFor(c *committer, cond func() bool) {
	for {
		c.mu.Lock()
		ok := cond()
		c.mu.Unlock()
		if ok {
			return
		}
		runtime.Gosched()
	}
}

func nothing(*bolt.Tx) error { return nil }

func TestGroupCommitIsolatesFailures(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "group.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	bucket := []byte("t")
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket(bucket); return err }); err != nil {
		t.Fatal(err)
	}
	c := newCommitter(db)
	t.Cleanup(c.close)

	const writers, failing, panicking = 50, 17, 33
	errBoom := errors.New("boom")
	release, held := hold(t, c, nothing)
	errs := make([]error, writers)
	panics := make([]any, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panics[i] = recover() }()
			errs[i] = c.do(func(tx *bolt.Tx) error {
				if err := tx.Bucket(bucket).Put(fmt.Appendf(nil, "k%02d", i), []byte("v")); err != nil {
					return err
				}
				switch i {
				case failing:
					return errBoom // after writing: the write must not stay
				case panicking:
					panic("kaboom")
				}
				return nil
			})
		}()
	}
	waitFor(c, func() bool { return len(c.first)+len(c.pending) == writers }) // one group
	release()
	wg.Wait()
	if err := <-held; err != nil {
		t.Errorf("held write: %v", err)
	}

	for i := range writers {
		switch i {
		case failing:
			if !errors.Is(errs[i], errBoom) || panics[i] != nil {
				t.Errorf("failing write: %v, panic %v; want errBoom", errs[i], panics[i])
			}
		case panicking:
			p, ok := panics[i].(*panicError)
			if !ok || p.value != "kaboom" {
				t.Errorf("panicking write: panic %v; want *panicError of kaboom", panics[i])
			}
		default:
			if errs[i] != nil || panics[i] != nil {
				t.Errorf("write %d: %v, panic %v; want nil", i, errs[i], panics[i])
			}
		}
	}
	db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		for i := range writers {
			stored := b.Get(fmt.Appendf(nil, "k%02d", i)) != nil
			if want := i != failing && i != panicking; stored != want {
				t.Errorf("key k%02d stored: %v; want %v", i, stored, want)
			}
		}
		return nil
	})

	// The committer survived the panic.
	err = c.do(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put([]byte("after"), []byte("v")) })
	if err != nil {
		t.Errorf("write after a panic: %v", err)
	}
}

// A remote activity refused in the middle of a group leaves nothing
// behind (not even its activity id), and the rest of the group is stored.
func TestPutRemoteGroupWithRefusedActivity(t *testing.T) {
	s, _ := openTestStore(t)
	const actor, other = "https://var.example/actor", "https://evil.example/actor"
	owned := remotePlace(actor, "https://var.example/lieux/owned", "Fablab de Toulon")
	if err := s.PutRemotePlace("https://var.example/activities/owned", owned); err != nil {
		t.Fatal(err)
	}

	const writers, forged = 30, 11
	release, held := hold(t, s.group, nothing)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		activity, p := fmt.Sprintf("https://var.example/activities/%d", i), remotePlace(actor, fmt.Sprintf("https://var.example/lieux/%d", i), fmt.Sprintf("Lieu %d", i))
		if i == forged {
			activity, p = "https://evil.example/activities/1", remotePlace(other, owned.APID, "Volé")
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.PutRemotePlace(activity, p)
		}()
	}
	waitFor(s.group, func() bool { return len(s.group.first)+len(s.group.pending) == writers })
	release()
	wg.Wait()
	if err := <-held; err != nil {
		t.Errorf("held write: %v", err)
	}
	for i, err := range errs {
		if i == forged && !errors.Is(err, ErrForbidden) {
			t.Errorf("forged activity: %v; want ErrForbidden", err)
		} else if i != forged && err != nil {
			t.Errorf("activity %d: %v", i, err)
		}
	}
	if got, err := s.Place(owned.APID); err != nil || got.Nom != "Fablab de Toulon" {
		t.Errorf("place after the forged update: %+v, %v", got, err)
	}
	page, err := s.Places(catalogue.PlaceQuery{Network: actor})
	if err != nil || page.Total != writers { // the owned place, and all but the forged one
		t.Errorf("places of %s: %d, %v; want %d", actor, page.Total, err, writers)
	}
	// The forged activity's id was not kept: it was rolled back with the rest of it.
	if err := s.MarkActivity("https://evil.example/activities/1"); err != nil {
		t.Errorf("MarkActivity of the refused activity: %v; want nil", err)
	}
}

// Close with writes waiting for their group returns; they fail with
// ErrClosed, the group being committed is kept, and nothing hangs.
func TestCloseFailsWaitingWrites(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	const held, writers = "https://var.example/activities/held", 10
	release, heldErr := hold(t, s.group, func(tx *bolt.Tx) error { return markActivity(tx, held, testNow) })
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.PutRemotePlace(fmt.Sprintf("https://var.example/activities/%d", i),
				remotePlace("https://var.example/actor", fmt.Sprintf("https://var.example/lieux/%d", i), "Lieu"))
		}()
	}
	waitFor(s.group, func() bool { return len(s.group.first)+len(s.group.pending) == writers })
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	waitFor(s.group, func() bool { return s.group.closed })
	release()
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
	wg.Wait()
	if err := <-heldErr; err != nil {
		t.Errorf("write being committed at Close: %v; want nil", err)
	}
	for i, err := range errs {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("waiting write %d: %v; want ErrClosed", i, err)
		}
	}
	if err := s.PutRemotePlace("https://var.example/activities/late", remotePlace("https://var.example/actor", "https://var.example/lieux/late", "Lieu")); !errors.Is(err, ErrClosed) {
		t.Errorf("write after Close: %v; want ErrClosed", err)
	}

	s = openAt(t, dir)
	if err := s.MarkActivity(held); !errors.Is(err, ErrDuplicate) {
		t.Errorf("after reopening, the held write: %v; want it stored (ErrDuplicate)", err)
	}
	page, err := s.Places(catalogue.PlaceQuery{})
	if err != nil || page.Total != 0 {
		t.Errorf("after reopening, %d places, %v; want none", page.Total, err)
	}
}
