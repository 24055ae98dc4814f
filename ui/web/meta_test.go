package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestEveryPageHasADescriptionAndAnIcon: every public page has a meta
// description and the favicon's link; place and event pages have an Open
// Graph title and description of their own, so that a shared link shows
// a card; /favicon.ico leads to the icon.
func TestEveryPageHasADescriptionAndAnIcon(t *testing.T) {
	in := uitest.NewInstance(t)
	alcazar, _, atelier := in.Marseille()
	for _, path := range []string{"/", "/lieux", "/lieux?ou=Marseille", "/lieux/" + alcazar.ID, "/evenements", "/evenements/" + atelier.ID,
		"/orientation", "/orientation/fiche?lieu=" + alcazar.ID, "/reseaux", "/statistiques", "/page-inconnue"} {
		status := http.StatusOK
		if path == "/page-inconnue" {
			status = http.StatusNotFound
		}
		in.WantPage(path, status, `<meta name="description" content="`, `<link rel="icon" href="/static/favicon.`)
	}
	in.WantPage("/lieux/"+alcazar.ID, 200, `<meta property="og:title" content="`+html.EscapeString(alcazar.Nom)+`">`,
		`<meta property="og:description" content="Lieu de médiation numérique à Marseille`, `<meta property="og:url" content="`)
	in.WantPage("/evenements/"+atelier.ID, 200, `<meta property="og:title" content="Atelier smartphone">`,
		`<meta property="og:description" content="Le `, "Apprendre à installer une application.")
	if _, body := in.Page("/lieux"); strings.Contains(body, "og:title") {
		t.Error("the search page has an Open Graph card; only place and event pages do")
	}

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(in.Srv.URL + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	icon := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(icon, "/static/favicon.") {
		t.Fatalf("/favicon.ico = %d → %q; want a redirection to the icon", resp.StatusCode, icon)
	}
	resp, err = http.Get(in.Srv.URL + icon)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("%s = %d %s", icon, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// TestPDFCatalogueLinked: the home page links the printable catalogue,
// and a search links the catalogue of the same places, which answers a
// PDF.
func TestPDFCatalogueLinked(t *testing.T) {
	in := uitest.NewInstance(t)
	in.Marseille()
	in.WantPage("/", 200, `<a href="/catalogue.pdf">`)
	body := in.WantPage("/lieux?ou=Marseille&frais=Gratuit", 200, "Catalogue imprimable de ces lieux (PDF)")
	i := strings.Index(body, `href="/catalogue.pdf?`)
	if i < 0 {
		t.Fatal("no link to the filtered catalogue")
	}
	link := html.UnescapeString(body[i+len(`href="`):])
	link = link[:strings.IndexByte(link, '"')]
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if q := u.Query(); q.Get("frais") != "Gratuit" || q.Get("near") == "" || q.Get("radius_km") != "10" {
		t.Errorf("catalogue link %s; want the search's filters (frais, near, radius_km)", link)
	}
	resp, err := http.Get(in.Srv.URL + link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("GET %s = %d %s", link, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// TestStatisticsGroupArrondissements: /statistiques counts Marseille's
// arrondissements under Marseille, once.
func TestStatisticsGroupArrondissements(t *testing.T) {
	in := uitest.NewInstance(t)
	for i, insee := range []string{"13201", "13205", "13216"} {
		in.CreatePlace(map[string]any{"nom": "Lieu " + insee, "pivot": "2113005530001" + string(rune('0'+i)), "code_insee": insee})
	}
	in.CreatePlace(map[string]any{"nom": "Fablab de Toulon", "pivot": "21830137300015", "code_insee": "83137", "code_postal": "83000", "commune": "Toulon"})
	body := in.WantPage("/statistiques", 200, "Marseille (13)")
	if n := strings.Count(body, "Marseille (13)"); n != 1 {
		t.Errorf("Marseille (13) appears %d times; want one row for the city", n)
	}
	if !strings.Contains(body, "2 communes") {
		t.Errorf("the summary does not count 2 communes (Marseille, Toulon)")
	}
}

// TestEventPageCarriesThePlacesPhone: an event page gives the place's
// phone and how to get in, so that "inscription par téléphone" can be
// acted on from it.
func TestEventPageCarriesThePlacesPhone(t *testing.T) {
	in := uitest.NewInstance(t)
	place := in.CreatePlace(map[string]any{"modalites_acces": []string{"Se présenter", "Téléphoner"},
		"fiche_acces_libre": "https://acceslibre.beta.gouv.fr/app/13-marseille/a/bibliotheque/erp/alcazar/"})
	ev := in.CreateEvent(map[string]any{"nom": "Atelier courriel", "debut": "2026-07-15T14:00:00+02:00", "fin": "2026-07-15T16:00:00+02:00",
		"lieu": place.ID})
	in.WantPage("/evenements/"+ev.ID, 200, `<a href="tel:&#43;33491559000">`, "Comment venir : Se présenter, Téléphoner",
		"Accessibilité du lieu (Acceslibre)")
}
