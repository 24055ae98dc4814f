package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/server"
	"github.com/maillage/maillage/ui/internal/uitest"
)

func TestPlaceCRUD(t *testing.T) {
	in := uitest.NewInstance(t)
	p := in.CreatePlace(nil)
	if p.ID == "" || p.Telephone != "+33491559000" || !p.Network.Local || p.APID == "" {
		t.Fatalf("created place = %+v", p)
	}
	var got catalogue.Place
	if st := in.Do("GET", "/api/v1/places/"+p.ID, nil, &got); st != 200 || got.Nom != p.Nom {
		t.Fatalf("GET place = %d %+v", st, got)
	}
	// A client may PUT back what it read, read-only fields included.
	body := uitest.PlaceJSON(map[string]any{"nom": "Bibliothèque de l'Alcazar", "id": p.ID, "network": p.Network, "updated": p.Updated})
	if st := in.Do("PUT", "/api/v1/places/"+p.ID, body, &got); st != 200 || got.Nom != "Bibliothèque de l'Alcazar" {
		t.Fatalf("PUT place = %d %+v", st, got)
	}
	if st := in.Do("DELETE", "/api/v1/places/"+p.ID, nil, nil); st != http.StatusNoContent {
		t.Fatalf("DELETE place = %d", st)
	}
	var e server.APIError
	if st := in.Do("GET", "/api/v1/places/"+p.ID, nil, &e); st != 404 || e.Error == "" {
		t.Fatalf("GET deleted place = %d %+v", st, e)
	}
}

func TestWritesNeedAToken(t *testing.T) {
	in := uitest.NewInstance(t)
	p := in.CreatePlace(nil)
	for _, c := range []struct{ method, path, token string }{
		{"POST", "/api/v1/places", ""},
		{"POST", "/api/v1/places", "mlg_faux"},
		{"PUT", "/api/v1/places/" + p.ID, ""},
		{"DELETE", "/api/v1/places/" + p.ID, "mlg_faux"},
		{"POST", "/api/v1/events", ""},
		{"DELETE", "/api/v1/events/x", ""},
	} {
		var e server.APIError
		if st := in.DoWith(c.token, c.method, c.path, uitest.PlaceJSON(nil), &e); st != 401 || e.Error == "" {
			t.Errorf("%s %s with token %q = %d %+v; want 401", c.method, c.path, c.token, st, e)
		}
	}
	var page struct{ Total int }
	if st := in.DoWith("", "GET", "/api/v1/places", nil, &page); st != 200 || page.Total != 1 {
		t.Errorf("anonymous GET /api/v1/places = %d, total %d; want 200, 1", st, page.Total)
	}
}

func TestBadPlacesAreRefusedAndChangeNothing(t *testing.T) {
	in := uitest.NewInstance(t)
	for _, c := range []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"missing nom", uitest.PlaceJSON(map[string]any{"nom": nil}), 422, "nom"},
		{"bad postal code", uitest.PlaceJSON(map[string]any{"code_postal": "1300"}), 422, "code_postal"},
		{"bad insee", uitest.PlaceJSON(map[string]any{"code_insee": "2C001"}), 422, "code_insee"},
		{"bad pivot", uitest.PlaceJSON(map[string]any{"pivot": "123"}), 422, "pivot"},
		{"bad service", uitest.PlaceJSON(map[string]any{"services": []string{"Cuisine"}}), 422, "services"},
		{"bad email", uitest.PlaceJSON(map[string]any{"courriels": []string{"pas-une-adresse"}}), 422, "courriels"},
		{"latitude out of range", uitest.PlaceJSON(map[string]any{"latitude": 123.0}), 422, "latitude"},
		{"latitude as text", uitest.PlaceJSON(map[string]any{"latitude": "43,3"}), 400, "latitude"},
		{"services as text", uitest.PlaceJSON(map[string]any{"services": "Aide aux démarches administratives"}), 400, "services"},
		{"unknown field", uitest.PlaceJSON(map[string]any{"couleur": "bleu"}), 400, "couleur"},
		{"long summary", uitest.PlaceJSON(map[string]any{"presentation_resume": strings.Repeat("é", 281)}), 422, "presentation_resume"},
	} {
		var e server.APIError
		st := in.Do("POST", "/api/v1/places", c.body, &e)
		if st != c.status || e.Fields[c.field] == "" {
			t.Errorf("%s: POST = %d %+v; want %d naming %s", c.name, st, e, c.status, c.field)
		}
	}
	var e server.APIError
	if st := in.Do("POST", "/api/v1/places", "{not json", &e); st != 400 {
		t.Errorf("malformed JSON: %d; want 400", st)
	}
	huge := uitest.PlaceJSON(map[string]any{"presentation_detail": strings.Repeat("x", 100<<10)})
	if st := in.Do("POST", "/api/v1/places", huge, &e); st != http.StatusRequestEntityTooLarge {
		t.Errorf("body over the limit: %d; want 413", st)
	}
	var page struct{ Total int }
	in.Do("GET", "/api/v1/places", nil, &page)
	if page.Total != 0 {
		t.Errorf("after refused writes the catalogue holds %d places; want 0", page.Total)
	}
}

