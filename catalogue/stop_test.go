package catalogue

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// validStop is a mobile unit's stop in a village with no place: Mane
// (04), whose commune centre is about 40 km from Digne.
func validStop() *Stop {
	return &Stop{Nom: "Salle des fêtes", Adresse: "Place de la Mairie", CodePostal: "04300", Commune: "Mane"}
}

func TestStopValidation(t *testing.T) {
	lat, bad := 43.93, 91.0
	cases := []struct {
		name  string
		edit  func(e *Event)
		field string
	}{
		{"valid", func(e *Event) {}, ""},
		{"commune alone", func(e *Event) { e.Etape.Adresse, e.Etape.CodePostal = "", "" }, ""},
		{"postal code alone", func(e *Event) { e.Etape.Commune = "" }, ""},
		{"empty stop is none", func(e *Event) { e.Etape = &Stop{} }, ""},
		{"no organiser", func(e *Event) { e.Lieu = "" }, "lieu"},
		{"no spot name", func(e *Event) { e.Etape.Nom = "  " }, "etape.nom"},
		{"nowhere", func(e *Event) { e.Etape.Commune, e.Etape.CodePostal = "", "" }, "etape.commune"},
		{"postal code", func(e *Event) { e.Etape.CodePostal = "4300" }, "etape.code_postal"},
		{"insee code", func(e *Event) { e.Etape.CodeINSEE = "X4111" }, "etape.code_insee"},
		{"latitude alone", func(e *Event) { e.Etape.Latitude = &lat }, "etape.longitude"},
		{"latitude out of range", func(e *Event) { e.Etape.Latitude, e.Etape.Longitude = &bad, &lat }, "etape.latitude"},
		{"bad UTF-8", func(e *Event) { e.Etape.Nom = "Salle\xff" }, "etape.nom"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := validEvent()
			e.Etape = validStop()
			c.edit(e)
			e.Normalize()
			err := e.Validate()
			var verr *ValidationError
			switch {
			case c.field == "" && err != nil:
				t.Fatalf("Validate() = %v; want nil", err)
			case c.field == "":
			case !errors.As(err, &verr):
				t.Fatalf("Validate() = %v; want a ValidationError naming %s", err, c.field)
			case verr.Fields[c.field] == "" || len(verr.Fields) != 1:
				t.Fatalf("Validate() fields = %v; want only %s", verr.Fields, c.field)
			}
		})
	}
	e := validEvent()
	e.Etape = &Stop{Nom: " ", Commune: "\t"}
	e.Normalize()
	if e.Etape != nil {
		t.Errorf("Normalize kept an empty stop: %+v", e.Etape)
	}
}

func TestEventPosition(t *testing.T) {
	base := validPlace()
	lat, lon := 43.938, 5.739
	cases := []struct {
		name  string
		stop  *Stop
		place *Place
		lat   float64
		ok    bool
	}{
		{"at its place", nil, base, *base.Latitude, true},
		{"place unknown", nil, nil, 0, false},
		{"at a stop", &Stop{Nom: "Salle", Commune: "Mane", Latitude: &lat, Longitude: &lon}, base, lat, true},
		{"stop not located is not the base", &Stop{Nom: "Salle", Commune: "Mane"}, base, 0, false},
	}
	for _, c := range cases {
		e := validEvent()
		e.Etape = c.stop
		if got, _, ok := e.Position(c.place); got != c.lat || ok != c.ok {
			t.Errorf("%s: Position() = %v, %v; want %v, %v", c.name, got, ok, c.lat, c.ok)
		}
	}
}

