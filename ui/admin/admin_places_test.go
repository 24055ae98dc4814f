package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/ui/internal/page"
	"github.com/maillage/maillage/ui/internal/uitest"
)

var savedPlace = regexp.MustCompile(`^/admin/lieux/([a-z0-9]+)\?ok=lieu-enregistre$`)

func TestAdminPlaceCreateAndEdit(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	b.Get("/admin/lieux/nouveau").Want(t, "new place form", 200, `<details class="group" id="section-identity" open>
<summary>Le lieu</summary>`, `id="h-0-0-de"`,
		`name="services" value="Aide aux démarches administratives"`, `<label for="nom">Nom du lieu`, `autocomplete="postal-code"`)

	a := b.Post("/admin/lieux/nouveau", uitest.PlaceFields(nil))
	m := savedPlace.FindStringSubmatch(a.Location())
	if a.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create = %d %s\n%s", a.Status, a.Location(), a.Body)
	}
	pl, err := in.Store.Place(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if pl.Horaires != "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00" || pl.HoursError != "" {
		t.Errorf("hours %q (%s)", pl.Horaires, pl.HoursError)
	}
	if pl.Telephone != "+33491000000" || *pl.Latitude != 43.3117 || len(pl.Courriels) != 2 || len(pl.Equipements) != 2 ||
		len(pl.Services) != 2 || pl.DateMaj != "2026-07-13" || !pl.Network.Local {
		t.Errorf("stored %+v", pl)
	}
	in.WantPage("/lieux?q=Belle+de+Mai", 200, "Espace numérique de la Belle de Mai")

	// The edit form shows the stored values, the hours in the grid.
	form := b.Get(a.Location())
	form.Want(t, "edit form", 200, "Le lieu a été enregistré.", `value="Espace numérique de la Belle de Mai"`,
		`id="h-4-1-a" name="h-4-1-a" value="17:00"`, `id="h-5-0-de" name="h-5-0-de" value="09:00"`,
		`name="horaires_origine" value="Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"`, "contact@belle.example\naccueil@belle.example")
	if strings.Contains(form.Body, `id="h-6-0-de" name="h-6-0-de" value="0`) {
		t.Error("Sunday is filled")
	}
	// Changing the grid changes the hours.
	edit := uitest.PlaceFields(url.Values{"horaires_origine": {pl.Horaires}, "horaires": {pl.Horaires}, "nom": {"Belle de Mai numérique"}})
	edit.Set(uitest.GridField(5, 0, false), "")
	edit.Set(uitest.GridField(5, 0, true), "")
	if a := b.Post("/admin/lieux/"+pl.ID, edit); a.Status != http.StatusSeeOther {
		t.Fatalf("edit = %d\n%s", a.Status, a.Body)
	}
	pl, _ = in.Store.Place(pl.ID)
	if pl.Nom != "Belle de Mai numérique" || pl.Horaires != "Mo-Fr 09:00-12:00,14:00-17:00" {
		t.Errorf("after edit: %q, %q", pl.Nom, pl.Horaires)
	}
	// An expert's text wins over the grid, and hours the grid cannot
	// hold are shown as text only.
	edit.Set("horaires_origine", pl.Horaires)
	edit.Set("horaires", "Tu-Sa 11:00-19:00; PH off")
	if a := b.Post("/admin/lieux/"+pl.ID, edit); a.Status != http.StatusSeeOther {
		t.Fatalf("edit hours = %d\n%s", a.Status, a.Body)
	}
	pl, _ = in.Store.Place(pl.ID)
	if pl.Horaires != "Tu-Sa 11:00-19:00; PH off" {
		t.Errorf("expert hours = %q", pl.Horaires)
	}
	form = b.Get("/admin/lieux/" + pl.ID)
	form.Want(t, "complex hours", 200, "trop détaillés pour la grille", "Tu-Sa 11:00-19:00; PH off")
	if strings.Contains(form.Body, `id="h-0-0-de"`) {
		t.Error("the grid is shown for hours it cannot hold")
	}
	// Submitted as is, they stay.
	keep := uitest.PlaceFields(url.Values{"horaires": {pl.Horaires}})
	for k := range keep {
		if strings.HasPrefix(k, "h-") || k == "grille" || k == "horaires_origine" {
			delete(keep, k)
		}
	}
	if a := b.Post("/admin/lieux/"+pl.ID, keep); a.Status != http.StatusSeeOther {
		t.Fatalf("resubmit = %d", a.Status)
	}
	if pl, _ = in.Store.Place(pl.ID); pl.Horaires != "Tu-Sa 11:00-19:00; PH off" {
		t.Errorf("hours after a plain save = %q", pl.Horaires)
	}
}

