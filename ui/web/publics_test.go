package web_test

import (
	"html"
	"strings"
	"testing"

	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestSeniorsSearchKeepsGeneralPublicPlaces: "Pour qui ? Seniors" keeps
// the places open to everyone, after the one that addresses seniors,
// which is marked; the page says so; "seulement les lieux spécialisés"
// keeps only that one.
func TestSeniorsSearchKeepsGeneralPublicPlaces(t *testing.T) {
	in := uitest.NewInstance(t)
	alcazar, _, _ := in.Marseille() // addresses seniors
	general := in.CreatePlace(map[string]any{"nom": "Centre social Belsunce", "pivot": "21130055300016",
		"latitude": 43.2990, "longitude": 5.3780})
	youth := in.CreatePlace(map[string]any{"nom": "Point jeunes du Panier", "pivot": "21130055300024",
		"publics_specifiquement_adresses": []string{"Jeunes"}})

	for _, path := range []string{"/lieux?ou=Marseille&public=Seniors", "/orientation?ou=Marseille&public=Seniors"} {
		body := in.WantPage(path, 200, "Les lieux ouverts à tous sont inclus", "Seulement les lieux spécialisés pour ce public",
			"Accueil spécifique : Seniors")
		a, g := strings.Index(body, html.EscapeString(alcazar.Nom)), strings.Index(body, general.Nom)
		if a < 0 || g < 0 || a > g {
			t.Errorf("%s: %s at %d, %s at %d; want both, the seniors' place first", path, alcazar.Nom, a, general.Nom, g)
		}
		if strings.Contains(body, youth.Nom) {
			t.Errorf("%s lists a place for young people only", path)
		}
		if strings.Count(body, "Accueil spécifique : Seniors") != 1 {
			t.Errorf("%s: want one mark, on the seniors' place", path)
		}
	}
	body := in.WantPage("/lieux?ou=Marseille&public=Seniors&specialise=1", 200, alcazar.Nom, "lieux spécialisés seulement")
	if strings.Contains(body, general.Nom) {
		t.Error("specialise=1 still lists a place open to everyone")
	}
}

// TestResultsShowNextAteliers: a place in the results shows its next
// ateliers, each once (a weekly one at its next date), with their dates
// and whether they are free.
func TestResultsShowNextAteliers(t *testing.T) {
	in := uitest.NewInstance(t)
	alcazar, _, _ := in.Marseille() // a weekly free smartphone atelier at the Alcazar
	in.CreateEvent(map[string]any{"nom": "Café numérique", "debut": "2026-07-17T10:00:00+02:00",
		"fin": "2026-07-17T12:00:00+02:00", "lieu": alcazar.ID})
	body := in.WantPage("/lieux?ou=Marseille", 200, "Prochains ateliers :", `>Atelier smartphone</a>, <time datetime="2026-07-15T14:00:00+02:00">`,
		`>Café numérique</a>, <time datetime="2026-07-17T10:00:00+02:00">`)
	if n := strings.Count(body, ">Atelier smartphone</a>"); n != 1 {
		t.Errorf("the Alcazar's result shows its weekly atelier %d times; want once, at its next date", n)
	}
	if !strings.Contains(body, `</time> <span class="badge">Gratuit</span>`) {
		t.Error("the free atelier is not marked free")
	}
}
