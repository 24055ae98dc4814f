package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestPlaceWithoutSIRET: SIRET/RNA is optional and explained; a place
// saved without one (or with zeros) keeps the standard's placeholder,
// which the public page never shows and the form shows empty.
func TestPlaceWithoutSIRET(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	form := b.Get("/admin/lieux/nouveau")
	form.Want(t, "new place form", 200, "Facultatif. Le SIRET (14 chiffres)")
	if regexp.MustCompile(`id="pivot"[^>]* required`).MatchString(form.Body) || strings.Contains(form.Body, "43493312300029") {
		t.Error("the SIRET field is still required, or shows a real-looking example")
	}
	for _, pivot := range []string{"", "00000000000000"} {
		a := b.Post("/admin/lieux/nouveau", uitest.PlaceFields(url.Values{"pivot": {pivot}}))
		m := savedPlace.FindStringSubmatch(a.Location())
		if a.Status != http.StatusSeeOther || m == nil {
			t.Fatalf("create with pivot %q = %d %s\n%s", pivot, a.Status, a.Location(), a.Body)
		}
		pl, err := in.Store.Place(m[1])
		if err != nil {
			t.Fatal(err)
		}
		if pl.Pivot != catalogue.UnknownPivot {
			t.Errorf("pivot %q stored as %q; want the standard's placeholder", pivot, pl.Pivot)
		}
		if _, body := in.Page("/lieux/" + pl.ID); strings.Contains(body, "SIRET ou RNA") || strings.Contains(body, catalogue.UnknownPivot) {
			t.Errorf("the public page of a place without SIRET shows one")
		}
		edit := b.Get("/admin/lieux/" + pl.ID)
		if strings.Contains(edit.Body, catalogue.UnknownPivot) {
			t.Error("the edit form shows the placeholder; want an empty field")
		}
	}
}
