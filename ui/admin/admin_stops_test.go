package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestAdminEventAtAnotherAddress: an editor publishes a stop of the
// mobile unit at the village hall of Mane, and edits it back to the
// unit's own address; a stop nobody can locate is explained, field by
// field, and nothing is stored.
func TestAdminEventAtAnotherAddress(t *testing.T) {
	in := uitest.AdminInstance(t)
	alcazar, _, _ := in.Marseille()
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	b.Get("/admin/evenements/nouveau").Want(t, "new event form", 200,
		`id="ou-lieu" name="ou" value="" checked`, `id="ou-adresse" name="ou" value="adresse"`, `name="etape_commune"`)

	stop := url.Values{"ou": {"adresse"}, "etape_nom": {"Salle des fêtes"}, "etape_adresse": {"Place de la Mairie"},
		"etape_code_postal": {"04300"}, "etape_commune": {"Mane"}}
	a := b.Post("/admin/evenements/nouveau", eventFields(alcazar.ID, stop))
	m := savedEvent.FindStringSubmatch(a.Location())
	if a.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create = %d %s\n%s", a.Status, a.Location(), a.Body)
	}
	e, err := in.Store.Event(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if e.Lieu != alcazar.ID || e.Etape == nil || e.Etape.Nom != "Salle des fêtes" || e.Etape.CodeINSEE != "04111" || !e.Etape.HasCoordinates() {
		t.Fatalf("stored lieu %q, etape %+v; want the stop at Mane, run by the Alcazar", e.Lieu, e.Etape)
	}
	b.Get("/admin/evenements/"+e.ID).Want(t, "edit form", 200,
		`id="ou-adresse" name="ou" value="adresse" checked`, `value="Salle des fêtes"`, `value="Mane"`)
	in.WantPage("/evenements/"+e.ID, 200, "Salle des fêtes", "04300 Mane", "proposé par", "Emplacement approximatif")

	// Back at the place.
	if a := b.Post("/admin/evenements/"+e.ID, eventFields(alcazar.ID, url.Values{"ou": {""}, "etape_nom": {"Salle des fêtes"}})); a.Status != http.StatusSeeOther {
		t.Fatalf("edit = %d\n%s", a.Status, a.Body)
	}
	if e, _ = in.Store.Event(e.ID); e.Etape != nil {
		t.Errorf("after choosing the place, etape = %+v; want none", e.Etape)
	}

	// Nowhere: each field says why.
	before := in.Events("").Total
	bad := url.Values{"ou": {"adresse"}, "etape_nom": {""}, "etape_commune": {"Nullepart"}, "etape_latitude": {"nord"}}
	page := b.Post("/admin/evenements/nouveau", eventFields(alcazar.ID, bad))
	page.Want(t, "refused stop", http.StatusUnprocessableEntity, "Nombre attendu", "le nom du lieu de passage")
	bad = url.Values{"ou": {"adresse"}, "etape_nom": {"Salle"}, "etape_commune": {"Nullepart"}, "etape_code_postal": {"99999"}}
	page = b.Post("/admin/evenements/nouveau", eventFields(alcazar.ID, bad))
	page.Want(t, "unknown commune", http.StatusUnprocessableEntity, "commune inconnue")
	if n := in.Events("").Total; n != before {
		t.Errorf("%d events after the refusals; want %d", n, before)
	}
}
