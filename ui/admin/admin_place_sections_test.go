package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestAdminPlaceFormSections: the place form is folded in sections; the
// place and its address are open, the others closed, and a section with
// a problem comes back open and marked "à corriger". Without JavaScript
// the types of place are every checkbox (the filter box and the map are
// hidden until the script shows them), the ticked ones first.
func TestAdminPlaceFormSections(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	a := b.Get("/admin/lieux/nouveau")
	a.Want(t, "new place form", http.StatusOK,
		`<details class="group" id="section-identity" open>`, `<details class="group" id="section-address" open>`,
		`<details class="group" id="section-contact">`, `<details class="group" id="section-services">`,
		`<div class="list-filter" hidden>`, `<label for="typologie-filtre">Filtrer la liste</label>`,
		`<div class="field map-field" id="carte-lieu-bloc" hidden>`, `data-center="46.6,2.4" data-zoom="5"`,
		`leaflet/leaflet.js`)
	if n := strings.Count(a.Body, `name="typologie"`); n != 96 {
		t.Errorf("%d types of place offered; want the 96 of the standard", n)
	}

	fields := uitest.PlaceFields(url.Values{"telephone": {"pas un numéro"}, "typologie": {"MQ", "BIB"}})
	a = b.Post("/admin/lieux/nouveau", fields)
	a.Want(t, "form with a bad phone", http.StatusUnprocessableEntity,
		`<details class="group" id="section-contact" open>`+"\n"+`<summary>Contact <span class="badge warn">à corriger</span></summary>`,
		`<details class="group" id="section-hours">`, `data-center="43.3117,5.3903" data-zoom="17"`)
	first := strings.Index(a.Body, `name="typologie" value="BIB" checked`)
	second := strings.Index(a.Body, `name="typologie" value="MQ" checked`)
	other := strings.Index(a.Body, `name="typologie" value="ACI"`)
	if first < 0 || second < 0 || other < first || other < second {
		t.Errorf("the ticked types are not listed first (BIB at %d, MQ at %d, ACI at %d)", first, second, other)
	}

	// Without coordinates, the map opens on the commune typed.
	fields = uitest.PlaceFields(url.Values{"latitude": {""}, "longitude": {""}, "nom": {""}})
	b.Post("/admin/lieux/nouveau", fields).Want(t, "form without coordinates", http.StatusUnprocessableEntity,
		`data-center="43.`, `data-zoom="13"`)
}

// TestAdminPlaceWithoutAnyCoordinates: a place whose commune is unknown
// keeps no coordinates; its form and the list of places say that no
// search by place, map or orientation sheet will show it.
func TestAdminPlaceWithoutAnyCoordinates(t *testing.T) {
	in := uitest.AdminInstance(t)
	lost := in.CreatePlace(map[string]any{"nom": "Point numérique du Hameau", "adresse": "1 chemin du Moulin", "commune": "Hameau-Perdu", "code_postal": "13999",
		"code_insee": nil, "latitude": nil, "longitude": nil})
	if lost.Latitude != nil {
		t.Fatalf("the place was placed at %v; want no coordinates", *lost.Latitude)
	}
	placed := in.CreatePlace(map[string]any{"nom": "EPN Belsunce", "pivot": "43493312300037"})
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	list := b.Get("/admin/lieux")
	list.Want(t, "list", http.StatusOK, `id="sans-coordonnees"`, "n’apparaissent ni dans les recherches autour d’une adresse",
		`Point numérique du Hameau</a> <span class="badge warn">Sans coordonnées</span>`)
	if strings.Contains(list.Body, `EPN Belsunce</a> <span class="badge`) {
		t.Error("a placed place is marked in the list")
	}
	b.Get("/admin/lieux/"+lost.ID).Want(t, "form", http.StatusOK,
		`<p class="notice warn" role="note" id="sans-coordonnees">Ce lieu n’a pas de coordonnées : il n’apparaît ni dans les recherches autour d’une adresse ou d’une commune, ni sur la carte, ni sur les fiches d’orientation.`,
		`data-zoom="5"`)
	if a := b.Get("/admin/lieux/" + placed.ID); strings.Contains(a.Body, "sans-coordonnees") {
		t.Error("the form of a placed place warns that it has no coordinates")
	}
	// Once every place of the page is placed, the list says nothing.
	if a := b.Get("/admin/lieux?q=Belsunce"); strings.Contains(a.Body, "sans-coordonnees") {
		t.Error("the list warns about places without coordinates when it shows none")
	}
}
