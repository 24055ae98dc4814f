package ui

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
)

// placeFields is a valid place form: the fields an editor types.
func placeFields(overrides url.Values) url.Values {
	f := url.Values{
		"nom": {"Espace numérique de la Belle de Mai"}, "pivot": {"43493312300037"},
		"typologie": {"EPN"}, "adresse": {"41 rue Jobin"}, "code_postal": {"13003"}, "commune": {"Marseille"},
		"code_insee": {"13203"}, "latitude": {"43,3117"}, "longitude": {"5.3903"}, "telephone": {"04 91 00 00 00"},
		"courriels": {"contact@belle.example\r\naccueil@belle.example"}, "site_web": {"https://belle.example/"},
		"presentation_resume": {"Un espace public numérique au cœur du quartier."},
		"services":            {"Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"},
		"frais_a_charge":      {"Gratuit"}, "equipements": {"Imprimante 3D\nDécoupeuse laser"},
		"grille": {"1"}, "horaires_origine": {""}, "horaires": {""},
	}
	for d := range 5 {
		f.Set(gridInput(d, 0, false), "09:00")
		f.Set(gridInput(d, 0, true), "12:00")
		f.Set(gridInput(d, 1, false), "14:00")
		f.Set(gridInput(d, 1, true), "17:00")
	}
	f.Set(gridInput(5, 0, false), "09:00")
	f.Set(gridInput(5, 0, true), "12:00")
	for k, v := range overrides {
		f[k] = v
	}
	return f
}

var savedPlace = regexp.MustCompile(`^/admin/lieux/([a-z0-9]+)\?ok=lieu-enregistre$`)

func TestAdminPlaceCreateAndEdit(t *testing.T) {
	in := adminInstance(t)
	b := in.browser()
	b.login(editorEmail)
	b.get("/admin/lieux/nouveau").want(t, "new place form", 200, `<legend>Le lieu</legend>`, `id="h-0-0-de"`,
		`name="services" value="Aide aux démarches administratives"`, `<label for="nom">Nom du lieu`, `autocomplete="postal-code"`)

	a := b.post("/admin/lieux/nouveau", placeFields(nil))
	m := savedPlace.FindStringSubmatch(a.location())
	if a.status != http.StatusSeeOther || m == nil {
		t.Fatalf("create = %d %s\n%s", a.status, a.location(), a.body)
	}
	pl, err := in.store.Place(m[1])
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
	in.wantPage("/lieux?q=Belle+de+Mai", 200, "Espace numérique de la Belle de Mai")

	// The edit form shows the stored values, the hours in the grid.
	form := b.get(a.location())
	form.want(t, "edit form", 200, "Le lieu a été enregistré.", `value="Espace numérique de la Belle de Mai"`,
		`id="h-4-1-a" name="h-4-1-a" value="17:00"`, `id="h-5-0-de" name="h-5-0-de" value="09:00"`,
		`name="horaires_origine" value="Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"`, "contact@belle.example\naccueil@belle.example")
	if strings.Contains(form.body, `id="h-6-0-de" name="h-6-0-de" value="0`) {
		t.Error("Sunday is filled")
	}
	// Changing the grid changes the hours.
	edit := placeFields(url.Values{"horaires_origine": {pl.Horaires}, "horaires": {pl.Horaires}, "nom": {"Belle de Mai numérique"}})
	edit.Set(gridInput(5, 0, false), "")
	edit.Set(gridInput(5, 0, true), "")
	if a := b.post("/admin/lieux/"+pl.ID, edit); a.status != http.StatusSeeOther {
		t.Fatalf("edit = %d\n%s", a.status, a.body)
	}
	pl, _ = in.store.Place(pl.ID)
	if pl.Nom != "Belle de Mai numérique" || pl.Horaires != "Mo-Fr 09:00-12:00,14:00-17:00" {
		t.Errorf("after edit: %q, %q", pl.Nom, pl.Horaires)
	}
	// An expert's text wins over the grid, and hours the grid cannot
	// hold are shown as text only.
	edit.Set("horaires_origine", pl.Horaires)
	edit.Set("horaires", "Tu-Sa 11:00-19:00; PH off")
	if a := b.post("/admin/lieux/"+pl.ID, edit); a.status != http.StatusSeeOther {
		t.Fatalf("edit hours = %d\n%s", a.status, a.body)
	}
	pl, _ = in.store.Place(pl.ID)
	if pl.Horaires != "Tu-Sa 11:00-19:00; PH off" {
		t.Errorf("expert hours = %q", pl.Horaires)
	}
	form = b.get("/admin/lieux/" + pl.ID)
	form.want(t, "complex hours", 200, "trop détaillés pour la grille", "Tu-Sa 11:00-19:00; PH off")
	if strings.Contains(form.body, `id="h-0-0-de"`) {
		t.Error("the grid is shown for hours it cannot hold")
	}
	// Submitted as is, they stay.
	keep := placeFields(url.Values{"horaires": {pl.Horaires}})
	for k := range keep {
		if strings.HasPrefix(k, "h-") || k == "grille" || k == "horaires_origine" {
			delete(keep, k)
		}
	}
	if a := b.post("/admin/lieux/"+pl.ID, keep); a.status != http.StatusSeeOther {
		t.Fatalf("resubmit = %d", a.status)
	}
	if pl, _ = in.store.Place(pl.ID); pl.Horaires != "Tu-Sa 11:00-19:00; PH off" {
		t.Errorf("hours after a plain save = %q", pl.Horaires)
	}
}

