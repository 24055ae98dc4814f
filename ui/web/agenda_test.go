package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// agendaAround adds, to the Marseille fixture, places in Aubagne (15 km
// from Marseille's centre) and Toulon (50 km) with ateliers on Wednesday 15
// July 2026, the day of the Alcazar's first smartphone atelier (14 h).
func agendaAround(in *uitest.Instance) (alcazar catalogue.Place) {
	in.T.Helper()
	alcazar, _, _ = in.Marseille()
	aubagne := in.CreatePlace(map[string]any{"nom": "EPN d'Aubagne", "pivot": "21130007000014", "adresse": "1 cours Foch",
		"code_postal": "13400", "commune": "Aubagne", "code_insee": "13005", "latitude": 43.2927, "longitude": 5.5708})
	toulon := in.CreatePlace(map[string]any{"nom": "Fablab de Toulon", "pivot": "21830137000016", "adresse": "5 rue Hoche",
		"code_postal": "83000", "commune": "Toulon", "code_insee": "83137", "latitude": 43.1242, "longitude": 5.9280})
	event := func(nom, lieu, hour string, frais, publics []string) {
		in.CreateEvent(map[string]any{"nom": nom, "lieu": lieu, "debut": "2026-07-15T" + hour + ":00:00+02:00",
			"fin": "2026-07-15T" + hour + ":45:00+02:00", "frais_a_charge": frais, "publics": publics})
	}
	event("Tablette pour les seniors", aubagne.ID, "09", []string{"Gratuit"}, []string{"Seniors"})
	event("Découverte d'internet", aubagne.ID, "10", []string{"Gratuit"}, nil)
	event("Bureautique payante", aubagne.ID, "11", []string{"Payant"}, nil)
	event("Jeux vidéo pour les jeunes", aubagne.ID, "12", []string{"Gratuit"}, []string{"Jeunes"})
	event("Impression 3D", toulon.ID, "08", []string{"Gratuit"}, nil)
	return alcazar
}

// order says whether the names appear in this order in body, each once.
func order(t *testing.T, what, body string, names ...string) {
	t.Helper()
	last := -1
	for _, n := range names {
		i := strings.Index(body, ">"+n+"</a>")
		if i < 0 {
			t.Errorf("%s: %q missing", what, n)
			continue
		}
		if i < last {
			t.Errorf("%s: %q comes too early; want the order %q", what, n, names)
		}
		last = i
	}
}

// TestAgendaPriceDistanceAudience: the agenda around a commune keeps the
// ateliers within the distance, free ones with "Gratuit", by day and then
// nearest first; "pour qui ? Seniors" keeps those open to everyone after
// the seniors' one, marked, and an explicit option keeps only it.
func TestAgendaPriceDistanceAudience(t *testing.T) {
	in := uitest.NewInstance(t)
	agendaAround(in)
	body := in.WantPage("/evenements?ou=Marseille&radius_km=20&frais=Gratuit", 200,
		"Marseille (13) · 20 km · Gratuit · ", "Autour de Marseille (13), les plus proches d’abord chaque jour.", "à 15\u00a0km")
	order(t, "free within 20 km", body, "Atelier smartphone", "Tablette pour les seniors", "Découverte d&#39;internet", "Jeux vidéo pour les jeunes")
	for _, gone := range []string{"Bureautique payante", "Impression 3D", "Permanence impôts"} {
		if strings.Contains(body, gone) {
			t.Errorf("free within 20 km lists %q", gone)
		}
	}
	body = in.WantPage("/evenements?ou=Marseille&radius_km=50&frais=Gratuit", 200)
	order(t, "free within 50 km", body, "Atelier smartphone", "Tablette pour les seniors", "Découverte d&#39;internet",
		"Jeux vidéo pour les jeunes", "Impression 3D")

	body = in.WantPage("/evenements?ou=Marseille&radius_km=20&frais=Gratuit&public=Seniors", 200,
		"Les ateliers ouverts à tous sont inclus", "Spécialement pour : Seniors")
	order(t, "seniors", body, "Tablette pour les seniors", "Atelier smartphone", "Découverte d&#39;internet")
	if strings.Contains(body, "Jeux vidéo") || strings.Count(body, "Spécialement pour : Seniors") != 1 {
		t.Error("seniors: an atelier for young people is listed, or the mark is not on the seniors' one alone")
	}
	body = in.WantPage("/evenements?ou=Marseille&radius_km=20&public=Seniors&specialise=1", 200, "Tablette pour les seniors", "ateliers spécialisés seulement")
	if strings.Contains(body, "Atelier smartphone") {
		t.Error("specialise=1 still lists an atelier open to everyone")
	}
	in.WantPage("/evenements?ou=Marseil", 400, "Aucune commune de France")
}

// TestAteliersOnOrientationSheets: every atelier card links to an
// orientation sheet; the orientation page keeps the atelier chosen, and
// proposes the next ateliers that fit a search; the sheet prints the next
// sessions and how to register, from the event and its place.
func TestAteliersOnOrientationSheets(t *testing.T) {
	in := uitest.NewInstance(t)
	alcazar, _, atelier := in.Marseille()
	link := `href="/orientation?atelier=` + atelier.ID + `"`
	for _, path := range []string{"/evenements", "/evenements/" + atelier.ID, "/lieux/" + alcazar.ID, "/lieux?ou=Marseille"} {
		in.WantPage(path, 200, link)
	}
	checked := `name="atelier" value="` + atelier.ID + `" checked`
	in.WantPage("/orientation?atelier="+atelier.ID, 200, "Ateliers choisis", checked, "L’atelier choisi est gardé",
		`<input type="hidden" name="atelier" value="`+atelier.ID+`">`)
	svc := url.QueryEscape("Maîtrise des outils numériques du quotidien")
	body := in.WantPage("/orientation?atelier="+atelier.ID+"&ou=Marseille", 200,
		"Lieux à mettre sur la fiche", "Ateliers à mettre sur la fiche", checked)
	if n := strings.Count(body, `value="`+atelier.ID+`"`); n != 2 { // the pick, and the search form's hidden field
		t.Errorf("the chosen atelier is in the page %d times; want its checkbox and the search's hidden field", n)
	}
	body = in.WantPage("/orientation?service="+svc+"&ou=Marseille", 200, "Ateliers à mettre sur la fiche",
		`name="atelier" value="`+atelier.ID+`">`, "Tous les mercredis")

	sheet := in.WantPage("/orientation/fiche?lieu="+alcazar.ID+"&atelier="+atelier.ID, 200,
		"Atelier :</span> Atelier smartphone", "Prochaines séances", "mercredi 15 juillet 2026", "mercredi 5 août 2026",
		"En ligne : <a href=\"https://example.org/inscription\">", "Par téléphone : <a href=\"tel:", ">04\u00a091\u00a055\u00a090\u00a000</a>",
		"Par courriel : <a href=\"mailto:alcazar@example.org\">", "8 places",
		in.Srv.URL+"/orientation/fiche?atelier="+atelier.ID+"&amp;lieu="+alcazar.ID)
	if n := strings.Count(sheet, "<li><time datetime="); n != 4 {
		t.Errorf("the sheet prints %d sessions; want the next 4", n)
	}
	in.WantPage("/orientation/fiche?atelier="+atelier.ID, 200, "Atelier smartphone", `<svg class="qr"`)
	in.WantPage("/orientation/fiche?atelier=inconnu", 404, "Aucun lieu choisi")
}
