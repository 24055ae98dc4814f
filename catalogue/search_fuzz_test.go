package catalogue

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// FuzzSearch: no query a visitor can build (text, département, cursor,
// position, radius, limit, opening time, date range) makes a search of
// places or events panic; the only error is a bad cursor.
func FuzzSearch(f *testing.F) {
	x := NewIndex(time.Date(2026, 1, 1, 0, 0, 0, 0, Paris))
	for i := range 20 {
		p := &Place{ID: fmt.Sprintf("p%02d", i), Nom: fmt.Sprintf("Médiathèque %d", i), Commune: "Marseille",
			CodePostal: "13001", CodeINSEE: "13201", Latitude: floatp(43 + float64(i)/100), Longitude: floatp(5),
			Services: []string{"Aide aux démarches administratives"}, Horaires: "Mo-Fr 09:00-12:00; PH off"}
		if i%3 == 0 {
			p.Horaires = "0:00-" // unreadable: flagged, never open
		}
		p.Normalize()
		x.PutPlace(p)
		start := time.Date(2026, 1, 5+i, 14, 0, 0, 0, Paris)
		e := &Event{ID: fmt.Sprintf("e%02d", i), Nom: "Atelier smartphone", Lieu: p.ID, Debut: start, Fin: start.Add(2 * time.Hour)}
		switch i % 4 {
		case 1:
			e.Recurrence = "FREQ=WEEKLY;BYDAY=WE"
		case 2:
			e.Recurrence = "FREQ=MONTHLY;BYDAY=10FR" // stored before the bounds: one occurrence
		}
		x.PutEvent(e)
	}
	f.Add("médiathèque", "13", "", 43.0, 5.0, 10.0, 5, int64(1767603600), int64(1767225600), int64(86400*90))
	f.Add("", "2A", "dAAx", 91.0, 500.0, -1.0, -3, int64(0), int64(-1<<40), int64(1<<40))
	f.Add("l'atelier des ateliers", "", "cDEuNQBwMDE", 0.0, 0.0, 0.0, 1000000, int64(1<<35), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, text, dept, cursor string, lat, lon, radius float64, limit int, openAt, from, span int64) {
		q := PlaceQuery{Text: text, Departement: dept, Cursor: cursor, Limit: limit, RadiusKm: radius,
			Services: []string{text}, Network: dept}
		if lat != 0 || lon != 0 {
			q.Near = &LatLon{lat, lon}
		}
		if openAt != 0 {
			q.OpenAt = time.Unix(openAt%(1<<36), 0)
		}
		if _, err := x.Places(q); err != nil && !errors.Is(err, ErrBadCursor) {
			t.Fatalf("Places(%+v): %v", q, err)
		}
		start := time.Unix(from%(1<<36), 0)
		eq := EventQuery{Text: text, Departement: dept, Cursor: cursor, Limit: limit, From: start, Place: dept}
		if span != 0 {
			eq.To = start.Add(time.Duration(span%(1<<31)) * time.Second)
		}
		if _, err := x.Events(eq); err != nil && !errors.Is(err, ErrBadCursor) {
			t.Fatalf("Events(%+v): %v", eq, err)
		}
	})
}
