package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/storage"
)

// get fetches path and returns the status, the media type and the body.
func (in *instance) get(path string) (int, string, []byte) {
	in.t.Helper()
	resp, err := in.srv.Client().Get(in.srv.URL + path)
	if err != nil {
		in.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		in.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// exportFixture is an instance named "Arsenic 13" with two local places,
// a place of another network, and their events.
type exportFixture struct {
	in                    *instance
	alcazar, aix, remote  catalogue.Place
	single, weekly, gone  catalogue.Event
	remoteEvent           *catalogue.Event
	description, longName string
}

func newExportFixture(t *testing.T) *exportFixture {
	t.Helper()
	in := newInstance(t)
	if err := in.store.SetSettings(storage.Settings{Name: "Arsenic 13"}); err != nil {
		t.Fatal(err)
	}
	f := &exportFixture{in: in}
	f.alcazar = in.createPlace(nil)
	f.aix = in.createPlace(map[string]any{
		"nom": "Œuvre « Là-haut » : l’atelier", "adresse": "1 rue de l’Église", "code_postal": "13100",
		"commune": "Aix-en-Provence", "code_insee": "13001", "latitude": 43.5297, "longitude": 5.4474,
		"services": []string{"Loisirs et créations numériques"}, "typologie": []string{"TIERS_LIEUX"},
		"champs_intervention": []string{"Pratiques collaboratives"}, "horaires": "Mo-Fr 09:00-12:00",
	})
	lat, lon := 45.764, 4.8357
	remote := &catalogue.Place{
		APID: "https://hinaura.example/lieux/r1", Pivot: "00000000000000", Nom: "Espace numérique de Lyon",
		Adresse: "2 place Bellecour", CodePostal: "69002", Commune: "Lyon", Latitude: &lat, Longitude: &lon,
		Services: []string{"Aide aux démarches administratives"}, DateMaj: "2026-05-01",
		Network: catalogue.Network{Name: "Hinaura", Actor: "https://hinaura.example/actor"},
		Updated: monday.Add(-time.Hour),
	}
	remote.Normalize()
	if err := in.store.PutRemotePlace("https://hinaura.example/activities/1", remote); err != nil {
		t.Fatal(err)
	}
	var err error
	if r, err := in.store.Place(remote.APID); err == nil {
		f.remote = *r
	} else {
		t.Fatal(err)
	}

	f.description = "<p>Apprendre, pas à pas ; avec un <strong>médiateur</strong>.</p><p>Venez avec votre téléphone, votre tablette, vos questions : nous répondrons à toutes, une par une, sans jargon !</p>"
	f.longName = "Atelier smartphone : installer, mettre à jour et désinstaller une application, gérer ses notifications"
	f.single = in.createEvent(map[string]any{
		"nom": "Café numérique", "debut": "2026-07-20T10:00:00+02:00", "fin": "2026-07-20T12:00:00+02:00",
		"lieu": f.alcazar.ID, "services": []string{"Aide aux démarches administratives"}, "capacite": 12,
	})
	// Weekly across the end of summer time (25 October 2026).
	f.weekly = in.createEvent(map[string]any{
		"nom": f.longName, "description": f.description,
		"debut": "2026-10-14T14:00:00+02:00", "fin": "2026-10-14T16:00:00+02:00",
		"lieu": f.aix.APID, "recurrence": "FREQ=WEEKLY;BYDAY=WE;UNTIL=20261104",
		"services": []string{"Maîtrise des outils numériques du quotidien", "Loisirs et créations numériques"},
	})
	f.gone = in.createEvent(map[string]any{
		"nom": "Atelier annulé", "debut": "2026-07-22T10:00:00+02:00", "fin": "2026-07-22T11:00:00+02:00",
		"lieu": f.alcazar.ID, "statut": "annule",
	})
	f.remoteEvent = &catalogue.Event{
		APID: "https://hinaura.example/evenements/e1", Nom: "Permanence France Services",
		Debut: time.Date(2026, 7, 21, 9, 0, 0, 0, catalogue.Paris), Fin: time.Date(2026, 7, 21, 12, 0, 0, 0, catalogue.Paris),
		Lieu: remote.APID, Network: remote.Network, Updated: monday.Add(-time.Hour),
	}
	f.remoteEvent.Normalize()
	if err = in.store.PutRemoteEvent("https://hinaura.example/activities/2", f.remoteEvent); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestExportPlacesCSV(t *testing.T) {
	f := newExportFixture(t)
	st, ct, body := f.in.get("/export/lieux.csv")
	if st != 200 || !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("GET /export/lieux.csv = %d %s", st, ct)
	}
	if head, _, _ := strings.Cut(string(body), "\n"); head != strings.Join(standard.ColumnsV1, ",") {
		t.Errorf("header = %s", head)
	}
	res, err := standard.Read(bytes.NewReader(body), standard.Options{Today: "2026-07-13"})
	if err != nil || len(res.Rejected) > 0 {
		t.Fatalf("read back: %v %v", err, res.Rejected)
	}
	got := map[string]*catalogue.Place{}
	for _, r := range res.Records {
		got[r.ID] = r.Place
	}
	// Local and aggregated places, each with its network as source, and
	// read back as they are.
	for _, want := range []catalogue.Place{f.alcazar, f.aix, f.remote} {
		p := got[want.ID]
		if p == nil {
			t.Fatalf("place %s (%s) not exported: %v", want.ID, want.Nom, res.Records)
		}
		if p.Source != want.Network.Name {
			t.Errorf("%s: source = %q; want its network %q", want.Nom, p.Source, want.Network.Name)
		}
		p.Source, want.Source = "", ""
		want.ID, want.APID, want.Network, want.Updated = "", "", catalogue.Network{}, time.Time{}
		want.ChampsIntervention, want.Equipements = nil, nil
		if g, w := mustJSON(t, p), mustJSON(t, &want); g != w {
			t.Errorf("round trip of %s:\n%s\nwant\n%s", want.Nom, g, w)
		}
	}
	// The filters of the API list.
	for query, want := range map[string][]string{
		"service=" + url.QueryEscape("Loisirs et créations numériques"): {f.aix.ID},
		"network=local": {f.alcazar.ID, f.aix.ID},
		"network=" + url.QueryEscape("https://hinaura.example/actor"): {f.remote.ID},
		"departement=13&limit=1&cursor=whatever":                      {f.alcazar.ID, f.aix.ID},
		"q=alcazar":                                                   {f.alcazar.ID},
	} {
		_, _, body := f.in.get("/export/lieux.csv?" + query)
		res, err := standard.Read(bytes.NewReader(body), standard.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range res.Records {
			ids = append(ids, r.ID)
		}
		slices.Sort(ids)
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Errorf("/export/lieux.csv?%s = %v; want %v", query, ids, want)
		}
	}
	// Maillage's own columns on demand.
	_, _, body = f.in.get("/export/lieux.csv?colonnes=maillage&q=" + url.QueryEscape("Là-haut"))
	if !strings.Contains(string(body), ",champs_intervention,equipements\n") || !strings.Contains(string(body), "Pratiques collaboratives") {
		t.Errorf("colonnes=maillage:\n%s", body)
	}
	var e apiError
	if st := f.in.do("GET", "/export/lieux.csv?service=Cuisine", nil, &e); st != 400 || e.Fields["service"] == "" {
		t.Errorf("bad filter = %d %+v; want 400 naming service", st, e)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExportGeoJSON(t *testing.T) {
	f := newExportFixture(t)
	st, ct, body := f.in.get("/export/lieux.geojson")
	if st != 200 || ct != "application/geo+json" {
		t.Fatalf("GET /export/lieux.geojson = %d %s", st, ct)
	}
	var fc struct {
		Type     string
		Features []struct {
			Type     string
			ID       string
			Geometry struct {
				Type        string
				Coordinates []float64
			}
			Properties catalogue.Place
		}
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 3 {
		t.Fatalf("type %s with %d features", fc.Type, len(fc.Features))
	}
	for _, ft := range fc.Features {
		p := ft.Properties
		if ft.Type != "Feature" || ft.ID != p.ID || ft.Geometry.Type != "Point" {
			t.Errorf("feature %s: %+v", p.Nom, ft)
		}
		// RFC 7946: longitude first.
		if c := ft.Geometry.Coordinates; len(c) != 2 || c[0] != *p.Longitude || c[1] != *p.Latitude {
			t.Errorf("%s: coordinates %v; want [%v %v]", p.Nom, c, *p.Longitude, *p.Latitude)
		}
		if p.Network.Name == "" || p.Source != p.Network.Name {
			t.Errorf("%s: network %+v, source %q", p.Nom, p.Network, p.Source)
		}
	}
	// The standard's reader takes GeoJSON back.
	res, err := standard.Read(bytes.NewReader(body), standard.Options{})
	if err != nil || len(res.Records) != 3 {
		t.Fatalf("read back = %v, %+v", err, res)
	}
}

func TestExportDataInclusion(t *testing.T) {
	f := newExportFixture(t)
	st, ct, body := f.in.get("/export/data-inclusion.json?network=local")
	if st != 200 || !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET /export/data-inclusion.json = %d %s", st, ct)
	}
	var doc standard.DataInclusion
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Structures) != 2 || len(doc.Services) != 2 {
		t.Fatalf("%d structures, %d services; want 2 and 2", len(doc.Structures), len(doc.Services))
	}
	for i, s := range doc.Structures {
		if s.Source != "Arsenic 13" || doc.Services[i].StructureID != s.ID || !strings.HasPrefix(s.LienSource, f.in.srv.URL+"/lieux/") {
			t.Errorf("structure %+v, service %+v", s, doc.Services[i])
		}
	}
}

func TestCataloguePDFRoute(t *testing.T) {
	f := newExportFixture(t)
	for _, q := range []string{"", "?groupe=commune", "?groupe=champ&service=" + url.QueryEscape("Loisirs et créations numériques")} {
		st, ct, body := f.in.get("/catalogue.pdf" + q)
		if st != 200 || ct != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF-")) || !bytes.Contains(body, []byte("%%EOF")) {
			t.Errorf("GET /catalogue.pdf%s = %d %s, %d bytes", q, st, ct, len(body))
		}
		// Each place's QR code links to its page.
		if !bytes.Contains(body, []byte("("+f.aix.APID+")")) {
			t.Errorf("GET /catalogue.pdf%s: no link to %s", q, f.aix.APID)
		}
	}
	var e apiError
	if st := f.in.do("GET", "/catalogue.pdf?groupe=departement", nil, &e); st != 400 || e.Fields["groupe"] == "" {
		t.Errorf("bad groupe = %d %+v", st, e)
	}
	resp, err := f.in.srv.Client().Head(f.in.srv.URL + "/export/lieux.csv")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("HEAD /export/lieux.csv = %v %v", resp, err)
	}
}

func TestExportFunction(t *testing.T) {
	f := newExportFixture(t)
	var b bytes.Buffer
	if err := Export(&b, f.in.store, FormatCSV, url.Values{"network": {"local"}}, monday); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n != 3 {
		t.Errorf("Export csv network=local: %d lines; want 3", n)
	}
	if err := Export(io.Discard, f.in.store, "xls", nil, monday); !errors.Is(err, ErrFormat) {
		t.Errorf("Export xls = %v; want ErrFormat", err)
	}
	if err := Export(io.Discard, f.in.store, FormatCSV, url.Values{"service": {"Cuisine"}}, monday); err == nil || !strings.Contains(err.Error(), "service") {
		t.Errorf("Export with a bad filter = %v; want an error naming service", err)
	}
	for _, format := range ExportFormats {
		b.Reset()
		if err := Export(&b, f.in.store, format, nil, monday); err != nil || b.Len() == 0 {
			t.Errorf("Export %s = %v, %d bytes", format, err, b.Len())
		}
	}
	_ = http.StatusOK
}

func TestCataloguePDFTooBig(t *testing.T) {
	in := newInstance(t)
	if err := in.store.CreatePlaces(sample.Places(MaxCataloguePlaces+1, 3)); err != nil {
		t.Fatal(err)
	}
	var e apiError
	if st := in.do("GET", "/catalogue.pdf", nil, &e); st != 400 || !strings.Contains(e.Fields["filtres"], "5001 lieux") {
		t.Errorf("GET /catalogue.pdf of %d places = %d %+v; want 400", MaxCataloguePlaces+1, st, e)
	}
	if st, ct, _ := in.get("/catalogue.pdf?departement=48"); st != 200 || ct != "application/pdf" {
		t.Errorf("GET /catalogue.pdf?departement=48 = %d %s", st, ct)
	}
}