func TestAdminPlaceFormExplainsEveryProblem(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	bad := uitest.PlaceFields(url.Values{"nom": {""}, "pivot": {"abc"}, "code_postal": {"1300"}, "latitude": {"nord"},
		"site_web": {"belle.example"}, uitest.GridField(4, 0, true): {"08:00"}, "services": {"Aide aux démarches administratives", "Voyance"}})
	a := b.Post("/admin/lieux/nouveau", bad)
	a.Want(t, "invalid place", http.StatusUnprocessableEntity,
		`<div class="problems" role="alert"`, `href="#nom"`, `href="#pivot"`, `href="#code_postal"`, `href="#latitude"`, `href="#h-4-0-a"`,
		`href="#site_web"`, `href="#services"`,
		`id="nom-erreur">champ obligatoire`, `aria-describedby="pivot-aide pivot-erreur" aria-invalid="true"`,
		`id="latitude-erreur">nombre attendu`, "vendredi, créneau 1 : la fermeture doit suivre l’ouverture",
		`id="h-4-0-a" name="h-4-0-a" value="08:00" aria-invalid="true"`,
		// Every value is kept.
		`value="abc"`, `value="1300"`, `value="nord"`, `value="41 rue Jobin"`, `id="h-0-1-a" name="h-0-1-a" value="17:00"`,
		`value="Voyance" checked`, `name="services" value="Aide aux démarches administratives" checked`, "belle.example</textarea>")
	if n, _ := in.Store.Places(catalogue.PlaceQuery{Network: "local", Limit: 1}); n.Total != 0 {
		t.Errorf("%d places stored from a bad form", n.Total)
	}
	// Unreadable expert hours are refused with the parser's reason.
	b.Post("/admin/lieux/nouveau", uitest.PlaceFields(url.Values{"horaires": {"lundi matin"}})).
		Want(t, "bad hours", http.StatusUnprocessableEntity, "horaires illisibles à la position 1")
}

func TestAdminPlaceDelete(t *testing.T) {
	in := uitest.AdminInstance(t)
	alcazar, _, _ := in.Marseille()
	aix := in.CreatePlace(map[string]any{"nom": "Relais d'Aubagne", "pivot": "21130005000011"})
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	b.Get("/admin/lieux/"+aix.ID+"/supprimer").Want(t, "confirm", 200, "Voulez-vous vraiment supprimer « Relais d&#39;Aubagne »")
	if a := b.Post("/admin/lieux/"+aix.ID+"/supprimer", nil); a.Status != http.StatusSeeOther || a.Location() != "/admin/lieux?ok=lieu-supprime" {
		t.Fatalf("delete = %d %s\n%s", a.Status, a.Location(), a.Body)
	}
	if _, err := in.Store.Place(aix.ID); err == nil {
		t.Error("the place is still there")
	}
	// A place with events stays, and the page says why.
	b.Post("/admin/lieux/"+alcazar.ID+"/supprimer", nil).Want(t, "delete with events", http.StatusConflict, "des événements y ont encore lieu")
	if _, err := in.Store.Place(alcazar.ID); err != nil {
		t.Error("the place with events was deleted")
	}
	b.Post("/admin/lieux/inconnu/supprimer", nil).Want(t, "delete unknown", http.StatusNotFound)
	b.Get("/admin/lieux/inconnu").Want(t, "edit unknown", http.StatusNotFound, "Page introuvable")
}