func TestAdminPlaceFormExplainsEveryProblem(t *testing.T) {
	in := adminInstance(t)
	b := in.browser()
	b.login(editorEmail)
	bad := placeFields(url.Values{"nom": {""}, "pivot": {"abc"}, "code_postal": {"1300"}, "latitude": {"nord"},
		"site_web": {"belle.example"}, gridInput(4, 0, true): {"08:00"}, "services": {"Aide aux démarches administratives", "Voyance"}})
	a := b.post("/admin/lieux/nouveau", bad)
	a.want(t, "invalid place", http.StatusUnprocessableEntity,
		`<div class="problems" role="alert"`, `href="#nom"`, `href="#pivot"`, `href="#code_postal"`, `href="#latitude"`, `href="#h-4-0-a"`,
		`href="#site_web"`, `href="#services"`,
		`id="nom-erreur">champ obligatoire`, `aria-describedby="pivot-aide pivot-erreur" aria-invalid="true"`,
		`id="latitude-erreur">nombre attendu`, "vendredi, créneau 1 : la fermeture doit suivre l’ouverture",
		`id="h-4-0-a" name="h-4-0-a" value="08:00" aria-invalid="true"`,
		// Every value is kept.
		`value="abc"`, `value="1300"`, `value="nord"`, `value="41 rue Jobin"`, `id="h-0-1-a" name="h-0-1-a" value="17:00"`,
		`value="Voyance" checked`, `name="services" value="Aide aux démarches administratives" checked`, "belle.example</textarea>")
	if n, _ := in.store.Places(catalogue.PlaceQuery{Network: "local", Limit: 1}); n.Total != 0 {
		t.Errorf("%d places stored from a bad form", n.Total)
	}
	// Unreadable expert hours are refused with the parser's reason.
	b.post("/admin/lieux/nouveau", placeFields(url.Values{"horaires": {"lundi matin"}})).
		want(t, "bad hours", http.StatusUnprocessableEntity, "horaires illisibles à la position 1")
}

func TestAdminPlaceDelete(t *testing.T) {
	in := adminInstance(t)
	alcazar, _, _ := in.marseille()
	aix := in.createPlace(map[string]any{"nom": "Relais d'Aubagne", "pivot": "21130005000011"})
	b := in.browser()
	b.login(editorEmail)
	b.get("/admin/lieux/"+aix.ID+"/supprimer").want(t, "confirm", 200, "Voulez-vous vraiment supprimer « Relais d&#39;Aubagne »")
	if a := b.post("/admin/lieux/"+aix.ID+"/supprimer", nil); a.status != http.StatusSeeOther || a.location() != "/admin/lieux?ok=lieu-supprime" {
		t.Fatalf("delete = %d %s\n%s", a.status, a.location(), a.body)
	}
	if _, err := in.store.Place(aix.ID); err == nil {
		t.Error("the place is still there")
	}
	// A place with events stays, and the page says why.
	b.post("/admin/lieux/"+alcazar.ID+"/supprimer", nil).want(t, "delete with events", http.StatusConflict, "des événements y ont encore lieu")
	if _, err := in.store.Place(alcazar.ID); err != nil {
		t.Error("the place with events was deleted")
	}
	b.post("/admin/lieux/inconnu/supprimer", nil).want(t, "delete unknown", http.StatusNotFound)
	b.get("/admin/lieux/inconnu").want(t, "edit unknown", http.StatusNotFound, "Page introuvable")
}

