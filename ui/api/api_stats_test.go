package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/server"
	"github.com/maillage/maillage/ui/internal/uitest"
)

func TestStats(t *testing.T) {
	in := uitest.NewInstance(t)
	var empty map[string]any
	in.Do("GET", "/api/v1/stats", nil, &empty)
	for _, list := range []string{"par_departement", "par_commune", "par_service", "par_reseau", "departements_sans_lieu"} {
		if _, ok := empty[list].([]any); !ok {
			t.Errorf("empty catalogue: %s = %v; want a list", list, empty[list])
		}
	}
	add := func(nom, insee, cp, commune, dateMaj string, services ...string) {
		lat, lon := 43.3, 5.4
		p := &catalogue.Place{Pivot: "00000000000000", Nom: nom, Adresse: "1 rue X", CodePostal: cp, Commune: commune,
			CodeINSEE: insee, Latitude: &lat, Longitude: &lon, DateMaj: dateMaj, Services: services}
		p.Normalize()
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := in.Store.CreatePlace(p); err != nil {
			t.Fatal(err)
		}
	}
	fresh := uitest.Monday.AddDate(0, -2, 0).Format("2006-01-02")
	old := uitest.Monday.AddDate(-2, 0, 0).Format("2006-01-02")
	add("EPN Belsunce", "13201", "13001", "Marseille", fresh, "Aide aux démarches administratives")
	add("Médiathèque Alcazar", "13201", "13001", "Marseille", old, "Aide aux démarches administratives", "Accès internet et matériel informatique")
	add("Fablab de Toulon", "83137", "83000", "Toulon", fresh)

	var got server.StatsJSON
	if st := in.Do("GET", "/api/v1/stats", nil, &got); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	if got.Places != 3 {
		t.Errorf("lieux = %d; want 3", got.Places)
	}
	if len(got.Departements) != 2 || got.Departements[0] != (server.Count{Key: "13", Label: "Bouches-du-Rhône", Places: 2}) {
		t.Errorf("par_departement = %+v", got.Departements)
	}
	if got.Communes[0].Key != "13201" || got.Communes[0].Label != "Marseille" || got.Communes[0].Places != 2 {
		t.Errorf("par_commune = %+v", got.Communes)
	}
	if got.Services[0] != (server.Count{Key: "Aide aux démarches administratives", Places: 2}) {
		t.Errorf("par_service = %+v", got.Services)
	}
	if len(got.MissingDepts) != 101-2 {
		t.Errorf("%d départements without a place; want 99", len(got.MissingDepts))
	}
	if len(got.MissingServ) != len(catalogue.Services.Values)-2 {
		t.Errorf("services sans lieu = %v", got.MissingServ)
	}
	if len(got.Regions) != 1 || got.Regions[0].Nom != "Provence-Alpes-Côte d'Azur" || got.Regions[0].Places != 3 ||
		strings.Join(got.Regions[0].Missing, " ") != "04 05 06 84" {
		t.Errorf("par_region = %+v", got.Regions)
	}
	if got.FreshPct != 0.667 || len(got.Networks) != 1 || len(got.Networks[0].Stale) != 1 || got.Networks[0].Stale[0].Nom != "Médiathèque Alcazar" {
		t.Errorf("freshness: %v, networks %+v", got.FreshPct, got.Networks)
	}

	// Filtered to one département, or to one network.
	var d13 server.StatsJSON
	in.Do("GET", "/api/v1/stats?departement=13", nil, &d13)
	if d13.Places != 2 || d13.Filter.Departement != "13" || len(d13.MissingDepts) != 0 || len(d13.Communes) != 1 || d13.FreshPct != 0.5 {
		t.Errorf("departement=13: %+v", d13)
	}
	var local, other server.StatsJSON
	in.Do("GET", "/api/v1/stats?network=local", nil, &local)
	in.Do("GET", "/api/v1/stats?network="+url.QueryEscape("https://ailleurs.example/actor"), nil, &other)
	if local.Places != 3 || other.Places != 0 || len(other.Networks) != 0 {
		t.Errorf("network filter: local %d places, other %d places %+v", local.Places, other.Places, other.Networks)
	}
	var bad map[string]any
	if st := in.Do("GET", "/api/v1/stats?departement=Marseille", nil, &bad); st != http.StatusBadRequest || bad["fields"] == nil {
		t.Errorf("departement=Marseille: %d %v", st, bad)
	}
}

// The figures follow the clock even when the catalogue does not change:
// an atelier that is over is no longer upcoming.
func TestStatsFollowTheClock(t *testing.T) {
	in := uitest.NewInstance(t)
	lat, lon := 43.3, 5.4
	p := &catalogue.Place{Pivot: "00000000000000", Nom: "EPN Belsunce", Adresse: "1 rue X", CodePostal: "13001", Commune: "Marseille",
		CodeINSEE: "13201", Latitude: &lat, Longitude: &lon}
	p.Normalize()
	if err := in.Store.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	e := &catalogue.Event{Nom: "Atelier smartphone", Lieu: p.ID, Debut: uitest.Monday.Add(30 * time.Second), Fin: uitest.Monday.Add(90 * time.Second)}
	if err := in.Store.CreateEvent(e); err != nil {
		t.Fatal(err)
	}
	upcoming := func() int {
		var got server.StatsJSON
		if st := in.Do("GET", "/api/v1/stats", nil, &got); st != http.StatusOK {
			t.Fatalf("status %d", st)
		}
		return got.Events
	}
	if n := upcoming(); n != 1 {
		t.Fatalf("evenements_a_venir = %d before the atelier; want 1", n)
	}
	in.Now = uitest.Monday.Add(2 * time.Minute)
	if n := upcoming(); n != 0 {
		t.Errorf("evenements_a_venir = %d once the atelier is over; want 0", n)
	}
}