func TestIndexFindsStops(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, Paris)
	x := NewIndex(now)
	// The unit's base is in Digne (04); it stops at Mane (04), 40 km
	// away, and once at Apt (84), in another département.
	dLat, dLon := 44.092, 6.236
	x.PutPlace(&Place{ID: "bus", Nom: "Bus numérique", CodePostal: "04000", CodeINSEE: "04070", Latitude: &dLat, Longitude: &dLon,
		Itinerance: []string{"Itinérant"}, Network: Network{Local: true}})
	mLat, mLon := 43.938, 5.739
	aLat, aLon := 43.876, 5.396
	start := time.Date(2026, 12, 2, 14, 0, 0, 0, Paris)
	x.PutEvent(&Event{ID: "mane", Lieu: "bus", Nom: "Permanence numérique", Debut: start, Fin: start.Add(2 * time.Hour),
		Recurrence: "FREQ=WEEKLY;COUNT=4", Network: Network{Local: true},
		Etape: &Stop{Nom: "Salle des fêtes", CodePostal: "04300", Commune: "Mane", CodeINSEE: "04111", Latitude: &mLat, Longitude: &mLon}})
	x.PutEvent(&Event{ID: "apt", Lieu: "bus", Nom: "Permanence numérique", Debut: start.AddDate(0, 0, 1), Fin: start.AddDate(0, 0, 1).Add(2 * time.Hour),
		Network: Network{Local: true}, Etape: &Stop{Nom: "Marché", CodePostal: "84400", Commune: "Apt", Latitude: &aLat, Longitude: &aLon}})
	x.PutEvent(&Event{ID: "base", Lieu: "bus", Nom: "Atelier au garage", Debut: start, Fin: start.Add(time.Hour), Network: Network{Local: true}})

	month := EventQuery{From: now, To: now.AddDate(0, 1, 0)}
	for _, c := range []struct {
		dept string
		want int
	}{{"04", 5}, {"84", 1}} {
		q := month
		q.Departement = c.dept
		if hits, err := x.Events(q); err != nil || hits.Total != c.want {
			t.Errorf("events in %s: %d, %v; want %d (a stop is in its own département)", c.dept, hits.Total, err, c.want)
		}
	}
	q := month
	q.Text = "Mane"
	if hits, _ := x.Events(q); hits.Total != 4 || hits.Hits[0].ID != "mane" {
		t.Errorf("events with text Mane: %+v; want the 4 stops at Mane", hits)
	}
	hits := x.StopsNear(LatLon{mLat, mLon}, 10, now, now.AddDate(0, 1, 0), 3)
	if hits.Total != 4 || len(hits.Hits) != 3 || hits.Hits[0].ID != "mane" || !hits.Hits[0].Debut.Equal(start) {
		t.Errorf("StopsNear(Mane, 10 km) = %+v; want the 4 occurrences at Mane, 3 shown, from %v", hits, start)
	}
	if hits := x.StopsNear(LatLon{dLat, dLon}, 10, now, now.AddDate(0, 1, 0), 10); hits.Total != 0 {
		t.Errorf("StopsNear(Digne, 10 km) = %+v; want none: the base holds no stop", hits)
	}
	// Compaction renumbers the events: the stops follow.
	for i := range 1500 {
		id := fmt.Sprint("tmp", i)
		x.PutEvent(&Event{ID: id, Lieu: "bus", Nom: "Atelier", Debut: start, Fin: start.Add(time.Hour), Network: Network{Local: true}})
		x.RemoveEvent(id)
	}
	if hits := x.StopsNear(LatLon{mLat, mLon}, 10, now, now.AddDate(0, 1, 0), 3); hits.Total != 4 {
		t.Errorf("StopsNear(Mane) after compaction = %+v; want the 4 occurrences", hits)
	}
	x.RemoveEvent("mane")
	if hits := x.StopsNear(LatLon{mLat, mLon}, 10, now, now.AddDate(0, 1, 0), 3); hits.Total != 0 {
		t.Errorf("StopsNear after removal = %+v; want none", hits)
	}
}

// BenchmarkStopsNear is what a search of places near a commune adds:
// the stops near it, among 100,000 events of which 1,000 at stops.
func BenchmarkStopsNear(b *testing.B) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, Paris)
	x := NewIndex(now)
	lat, lon := 44.0, 5.5
	x.PutPlace(&Place{ID: "p", Nom: "EPN", CodePostal: "04000", Latitude: &lat, Longitude: &lon, Network: Network{Local: true}})
	for i := range 100000 {
		start := now.Add(time.Duration(i%2000) * time.Hour)
		e := &Event{ID: fmt.Sprint(i), Lieu: "p", Nom: "Atelier", Debut: start, Fin: start.Add(time.Hour), Network: Network{Local: true}}
		if i%100 == 0 {
			sLat, sLon := 43+float64(i%700)/100, 4+float64(i%500)/100
			e.Etape = &Stop{Nom: "Salle", CodePostal: "04300", Latitude: &sLat, Longitude: &sLon}
			e.Recurrence = "FREQ=WEEKLY;COUNT=10"
		}
		x.PutEvent(e)
	}
	b.ResetTimer()
	for b.Loop() {
		x.StopsNear(LatLon{43.94, 5.74}, 10, now, now.AddDate(0, 0, 62), 3)
	}
}
