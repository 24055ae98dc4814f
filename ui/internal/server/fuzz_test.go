package server

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// FuzzQuery: no query string a visitor sends makes the parsing of a
// search of places or events, or the search it gives, panic; a query the
// parser accepts is either searched or refused for its cursor.
func FuzzQuery(f *testing.F) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, catalogue.Paris)
	s := &Server{Now: func() time.Time { return now }}
	x := catalogue.NewIndex(now)
	lat, lon := 43.3, 5.4
	x.PutPlace(&catalogue.Place{ID: "p1", Nom: "EPN du Panier", Latitude: &lat, Longitude: &lon, Horaires: "0:00-"})
	x.PutEvent(&catalogue.Event{ID: "e1", Nom: "Atelier", Lieu: "p1", Debut: now, Fin: now.Add(time.Hour), Recurrence: "FREQ=MONTHLY;BYDAY=10FR"})
	for _, q := range []string{
		"q=epn&service=Aide+aux+d%C3%A9marches+administratives&near=43.3,5.4&radius_km=10&limit=5",
		"departement=2A&open_now=1&public=jeunes|seniors&label=Aidants+Connect",
		"from=2026-03-01T00:00:00Z&to=2026-02-01T00:00:00Z&cursor=dAAx",
		"near=91,500&radius_km=-1&limit=0&open_at=tomorrow",
		"q=%FF%00&cursor=%00",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := httptest.NewRequest("GET", "/api/v1/places", nil)
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		r.URL.RawQuery = v.Encode()
		if q, err := s.PlaceQuery(r); err == nil {
			if _, err := x.Places(q); err != nil && !errors.Is(err, catalogue.ErrBadCursor) {
				t.Fatalf("Places(%q): %v", raw, err)
			}
		}
		if q, err := s.EventQuery(r); err == nil {
			if _, err := x.Events(q); err != nil && !errors.Is(err, catalogue.ErrBadCursor) {
				t.Fatalf("Events(%q): %v", raw, err)
			}
		}
	})
}

// FuzzDecodeBody: no body makes the decoding panic; invalid UTF-8 is
// refused with a field named, never decoded replaced.
func FuzzDecodeBody(f *testing.F) {
	s := &Server{MaxBody: 1 << 20}
	f.Add([]byte(`{"nom":"EPN","horaires":"0:00-","services":["a"]}`))
	f.Add([]byte("{\"nom\":\"EPN\xff\"}"))
	f.Add([]byte(`{"id":"x","capacite":1e999,"debut":"2026-13-45T00:00:00Z"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var p catalogue.Place
		r := httptest.NewRequest("POST", "/api/v1/places", bytes.NewReader(body))
		err := s.DecodeBody(httptest.NewRecorder(), r, &p)
		var bad *BadRequest
		if _, invalid := catalogue.InvalidUTF8Field(body); invalid && (!errors.As(err, &bad) || len(bad.Fields) != 1) {
			t.Fatalf("DecodeBody(%q) = %v; want the invalid UTF-8 refused, its field named", body, err)
		}
		var e catalogue.Event
		s.DecodeBody(httptest.NewRecorder(), httptest.NewRequest("POST", "/api/v1/events", bytes.NewReader(body)), &e)
	})
}