func TestAdminRemotePlacesAreReadOnly(t *testing.T) {
	in := adminInstance(t)
	remote := &catalogue.Place{APID: "https://autre.example/lieux/1", Nom: "Lieu d’Arsenic 83", Commune: "Toulon",
		Network: catalogue.Network{Name: "Arsenic 83", Actor: "https://autre.example/actor"}, Updated: monday}
	if err := in.store.PutRemotePlace("https://autre.example/activities/1", remote); err != nil {
		t.Fatal(err)
	}
	b := in.browser()
	b.login(editorEmail)
	a := b.get("/admin/lieux/" + remote.ID)
	a.want(t, "remote place", 200, "publié par le réseau Arsenic 83", "ne peut pas être modifié ici")
	if strings.Contains(a.body, `<form method="post" action="/admin/lieux/`+remote.ID+`"`) {
		t.Error("the remote place has an edit form")
	}
	b.post("/admin/lieux/"+remote.ID, placeFields(nil)).want(t, "edit remote", http.StatusForbidden)
	b.get("/admin/lieux/"+remote.ID+"/supprimer").want(t, "confirm delete remote", http.StatusForbidden)
	b.post("/admin/lieux/"+remote.ID+"/supprimer", nil).want(t, "delete remote", http.StatusForbidden)
	if got, _ := in.store.Place(remote.ID); got == nil || got.Nom != "Lieu d’Arsenic 83" {
		t.Errorf("remote place changed: %+v", got)
	}
	b.get("/admin/lieux").want(t, "local list", 200, "0 lieu")
	b.get("/admin/lieux?tous=1").want(t, "all places", 200, "Lecture seule", "Lieu d’Arsenic 83")
}

func TestAdminPlaceListSearchAndPages(t *testing.T) {
	in := adminInstance(t)
	places := sample.Places(45, 3)
	for _, pl := range places {
		pl.Normalize()
	}
	if err := in.store.CreatePlaces(places); err != nil {
		t.Fatal(err)
	}
	b := in.browser()
	b.login(editorEmail)
	a := b.get("/admin/lieux")
	a.want(t, "list", 200, "45 lieux", `rel="next"`)
	if n := strings.Count(a.body, `<th scope="row"><a href="/admin/lieux/`); n != pageSize {
		t.Errorf("%d places on the first page", n)
	}
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(a.body)
	a = b.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	a.want(t, "second page", 200, "Revenir au début")
	name := places[7].Nom
	a = b.get("/admin/lieux?q=" + url.QueryEscape(name))
	a.want(t, "search", 200, name)
	b.get("/admin/lieux?page=n%27importe+quoi").want(t, "bad cursor", 200, "45 lieux")
}

func TestAdminPlacePagesEscapeHostileText(t *testing.T) {
	in := adminInstance(t)
	b := in.browser()
	b.login(editorEmail)
	// Typed in every field: shown back escaped.
	form := url.Values{"csrf": {b.csrf}, "grille": {"1"}, "horaires_origine": {evil}}
	for _, defs := range placeTextFields {
		for _, d := range defs {
			form.Set(d.name, evil)
		}
	}
	for name := range placeChecks {
		form.Set(name, evil)
	}
	for d := range 7 {
		form.Set(gridInput(d, 0, false), evil)
		form.Set(gridInput(d, 0, true), evil)
	}
	a := b.post("/admin/lieux/nouveau", form)
	checkEscaped(t, "POST /admin/lieux/nouveau", a, http.StatusUnprocessableEntity)
	// Stored by another way (an import, a remote network): escaped too.
	hostilePaths := hostile(t, in)
	_ = hostilePaths
	res, err := in.store.Places(catalogue.PlaceQuery{Network: "local", Limit: 10})
	if err != nil || len(res.Items) == 0 {
		t.Fatal(err)
	}
	for _, path := range []string{"/admin/lieux", "/admin/lieux?tous=1&q=" + url.QueryEscape(evil), "/admin/lieux/" + res.Items[0].ID,
		"/admin/lieux/" + res.Items[0].ID + "/supprimer"} {
		checkEscaped(t, path, b.get(path), 200)
	}
	all, _ := in.store.Places(catalogue.PlaceQuery{Limit: 10})
	for _, pl := range all.Items {
		if !pl.Network.Local {
			checkEscaped(t, "remote place", b.get("/admin/lieux/"+pl.ID), 200)
		}
	}
	// Saving the hostile place as it is refuses it, escaped.
	checkEscaped(t, "save hostile", b.post("/admin/lieux/"+res.Items[0].ID, form), http.StatusUnprocessableEntity)
}

// checkEscaped checks that a page shows the hostile text, escaped.
func checkEscaped(t *testing.T, what string, a answer, status int) {
	t.Helper()
	if a.status != status {
		t.Errorf("%s = %d; want %d", what, a.status, status)
	}
	if m := rawMarkup.FindString(a.body); m != "" {
		i := strings.Index(a.body, m)
		t.Errorf("%s: unescaped %q in …%s…", what, m, a.body[max(0, i-200):min(len(a.body), i+100)])
	}
	if !strings.Contains(a.body, "&lt;script&gt;alert") {
		t.Errorf("%s: the hostile text is not shown escaped", what)
	}
}