func TestUnparseableHoursAreKeptAndFlagged(t *testing.T) {
	in := uitest.NewInstance(t)
	p := in.CreatePlace(map[string]any{"horaires": "le mardi matin"})
	if p.Horaires != "le mardi matin" || p.HoursError == "" {
		t.Errorf("place with bad hours: horaires %q, horaires_erreur %q; want the text kept and an error", p.Horaires, p.HoursError)
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	in := uitest.NewInstance(t)
	in.CreatePlace(map[string]any{"nom": `<script>alert("x")</script>`})
	resp, err := in.Srv.Client().Get(in.Srv.URL + "/api/v1/places")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if bytes.Contains(data, []byte("<script>")) {
		t.Errorf("list contains a raw <script>: %s", data)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestSearchFilters(t *testing.T) {
	in := uitest.NewInstance(t)
	in.CreatePlace(map[string]any{"nom": "Médiathèques de Marseille"}) // Marseille 1er, BIB
	in.CreatePlace(map[string]any{
		"nom": "Espace France Services d'Aubagne", "commune": "Aubagne", "code_postal": "13400", "code_insee": "13005",
		"latitude": 43.2927, "longitude": 5.5708, "typologie": []string{"RFS"},
		"services":                        []string{"Aide aux démarches administratives"},
		"publics_specifiquement_adresses": []string{"Seniors"},
		"dispositif_programmes_nationaux": []string{"France Services"},
		"horaires":                        "Mo-Fr 08:30-12:00",
		"frais_a_charge":                  []string{"Gratuit"},
	})
	in.CreatePlace(map[string]any{
		"nom": "Fablab de Toulon", "commune": "Toulon", "code_postal": "83000", "code_insee": "83137",
		"latitude": 43.1242, "longitude": 5.928, "typologie": []string{"FABLAB"},
		"services":                   []string{"Loisirs et créations numériques"},
		"prise_en_charge_specifique": []string{"Surdité"},
		"horaires":                   "Mo-Su 00:00-24:00",
		"frais_a_charge":             []string{"Payant"},
		"equipements":                []string{"Imprimante 3D"},
	})

	for _, c := range []struct {
		query string
		want  string
	}{
		{"q=mediatheque", "Médiathèques de Marseille"},
		{"q=M%C3%89DIATH%C3%88QUE", "Médiathèques de Marseille"},
		{"q=imprimante+3d", "Fablab de Toulon"},
		{"q=services+aubagne", "Espace France Services d'Aubagne"},
		{"service=Loisirs+et+cr%C3%A9ations+num%C3%A9riques", "Fablab de Toulon"},
		{"service=loisirs+et+creations+numeriques", "Fablab de Toulon"},       // accents and case folded
		{"service=Cr%C3%A9er+avec+le+num%C3%A9rique", "Fablab de Toulon"},     // a v0.1 service, as the importer maps it
		{"service=Approfondir+ma+culture+num%C3%A9rique", "Fablab de Toulon"}, // v0.1: three services of v1, any of them
		{"public=Seniors+(%2B+65+ans)", "Espace France Services d'Aubagne"},   // a v0.1 public
		{"public=Seniors", "Espace France Services d'Aubagne"},
		{"public=Surdit%C3%A9", "Fablab de Toulon"},
		{"typologie=fablab", "Fablab de Toulon"},
		{"label=France+Services", "Espace France Services d'Aubagne"},
		{"frais=Payant", "Fablab de Toulon"},
		{"departement=83", "Fablab de Toulon"},
		{"network=local&departement=83", "Fablab de Toulon"},
		{"near=43.12,5.93&radius_km=10", "Fablab de Toulon"},
		{"near=43.29,5.57&radius_km=60", "Espace France Services d'Aubagne,Médiathèques de Marseille,Fablab de Toulon"},
		{"service=Aide+aux+d%C3%A9marches+administratives&departement=13", "Espace France Services d'Aubagne,Médiathèques de Marseille"},
		{"service=Aide+aux+d%C3%A9marches+administratives&public=Seniors&near=43.3,5.4&radius_km=30", "Espace France Services d'Aubagne"},
		{"open_now=1&departement=13", "Espace France Services d'Aubagne"},                          // Monday 10:00: the médiathèque opens Tu-Sa
		{"open_at=2026-07-14T11:30:00%2B02:00&departement=13", "Espace France Services d'Aubagne"}, // Bastille Day: the médiathèque says PH off
		{"open_at=2026-07-15T11:30:00%2B02:00&departement=13", "Espace France Services d'Aubagne,Médiathèques de Marseille"},
		{"network=https://ailleurs.example/actor", ""},
	} {
		if got := strings.Join(in.Names(c.query), ","); got != c.want {
			t.Errorf("places?%s = %q; want %q", c.query, got, c.want)
		}
	}

	for _, c := range []struct{ query, field string }{
		{"service=Cuisine", "service"},
		{"near=abc", "near"},
		{"radius_km=5", "radius_km"},
		{"open_at=demain", "open_at"},
		{"limit=0", "limit"},
		{"departement=7", "departement"},
		{"cursor=xyz", "cursor"},
	} {
		var e server.APIError
		if st := in.Do("GET", "/api/v1/places?"+c.query, nil, &e); st != 400 || e.Fields[c.field] == "" {
			t.Errorf("places?%s = %d %+v; want 400 naming %s", c.query, st, e, c.field)
		}
	}
}

// TestOpenAtAcrossAWeek checks a France Services desk open Monday to
// Friday, closed on public holidays, through the week of 14 July 2026.
func TestOpenAtAcrossAWeek(t *testing.T) {
	in := uitest.NewInstance(t)
	in.CreatePlace(map[string]any{"horaires": "Mo-Fr 09:00-12:00,14:00-17:00; PH off"})
	for _, c := range []struct {
		at   string
		open bool
	}{
		{"2026-07-13T08:59:00+02:00", false},
		{"2026-07-13T09:00:00+02:00", true},
		{"2026-07-13T12:30:00+02:00", false},
		{"2026-07-13T16:59:00+02:00", true},
		{"2026-07-14T10:00:00+02:00", false}, // Bastille Day
		{"2026-07-15T10:00:00+02:00", true},
		{"2026-07-15T08:00:00Z", true}, // 10:00 in Paris
		{"2026-07-17T15:00:00+02:00", true},
		{"2026-07-18T10:00:00+02:00", false}, // Saturday
		{"2026-07-19T10:00:00+02:00", false},
	} {
		got := len(in.Names("open_at="+url.QueryEscape(c.at))) == 1
		if got != c.open {
			t.Errorf("open_at=%s: open %v; want %v", c.at, got, c.open)
		}
	}
}

func TestCursorPagination(t *testing.T) {
	in := uitest.NewInstance(t)
	const n = 23
	for i := range n {
		in.CreatePlace(map[string]any{"nom": fmt.Sprintf("EPN %02d", i)})
	}
	for _, order := range []string{"", "&q=epn", "&near=43.3,5.4"} {
		var seen []string
		cursor := ""
		for pages := 0; ; pages++ {
			var page uitest.PlacePage
			in.Do("GET", "/api/v1/places?limit=5"+order+"&cursor="+cursor, nil, &page)
			if pages == 0 && page.Total != n {
				t.Fatalf("total = %d; want %d", page.Total, n)
			}
			for _, p := range page.Items {
				seen = append(seen, p.Nom)
			}
			if page.Next == "" {
				break
			}
			if pages == 0 {
				// A place added between two pages does not shift the order.
				in.CreatePlace(map[string]any{"nom": "AAA ajouté", "code_postal": "06000", "code_insee": "06088", "commune": "Nice", "latitude": nil, "longitude": nil})
			}
			cursor = page.Next
		}
		set := map[string]bool{}
		for _, s := range seen {
			if set[s] {
				t.Errorf("order %q: %s seen twice", order, s)
			}
			set[s] = true
		}
		for i := range n {
			if name := fmt.Sprintf("EPN %02d", i); !set[name] {
				t.Errorf("order %q: %s never seen", order, name)
			}
		}
		// Remove the added place so the next order starts clean.
		var all uitest.PlacePage
		in.Do("GET", "/api/v1/places?q=ajoute", nil, &all)
		for _, p := range all.Items {
			in.Do("DELETE", "/api/v1/places/"+p.ID, nil, nil)
		}
	}
}

// TestAuthorizationSchemeIsCaseInsensitive: "bearer", "BEARER" and extra
// spaces are the same scheme (RFC 9110); a wrong scheme is refused.
func TestAuthorizationSchemeIsCaseInsensitive(t *testing.T) {
	in := uitest.NewInstance(t)
	for header, want := range map[string]int{
		"bearer " + in.Token:       http.StatusCreated,
		"BEARER  " + in.Token:      http.StatusCreated,
		"Bearer " + in.Token + " ": http.StatusCreated,
		"Basic " + in.Token:        http.StatusUnauthorized,
		"Bearer":                   http.StatusUnauthorized,
		in.Token:                   http.StatusUnauthorized,
	} {
		body, _ := json.Marshal(uitest.PlaceJSON(map[string]any{"nom": "Lieu " + header[:3]}))
		req, err := http.NewRequest(http.MethodPost, in.Srv.URL+"/api/v1/places", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", header)
		resp, err := in.Srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Authorization: %q = %d; want %d", header, resp.StatusCode, want)
		}
	}
}
