package storage

import (
	"fmt"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// searchIDs returns the ids of every place matching text, in order.
func searchIDs(t *testing.T, s *Store, q catalogue.PlaceQuery) []string {
	t.Helper()
	q.Limit = catalogue.MaxLimit
	page, err := s.Places(q)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range page.Items {
		ids = append(ids, p.ID)
	}
	return ids
}

func journalLen(t *testing.T, s *Store) int {
	t.Helper()
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketIndexJournal).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestIndexFromSnapshotAndJournal reopens a store after changes kept in
// the journal, after folding them into the snapshot, and after more
// changes on top of the snapshot: the index must hold the same each time.
func TestIndexFromSnapshotAndJournal(t *testing.T) {
	dir := t.TempDir()
	s := openUnchecked(t, dir)
	var ids []string
	for i := range 5 {
		p := testPlace(fmt.Sprintf("Médiathèque %d", i))
		if err := s.CreatePlace(p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	e := testEvent(ids[0], testNow.Add(24*3600e9))
	if err := s.CreateEvent(e); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePlace(ids[4]); err != nil {
		t.Fatal(err)
	}
	want := searchIDs(t, s, catalogue.PlaceQuery{Text: "mediatheque"})
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openUnchecked(t, dir) // from the journal
	if got := searchIDs(t, s, catalogue.PlaceQuery{Text: "mediatheque"}); !slices.Equal(got, want) {
		t.Errorf("after reopening: %v; want %v", got, want)
	}
	if err := s.db.Update(foldJournal); err != nil {
		t.Fatal(err)
	}
	if n := journalLen(t, s); n != 0 {
		t.Errorf("journal after folding: %d entries", n)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openUnchecked(t, dir) // from the snapshot
	if got := searchIDs(t, s, catalogue.PlaceQuery{Text: "mediatheque"}); !slices.Equal(got, want) {
		t.Errorf("from the snapshot: %v; want %v", got, want)
	}
	p, err := s.Place(ids[1])
	if err != nil {
		t.Fatal(err)
	}
	p.Nom = "Ludothèque"
	if err := s.UpdatePlace(p.ID, p); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteEvent(e.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePlace(ids[0]); err != nil {
		t.Fatal(err)
	}
	want = searchIDs(t, s, catalogue.PlaceQuery{Text: "mediatheque"})
	s.Close()

	s = openAt(t, dir) // from the snapshot and the journal; checked at cleanup
	if got := searchIDs(t, s, catalogue.PlaceQuery{Text: "mediatheque"}); !slices.Equal(got, want) || len(got) != 2 {
		t.Errorf("snapshot and journal: %v; want %v, 2 places", got, want)
	}
	if got := searchIDs(t, s, catalogue.PlaceQuery{Text: "ludotheque"}); !slices.Equal(got, ids[1:2]) {
		t.Errorf("updated place: %v; want %v", got, ids[1:2])
	}
	if page, _ := s.Events(catalogue.EventQuery{From: testNow}); page.Total != 0 {
		t.Errorf("deleted event still found: %d", page.Total)
	}
}

func TestOpenFoldsALongJournal(t *testing.T) {
	dir := t.TempDir()
	s := openUnchecked(t, dir)
	var places []*catalogue.Place
	for i := range foldThreshold + 1 {
		places = append(places, testPlace(fmt.Sprintf("Espace %d", i)))
	}
	if err := s.CreatePlaces(places); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openAt(t, dir)
	if n := journalLen(t, s); n != 0 {
		t.Errorf("journal after Open: %d entries; want it folded", n)
	}
	if page, _ := s.Places(catalogue.PlaceQuery{Text: "espace"}); page.Total != foldThreshold+1 {
		t.Errorf("places after folding: %d; want %d", page.Total, foldThreshold+1)
	}
}

// TestEntriesOfAnotherVersionRebuilt makes every index entry look written
// by another catalogue.EntryVersion: Open must rebuild them from the
// records.
func TestEntriesOfAnotherVersionRebuilt(t *testing.T) {
	dir := t.TempDir()
	s := openUnchecked(t, dir)
	p := testPlace("Fablab des Flamants")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateEvent(testEvent(p.ID, testNow.Add(3600e9))); err != nil {
		t.Fatal(err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIndexJournal)
		var keys, values [][]byte
		err := b.ForEach(func(k, v []byte) error {
			keys = append(keys, append([]byte(nil), k...))
			values = append(values, append([]byte{catalogue.EntryVersion + 1}, v[1:]...))
			return nil
		})
		for i := range keys {
			if err == nil {
				err = b.Put(keys[i], values[i])
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openAt(t, dir)
	if got := searchIDs(t, s, catalogue.PlaceQuery{Text: "fablab"}); !slices.Equal(got, []string{p.ID}) {
		t.Errorf("after rebuilding the entries: %v; want %v", got, []string{p.ID})
	}
	if page, _ := s.Events(catalogue.EventQuery{From: testNow}); page.Total != 1 {
		t.Errorf("events after rebuilding the entries: %d; want 1", page.Total)
	}
}

func TestCheckFindsWrongIndexEntries(t *testing.T) {
	s, _ := openTestStore(t)
	p := testPlace("Espace numérique")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	key := journalKey(kindPlace, p.ID)
	var good []byte
	for _, change := range []func(b *bolt.Bucket) error{
		func(b *bolt.Bucket) error { return b.Delete(key) },
		func(b *bolt.Bucket) error { return b.Put(key, catalogue.AppendPlaceEntry(nil, testPlace("Autre nom"))) },
		func(b *bolt.Bucket) error { return b.Put(journalKey(kindEvent, "inconnu"), good) },
	} {
		err := s.db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketIndexJournal)
			good = append([]byte(nil), b.Get(key)...)
			return change(b)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Check(); err == nil {
			t.Error("Check passed with a wrong index entry")
		}
		err = s.db.Update(func(tx *bolt.Tx) error { // repair
			b := tx.Bucket(bucketIndexJournal)
			if err := b.Delete(journalKey(kindEvent, "inconnu")); err != nil {
				return err
			}
			return b.Put(key, good)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
