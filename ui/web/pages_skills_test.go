package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/server"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// "Qui sait faire ?" lists the skills, finds the structures offering
// one near a commune with their contact, and explains what it cannot
// read; the API takes skills by id and refuses one the list lacks.
func TestSkillsPage(t *testing.T) {
	in := uitest.NewInstance(t)
	fablab := in.CreatePlace(map[string]any{"nom": "Fablab du Panier", "competences": []string{"impression-3d", "electronique"},
		"courriels": []string{"contact@fablab.example"}, "site_web": []string{"https://fablab.example"}})
	if len(fablab.Competences) != 2 || fablab.Competences[0].Libelle != "Impression 3D" {
		t.Fatalf("created with competences %v; want them labelled", fablab.Competences)
	}
	in.CreatePlace(map[string]any{"nom": "EPN d'Aix", "commune": "Aix-en-Provence", "code_postal": "13100", "code_insee": "13001",
		"latitude": 43.5297, "longitude": 5.4474, "competences": []any{map[string]string{"id": "impression-3d"}}})
	in.CreatePlace(map[string]any{"nom": "Médiathèque sans compétence"})

	var e server.APIError
	if st := in.Do("POST", "/api/v1/places", uitest.PlaceJSON(map[string]any{"competences": []string{"couture"}}), &e); st != http.StatusUnprocessableEntity || !strings.Contains(e.Fields["competences"], "couture") {
		t.Errorf("POST with an unknown skill = %d %+v; want 422 naming competences", st, e)
	}

	in.WantPage("/competences", 200, "Qui sait faire ?", "Impression 3D", "Formation des travailleurs sociaux",
		`href="/competences?competence=sites-web"`, `href="/competences"`)
	body := in.WantPage("/competences?competence=impression-3d&ou=Marseille", 200, "1 structure trouvée", "Fablab du Panier",
		"Réseau : ", `href="tel:+33491559000"`, `href="mailto:contact@fablab.example"`, `href="/lieux/`+fablab.ID+`"`,
		"<strong>Impression 3D</strong>", `href="/competences?competence=electronique"`)
	if strings.Contains(body, "EPN d&#39;Aix") {
		t.Error("a place 25 km away is listed within the default 10 km")
	}
	in.WantPage("/competences?competence=impression-3d&ou=Marseille&radius_km=50", 200, "2 structures trouvées", "EPN d&#39;Aix")
	in.WantPage("/competences?ou=13", 200, "2 structures trouvées")
	if body := in.WantPage("/competences?competence=*", 200, "2 structures trouvées"); strings.Contains(body, `<option value="*"`) {
		t.Error("any skill (*) is offered as a skill")
	}
	in.WantPage("/competences?q=arduino", 200, "1 structure trouvée", "Fablab du Panier")
	in.WantPage("/competences?competence=robotique&ou=Marseille", 200, "0 structure trouvée", "Aucune structure ne propose")
	in.WantPage("/competences?competence=impression-3d&ou=Atlantide", 400, "Qui sait faire ?")
	in.WantPage("/lieux/"+fablab.ID, 200, "Compétences partagées", `href="/competences?competence=impression-3d"`)

	res, err := in.Store.Places(catalogue.PlaceQuery{Competences: []string{"electronique"}})
	if err != nil || res.Total != 1 {
		t.Errorf("store search by skill = %d, %v", res.Total, err)
	}
}

// The API and the exports take competence= like the page.
func TestSkillsInTheAPI(t *testing.T) {
	in := uitest.NewInstance(t)
	in.CreatePlace(map[string]any{"nom": "Fablab du Panier", "competences": []string{"impression-3d"}})
	in.CreatePlace(map[string]any{"nom": "EPN du Vieux-Port", "pivot": "21130055300016", "adresse": "2 quai du Port", "latitude": 43.2950, "longitude": 5.3700,
		"competences": []string{"sites-web"}})
	for query, want := range map[string]int{"competence=impression-3d": 1, "competence=IMPRESSION-3D|sites-web": 2,
		"competence=*": 2, "competence=robotique": 0, "competence=sites-web&q=fablab": 0} {
		if got := in.Names(query); len(got) != want {
			t.Errorf("GET /api/v1/places?%s = %v; want %d places", query, got, want)
		}
	}
	_, _, body := in.Get("/export/lieux.csv?colonnes=maillage&competence=impression-3d")
	if !strings.Contains(string(body), "Fablab du Panier") || strings.Contains(string(body), "EPN du Vieux-Port") ||
		!strings.Contains(string(body), ",impression-3d,Impression 3D") {
		t.Errorf("export by skill:\n%s", body)
	}
}

// A skill another network added to its list is found here by its id and
// by its words, shown with that network's label.
func TestSkillsPageShowsOtherNetworksSkills(t *testing.T) {
	in := uitest.NewInstance(t)
	lat, lon := 43.30, 5.38
	remote := &catalogue.Place{APID: "https://a13.example/lieux/1", Nom: "Atelier couture", Commune: "Marseille", CodePostal: "13001",
		Latitude: &lat, Longitude: &lon, Network: catalogue.Network{Name: "Arsenic 13", Actor: "https://a13.example/actor"}, Updated: in.Now,
		Competences: []catalogue.Skill{{ID: "couture-numerique", Libelle: "Couture numérique"}}}
	if err := in.Store.PutRemotePlace("https://a13.example/activities/1", remote); err != nil {
		t.Fatal(err)
	}
	in.WantPage("/competences?competence=couture-numerique&ou=Marseille", 200, "1 structure trouvée", "Atelier couture",
		"Réseau : Arsenic 13", `<option value="couture-numerique" selected>Couture numérique</option>`)
	in.WantPage("/competences?q=couture", 200, "1 structure trouvée", "Atelier couture")
}
