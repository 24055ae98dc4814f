package storage

import (
	"encoding/json"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/communes"
)

// Places stored without coordinates before places were placed at their
// commune's centre get that position from repair, flagged, and are then
// found by a search around a point; a place of an unknown commune stays
// without.
func TestRepairPlacesOldPlacesAtTheirCommune(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test"})
	if err != nil {
		t.Fatal(err)
	}
	old := testPlace("EPN d'Allauch")
	old.CodePostal, old.Commune, old.CodeINSEE = "13190", "Allauch", ""
	lost := testPlace("EPN de Nulle-Part")
	lost.CodePostal, lost.Commune, lost.CodeINSEE = "99999", "Nulle-Part-sur-Rien", ""
	placed := testPlace("EPN de la gare")
	for _, p := range []*catalogue.Place{old, lost, placed} {
		if err := s.CreatePlace(p); err != nil {
			t.Fatal(err)
		}
	}
	// Write old and lost back as an earlier version stored them: no
	// coordinates, no flag.
	err = s.db.Update(func(tx *bolt.Tx) error {
		for _, id := range []string{old.ID, lost.ID} {
			p, err := getPlace(tx, id)
			if err != nil {
				return err
			}
			p.Latitude, p.Longitude, p.PositionApproximative = nil, nil, false
			data, err := json.Marshal(p)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bucketPlaces).Put([]byte(id), data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	rep, err := Repair(dir, Options{BaseURL: "http://maillage.test"})
	if err != nil || rep.Placed != 1 || len(rep.Remaining) > 0 {
		t.Fatalf("Repair = %+v, %v; want one place placed", rep, err)
	}
	s, err = Open(dir, Options{BaseURL: "http://maillage.test"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	allauch, _ := communes.France().ByCode("13002")
	got, err := s.Place(old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.PositionApproximative || got.Latitude == nil || *got.Latitude != allauch.Lat || *got.Longitude != allauch.Lon {
		t.Fatalf("old place after repair: approximate %v at %v; want Allauch's centre, flagged", got.PositionApproximative, got.Latitude)
	}
	page, err := s.Places(catalogue.PlaceQuery{Near: &catalogue.LatLon{Lat: 43.2965, Lon: 5.3698}, RadiusKm: 20, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range page.Items {
		found = found || p.ID == old.ID
	}
	if !found {
		t.Errorf("a search around Marseille does not find the repaired place")
	}
	if got, _ := s.Place(lost.ID); got.HasCoordinates() || got.PositionApproximative {
		t.Errorf("unknown commune: %v, %v; want no position", got.Latitude, got.PositionApproximative)
	}
	if got, _ := s.Place(placed.ID); got.PositionApproximative || *got.Latitude != *placed.Latitude {
		t.Errorf("a placed place moved: %v", *got.Latitude)
	}
	// A second repair finds nothing more to place.
	s.Close()
	if rep, err := Repair(dir, Options{BaseURL: "http://maillage.test"}); err != nil || rep.Placed != 0 {
		t.Errorf("second Repair = %+v, %v; want nothing placed", rep, err)
	}
}
