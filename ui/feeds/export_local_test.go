package feeds_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// The values another network gives the Alcazar, newer than ours, so that
// the merged place takes them.
const (
	pacaActor     = "https://paca.example/actor"
	pacaTelephone = "+33400000001"
	pacaService   = "Loisirs et créations numériques"
	pacaName      = "BMVR de l'Alcazar"
)

// mergeAlcazar has the network PACA publish f.alcazar too, with another
// name, phone number and one more service, and checks that lists now show the
// merged place.
func mergeAlcazar(t *testing.T, f *uitest.ExportFixture) {
	t.Helper()
	p := f.Alcazar
	p.ID, p.Sources = "", nil
	p.APID = "https://paca.example/lieux/alcazar"
	p.Network = catalogue.Network{Name: "PACA", Actor: pacaActor}
	p.Nom, p.Telephone = pacaName, pacaTelephone
	p.Services = append(slices.Clone(p.Services), pacaService)
	p.DateMaj = "2026-07-10"
	p.Updated = uitest.Monday.Add(time.Hour)
	p.Normalize()
	if err := f.In.Store.PutRemotePlace("https://paca.example/activities/1", &p); err != nil {
		t.Fatal(err)
	}
	var page struct{ Items []catalogue.Place }
	if st := f.In.Do("GET", "/api/v1/places?q=alcazar", nil, &page); st != http.StatusOK || len(page.Items) != 1 {
		t.Fatalf("GET /api/v1/places?q=alcazar = %d, %d items", st, len(page.Items))
	}
	// Merged: PACA adds a service, but never changes our name or phone here.
	if m := page.Items[0]; len(m.Sources) != 2 || m.Telephone != f.Alcazar.Telephone || m.Nom != f.Alcazar.Nom ||
		!slices.Contains(m.Services, pacaService) || m.ID != f.Alcazar.ID {
		t.Fatalf("the Alcazar is not merged: %+v", m)
	}
}

// exportedCSV reads the places of a CSV export, by id.
func exportedCSV(t *testing.T, body []byte) map[string]*catalogue.Place {
	t.Helper()
	res, err := standard.Read(bytes.NewReader(body), standard.Options{})
	if err != nil || len(res.Rejected) > 0 {
		t.Fatalf("read back: %v %v", err, res.Rejected)
	}
	got := map[string]*catalogue.Place{}
	for _, r := range res.Records {
		if got[r.ID] != nil {
			t.Errorf("place %s exported twice", r.ID)
		}
		got[r.ID] = r.Place
	}
	return got
}

