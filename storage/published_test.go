package storage

import (
	"testing"
	"time"
)

// TestPublishedIsSetOnceAndEditsComeAfter: a new record is published in
// whole seconds and not edited (updated = published); an edit keeps
// published and moves updated strictly after it, even on a clock that has
// not moved; the record reads back the same.
func TestPublishedIsSetOnceAndEditsComeAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 123456789, time.UTC)
	s, err := Open(t.TempDir(), Options{BaseURL: "http://maillage.test", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Errorf("Check: %v", err)
		}
		s.Close()
	})
	p := testPlace("Médiathèque")
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	e := testEvent(p.ID, testNow.Add(48*time.Hour))
	if err := s.CreateEvent(e); err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for name, got := range map[string][2]time.Time{"place": {p.Published, p.Updated}, "event": {e.Published, e.Updated}} {
		if !got[0].Equal(want) || !got[1].Equal(want) {
			t.Errorf("new %s: published %v, updated %v; want both %v", name, got[0], got[1], want)
		}
	}
	for _, step := range []time.Duration{0, 90 * time.Minute} { // a fixed clock, then a later edit
		now = now.Add(step)
		e.Nom = "Atelier smartphone " + step.String()
		if err := s.UpdateEvent(e.ID, e); err != nil {
			t.Fatal(err)
		}
		p.Horaires = "Mo-Sa 09:00-12:00"
		if err := s.UpdatePlace(p.ID, p); err != nil {
			t.Fatal(err)
		}
		stored, err := s.Event(e.ID)
		if err != nil {
			t.Fatal(err)
		}
		storedPlace, err := s.Place(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for name, got := range map[string][2]time.Time{"place": {storedPlace.Published, storedPlace.Updated}, "event": {stored.Published, stored.Updated}} {
			if !got[0].Equal(want) || !got[1].After(got[0]) {
				t.Errorf("edited %s (after %v): published %v, updated %v; want published %v and updated after it", name, step, got[0], got[1], want)
			}
		}
	}
}
