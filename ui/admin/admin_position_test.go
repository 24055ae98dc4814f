package admin_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/maillage/maillage/ui/internal/uitest"
)

// A place saved without coordinates is placed at its commune's centre,
// flagged in the list and in its form, which asks the editor to place it;
// saving the form as shown keeps the flag, giving coordinates clears it.
func TestAdminPlaceWithoutCoordinates(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	fields := uitest.PlaceFields(url.Values{"latitude": {""}, "longitude": {""}, "code_postal": {"13190"},
		"commune": {"Allauch"}, "code_insee": {""}, "adresse": {"1 place de la Mairie"}})
	a := b.Post("/admin/lieux/nouveau", fields)
	m := savedPlace.FindStringSubmatch(a.Location())
	if a.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create = %d %s\n%s", a.Status, a.Location(), a.Body)
	}
	id := m[1]
	pl, err := in.Store.Place(id)
	if err != nil {
		t.Fatal(err)
	}
	if !pl.PositionApproximative || pl.Latitude == nil {
		t.Fatalf("stored without coordinates: approximate %v at %v; want Allauch's centre", pl.PositionApproximative, pl.Latitude)
	}
	b.Get("/admin/lieux").Want(t, "list", 200, "Position approximative")
	b.Get("/admin/lieux/"+id).Want(t, "form", 200, "Position approximative : ce lieu n’avait pas de coordonnées")

	// Saved again as the form shows it (with the centre's coordinates).
	fields.Set("latitude", formatFloat(*pl.Latitude))
	fields.Set("longitude", formatFloat(*pl.Longitude))
	fields.Set("telephone", "04 91 00 00 01")
	if a := b.Post("/admin/lieux/"+id, fields); a.Status != http.StatusSeeOther {
		t.Fatalf("save = %d\n%s", a.Status, a.Body)
	}
	if pl, _ = in.Store.Place(id); !pl.PositionApproximative {
		t.Errorf("saving the form as shown cleared the flag")
	}
	// The editor gives the real position.
	fields.Set("latitude", "43.3371")
	fields.Set("longitude", "5.4826")
	if a := b.Post("/admin/lieux/"+id, fields); a.Status != http.StatusSeeOther {
		t.Fatalf("save = %d\n%s", a.Status, a.Body)
	}
	if pl, _ = in.Store.Place(id); pl.PositionApproximative || *pl.Latitude != 43.3371 {
		t.Errorf("placed by the editor: approximate %v at %v", pl.PositionApproximative, *pl.Latitude)
	}
	if a := b.Get("/admin/lieux/" + id); strings.Contains(a.Body, "Position approximative") {
		t.Errorf("the form of a placed place still says its position is approximate")
	}
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
