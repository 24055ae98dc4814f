package catalogue

import (
	"slices"
	"testing"
)

// TestPlacesPublicsOpen: a senior's search keeps the places open to
// everyone, after those that address seniors, nearest first within each,
// page by page; places for another public only stay out, and without
// PublicsOpen only the specialised places match.
func TestPlacesPublicsOpen(t *testing.T) {
	at := func(id string, km float64, publics []string, prises []string) *Place {
		return &Place{ID: id, Nom: id, Latitude: floatp(43 + km/111), Longitude: floatp(5), Publics: publics, PriseEnCharge: prises}
	}
	x := indexWith(
		at("seniors-loin", 8, []string{"Seniors"}, nil),
		at("seniors-pres", 3, []string{"Seniors", "Jeunes"}, nil),
		at("tous-pres", 1, nil, nil),
		at("tous-surdite", 2, nil, []string{"Surdité"}),
		at("jeunes", 0.5, []string{"Jeunes"}, nil),
	)
	near := &LatLon{43, 5}
	for _, q := range []struct {
		q    PlaceQuery
		want []string
	}{
		{PlaceQuery{Publics: []string{"Seniors"}, PublicsOpen: true, Near: near}, []string{"seniors-pres", "seniors-loin", "tous-pres", "tous-surdite"}},
		{PlaceQuery{Publics: []string{"Seniors"}, PublicsOpen: true}, []string{"seniors-loin", "seniors-pres", "tous-pres", "tous-surdite"}},
		{PlaceQuery{Publics: []string{"Seniors"}, Near: near}, []string{"seniors-pres", "seniors-loin"}},
		// A prise en charge stays a requirement.
		{PlaceQuery{Publics: []string{"Surdité"}, PublicsOpen: true, Near: near}, []string{"tous-surdite"}},
	} {
		var ids []string
		var dists []float64
		q.q.Limit = 1
		for {
			hits, err := x.Places(q.q)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, hits.IDs...)
			dists = append(dists, hits.Distances...)
			if hits.Next == "" {
				break
			}
			q.q.Cursor = hits.Next
		}
		if !slices.Equal(ids, q.want) {
			t.Errorf("Places(%+v) = %v; want %v", q.q, ids, q.want)
		}
		for _, d := range dists {
			if d > 10 {
				t.Errorf("Places(%+v): distance %v km; want the real distance, not the rank", q.q, d)
			}
		}
	}
}
