package storage

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, catalogue.Paris) // a Monday

// openTestStore opens a store in a new temporary directory; its cleanup
// runs the consistency check, then closes it.
func openTestStore(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	return openAt(t, dir), dir
}

func openAt(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Errorf("Check: %v", err)
		}
		s.Close()
	})
	return s
}

func ptr[T any](v T) *T { return &v }

func testPlace(name string) *catalogue.Place {
	p := &catalogue.Place{
		Pivot: "43493312300029", Nom: name, Adresse: "12 rue de la République",
		CodePostal: "13001", Commune: "Marseille", CodeINSEE: "13201",
		Latitude: ptr(43.2965), Longitude: ptr(5.3698),
		Services: []string{"Aide aux démarches administratives"},
		Horaires: "Mo-Fr 09:00-12:00,14:00-18:00", DateMaj: "2026-03-01",
	}
	p.Normalize()
	return p
}

func testEvent(place string, start time.Time) *catalogue.Event {
	e := &catalogue.Event{Nom: "Atelier smartphone", Lieu: place, Debut: start, Fin: start.Add(2 * time.Hour)}
	e.Normalize()
	return e
}

func TestPlaceLifecycle(t *testing.T) {
	s, _ := openTestStore(t)
	p := testPlace("Médiathèque Saint-Charles")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	if p.ID == "" || p.APID != "http://maillage.test/lieux/"+p.ID || !p.Network.Local {
		t.Fatalf("CreatePlace set id %q, ap_id %q, network %+v", p.ID, p.APID, p.Network)
	}
	for _, ref := range []string{p.ID, p.APID} {
		got, err := s.Place(ref)
		if err != nil || got.Nom != p.Nom {
			t.Fatalf("Place(%s) = %v, %v; want %s", ref, got, err, p.Nom)
		}
	}

	q := testPlace("Médiathèque Saint-Charles")
	q.CodePostal, q.CodeINSEE, q.Commune = "83000", "83137", "Toulon"
	q.Services = []string{"Loisirs et créations numériques"}
	if err := s.UpdatePlace(p.ID, q); err != nil {
		t.Fatal(err)
	}
	page, err := s.Places(catalogue.PlaceQuery{Departement: "13"})
	if err != nil || page.Total != 0 {
		t.Errorf("after moving to 83, places in 13 = %d, %v; want 0", page.Total, err)
	}
	page, err = s.Places(catalogue.PlaceQuery{Departement: "83", Services: []string{"Loisirs et créations numériques"}})
	if err != nil || page.Total != 1 {
		t.Errorf("places in 83 with the new service = %d, %v; want 1", page.Total, err)
	}

	if err := s.DeletePlace(p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Place(p.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Place after delete: %v; want ErrNotFound", err)
	}
	if err := s.UpdatePlace(p.ID, q); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdatePlace after delete: %v; want ErrNotFound", err)
	}
}

func TestEventNeedsKnownPlaceAndBlocksPlaceDeletion(t *testing.T) {
	s, _ := openTestStore(t)
	e := testEvent("inconnu", testNow.Add(24*time.Hour))
	var verr *catalogue.ValidationError
	if err := s.CreateEvent(e); !errors.As(err, &verr) || verr.Fields["lieu"] == "" {
		t.Fatalf("CreateEvent at an unknown place: %v; want a validation error on lieu", err)
	}
	p := testPlace("EPN du Panier")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	e = testEvent(p.APID, testNow.Add(24*time.Hour)) // by ActivityPub id
	if err := s.CreateEvent(e); err != nil {
		t.Fatal(err)
	}
	if e.Lieu != p.ID {
		t.Errorf("event lieu = %q; want the place id %q", e.Lieu, p.ID)
	}
	if err := s.DeletePlace(p.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("DeletePlace with an event: %v; want ErrConflict", err)
	}
	if err := s.DeleteEvent(e.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePlace(p.ID); err != nil {
		t.Errorf("DeletePlace without events: %v", err)
	}
}

func TestPersistsAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	p := testPlace("Fablab de la Belle de Mai")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	e := testEvent(p.ID, testNow.Add(48*time.Hour))
	e.Recurrence = "FREQ=WEEKLY;COUNT=4"
	if err := s.CreateEvent(e); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openAt(t, dir)
	page, err := s.Places(catalogue.PlaceQuery{Text: "fablab"})
	if err != nil || page.Total != 1 || page.Items[0].ID != p.ID {
		t.Fatalf("after restart, search fablab = %+v, %v; want the place", page, err)
	}
	events, err := s.Events(catalogue.EventQuery{From: testNow, To: testNow.Add(60 * 24 * time.Hour)})
	if err != nil || events.Total != 4 {
		t.Fatalf("after restart, occurrences = %d, %v; want 4", events.Total, err)
	}
}

func TestSecondOpenFailsAtOnce(t *testing.T) {
	_, dir := openTestStore(t)
	start := time.Now()
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v; want ErrLocked", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second Open took %v; it must not hang", d)
	}
}

func TestConcurrentWriters(t *testing.T) {
	s, _ := openTestStore(t)
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				p := testPlace(fmt.Sprintf("Lieu %d-%d", w, i))
				if err := s.CreatePlace(p); err != nil {
					errs <- err
					return
				}
				q := testPlace(p.Nom + " (modifié)")
				if err := s.UpdatePlace(p.ID, q); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	page, err := s.Places(catalogue.PlaceQuery{Text: "modifie", Limit: 500})
	if err != nil || page.Total != writers*each {
		t.Errorf("places after concurrent writes = %d, %v; want %d", page.Total, err, writers*each)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte{0, 0, 0, 0, 0, 0, 0, 99})
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{}); err == nil {
		t.Fatal("Open of a file with a newer schema succeeded; want an error")
	}
}

func TestCheckFindsStaleIndexEntry(t *testing.T) {
	s, _ := openTestStore(t)
	p := testPlace("Espace numérique")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPlacesByService).Put([]byte("Loisirs et créations numériques/"+p.ID), nil)
	})
	if err := s.Check(); err == nil {
		t.Fatal("Check passed with a stale index entry")
	}
	s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPlacesByService).Delete([]byte("Loisirs et créations numériques/" + p.ID))
	})
}

func TestAccounts(t *testing.T) {
	s, _ := openTestStore(t)
	if err := s.AddUser("Editrice@Example.org", RoleEditor, "un mot de passe long"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser("editrice@example.org", RoleAdmin, "un autre mot de passe"); !errors.Is(err, ErrConflict) {
		t.Errorf("AddUser twice: %v; want ErrConflict", err)
	}
	if err := s.AddUser("x@example.org", RoleEditor, "court"); err == nil {
		t.Error("AddUser accepted a short password")
	}
	if u, err := s.Authenticate("editrice@example.org", "un mot de passe long"); err != nil || u.Role != RoleEditor {
		t.Errorf("Authenticate = %v, %v; want the editor", u, err)
	}
	if _, err := s.Authenticate("editrice@example.org", "mauvais"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("Authenticate with a wrong password: %v", err)
	}
	token, err := s.CreateToken("tests", RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := s.CheckToken(token); err != nil || tok.Label != "tests" {
		t.Errorf("CheckToken = %v, %v", tok, err)
	}
	if _, err := s.CheckToken(token + "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("CheckToken of a wrong token: %v; want ErrNotFound", err)
	}
}
