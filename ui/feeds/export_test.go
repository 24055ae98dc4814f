package feeds_test

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
	"github.com/maillage/maillage/ui/feeds"
	"github.com/maillage/maillage/ui/internal/server"
	"github.com/maillage/maillage/ui/internal/uitest"
)

func TestExportPlacesCSV(t *testing.T) {
	f := uitest.NewExportFixture(t)
	st, ct, body := f.In.Get("/export/lieux.csv")
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
	for _, want := range []catalogue.Place{f.Alcazar, f.Aix, f.Remote} {
		p := got[want.ID]
		if p == nil {
			t.Fatalf("place %s (%s) not exported: %v", want.ID, want.Nom, res.Records)
		}
		if p.Source != want.Network.Name {
			t.Errorf("%s: source = %q; want its network %q", want.Nom, p.Source, want.Network.Name)
		}
		p.Source, want.Source = "", ""
		want.ID, want.APID, want.Network, want.Updated, want.Published = "", "", catalogue.Network{}, time.Time{}, time.Time{}
		want.ChampsIntervention, want.Equipements = nil, nil
		if g, w := uitest.MustJSON(t, p), uitest.MustJSON(t, &want); g != w {
			t.Errorf("round trip of %s:\n%s\nwant\n%s", want.Nom, g, w)
		}
	}
	// The filters of the API list.
	for query, want := range map[string][]string{
		"service=" + url.QueryEscape("Loisirs et créations numériques"): {f.Aix.ID},
		"network=local": {f.Alcazar.ID, f.Aix.ID},
		"network=" + url.QueryEscape("https://hinaura.example/actor"): {f.Remote.ID},
		"departement=13&limit=1&cursor=whatever":                      {f.Alcazar.ID, f.Aix.ID},
		"q=alcazar":                                                   {f.Alcazar.ID},
	} {
		_, _, body := f.In.Get("/export/lieux.csv?" + query)
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
	_, _, body = f.In.Get("/export/lieux.csv?colonnes=maillage&q=" + url.QueryEscape("Là-haut"))
	if !strings.Contains(string(body), ",champs_intervention,equipements,competences,competences_libelles\n") || !strings.Contains(string(body), "Pratiques collaboratives") {
		t.Errorf("colonnes=maillage:\n%s", body)
	}
	var e server.APIError
	if st := f.In.Do("GET", "/export/lieux.csv?service=Cuisine", nil, &e); st != 400 || e.Fields["service"] == "" {
		t.Errorf("bad filter = %d %+v; want 400 naming service", st, e)
	}
}

func TestExportGeoJSON(t *testing.T) {
	f := uitest.NewExportFixture(t)
	st, ct, body := f.In.Get("/export/lieux.geojson")
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
	f := uitest.NewExportFixture(t)
	st, ct, body := f.In.Get("/export/data-inclusion.json?network=local")
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
		if s.Source != "Arsenic 13" || doc.Services[i].StructureID != s.ID || !strings.HasPrefix(s.LienSource, f.In.Srv.URL+"/lieux/") {
			t.Errorf("structure %+v, service %+v", s, doc.Services[i])
		}
	}
}

func TestCataloguePDFRoute(t *testing.T) {
	f := uitest.NewExportFixture(t)
	for _, q := range []string{"", "?groupe=commune", "?groupe=champ&service=" + url.QueryEscape("Loisirs et créations numériques")} {
		st, ct, body := f.In.Get("/catalogue.pdf" + q)
		if st != 200 || ct != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF-")) || !bytes.Contains(body, []byte("%%EOF")) {
			t.Errorf("GET /catalogue.pdf%s = %d %s, %d bytes", q, st, ct, len(body))
		}
		// Each place's QR code links to its page.
		if !bytes.Contains(body, []byte("("+f.Aix.APID+")")) {
			t.Errorf("GET /catalogue.pdf%s: no link to %s", q, f.Aix.APID)
		}
	}
	var e server.APIError
	if st := f.In.Do("GET", "/catalogue.pdf?groupe=departement", nil, &e); st != 400 || e.Fields["groupe"] == "" {
		t.Errorf("bad groupe = %d %+v", st, e)
	}
	resp, err := f.In.Srv.Client().Head(f.In.Srv.URL + "/export/lieux.csv")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("HEAD /export/lieux.csv = %v %v", resp, err)
	}
}

func TestExportFunction(t *testing.T) {
	f := uitest.NewExportFixture(t)
	var b bytes.Buffer
	if err := feeds.Export(&b, f.In.Store, feeds.FormatCSV, url.Values{"network": {"local"}}, uitest.Monday); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n != 3 {
		t.Errorf("Export csv network=local: %d lines; want 3", n)
	}
	if err := feeds.Export(io.Discard, f.In.Store, "xls", nil, uitest.Monday); !errors.Is(err, feeds.ErrFormat) {
		t.Errorf("Export xls = %v; want ErrFormat", err)
	}
	if err := feeds.Export(io.Discard, f.In.Store, feeds.FormatCSV, url.Values{"service": {"Cuisine"}}, uitest.Monday); err == nil || !strings.Contains(err.Error(), "service") {
		t.Errorf("Export with a bad filter = %v; want an error naming service", err)
	}
	for _, format := range feeds.ExportFormats {
		b.Reset()
		if err := feeds.Export(&b, f.In.Store, format, nil, uitest.Monday); err != nil || b.Len() == 0 {
			t.Errorf("Export %s = %v, %d bytes", format, err, b.Len())
		}
	}
	_ = http.StatusOK
}

func TestCataloguePDFTooBig(t *testing.T) {
	in := uitest.NewInstance(t)
	if err := in.Store.CreatePlaces(sample.Places(feeds.MaxCataloguePlaces+1, 3)); err != nil {
		t.Fatal(err)
	}
	var e server.APIError
	if st := in.Do("GET", "/catalogue.pdf", nil, &e); st != 400 || !strings.Contains(e.Fields["filtres"], "5001 lieux") {
		t.Errorf("GET /catalogue.pdf of %d places = %d %+v; want 400", feeds.MaxCataloguePlaces+1, st, e)
	}
	if st, ct, _ := in.Get("/catalogue.pdf?departement=48"); st != 200 || ct != "application/pdf" {
		t.Errorf("GET /catalogue.pdf?departement=48 = %d %s", st, ct)
	}
}
