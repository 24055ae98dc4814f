package storage

import (
	"errors"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// testUnit is a mobile unit based in Digne-les-Bains (04).
func testUnit() *catalogue.Place {
	p := testPlace("Bus numérique des Alpes")
	p.Adresse, p.CodePostal, p.Commune, p.CodeINSEE = "4 rue du Docteur Honnorat", "04000", "Digne-les-Bains", "04070"
	p.Latitude, p.Longitude = ptr(44.092), ptr(6.236)
	p.Itinerance = []string{"Itinérant"}
	p.Normalize()
	return p
}

// testStop is a stop at Mane (04300), a village with no place.
func testStop(unit string, start time.Time) *catalogue.Event {
	e := testEvent(unit, start)
	e.Nom = "Permanence numérique hors les murs"
	e.Etape = &catalogue.Stop{Nom: "Salle des fêtes", Adresse: "Place de la Mairie", CodePostal: "04300", Commune: "Mane"}
	e.Normalize()
	return e
}

func TestStopIsLocatedAndFound(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	unit := testUnit()
	if err := s.CreatePlace(unit); err != nil {
		t.Fatal(err)
	}
	e := testStop(unit.ID, testNow.Add(48*time.Hour))
	e.Recurrence = "FREQ=WEEKLY;COUNT=3"
	if err := s.CreateEvent(e); err != nil {
		t.Fatal(err)
	}
	got, err := s.Event(e.ID)
	if err != nil {
		t.Fatal(err)
	}
	st := got.Etape
	if st == nil || st.CodeINSEE != "04111" || !st.PositionApproximative || !st.HasCoordinates() || *st.Latitude < 43.9 || *st.Latitude > 44 {
		t.Fatalf("stored stop = %+v; want Mane (04111) at its commune's centre, approximate", st)
	}
	if got.Lieu != unit.ID {
		t.Errorf("Lieu = %q; want the unit %q", got.Lieu, unit.ID)
	}
	check := func(s *Store) {
		t.Helper()
		month := catalogue.EventQuery{From: testNow, To: testNow.AddDate(0, 1, 0)}
		near, err := s.StopsNear(catalogue.LatLon{Lat: 43.938, Lon: 5.739}, 10, month.From, month.To, 10)
		if err != nil || near.Total != 3 || near.Items[0].ID != e.ID || near.Items[0].Etape.Commune != "Mane" {
			t.Errorf("StopsNear(Mane) = %+v, %v; want the 3 stops", near, err)
		}
		at := month
		at.Place = unit.ID
		if res, err := s.Events(at); err != nil || res.Total != 3 {
			t.Errorf("events of the unit = %d, %v; want its 3 stops (its page lists them)", res.Total, err)
		}
		at = month
		at.Departement = "04"
		if res, err := s.Events(at); err != nil || res.Total != 3 {
			t.Errorf("events in 04 = %d, %v; want 3", res.Total, err)
		}
	}
	check(s)
	if err := s.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	check(openAt(t, dir)) // the index is built again from the entries
}

func TestStopRefusedChangesNothing(t *testing.T) {
	s, _ := openTestStore(t)
	unit := testUnit()
	if err := s.CreatePlace(unit); err != nil {
		t.Fatal(err)
	}
	e := testStop(unit.ID, testNow.Add(48*time.Hour))
	e.Etape.Commune, e.Etape.CodePostal = "Nullepart-sur-Mer", "99999"
	err := s.CreateEvent(e)
	var verr *catalogue.ValidationError
	if !errors.As(err, &verr) || verr.Fields["etape.commune"] == "" {
		t.Fatalf("CreateEvent(unknown commune) = %v; want a ValidationError naming etape.commune", err)
	}
	if res, _ := s.Events(catalogue.EventQuery{From: testNow}); res.Total != 0 {
		t.Errorf("%d events stored; want none", res.Total)
	}
	// With coordinates, an unknown commune is accepted: the stop is
	// located by them.
	e = testStop(unit.ID, testNow.Add(48*time.Hour))
	e.Etape.Commune, e.Etape.CodePostal = "Hameau des Crottes", ""
	e.Etape.Latitude, e.Etape.Longitude = ptr(43.95), ptr(5.75)
	if err := s.CreateEvent(e); err != nil {
		t.Fatalf("CreateEvent(coordinates, unknown commune) = %v", err)
	}
	if e.Etape.PositionApproximative || *e.Etape.Latitude != 43.95 {
		t.Errorf("stop = %+v; want its own coordinates, not approximate", e.Etape)
	}
}

func TestRemoteStopWithoutPlace(t *testing.T) {
	s, _ := openTestStore(t)
	actor := "https://mobilizon.test/@groupe"
	e := testStop("", testNow.Add(24*time.Hour))
	e.APID, e.Network = "https://mobilizon.test/events/1", catalogue.Network{Name: "Groupe", Actor: actor}
	e.Updated = testNow
	if err := s.PutRemote("https://mobilizon.test/activities/1", Remote{Event: e}); err != nil {
		t.Fatalf("PutRemote(event at an address, no place) = %v", err)
	}
	got, err := s.Event(e.APID)
	if err != nil || got.Lieu != "" || got.Etape == nil || got.Etape.CodeINSEE != "04111" {
		t.Fatalf("stored = %+v, %v; want the event at its stop in Mane, with no place", got, err)
	}
	near, err := s.StopsNear(catalogue.LatLon{Lat: 43.938, Lon: 5.739}, 10, testNow, testNow.AddDate(0, 0, 7), 10)
	if err != nil || near.Total != 1 {
		t.Errorf("StopsNear(Mane) = %d, %v; want the remote stop", near.Total, err)
	}
	// Another actor cannot change it.
	other := *e
	other.Network.Actor, other.Nom = "https://ailleurs.test/@x", "Détourné"
	other.Updated = testNow.Add(time.Hour)
	if err := s.PutRemote("https://ailleurs.test/activities/2", Remote{Event: &other}); !errors.Is(err, ErrForbidden) {
		t.Errorf("PutRemote by another actor = %v; want ErrForbidden", err)
	}
}
