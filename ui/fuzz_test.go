package ui

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// FuzzPublicQueries: no query string a visitor sends to the public
// searches (pages, widgets, orientation, the JSON API, communes, exports) makes a
// handler panic or answer 500, on a catalogue holding the two crash
// values of issue 16.
func FuzzPublicQueries(f *testing.F) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, catalogue.Paris)
	st, err := storage.Open(f.TempDir(), storage.Options{BaseURL: "http://maillage.test", Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	lat, lon := 43.3, 5.4
	p := &catalogue.Place{Pivot: "43493312300029", Nom: "EPN du Panier", Adresse: "2 rue du Panier", CodePostal: "13002",
		Commune: "Marseille", Latitude: &lat, Longitude: &lon, DateMaj: "2026-01-05", Horaires: "0:00-",
		Services: []string{"Aide aux démarches administratives"}}
	p.Normalize()
	if err := st.CreatePlace(p); err != nil {
		f.Fatal(err)
	}
	e := &catalogue.Event{Nom: "Atelier", Lieu: p.ID, Debut: now.Add(time.Hour), Fin: now.Add(2 * time.Hour), Recurrence: "FREQ=MONTHLY;BYDAY=10FR"}
	e.Normalize()
	if err := st.CreateEvent(e); err != nil {
		f.Fatal(err)
	}
	h := New(Config{Store: st, Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	paths := []string{"/lieux", "/evenements", "/widget/lieux", "/widget/evenements", "/orientation", "/orientation/fiche",
		"/statistiques", "/communes", "/api/v1/places", "/api/v1/events", "/api/v1/stats",
		"/export/lieux.csv", "/export/lieux.geojson", "/export/evenements.ics", "/competences"}
	for i, q := range []string{
		"q=epn&ou=Marseille+(13)&service=Aide+aux+d%C3%A9marches+administratives&quand=maintenant",
		"ou=13002&near=43.3,5.4&radius_km=10&limit=5&cursor=dAAx",
		"from=2026-03-01T00:00:00Z&to=2030-01-01T00:00:00Z&departement=2A",
		"q=%FF%00&ou=%E2%80%AE&public=x|y&page=-1",
		"prefix=ma&n=999999",
		"competence=impression-3d|*&competence=%FF&ou=13&q=arduino",
	} {
		f.Add(uint8(i), q)
	}
	f.Fuzz(func(t *testing.T, which uint8, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		path := paths[int(which)%len(paths)]
		r := httptest.NewRequest(http.MethodGet, path+"?"+v.Encode(), nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("GET %s?%s = %d: %s", path, v.Encode(), w.Code, w.Body.String())
		}
	})
}