func TestAdminRemotePlacesAreReadOnly(t *testing.T) {
	in := uitest.AdminInstance(t)
	remote := &catalogue.Place{APID: "https://autre.example/lieux/1", Nom: "Lieu d’Arsenic 83", Commune: "Toulon",
		Network: catalogue.Network{Name: "Arsenic 83", Actor: "https://autre.example/actor"}, Updated: uitest.Monday}
	if err := in.Store.PutRemotePlace("https://autre.example/activities/1", remote); err != nil {
		t.Fatal(err)
	}
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	a := b.Get("/admin/lieux/" + remote.ID)
	a.Want(t, "remote place", 200, "publié par le réseau Arsenic 83", "ne peut pas être modifié ici")
	if strings.Contains(a.Body, `<form method="post" action="/admin/lieux/`+remote.ID+`"`) {
		t.Error("the remote place has an edit form")
	}
	b.Post("/admin/lieux/"+remote.ID, uitest.PlaceFields(nil)).Want(t, "edit remote", http.StatusForbidden)
	b.Get("/admin/lieux/"+remote.ID+"/supprimer").Want(t, "confirm delete remote", http.StatusForbidden)
	b.Post("/admin/lieux/"+remote.ID+"/supprimer", nil).Want(t, "delete remote", http.StatusForbidden)
	if got, _ := in.Store.Place(remote.ID); got == nil || got.Nom != "Lieu d’Arsenic 83" {
		t.Errorf("remote place changed: %+v", got)
	}
	b.Get("/admin/lieux").Want(t, "local list", 200, "0 lieu")
	b.Get("/admin/lieux?tous=1").Want(t, "all places", 200, "Lecture seule", "Lieu d’Arsenic 83")
}

func TestAdminPlaceListSearchAndPages(t *testing.T) {
	in := uitest.AdminInstance(t)
	places := sample.Places(45, 3)
	for _, pl := range places {
		pl.Normalize()
	}
	if err := in.Store.CreatePlaces(places); err != nil {
		t.Fatal(err)
	}
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	a := b.Get("/admin/lieux")
	a.Want(t, "list", 200, "45 lieux", `rel="next"`)
	if n := strings.Count(a.Body, `<th scope="row"><a href="/admin/lieux/`); n != page.PageSize {
		t.Errorf("%d places on the first page", n)
	}
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(a.Body)
	a = b.Get(strings.ReplaceAll(next[1], "&amp;", "&"))
	a.Want(t, "second page", 200, "Revenir au début")
	name := places[7].Nom
	a = b.Get("/admin/lieux?q=" + url.QueryEscape(name))
	a.Want(t, "search", 200, name)
	b.Get("/admin/lieux?page=n%27importe+quoi").Want(t, "bad cursor", 200, "45 lieux")
}

func TestAdminPlacePagesEscapeHostileText(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	// Typed in every field: shown back escaped.
	form := url.Values{"csrf": {b.CSRF}, "grille": {"1"}, "horaires_origine": {uitest.Evil}}
	// Every control the form shows: text fields, lists and the hours grid.
	for _, m := range formControl.FindAllStringSubmatch(b.Get("/admin/lieux/nouveau").Body, -1) {
		if name := m[1]; !form.Has(name) {
			form.Set(name, uitest.Evil)
		}
	}
	a := b.Post("/admin/lieux/nouveau", form)
	uitest.CheckEscaped(t, "POST /admin/lieux/nouveau", a, http.StatusUnprocessableEntity)
	// Stored by another way (an import, a remote network): escaped too.
	hostilePaths := uitest.Hostile(t, in)
	_ = hostilePaths
	res, err := in.Store.Places(catalogue.PlaceQuery{Network: "local", Limit: 10})
	if err != nil || len(res.Items) == 0 {
		t.Fatal(err)
	}
	for _, path := range []string{"/admin/lieux", "/admin/lieux?tous=1&q=" + url.QueryEscape(uitest.Evil), "/admin/lieux/" + res.Items[0].ID,
		"/admin/lieux/" + res.Items[0].ID + "/supprimer"} {
		uitest.CheckEscaped(t, path, b.Get(path), 200)
	}
	all, _ := in.Store.Places(catalogue.PlaceQuery{Limit: 10})
	for _, pl := range all.Items {
		if !pl.Network.Local {
			uitest.CheckEscaped(t, "remote place", b.Get("/admin/lieux/"+pl.ID), 200)
		}
	}
	// Saving the hostile place as it is refuses it, escaped.
	uitest.CheckEscaped(t, "save hostile", b.Post("/admin/lieux/"+res.Items[0].ID, form), http.StatusUnprocessableEntity)
}

// formControl finds the names of a form's controls.
var formControl = regexp.MustCompile(`<(?:input|textarea|select)[^>]* name="([^"]+)"`)
