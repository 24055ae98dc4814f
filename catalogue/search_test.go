package catalogue

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func floatp(f float64) *float64 { return &f }

func indexWith(places ...*Place) *Index {
	x := NewIndex(time.Date(2026, 1, 1, 0, 0, 0, 0, Paris))
	for _, p := range places {
		p.Network.Local = p.Network.Actor == ""
		x.PutPlace(p)
	}
	return x
}

func TestPlacesOrderAndCursor(t *testing.T) {
	var places []*Place
	for i := range 12 {
		places = append(places, &Place{ID: fmt.Sprintf("p%02d", i), Nom: fmt.Sprintf("Lieu %02d", 11-i),
			Latitude: floatp(43 + float64(i)/100), Longitude: floatp(5)})
	}
	x := indexWith(places...)
	for _, q := range []PlaceQuery{{}, {Near: &LatLon{43, 5}}, {Text: "lieu"}} {
		var ids []string
		q.Limit = 5
		for {
			hits, err := x.Places(q)
			if err != nil {
				t.Fatal(err)
			}
			if hits.Total != 12 {
				t.Fatalf("Places(%+v).Total = %d; want 12", q, hits.Total)
			}
			ids = append(ids, hits.IDs...)
			if hits.Next == "" {
				break
			}
			q.Cursor = hits.Next
		}
		if len(ids) != 12 {
			t.Errorf("pages of %+v gave %d ids: %v", q, len(ids), ids)
		}
		if q.Near != nil && (ids[0] != "p00" || ids[11] != "p11") {
			t.Errorf("by distance: %v; want p00 first, p11 last", ids)
		}
		if q.Near == nil && (ids[0] != "p11" || ids[11] != "p00") {
			t.Errorf("by name: %v; want p11 (Lieu 00) first", ids)
		}
	}
	if _, err := x.Places(PlaceQuery{Cursor: "pas-un-curseur"}); err != ErrBadCursor {
		t.Errorf("bad cursor: %v; want ErrBadCursor", err)
	}
	// A cursor of one order is refused by another.
	hits, _ := x.Places(PlaceQuery{Limit: 1})
	if _, err := x.Places(PlaceQuery{Limit: 1, Near: &LatLon{43, 5}, Cursor: hits.Next}); err != ErrBadCursor {
		t.Errorf("name cursor used by distance: %v; want ErrBadCursor", err)
	}
}

func TestTextRanksNameMatchesFirst(t *testing.T) {
	x := indexWith(
		&Place{ID: "a", Nom: "Centre social", PresentationResume: "Un fablab de quartier"},
		&Place{ID: "b", Nom: "Fablab des Flamants"},
	)
	hits, _ := x.Places(PlaceQuery{Text: "fablab"})
	if !slices.Equal(hits.IDs, []string{"b", "a"}) {
		t.Errorf("fablab = %v; want the place named Fablab first", hits.IDs)
	}
	hits, _ = x.Places(PlaceQuery{Text: "fablab quartier"})
	if !slices.Equal(hits.IDs, []string{"a"}) {
		t.Errorf("fablab quartier = %v; want only a (all terms must match)", hits.IDs)
	}
}

func TestRemoveAndReplace(t *testing.T) {
	x := indexWith(&Place{ID: "a", Nom: "Médiathèque"})
	x.PutPlace(&Place{ID: "a", Nom: "Ludothèque", Network: Network{Local: true}})
	if hits, _ := x.Places(PlaceQuery{Text: "mediatheque"}); hits.Total != 0 {
		t.Errorf("old name still found after replace: %v", hits.IDs)
	}
	if hits, _ := x.Places(PlaceQuery{Text: "ludotheque"}); hits.Total != 1 {
		t.Errorf("new name not found: %v", hits.IDs)
	}
	for i := range 3000 { // enough removals to compact the postings
		x.PutPlace(&Place{ID: fmt.Sprint(i), Nom: "Tiers-lieu", Network: Network{Local: true}})
		x.RemovePlace(fmt.Sprint(i))
	}
	x.RemovePlace("a")
	if p, _ := x.Len(); p != 0 {
		t.Errorf("Len after removals = %d; want 0", p)
	}
	if hits, _ := x.Places(PlaceQuery{Text: "tiers lieu"}); hits.Total != 0 {
		t.Errorf("removed places found: %d", hits.Total)
	}
}

func TestEventsOutsideHorizon(t *testing.T) {
	x := NewIndex(time.Date(2026, 1, 1, 0, 0, 0, 0, Paris))
	x.PutPlace(&Place{ID: "p", Nom: "EPN", CodePostal: "13001", Network: Network{Local: true}})
	start := time.Date(2026, 1, 7, 14, 0, 0, 0, Paris)
	x.PutEvent(&Event{ID: "weekly", Lieu: "p", Nom: "Atelier", Debut: start, Fin: start.Add(time.Hour), Recurrence: "FREQ=WEEKLY", Network: Network{Local: true}})
	far := time.Date(2029, 6, 1, 0, 0, 0, 0, Paris)
	hits, err := x.Events(EventQuery{From: far, To: far.AddDate(0, 0, 14)})
	if err != nil || hits.Total != 2 {
		t.Fatalf("two weeks in 2029: %d occurrences, %v; want 2", hits.Total, err)
	}
	if h := hits.Hits[0]; h.Debut.Hour() != 14 || h.Debut.Weekday() != time.Wednesday {
		t.Errorf("2029 occurrence at %v; want a Wednesday at 14:00 Paris time", h.Debut)
	}
	hits, _ = x.Events(EventQuery{From: start.AddDate(0, 0, -1), To: start.AddDate(0, 0, 1), Departement: "13"})
	if hits.Total != 1 {
		t.Errorf("first occurrence in département 13: %d; want 1", hits.Total)
	}
}

func TestDistanceKm(t *testing.T) {
	marseille, toulon := LatLon{43.2965, 5.3698}, LatLon{43.1242, 5.928}
	if d := DistanceKm(marseille, toulon); d < 47 || d > 50 {
		t.Errorf("DistanceKm(Marseille, Toulon) = %.1f; want about 48", d)
	}
	if d := DistanceKm(marseille, marseille); d != 0 {
		t.Errorf("DistanceKm(x, x) = %v", d)
	}
}
