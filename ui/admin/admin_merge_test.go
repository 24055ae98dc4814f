package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// The médiathèque of Avignon as our network and Arsenic 84 publish it:
// the same SIRET, so the public sees one place.
func sharedMediatheque(t *testing.T, in *uitest.Instance) (local, remote *catalogue.Place) {
	t.Helper()
	local = &catalogue.Place{Nom: "Médiathèque Ceccano", Pivot: "21840007600013", Adresse: "2 bis rue Laboureur",
		CodeINSEE: "84007", CodePostal: "84000", Commune: "Avignon", Latitude: new(43.9463), Longitude: new(4.8059)}
	local.Normalize()
	if err := in.Store.CreatePlace(local); err != nil {
		t.Fatal(err)
	}
	remote = &catalogue.Place{APID: "https://arsenic84.example/lieux/ceccano", Nom: "Bibliothèque Ceccano", Pivot: "21840007600013",
		Adresse: "2bis r. Laboureur", CodeINSEE: "84007", CodePostal: "84000", Commune: "Avignon", Latitude: new(43.9470), Longitude: new(4.8060),
		Network: catalogue.Network{Name: "Arsenic 84", Actor: "https://arsenic84.example/actor"}, Updated: uitest.Monday}
	remote.Normalize()
	if err := in.Store.PutRemotePlace("https://arsenic84.example/activities/1", remote); err != nil {
		t.Fatal(err)
	}
	return local, remote
}

func sourcesOf(t *testing.T, in *uitest.Instance, id string) int {
	t.Helper()
	m, err := in.Store.MergedPlace(id)
	if err != nil {
		t.Fatal(err)
	}
	return max(len(m.Sources), 1)
}

func TestAdminSplitAndLinkPlaces(t *testing.T) {
	in := uitest.AdminInstance(t)
	local, remote := sharedMediatheque(t, in)
	if n := sourcesOf(t, in, local.ID); n != 2 {
		t.Fatalf("the two records make %d sources; want them merged", n)
	}
	b := in.Browser()
	b.Login(uitest.EditorEmail)

	// Each record's page names the other; the lists show records.
	b.Get("/admin/lieux/"+local.ID).Want(t, "local record", 200, "réunie avec celles-ci",
		`href="/admin/lieux/`+remote.ID+`">Arsenic 84</a>`, `action="/admin/lieux/`+local.ID+`/separer"`)
	b.Get("/admin/lieux/"+remote.ID).Want(t, "remote record", 200, "réunie avec celles-ci", `href="/admin/lieux/`+local.ID+`"`)
	b.Get("/admin/lieux").Want(t, "our records", 200, "1 lieu", "Médiathèque Ceccano")
	b.Get("/admin/lieux?tous=1").Want(t, "every record", 200, "2 lieux", "Bibliothèque Ceccano")

	// A wrong merge is split, for good.
	a := b.Post("/admin/lieux/"+remote.ID+"/separer", nil)
	a.Want(t, "split", http.StatusSeeOther)
	if a.Location() != "/admin/lieux/"+remote.ID+"?ok=separe" {
		t.Errorf("split leads to %q", a.Location())
	}
	if n := sourcesOf(t, in, local.ID); n != 1 {
		t.Fatalf("after the split the place has %d sources; want 1", n)
	}
	b.Get("/admin/lieux/"+local.ID+"?ok=separe").Want(t, "after split", 200, "La fiche a été séparée", "Aucun autre réseau")

	// What cannot be linked is explained, and changes nothing.
	for _, c := range []struct{ avec, want string }{
		{"", "Indiquez l’adresse"},
		{"https://ailleurs.example/lieux/nulle-part", "introuvable"},
		{"<script>alert(1)</script>", "introuvable"},
		{local.ID, "avec elle-même"},
	} {
		a := b.Post("/admin/lieux/"+local.ID+"/lier", url.Values{"avec": {c.avec}})
		a.Want(t, "link "+c.avec, http.StatusUnprocessableEntity, c.want)
		if strings.Contains(a.Body, "<script>alert") {
			t.Error("the pasted text is echoed unescaped")
		}
	}
	if n := sourcesOf(t, in, local.ID); n != 1 {
		t.Fatalf("a refused link merged the place: %d sources", n)
	}
	b.Post("/admin/lieux/nulle-part/lier", url.Values{"avec": {remote.ID}}).Want(t, "link unknown record", http.StatusNotFound)

	// The editor links them back with the address of the public page.
	a = b.Post("/admin/lieux/"+local.ID+"/lier", url.Values{"avec": {in.Srv.URL + "/lieux/" + remote.ID}})
	a.Want(t, "link", http.StatusSeeOther)
	if n := sourcesOf(t, in, local.ID); n != 2 {
		t.Fatalf("after the link the place has %d sources; want 2", n)
	}
	b.Get("/lieux/"+remote.ID).Want(t, "public page of the remote record", 200, "Arsenic 84")
}

func TestAdminMergeFormsNeedTheCSRFToken(t *testing.T) {
	in := uitest.AdminInstance(t)
	local, remote := sharedMediatheque(t, in)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	b.Post("/admin/lieux/"+local.ID+"/separer", url.Values{"csrf": {"faux"}}).Want(t, "split without token", http.StatusForbidden)
	if n := sourcesOf(t, in, local.ID); n != 2 {
		t.Fatalf("a forged split changed the group: %d sources", n)
	}
	b.Post("/admin/lieux/"+remote.ID+"/separer", nil).Want(t, "split", http.StatusSeeOther)
	b.Post("/admin/lieux/"+local.ID+"/lier", url.Values{"csrf": {"faux"}, "avec": {remote.ID}}).Want(t, "link without token", http.StatusForbidden)
	if n := sourcesOf(t, in, local.ID); n != 1 {
		t.Fatalf("a forged link changed the group: %d sources", n)
	}
}