func TestExportLocalGivesOurRecords(t *testing.T) {
	f := uitest.NewExportFixture(t)
	mergeAlcazar(t, f)
	ours := url.QueryEscape(f.In.Store.ActorIRI())
	for _, query := range []string{"network=local", "network=" + ours} {
		// The CSV of the national standard: our two places, our values.
		st, _, body := f.In.Get("/export/lieux.csv?" + query)
		if st != http.StatusOK {
			t.Fatalf("GET /export/lieux.csv?%s = %d", query, st)
		}
		if strings.Contains(string(body), pacaTelephone) || strings.Contains(string(body), "BMVR") || strings.Contains(string(body), "PACA") {
			t.Errorf("/export/lieux.csv?%s holds the values of PACA:\n%s", query, body)
		}
		got := exportedCSV(t, body)
		if len(got) != 2 || got[f.Aix.ID] == nil {
			t.Fatalf("/export/lieux.csv?%s: places %v; want %s and %s", query, slices.Collect(maps.Keys(got)), f.Alcazar.ID, f.Aix.ID)
		}
		if p := got[f.Alcazar.ID]; p == nil || p.Telephone != f.Alcazar.Telephone || !slices.Equal(p.Services, f.Alcazar.Services) {
			t.Errorf("/export/lieux.csv?%s: the Alcazar = %+v; want telephone %s, services %v", query, p, f.Alcazar.Telephone, f.Alcazar.Services)
		}
		// A filter applies to our record, not to the merged place.
		if _, _, body := f.In.Get("/export/lieux.csv?" + query + "&service=" + url.QueryEscape(pacaService)); exportedCSV(t, body)[f.Alcazar.ID] != nil {
			t.Errorf("/export/lieux.csv?%s&service=%s gives the Alcazar, which offers it only in PACA's record", query, pacaService)
		}
	}

	// GeoJSON: each record once, its own id and values, no sources.
	_, _, body := f.In.Get("/export/lieux.geojson?network=local")
	var fc struct {
		Features []struct {
			ID         string
			Properties catalogue.Place
		}
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 2 {
		t.Fatalf("/export/lieux.geojson?network=local: %d features; want 2", len(fc.Features))
	}
	for _, ft := range fc.Features {
		p := ft.Properties
		if ft.ID != p.ID || !p.Network.Local || len(p.Sources) > 0 || p.Telephone == pacaTelephone || slices.Contains(p.Services, pacaService) && p.ID == f.Alcazar.ID {
			t.Errorf("/export/lieux.geojson?network=local: feature %s = %+v", ft.ID, p)
		}
		if p.ID == f.Alcazar.ID && (p.APID != f.Alcazar.APID || p.Telephone != f.Alcazar.Telephone) {
			t.Errorf("/export/lieux.geojson?network=local: the Alcazar = %+v; want %+v", p, f.Alcazar)
		}
	}

	// data·inclusion: our structure, our phone, our services.
	_, _, body = f.In.Get("/export/data-inclusion.json?network=local")
	var doc standard.DataInclusion
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Structures) != 2 || strings.Contains(string(body), pacaTelephone) || strings.Contains(string(body), "BMVR") || strings.Contains(string(body), "PACA") {
		t.Errorf("/export/data-inclusion.json?network=local: %d structures, PACA's values in\n%s", len(doc.Structures), body)
	}

	// Everything, and PACA's places: the merged place, once, under our id.
	for _, query := range []string{"", "?network=" + url.QueryEscape(pacaActor)} {
		_, _, body := f.In.Get("/export/lieux.csv" + query)
		got := exportedCSV(t, body)
		if p := got[f.Alcazar.ID]; p == nil || p.Telephone != f.Alcazar.Telephone || !slices.Contains(p.Services, pacaService) {
			t.Errorf("/export/lieux.csv%s: the Alcazar = %+v; want the merged place, with our phone", query, p)
		}
		if want := map[string]int{"": 3, "?network=" + url.QueryEscape(pacaActor): 1}[query]; len(got) != want {
			t.Errorf("/export/lieux.csv%s: %d places; want %d", query, len(got), want)
		}
	}
}

func TestExportLocalImportsUnchanged(t *testing.T) {
	f := uitest.NewExportFixture(t)
	mergeAlcazar(t, f)
	for _, tc := range []struct{ path, mediaType string }{
		{"/export/lieux.csv?network=local", "text/csv"},
		{"/export/lieux.csv?network=local&colonnes=maillage", "text/csv"},
		{"/export/lieux.geojson?network=local", "application/geo+json"},
	} {
		_, _, body := f.In.Get(tc.path)
		var a uitest.ImportAnswer
		if st := f.In.PostFile("/api/v1/import", tc.mediaType, body, &a); st != http.StatusOK {
			t.Fatalf("POST /api/v1/import of %s = %d %s", tc.path, st, a.Error)
		}
		if got, want := a.Brief(), "0 created, 0 updated, 2 unchanged, 0 rejected"; !strings.HasPrefix(got, want) {
			t.Errorf("import of %s: %s; want %s", tc.path, got, want)
		}
	}
	for _, want := range []catalogue.Place{f.Alcazar, f.Aix} {
		got, err := f.In.Store.Place(want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Telephone != want.Telephone || !slices.Equal(got.Services, want.Services) || !got.Updated.Equal(want.Updated) {
			t.Errorf("after the imports, %s = %+v; want %+v", want.Nom, got, want)
		}
	}
}

func TestExportLocalEventsAtOurPlaces(t *testing.T) {
	f := uitest.NewExportFixture(t)
	mergeAlcazar(t, f)
	for _, path := range []string{"/export/evenements.ics", "/feed/evenements.atom"} {
		// Our events, at our places as we publish them.
		_, _, body := f.In.Get(path + "?network=local")
		if !strings.Contains(string(body), "Café numérique") || !strings.Contains(string(body), "Médiathèque de l") || strings.Contains(string(body), "BMVR") {
			t.Errorf("%s?network=local: want the Café numérique at the Médiathèque de l'Alcazar, not the BMVR:\n%s", path, body)
		}
		// Everything: the places as the public sees them, merged, under
		// our own name (another network never renames our place here).
		_, _, body = f.In.Get(path)
		if !strings.Contains(string(body), "Médiathèque de l") || strings.Contains(string(body), "BMVR") {
			t.Errorf("%s: want the Café numérique at the merged place, under our name:\n%s", path, body)
		}
	}
}
