package admin_test

import (
	"net/http"
	"net/url"
	"reflect"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// An editor ticks a place's skills in its form, adds a skill to the
// network's list and finds it in the form; what cannot be read comes back
// on the form, and nothing is stored.
func TestAdminPlaceSkills(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	b.Get("/admin/lieux/nouveau").Want(t, "new place form", 200, `<summary>Compétences partagées</summary>`,
		`name="competences" value="impression-3d"`, `<label for="competences-1">Impression 3D</label>`, `href="/admin/competences"`)

	a := b.Post("/admin/lieux/nouveau", uitest.PlaceFields(url.Values{"competences": {"impression-3d", "electronique"}}))
	m := savedPlace.FindStringSubmatch(a.Location())
	if a.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create = %d %s\n%s", a.Status, a.Location(), a.Body)
	}
	pl, err := in.Store.Place(m[1])
	if err != nil {
		t.Fatal(err)
	}
	want := []catalogue.Skill{{ID: "impression-3d", Libelle: "Impression 3D"}, {ID: "electronique", Libelle: "Électronique et Arduino"}}
	if !reflect.DeepEqual(pl.Competences, want) {
		t.Errorf("stored competences %v; want %v", pl.Competences, want)
	}
	b.Get(a.Location()).Want(t, "edit form", 200, `name="competences" value="impression-3d" checked`, `name="competences" value="electronique" checked`)

	// The network's list.
	b.Get("/admin/competences").Want(t, "skills page", 200, "La liste des compétences du réseau", "Impression 3D", "n’a encore ajouté aucune")
	b.Post("/admin/competences", url.Values{"id": {"Couture Numérique"}, "libelle": {"Couture numérique"}}).
		Want(t, "bad id", http.StatusUnprocessableEntity, "identifiant de compétence invalide", `value="Couture numérique"`, `aria-invalid="true"`)
	b.Post("/admin/competences", url.Values{"id": {"impression-3d"}, "libelle": {"Autre"}}).
		Want(t, "id taken", http.StatusUnprocessableEntity, "déjà dans la liste")
	if list, _ := in.Store.Skills(); len(list) != len(catalogue.DefaultSkills) {
		t.Fatalf("refused additions stored: %d skills", len(list))
	}
	if a := b.Post("/admin/competences", url.Values{"id": {"couture-numerique"}, "libelle": {"Couture numérique"}}); a.Status != http.StatusSeeOther {
		t.Fatalf("add = %d\n%s", a.Status, a.Body)
	}
	b.Get("/admin/competences?ok=competence-ajoutee").Want(t, "after adding", 200, "La compétence est ajoutée", "<code>couture-numerique</code>")
	b.Get("/admin/lieux/"+pl.ID).Want(t, "form with the addition", 200, `name="competences" value="couture-numerique"`)

	// A skill the list lacks (a forged form) is refused on the form.
	a = b.Post("/admin/lieux/"+pl.ID, uitest.PlaceFields(url.Values{"competences": {"inconnue"}}))
	a.Want(t, "unknown skill", http.StatusUnprocessableEntity, "compétence inconnue « inconnue »", `name="competences" value="inconnue" checked`)
	if got, _ := in.Store.Place(pl.ID); !reflect.DeepEqual(got.Competences, want) {
		t.Errorf("after a refused edit: %v; want %v", got.Competences, want)
	}
}
