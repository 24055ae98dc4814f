package storage

import (
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/communes"
)

// A place without coordinates is placed at its commune's centre, flagged,
// and found by a search around a point like any other.
func TestPlaceWithoutCoordinatesIsPlacedAtItsCommune(t *testing.T) {
	s, _ := openTestStore(t)
	p := testPlace("EPN d'Allauch")
	p.Latitude, p.Longitude = nil, nil
	p.CodePostal, p.Commune, p.CodeINSEE = "13190", "Allauch", ""
	if err := s.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	allauch, _ := communes.France().ByCode("13002")
	got, err := s.Place(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.PositionApproximative || got.Latitude == nil || *got.Latitude != allauch.Lat {
		t.Fatalf("stored place: approximate %v at %v; want Allauch's centre, flagged", got.PositionApproximative, got.Latitude)
	}
	page, err := s.Places(catalogue.PlaceQuery{Near: &catalogue.LatLon{Lat: 43.2965, Lon: 5.3698}, RadiusKm: 20, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].ID != p.ID || page.Items[0].DistanceKm == nil {
		t.Fatalf("search around Marseille found %d places; want the EPN of Allauch with its distance", len(page.Items))
	}

	// The editor saves the form again without touching the position: still approximate.
	edit := *got
	edit.Telephone = "+33491000000"
	if err := s.UpdatePlace(p.ID, &edit); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Place(p.ID); !got.PositionApproximative {
		t.Errorf("an edit that kept the position cleared the flag")
	}
	// The editor places it on the map: the flag goes.
	placed := *got
	placed.Latitude, placed.Longitude = ptr(43.3371), ptr(5.4826)
	if err := s.UpdatePlace(p.ID, &placed); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Place(p.ID); got.PositionApproximative || *got.Latitude != 43.3371 {
		t.Errorf("placed by an editor: approximate %v at %v; want its coordinates, unflagged", got.PositionApproximative, *got.Latitude)
	}
}

// Importing the same file without coordinates twice changes nothing the
// second time: the approximate position is not a change.
func TestImportWithoutCoordinatesIsStable(t *testing.T) {
	s, _ := openTestStore(t)
	rec := func() []ImportRecord {
		r := importRecord("1", "Médiathèque", "1 place de la Mairie")
		r.Place.Latitude, r.Place.Longitude = nil, nil
		r.Place.CodePostal, r.Place.Commune, r.Place.CodeINSEE = "13380", "Plan-de-Cuques", ""
		return []ImportRecord{r}
	}
	first := importOrFail(t, s, rec(), false)
	if first.Created != 1 {
		t.Fatalf("first import: %s", counts(first))
	}
	got, err := s.Place(first.Outcomes[0].PlaceID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.PositionApproximative || got.Latitude == nil {
		t.Fatalf("imported without coordinates: approximate %v at %v; want placed at Plan-de-Cuques", got.PositionApproximative, got.Latitude)
	}
	if again := importOrFail(t, s, rec(), false); again.Unchanged != 1 {
		t.Errorf("second import: %s; want 1 unchanged", counts(again))
	}
}

// A place received from another network without coordinates is placed the
// same way, and receiving it again changes nothing.
func TestRemotePlaceWithoutCoordinatesIsPlaced(t *testing.T) {
	s, _ := openTestStore(t)
	p := remotePlace("https://var.example/network", "https://var.example/lieux/1", "EPN de Plan-de-Cuques")
	p.Latitude, p.Longitude = nil, nil
	p.CodePostal, p.Commune, p.CodeINSEE = "13380", "Plan-de-Cuques", "13075"
	again := *p
	if err := s.PutRemotePlace("https://var.example/activities/1", p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Place("https://var.example/lieux/1")
	if err != nil {
		t.Fatal(err)
	}
	pdc, _ := communes.France().ByCode("13075")
	if !got.PositionApproximative || got.Latitude == nil || *got.Latitude != pdc.Lat {
		t.Fatalf("remote place without coordinates: approximate %v at %v; want Plan-de-Cuques's centre", got.PositionApproximative, got.Latitude)
	}
	if err := s.PutRemotePlace("https://var.example/activities/2", &again); err != nil {
		t.Fatal(err)
	}
	if got2, _ := s.Place(got.ID); !got2.Updated.Equal(got.Updated) || *got2.Latitude != pdc.Lat {
		t.Errorf("the same version received again changed the stored place")
	}
}
